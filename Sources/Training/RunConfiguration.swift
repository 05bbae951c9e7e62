import Curriculum
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

  public init(
    corpus: String, objective: Objective = .clm, tokenizer: TokenizerKind = .char,
    bpeMerges: Int = 256, layers: Int = 2, heads: Int = 4, dim: Int = 64, context: Int = 64,
    batch: Int = 16, optimizer: OptimizerKind = .adamw, learningRate: Float = 3e-3,
    warmupSteps: Int = 20, seed: UInt64 = 1337
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
  }

  /// Checks the values a user can get wrong, with messages that name the flag.
  public func validate() throws(TrainingError) {
    func require(_ ok: Bool, _ message: String) throws(TrainingError) {
      if !ok { throw TrainingError.invalidConfiguration(message) }
    }
    try require(layers > 0, "--layers must be at least 1 (got \(layers))")
    try require(heads > 0, "--heads must be at least 1 (got \(heads))")
    try require(dim > 0, "--dim must be at least 1 (got \(dim))")
    try require(dim % heads == 0, "--heads (\(heads)) must divide --dim (\(dim))")
    try require(context >= 2, "--context must be at least 2 (got \(context))")
    try require(batch > 0, "--batch must be at least 1 (got \(batch))")
    try require(learningRate.isFinite && learningRate > 0, "--lr must be a positive number (got \(learningRate))")
    try require(warmupSteps >= 0, "--warmup must be 0 or more (got \(warmupSteps))")
    try require(tokenizer != .bpe || bpeMerges >= 0, "--bpe-merges must be 0 or more (got \(bpeMerges))")
  }

  /// The learning rate at a 0-based step, after linear warm-up.
  public func learningRate(atStep step: Int, base: Float) -> Float {
    guard warmupSteps > 0, step < warmupSteps else { return base }
    return base * Float(step + 1) / Float(warmupSteps)
  }
}

/// The optimizers a run can use.
public enum OptimizerKind: String, Sendable, Codable, CaseIterable {
  case adamw, sgd
}

/// A training run that cannot start or continue, with a message for the user.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
  case invalidConfiguration(String)
  case checkpoint(String)
  case data(String)

  public var description: String {
    switch self {
    case .invalidConfiguration(let message), .checkpoint(let message), .data(let message):
      return message
    }
  }
}
