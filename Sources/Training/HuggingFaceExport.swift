import Curriculum
import Foundation
import Model

/// Writes a checkpoint as a Hugging Face model folder that transformers opens with `from_pretrained`.
///
/// The folder holds `config.json` (GPT-2 with the checkpoint's sizes), `model.safetensors`
/// (the weights under transformers' `transformer.` names; the head is tied to `wte`),
/// `generation_config.json`, and the tokenizer (`tokenizer.json`, `tokenizer_config.json`,
/// `special_tokens_map.json`, see `HuggingFaceTokenizer`). It is written into a temporary
/// folder beside the target and renamed into place, so a failure leaves nothing half-written.
public enum HuggingFaceExport {
  /// Why a folder could not be exported, in one line naming the file or folder.
  public struct ExportError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String

    public init(_ description: String) {
      self.description = description
    }
  }

  /// The names of the files an export writes.
  public static let fileNames = [
    "config.json", "generation_config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json",
    "tokenizer_config.json",
  ]

  /// Exports a CLM's network and tokenizer into `directory`; returns the tokenizer's caveats.
  ///
  /// A non-empty `directory` is replaced only when `replacing` is true, and never when it
  /// holds `input` (the checkpoint exported), is the current folder or one of its parents,
  /// or holds a folder the user could not empty (`rm -rf` would fail there too). A symlink
  /// to a folder is written through: the folder it names is replaced, keeping its mode.
  @discardableResult
  public static func export(
    _ trainer: any LanguageModel, to requested: URL, replacing: Bool, input: URL? = nil
  ) throws(ExportError) -> [String] {
    guard trainer.isCausal else {
      throw ExportError(
        "the checkpoint is a masked LM; transformers' GPT-2 attends only to earlier tokens, so it cannot run this model (export a CLM checkpoint)")
    }
    let files = FileManager.default
    let path = requested.path
    let directory = try target(of: requested)
    let parent = directory.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    let exists = files.fileExists(atPath: directory.path, isDirectory: &isDirectory)
    if exists && !isDirectory.boolValue { throw ExportError("\(path) is a file; expected a folder to write the model into") }
    try refuseProtected(directory, named: path, input: input)
    let contents = exists ? (try? files.contentsOfDirectory(atPath: directory.path)) : []
    guard let contents else { throw ExportError("\(path): the folder cannot be read") }
    if !contents.isEmpty {
      guard replacing else { throw ExportError("\(path) is not empty; choose a new folder, or add --force to replace it") }
      if let locked = firstUndeletable(in: directory.path) {
        throw ExportError("\(path): --force will not replace it: \(locked) is read-only for you (rm -rf could not empty it either)")
      }
    }
    guard files.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw ExportError("\(path): the folder \(parent.path) does not exist")
    }
    guard files.isWritableFile(atPath: parent.path) else { throw ExportError("\(path): the folder \(parent.path) is not writable") }
    var old = stat()
    let mode: mode_t = exists && stat(directory.path, &old) == 0 ? old.st_mode & 0o7777 : 0o755

    let name = directory.lastPathComponent
    let staging = parent.appendingPathComponent(".\(name).\(UUID().uuidString).tmp")
    do {
      if mkdir(staging.path, 0o700) != 0 { throw ExportError("\(path): cannot write in \(parent.path): \(String(cString: strerror(errno)))") }
      let tokenizer = HuggingFaceTokenizer(trainer.tokenizer, contextLength: trainer.model.config.contextLength)
      let contents: [(String, Data)] = [
        ("config.json", Data(modelConfig(trainer).serialized().utf8)),
        ("generation_config.json", Data(generationConfig(trainer).serialized().utf8)),
        ("model.safetensors", weights(trainer.model).encoded()),
        ("special_tokens_map.json", tokenizer.specialTokensMapJSON),
        ("tokenizer.json", tokenizer.tokenizerJSON),
        ("tokenizer_config.json", tokenizer.configJSON),
      ]
      for (file, data) in contents { try data.write(to: staging.appendingPathComponent(file)) }
      // The folder replaced keeps its mode (a read-only one stays read-only); a new one is 0755.
      if chmod(staging.path, mode) != 0 { throw ExportError("\(path): cannot write in \(parent.path): \(String(cString: strerror(errno)))") }
      try replace(directory, with: staging, exists: exists)
      return tokenizer.caveats
    } catch let error as ExportError {
      try? files.removeItem(at: staging)
      throw error
    } catch {
      try? files.removeItem(at: staging)
      throw ExportError("\(path): cannot write: \(FileKind.reason(error))")
    }
  }

  /// The folder a write to `requested` replaces: symlinks followed, so a link to a folder
  /// stays a link and the folder it names gets the export. A link to nothing is refused.
  static func target(of requested: URL) throws(ExportError) -> URL {
    let path = requested.path
    if let real = realpath(path, nil) {
      defer { free(real) }
      return URL(fileURLWithPath: String(cString: real), isDirectory: true)
    }
    if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
      throw ExportError("\(path) is a symlink to \(link), which does not exist; create that folder or choose another")
    }
    let parent = requested.deletingLastPathComponent()
    guard let real = realpath(parent.path, nil) else { return requested.standardizedFileURL }
    defer { free(real) }
    return URL(fileURLWithPath: String(cString: real), isDirectory: true).appendingPathComponent(requested.lastPathComponent)
  }

  /// Refuses a folder whose replacement would delete the checkpoint being exported or the folder the user is in.
  static func refuseProtected(_ directory: URL, named path: String, input: URL?) throws(ExportError) {
    func within(_ inner: String, _ outer: String) -> Bool { outer == "/" || inner == outer || inner.hasPrefix(outer + "/") }
    let folder = directory.path
    if let input, let real = realpath(input.path, nil) {
      defer { free(real) }
      if within(String(cString: real), folder) {
        throw ExportError("\(path) holds the checkpoint being exported (\(input.path)); choose a new folder")
      }
    }
    if let here = realpath(FileManager.default.currentDirectoryPath, nil) {
      defer { free(here) }
      let current = String(cString: here)
      if current == folder { throw ExportError("\(path) is the current folder; choose a new folder") }
      if within(current, folder) { throw ExportError("\(path) holds the current folder (\(current)); choose a new folder") }
    }
  }

  /// The first folder in the tree at `path` (links not followed) whose entries the user cannot delete.
  static func firstUndeletable(in path: String) -> String? {
    var pending = [path]
    var visited = 0
    while let folder = pending.popLast() {
      visited += 1
      // A tree this large is no export folder: treat it as not ours to delete.
      if visited > 10_000 { return folder }
      guard access(folder, R_OK | W_OK | X_OK) == 0, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return folder }
      for name in names {
        var info = stat()
        let child = folder + "/" + name
        if lstat(child, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { pending.append(child) }
      }
    }
    return nil
  }

  /// Renames `staging` to `directory`, moving an old folder aside first and removing it after.
  private static func replace(_ directory: URL, with staging: URL, exists: Bool) throws {
    guard exists else {
      if rename(staging.path, directory.path) != 0 { throw ExportError("\(directory.path): cannot create: \(String(cString: strerror(errno)))") }
      return
    }
    let old = directory.deletingLastPathComponent().appendingPathComponent(".\(directory.lastPathComponent).\(UUID().uuidString).old")
    if rename(directory.path, old.path) != 0 { throw ExportError("\(directory.path): cannot replace: \(String(cString: strerror(errno)))") }
    if rename(staging.path, directory.path) != 0 {
      let reason = String(cString: strerror(errno))
      _ = rename(old.path, directory.path)
      throw ExportError("\(directory.path): cannot replace: \(reason)")
    }
    try? FileManager.default.removeItem(at: old)
  }

  /// The token a prompt-less generation starts from: NextToken's `generate` starts from "\n".
  static func startToken(_ tokenizer: any Tokenizer) -> Int {
    Int(tokenizer.encode("\n").first ?? 0)
  }

  /// The special tokens sampling never picks (NextToken's `onlyOrdinaryTokens`).
  /// A fine-tuned model may end its answer with `<|end|>`: the one special token it can write.
  static func specialTokens(_ tokenizer: any Tokenizer) -> [Int] {
    let end = tokenizer.chat.map { Int($0.endID) }
    return (tokenizer.ordinaryCount..<tokenizer.vocabSize).filter { $0 != end }
  }

  /// The end-of-sequence id: `<|end|>` for a fine-tuned model, else [MASK], which never comes.
  static func endToken(_ tokenizer: any Tokenizer) -> Int {
    Int(tokenizer.chat?.endID ?? tokenizer.maskID)
  }

  static func modelConfig(_ trainer: any LanguageModel) -> JSONValue {
    let c = trainer.model.config
    let mask = Int(trainer.tokenizer.maskID)
    return .object([
      ("architectures", .array([.string("GPT2LMHeadModel")])), ("model_type", .string("gpt2")),
      ("vocab_size", .int(c.vocabSize)), ("n_positions", .int(c.contextLength)), ("n_ctx", .int(c.contextLength)),
      ("n_embd", .int(c.channels)), ("n_layer", .int(c.layers)), ("n_head", .int(c.heads)), ("n_inner", .null),
      ("activation_function", .string("gelu_new")), ("layer_norm_epsilon", .double(1e-5)),
      ("resid_pdrop", .double(0)), ("embd_pdrop", .double(0)), ("attn_pdrop", .double(0)),
      ("initializer_range", .double(0.02)), ("scale_attn_weights", .bool(true)),
      ("scale_attn_by_inverse_layer_idx", .bool(false)), ("reorder_and_upcast_attn", .bool(false)),
      ("tie_word_embeddings", .bool(true)), ("use_cache", .bool(true)),
      ("bos_token_id", .int(startToken(trainer.tokenizer))), ("eos_token_id", .int(endToken(trainer.tokenizer))),
      ("pad_token_id", .int(mask)),
    ])
  }

  /// Greedy by default; the special tokens suppressed, and [MASK] as an end that never comes,
  /// so `generate` runs to its length as `nexttoken generate` does; a fine-tuned model's
  /// end is `<|end|>`, where `nexttoken generate --chat` stops too.
  static func generationConfig(_ trainer: any LanguageModel) -> JSONValue {
    let mask = Int(trainer.tokenizer.maskID)
    return .object([
      ("bos_token_id", .int(startToken(trainer.tokenizer))), ("eos_token_id", .int(endToken(trainer.tokenizer))),
      ("pad_token_id", .int(mask)), ("suppress_tokens", .array(specialTokens(trainer.tokenizer).map { .int($0) })),
    ])
  }

  /// The parameters under transformers' GPT2LMHeadModel names.
  static func weights(_ model: GPT) -> SafetensorsFile {
    var tensors: [String: SafetensorsFile.Tensor] = [:]
    for (name, tensor) in model.parameterTensors() { tensors["transformer." + name] = tensor }
    // transformers reads only files that say which framework wrote them.
    return SafetensorsFile(tensors: tensors, metadata: ["format": "pt"])
  }
}
