import Curriculum
import Foundation
import Model
import Testing
@testable import Training

/// `HuggingFaceExport`: the folder's files, and the exported tokenizer's ids, checked without Python.
@Suite struct ExportTests {
  static let page = """
    The quick brown fox jumps over the lazy dog. The dog's bowl is blue; it isn't full.
    敏捷的棕色狐狸跳过了那只懒狗。我每天早上都喝茶，猫在暖和的窗台上睡觉。
    Emoji: 🦊🐶 👩‍💻 👍🏽 🇨🇭 — and symbols outside the vocabulary: ☃ Ω ∑ ß Ж ק.
    Combining marks: e\u{301} a\u{308} cafe\u{301}; tabs\tand  double  spaces,\r\nCRLF lines,\n\n\n\
      leading spaces, numbers 1,234.5 and ١٢٣, under_scores, it’s, rock 'n' roll, 'quoted'.
    日本語のかなカナ、한국어 텍스트, ภาษาไทย, Ελληνικά. Tab\tend \n
    """

  static let corpus = """
    The quick brown fox jumps over the lazy dog. The dog's bowl is blue.
    敏捷的棕色狐狸跳过了那只懒狗。
    It isn't full; the cat sat on the mat, 123 times!
    """

  func trainer(_ kind: TokenizerKind, objective: Objective = .clm) throws -> Trainer {
    let text = String(repeating: Self.corpus + "\n", count: 20)
    let configuration = RunConfiguration(
      corpus: "export.txt", objective: objective, tokenizer: kind, bpeMerges: 60, layers: 1, heads: 2, dim: 8,
      context: 8, batch: 2, optimizer: .adamw, learningRate: 1e-2, warmupSteps: 0, seed: 3)
    return try Trainer(configuration: configuration, text: text, evaluationInterval: 0)
  }

