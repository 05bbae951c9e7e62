import Curriculum
import Foundation
import Model

/// Everything that defines a training run: data, tokenizer, model size, optimizer and seed.
///
/// Two runs with equal configurations produce the same losses, step for step, whether
/// they are driven headless, stepped in the UI, or resumed from a checkpoint.
public struct RunConfiguration: Sendable, Codable, Equatable {
  /// The corpus: a path, or the name of a bundled corpus under `Corpora/`.
  public var corpus: String
  public var objective: Objective
  public var tokenizer: TokenizerKind
  /// BPE merges to learn when `tokenizer` is `.bpe`.
  public var bpeMerges: Int
  public var layers: Int
  public var heads: Int
  public var dim: Int
  public var context: Int
  public var batch: Int
  public var optimizer: OptimizerKind
  public var learningRate: Float
  /// Steps over which the learning rate rises linearly from lr/warmup to lr.
  public var warmupSteps: Int
  public var seed: UInt64
  /// SFT: whether the template and the prompt carry no loss (`--mask-prompt false` labels every next token).
  public var maskPrompt: Bool
  /// SFT: the model to pre-train first when no base checkpoint is given (a lesson's base).
  public var base: BaseRun?

  public init(
    corpus: String, objective: Objective = .clm, tokenizer: TokenizerKind = .char,
    bpeMerges: Int = 256, layers: Int = 2, heads: Int = 4, dim: Int = 64, context: Int = 64,
    batch: Int = 16, optimizer: OptimizerKind = .adamw, learningRate: Float = 3e-3,
    warmupSteps: Int = 20, seed: UInt64 = 1337, maskPrompt: Bool = true, base: BaseRun? = nil
  ) {
    self.corpus = corpus
    self.objective = objective
    self.tokenizer = tokenizer
    self.bpeMerges = bpeMerges
    self.layers = layers
    self.heads = heads
    self.dim = dim
    self.context = context
    self.batch = batch
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.warmupSteps = warmupSteps
    self.seed = seed
    self.maskPrompt = maskPrompt
    self.base = base
  }

  private enum CodingKeys: String, CodingKey {
    case corpus, objective, tokenizer, bpeMerges, layers, heads, dim, context, batch, optimizer, learningRate
    case warmupSteps, seed, maskPrompt, base
  }

  /// Reads a run; files written before fine-tuning existed have no `maskPrompt` or `base`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      corpus: try c.decode(String.self, forKey: .corpus), objective: try c.decode(Objective.self, forKey: .objective),
      tokenizer: try c.decode(TokenizerKind.self, forKey: .tokenizer), bpeMerges: try c.decode(Int.self, forKey: .bpeMerges),
      layers: try c.decode(Int.self, forKey: .layers), heads: try c.decode(Int.self, forKey: .heads),
      dim: try c.decode(Int.self, forKey: .dim), context: try c.decode(Int.self, forKey: .context),
      batch: try c.decode(Int.self, forKey: .batch), optimizer: try c.decode(OptimizerKind.self, forKey: .optimizer),
      learningRate: try c.decode(Float.self, forKey: .learningRate), warmupSteps: try c.decode(Int.self, forKey: .warmupSteps),
      seed: try c.decode(UInt64.self, forKey: .seed), maskPrompt: try c.decodeIfPresent(Bool.self, forKey: .maskPrompt) ?? true,
      base: try c.decodeIfPresent(BaseRun.self, forKey: .base))
  }

  /// Writes a run; CLM and MLM runs without the SFT fields, so their files are as before.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(corpus, forKey: .corpus)
    try c.encode(objective, forKey: .objective)
    try c.encode(tokenizer, forKey: .tokenizer)
    try c.encode(bpeMerges, forKey: .bpeMerges)
    try c.encode(layers, forKey: .layers)
    try c.encode(heads, forKey: .heads)
    try c.encode(dim, forKey: .dim)
    try c.encode(context, forKey: .context)
    try c.encode(batch, forKey: .batch)
    try c.encode(optimizer, forKey: .optimizer)
    try c.encode(learningRate, forKey: .learningRate)
    try c.encode(warmupSteps, forKey: .warmupSteps)
    try c.encode(seed, forKey: .seed)
    if objective == .sft {
      try c.encode(maskPrompt, forKey: .maskPrompt)
      try c.encodeIfPresent(base, forKey: .base)
    }
  }

  /// The CLM run that pre-trains `base`: this run's model, tokenizer and seed on the base's corpus.
  public var baseConfiguration: RunConfiguration? {
    guard let base else { return nil }
    var run = self
    run.corpus = base.corpus
    run.objective = .clm
    run.base = nil
    run.maskPrompt = true
    run.learningRate = base.learningRate ?? learningRate
    return run
  }

  /// Checks every value against `SizeLimits` and the memory the model would need;
  /// `vocabulary` is given once the corpus has been tokenised.
  public func validate(vocabulary: Int? = nil) throws(TrainingError) {
    do {
      try SizeLimits.checkRun(layers: layers, heads: heads, dim: dim, context: context, batch: batch, vocabulary: vocabulary)
      if tokenizer == .bpe { try SizeLimits.check(.merges, bpeMerges) }
    } catch {
      throw .size(error)
    }
    guard learningRate.isFinite, learningRate > 0 else { throw .learningRate(learningRate) }
    guard SizeLimits.range(.steps).contains(warmupSteps) else { throw .warmup(warmupSteps) }
  }

  /// The learning rate at a 0-based step, after linear warm-up.
  public func learningRate(atStep step: Int, base: Float) -> Float {
    guard warmupSteps > 0, step < warmupSteps else { return base }
    return base * Float(step + 1) / Float(warmupSteps)
  }
}

