import Curriculum
import Foundation
import Model

/// Everything a checkpoint holds, read and validated without its corpus.
///
/// `Checkpoint.read(from:)` makes one; `model()` rebuilds the network for generating or
/// scoring text, and `Checkpoint.load(from:)` trains on from it (which reads the corpus).
public struct SavedRun: Sendable {
  /// The file it was read from, for messages.
  public let path: String
  /// The run's settings; `learningRate` is the base rate the run had reached.
  public let run: RunConfiguration
  public let config: ModelConfig
  public let tokenizer: any Tokenizer
  /// Optimizer steps taken.
  public let step: Int
  /// Where the training stream stood.
  public let position: BatchPosition
  /// Tokens in the corpus when the checkpoint was written (nil in older files).
  public let corpusTokenCount: Int?
  /// Every parameter in `ParameterLayout` order, finite and within ±`CheckpointError.largestWeight`.
  public let parameters: [Float]
  /// The optimizer's `optim.` tensors by name.
  public let optimizerState: [String: [Float]]
  /// The optimizer's own step count when it differs from `step` (a fine-tuning run goes on
  /// from its base's); nil in files that do not say.
  public var optimizerSteps: Int? = nil

  /// The network with the saved weights, sized for batches of up to `maxBatch` sequences.
  public func model(maxBatch: Int = 1) -> GPT {
    var unused = SeededGenerator(seed: 0)
    let model = GPT(config: config, maxBatch: maxBatch, generator: &unused)
    // The parameter count was checked against this config's layout when reading.
    try? model.load(parameters: parameters)
    return model
  }
}

extension Checkpoint {
  /// Reads and validates a checkpoint: every metadata field, every size (before anything
  /// is allocated), the byte layout and every weight. Does not read the corpus.
  public static func read(from url: URL) throws(CheckpointError) -> SavedRun {
    let file: SafetensorsFile
    do {
      file = try SafetensorsFile.read(from: url)
    } catch {
      throw .file(error)
    }
    return try SavedRun(file: file, path: url.path)
  }

  /// The trained network and its tokenizer, for generating or scoring text without the corpus.
  public static func loadModel(from url: URL) throws(CheckpointError) -> TrainedModel {
    TrainedModel(try read(from: url))
  }
}

extension SavedRun {
  init(file: SafetensorsFile, path: String) throws(CheckpointError) {
    func invalid(_ key: String, _ reason: String) -> CheckpointError { .invalidMetadata(path: path, key: key, reason: reason) }
    func field(_ key: String) throws(CheckpointError) -> String {
      guard let value = file.metadata[key] else { throw .notACheckpoint(path: path, missing: key) }
      return value
    }
    let format = try field("format")
    guard format == Checkpoint.format else { throw .unsupportedFormat(path: path, found: format) }
    func decode<T: Decodable>(_ type: T.Type, _ key: String) throws(CheckpointError) -> T {
      let text = try field(key)
      do {
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
      } catch let error as ModelError {
        throw invalid(key, "is not valid: \(error.message)")
      } catch {
        throw invalid(key, "is not valid JSON for this field")
      }
    }
    func integer(_ key: String, in range: ClosedRange<Int>) throws(CheckpointError) -> Int {
      guard let value = Int(try field(key)), range.contains(value) else {
        throw invalid(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
      }
      return value
    }

    let run = try decode(RunConfiguration.self, "run")
    let step = try integer("step", in: SizeLimits.range(.steps))
    let position: BatchPosition
    do {
      position = try BatchPosition(json: try field("data_position"))
    } catch let error as CheckpointError {
      throw error
    } catch {
      throw invalid("data_position", "is not valid: \(error)")
    }
    // A stream takes at least one batch per epoch, so no run reaches an epoch past its steps.
    guard position.epoch <= step, position.index <= SizeLimits.range(.steps).upperBound else {
      throw invalid("data_position", "is past what \(step) steps can reach (\(position))")
    }
    let corpusTokens = try file.metadata["corpus.tokens"].map { _ throws(CheckpointError) in
      try integer("corpus.tokens", in: 0...(1 << 48))
    }
    guard let kind = TokenizerKind(rawValue: try field("tokenizer")) else {
      throw invalid("tokenizer", "must be char, word or bpe")
    }
    var tokenizer: any Tokenizer
    do {
      tokenizer = try deserializeTokenizer(kind: kind, json: try field("tokenizer.data"))
    } catch let error as CheckpointError {
      throw error
    } catch {
      throw invalid("tokenizer.data", "cannot be read: \(error)")
    }
    guard tokenizer.ordinaryCount >= 1 else { throw invalid("tokenizer.data", "has an empty vocabulary") }
    // A fine-tuned run stores its base tokenizer; the role tokens follow it.
    if run.objective == .sft { tokenizer = ChatTokenizer(base: tokenizer) }
    let optimizerSteps = try file.metadata["optimizer.steps"].map { _ throws(CheckpointError) in
      try integer("optimizer.steps", in: SizeLimits.range(.steps))
    }
    // Sizes first, memory estimate included, before the config allocates anything.
    do {
      try run.validate(vocabulary: tokenizer.vocabSize)
    } catch {
      if case .size(let size) = error { throw .size(path: path, size) }
      throw invalid("run", "is not valid: \(error)")
    }
    let config = try decode(ModelConfig.self, "config")
    let expected = try? run.modelConfig(vocabulary: tokenizer.vocabSize)
    guard config == expected, run.tokenizer == kind else {
      throw invalid("config", "does not match the run and its tokenizer (vocabulary \(tokenizer.vocabSize))")
    }
    let layout = ParameterLayout(config: config)
    var parameters: [Float] = []
    parameters.reserveCapacity(layout.totalCount)
    for spec in layout.tensors {
      parameters += try Self.values(spec.name, shape: spec.shape, in: file, path: path, largest: CheckpointError.largestWeight)
    }
    var state: [String: [Float]] = [:]
    for name in file.tensors.keys where name.hasPrefix("optim.") {
      let parameter = String(name.split(separator: ".", maxSplits: 2).last ?? "")
      guard let spec = layout[parameter] else { throw .tensor(path: path, name: name, reason: "is not the state of any parameter") }
      state[name] = try Self.values(name, shape: spec.shape, in: file, path: path, largest: .greatestFiniteMagnitude)
      if name.hasPrefix("optim.v."), let index = state[name]?.firstIndex(where: { $0 < 0 }) {
        throw .badValue(path: path, tensor: name, index: index, value: state[name]![index])
      }
    }
    self.init(
      path: path, run: run, config: config, tokenizer: tokenizer, step: step, position: position,
      corpusTokenCount: corpusTokens, parameters: parameters, optimizerState: state, optimizerSteps: optimizerSteps)
  }

  /// A tensor's F32 values after checking its shape and that each is finite and within ±`largest`.
  static func values(
    _ name: String, shape: [Int], in file: SafetensorsFile, path: String, largest: Float
  ) throws(CheckpointError) -> [Float] {
    guard let tensor = file.tensors[name] else { throw .tensor(path: path, name: name, reason: "is missing") }
    guard tensor.shape == shape else {
      throw .tensor(path: path, name: name, reason: "has shape \(tensor.shape), expected \(shape) for this model")
    }
    guard case .f32(let values) = tensor.values else {
      throw .tensor(path: path, name: name, reason: "has dtype \(tensor.values.dtype.rawValue), expected F32")
    }
    if let index = values.firstIndex(where: { !$0.isFinite || abs($0) > largest }) {
      throw .badValue(path: path, tensor: name, index: index, value: values[index])
    }
    return values
  }
}