  func json(_ url: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  @Test func writesTheSixFilesTransformersReads() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let trainer = try trainer(.word)
    let folder = scratch.file("model")
    try HuggingFaceExport.export(trainer, to: folder, replacing: false)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(names == HuggingFaceExport.fileNames)

    let config = try json(folder.appendingPathComponent("config.json"))
    let c = trainer.model.config
    #expect(config["model_type"] as? String == "gpt2")
    #expect(config["architectures"] as? [String] == ["GPT2LMHeadModel"])
    #expect(config["vocab_size"] as? Int == c.vocabSize)
    #expect(config["n_positions"] as? Int == c.contextLength)
    #expect(config["n_embd"] as? Int == c.channels)
    #expect(config["n_layer"] as? Int == c.layers)
    #expect(config["n_head"] as? Int == c.heads)
    #expect(config["activation_function"] as? String == "gelu_new")
    #expect(config["layer_norm_epsilon"] as? Double == 1e-5)
    #expect(config["tie_word_embeddings"] as? Bool == true)
    for dropout in ["resid_pdrop", "embd_pdrop", "attn_pdrop"] { #expect(config[dropout] as? Double == 0) }
    // bos is the "\n" NextToken's generate starts from; eos and pad are [MASK], which no text holds.
    #expect(config["bos_token_id"] as? Int == Int(trainer.tokenizer.encode("\n")[0]))
    #expect(config["eos_token_id"] as? Int == Int(trainer.tokenizer.maskID))

    let generation = try json(folder.appendingPathComponent("generation_config.json"))
    #expect(generation["suppress_tokens"] as? [Int] == [Int(trainer.tokenizer.unknownID!), Int(trainer.tokenizer.maskID)])

    let weights = try SafetensorsFile.read(from: folder.appendingPathComponent("model.safetensors"))
    #expect(weights.metadata["format"] == "pt")
    let expected = trainer.model.parameterTensors()
    #expect(weights.tensors.count == expected.count)
    for (name, tensor) in expected { #expect(weights.tensors["transformer." + name] == tensor, "\(name)") }

    let tokenizerConfig = try json(folder.appendingPathComponent("tokenizer_config.json"))
    #expect(tokenizerConfig["tokenizer_class"] as? String == "PreTrainedTokenizerFast")
    #expect(tokenizerConfig["clean_up_tokenization_spaces"] as? Bool == false)
    #expect(tokenizerConfig["unk_token"] as? String == "[UNK]")
    let map = try json(folder.appendingPathComponent("special_tokens_map.json"))
    #expect(map["eos_token"] as? String == "[MASK]")
  }

  @Test func refusesToOverwriteAndLeavesNothingHalfWritten() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let trainer = try trainer(.char)
    let folder = scratch.file("model")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    try "mine".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    #expect(throws: HuggingFaceExport.ExportError("\(folder.path) is not empty; choose a new folder, or add --force to replace it")) {
      try HuggingFaceExport.export(trainer, to: folder, replacing: false)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["notes.txt"])
    try HuggingFaceExport.export(trainer, to: folder, replacing: true)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == HuggingFaceExport.fileNames)
    // No staging or moved-aside folder is left beside it.
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path) == ["model"])

    let file = scratch.file("file.txt")
    try "x".write(to: file, atomically: true, encoding: .utf8)
    #expect(throws: HuggingFaceExport.ExportError("\(file.path) is a file; expected a folder to write the model into")) {
      try HuggingFaceExport.export(trainer, to: file, replacing: true)
    }
    let missing = scratch.file("no/such/model")
    #expect(throws: HuggingFaceExport.ExportError.self) { try HuggingFaceExport.export(trainer, to: missing, replacing: false) }
    #expect(throws: HuggingFaceExport.ExportError.self) {
      try HuggingFaceExport.export(try self.trainer(.char, objective: .mlm), to: scratch.file("mlm"), replacing: false)
    }
    #expect(!FileManager.default.fileExists(atPath: scratch.file("mlm").path))
  }

  @Test func neverReplacesTheFolderHoldingItsInputAndWritesThroughALink() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let trainer = try trainer(.char)
    let folder = scratch.file("f1")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
    let input = folder.appendingPathComponent("sub/model.st")
    try Data("weights".utf8).write(to: input)
    #expect(throws: HuggingFaceExport.ExportError("\(folder.path) holds the checkpoint being exported (\(input.path)); choose a new folder")) {
      try HuggingFaceExport.export(trainer, to: folder, replacing: true, input: input)
    }
    #expect(try Data(contentsOf: input) == Data("weights".utf8))

    // A link to an empty folder stays a link; the folder gets the files and keeps its mode.
    let target = scratch.file("target")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
    chmod(target.path, 0o750)
    let link = scratch.file("lnk")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "target")
    for replacing in [false, true] {
      try HuggingFaceExport.export(trainer, to: URL(fileURLWithPath: link.path + "/"), replacing: replacing, input: input)
      #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "target")
      #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted() == HuggingFaceExport.fileNames)
      var info = stat()
      #expect(stat(target.path, &info) == 0 && info.st_mode & 0o777 == 0o750)
    }
    let dangling = scratch.file("dangling")
    try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: "nowhere")
    #expect(throws: HuggingFaceExport.ExportError("\(dangling.path) is a symlink to nowhere, which does not exist; create that folder or choose another")) {
      try HuggingFaceExport.export(trainer, to: dangling, replacing: true)
    }
    #expect(Set(try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path)) == ["f1", "target", "lnk", "dangling"])
  }

  @Test func forceNeverEmptiesAFolderTheUserCouldNotEmpty() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let locked = scratch.file("model/locked")
    try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: locked.appendingPathComponent("notes.txt"))
    #expect(HuggingFaceExport.firstUndeletable(in: scratch.file("model").path) == nil)
    chmod(locked.path, 0o555)
    defer { chmod(locked.path, 0o755) }
    // Root may delete anything, as rm -rf may; an ordinary user may not (the end-to-end test runs as one).
    if geteuid() != 0 {
      #expect(HuggingFaceExport.firstUndeletable(in: scratch.file("model").path) == locked.path)
      #expect(throws: HuggingFaceExport.ExportError.self) { try HuggingFaceExport.export(try self.trainer(.char), to: scratch.file("model"), replacing: true) }
      #expect(FileManager.default.fileExists(atPath: locked.appendingPathComponent("notes.txt").path))
    }
  }

  @Test(arguments: TokenizerKind.allCases)
  func exportedTokenizerCutsTextIntoNextTokensIds(kind: TokenizerKind) throws {
    let trainer = try trainer(kind)
    let files = HuggingFaceTokenizer(trainer.tokenizer, contextLength: 8)
    #expect(files.caveats.isEmpty)
    let document = try #require(try JSONSerialization.jsonObject(with: files.tokenizerJSON) as? [String: Any])
    let emulated = try TokenizerEmulation(document)
    for text in [Self.page, Self.corpus, "", " ", "\n\n  x"] {
      let expected = trainer.tokenizer.encode(text).map(Int.init)
      #expect(try emulated.encode(text) == expected, "\(kind): \(text.debugDescription)")
    }
    #expect(trainer.tokenizer.encode(Self.page).contains { $0 == trainer.tokenizer.unknownID } == (kind != .bpe))
  }
}