/// A base model a fine-tuning run pre-trains first: CLM on `corpus` for `steps` steps.
public struct BaseRun: Sendable, Codable, Equatable {
  public var corpus: String
  public var steps: Int
  /// The base's learning rate (nil: the fine-tuning run's).
  public var learningRate: Float?

  public init(corpus: String, steps: Int, learningRate: Float? = nil) {
    self.corpus = corpus
    self.steps = steps
    self.learningRate = learningRate
  }
}

/// The optimizers a run can use.
public enum OptimizerKind: String, Sendable, Codable, CaseIterable {
  case adamw, sgd
}

/// A training run that cannot start or continue.
///
/// Cases name settings, not flags: the command line maps them to its flags
/// (`message(naming:)`), a lesson to its keys.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
  /// A size out of bounds, heads that do not divide the width, or too much memory.
  case size(SizeError)
  /// The learning rate is not a positive number.
  case learningRate(Float)
  /// The warm-up is negative or beyond any run's steps.
  case warmup(Int)
  /// A checkpoint that cannot be read or resumed.
  case checkpoint(CheckpointError)
  /// The corpus cannot be read, is too short for the context, or its loading was stopped.
  case corpus(CorpusError)
  /// A base that cannot be fine-tuned (its objective, its vocabulary), or whose pre-training diverged.
  case fineTune(FineTuneError)

  /// The message, with each setting named by `name` (e.g. "--lr" for `.learningRate`).
  public func message(naming name: (RunSetting) -> String) -> String {
    switch self {
    case .size(let error): error.message { name(.size($0)) }
    case .learningRate(let value): "\(name(.learningRate)) must be a positive number (got \(value))"
    case .warmup(let value): "\(name(.warmup)) must be from 0 to \(SizeLimits.range(.steps).upperBound) (got \(value))"
    case .checkpoint(let error): error.description
    case .corpus(let error): error.description
    case .fineTune(let error): error.description
    }
  }

  public var description: String { message(naming: \.name) }
}

/// A setting of a run, as errors name it.
public enum RunSetting: Equatable, Sendable {
  case size(SizeSetting)
  case learningRate
  case warmup

  /// The plain name ("layers", "learning rate").
  public var name: String {
    switch self {
    case .size(let setting): setting.rawValue
    case .learningRate: "learning rate"
    case .warmup: "warmup"
    }
  }
}

extension RunConfiguration {
  /// The file a corpus setting names: a path as given (`~/` is the home folder, as in a
  /// shell; a bare name in the current folder wins), or a bundled corpus under `Corpora/`.
  public static func corpusPath(_ nameOrPath: String, corporaDirectory: URL? = nil) throws(CorpusError) -> String {
    if nameOrPath == "~" || nameOrPath.hasPrefix("~/") {
      let home = ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
      return home + nameOrPath.dropFirst()
    }
    let isPath = nameOrPath.contains("/") || FileManager.default.fileExists(atPath: nameOrPath)
    if isPath { return nameOrPath }
    if let corporaDirectory { return Corpus.resolve(name: nameOrPath, in: corporaDirectory) }
    return Corpus.resolve(name: nameOrPath, in: try Corpus.defaultDirectory())
  }

  /// The model these settings build for a vocabulary of `vocabulary` tokens.
  public func modelConfig(vocabulary: Int) throws(TrainingError) -> ModelConfig {
    try validate(vocabulary: vocabulary)
    do {
      return try ModelConfig(vocabSize: vocabulary, contextLength: context, channels: dim, layers: layers, heads: heads)
    } catch {
      // Unreachable: validate(vocabulary:) checks every bound ModelConfig checks.
      throw .size(.outOfRange(.vocabulary, value: vocabulary, range: SizeLimits.range(.vocabulary)))
    }
  }
}