extension ExportTests {
  @Test func bpeTokensWithTheSameBytesAreNamedAsACaveat() throws {
    // 256 = "ab", 257 = "ab"+"c", 258 = "bc", 259 = "a"+"bc": two tokens for the bytes "abc".
    let bpe = try BPETokenizer.deserialize(json: #"{"kind":"bpe","merges":[[97,98],[256,99],[98,99],[97,258]]}"#)
    let files = HuggingFaceTokenizer(bpe, contextLength: 8)
    #expect(files.caveats == ["bpe tokens 257 and 259 are the same bytes abc; the exported tokenizer gives 257 for both"])
    let document = try #require(try JSONSerialization.jsonObject(with: files.tokenizerJSON) as? [String: Any])
    let vocabulary = try #require((document["model"] as? [String: Any])?["vocab"] as? [String: Int])
    #expect(vocabulary.count == bpe.vocabSize - 1)
    #expect(vocabulary["abc"] == 257)
  }
}

/// What the `tokenizers` library does with the exported tokenizer.json, for the kinds exported.
///
/// The Split expression runs under ICU (Foundation's regular expressions) instead of
/// Oniguruma; ICU has no `\y`, so a grapheme boundary after a space is written as "not
/// followed by a grapheme extender". The ids then come from the file's own vocabulary and merges.
struct TokenizerEmulation {
  let pattern: NSRegularExpression
  let vocabulary: [String: Int]
  let unknown: Int?
  let merges: [String: Int]?

  init(_ document: [String: Any]) throws {
    let model = try #require(document["model"] as? [String: Any])
    var preTokenizer = try #require(document["pre_tokenizer"] as? [String: Any])
    if let steps = preTokenizer["pretokenizers"] as? [[String: Any]] { preTokenizer = steps[0] }
    let regex = try #require((preTokenizer["pattern"] as? [String: String])?["Regex"])
    let icu = regex.replacingOccurrences(
      of: #"\y"#,
      with: #"(?![\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=SpacingMark}\p{Grapheme_Cluster_Break=ZWJ}])"#)
    pattern = try NSRegularExpression(pattern: icu)
    let vocabulary = try #require(model["vocab"] as? [String: Int])
    self.vocabulary = vocabulary
    unknown = (model["unk_token"] as? String).flatMap { vocabulary[$0] }
    merges = (model["merges"] as? [String]).map { list in
      Dictionary(uniqueKeysWithValues: list.enumerated().map { ($1, $0) })
    }
  }

  func encode(_ text: String) throws -> [Int] {
    let ns = text as NSString
    let pieces = pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
    #expect(pieces.joined() == text, "the split covers the text")
    guard let merges else { return pieces.map { vocabulary[$0] ?? unknown ?? -1 } }
    var ids: [Int] = []
    for piece in pieces {
      var word = Array(piece.utf8).map { String(HuggingFaceTokenizer.byteCharacters[Int($0)]) }
      while word.count > 1 {
        let ranked = (0..<(word.count - 1)).compactMap { i in merges[word[i] + " " + word[i + 1]].map { (rank: $0, at: i) } }
        guard let best = ranked.min(by: { $0.rank < $1.rank }) else { break }
        word.replaceSubrange(best.at...(best.at + 1), with: [word[best.at] + word[best.at + 1]])
      }
      ids += try word.map { try #require(vocabulary[$0]) }
    }
    return ids
  }
}
