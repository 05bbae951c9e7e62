import Curriculum

/// What a training session is doing.
public enum SessionState: Sendable, Equatable {
  /// Not training; the learner steps by hand.
  case paused
  /// Training flat out on the session's queue.
  case running
  /// Stopped because the loss became non-finite or exploded; the weights need a reset.
  case diverged(loss: Float, learningRate: Float)
  /// The data or model could not be set up; the error's `description` is the line a learner reads.
  case failed(TrainingError)

  public var isRunning: Bool { self == .running }
}

/// A picture of a session at one moment, safe to read from any thread.
///
/// A value, not a view into the session: the session fills its fields in under its lock and
/// hands out copies, so a reader's copy never changes under it and changing a copy changes
/// nothing else. The fields are `var` so the session (and tests building snapshots by hand)
/// can fill them in one by one; no one else writes them.
public struct SessionSnapshot: Sendable {
  /// The number of optimizer steps taken so far.
  public var step: Int = 0
  /// The step the run started from: 0, or a checkpoint's step (`losses[0]` is the step after it).
  public var firstStep: Int = 0
  public var state: SessionState = .paused
  /// Training loss of every step, index 0 = step 1.
  public var losses: [Float] = []
  /// Validation losses with the step they were measured after.
  public var validation: [(step: Int, loss: Float)] = []
  /// Total gradient norm of every step, index 0 = step 1.
  public var gradientNorms: [Float] = []
  public var tokensPerSecond: Double = 0
  /// The base learning rate (before warm-up).
  public var learningRate: Float = 0
  /// The learning rate the last step used: below the base rate during warm-up.
  public var currentLearningRate: Float?
  /// The latest recorded iteration, if any.
  public var trace: StepTrace?
  /// The model's continuation of the session's prompt, refreshed while running.
  public var sample: String = ""
  /// A fine-tuning lesson pre-training its base before the run starts, and how far it is.
  public var preparingBase: BaseProgress?
  /// Reading and tokenizing the corpus before the model is built, and how far it is.
  public var preparingCorpus: CorpusProgress?
  /// What fine-tuning did to the base's vocabulary (SFT runs from a base).
  public var fineTuneReport: String?
  /// Bumped on every change, so views can tell snapshots apart cheaply.
  public var version: Int = 0
  /// Reference lines for the loss plot, in nats per token.
  public var reference: LossReference
  public var configuration: RunConfiguration
  public var epoch: Int = 0
  /// The run's tokenizer, to show ids as text; nil until the data is loaded.
  public var tokenizer: (any Tokenizer)?
  /// How fast the session steps while running.
  public var pace: Pace = .max
  /// The milestones this run has reached, in the order it reached them.
  public var milestones: [Milestone] = []
  /// The milestone the run paused by itself at (a lesson's `pause_at`); cleared when it goes on.
  public var pausedAt: Milestone?
  /// The learning rate as the learner changed it during the run (+/-), with the step it followed.
  public var learningRateChanges: [LearningRateChange] = []
  /// Traces of log-spaced steps and the newest, for paging back through the run.
  public var history = TraceHistory()
  /// The curves of the run before the last restart, drawn dimmed behind this one.
  public var previousRun: PreviousRun?

  public init(learningRate: Float, reference: LossReference, configuration: RunConfiguration) {
    self.learningRate = learningRate
    self.reference = reference
    self.configuration = configuration
  }
}

/// The losses a learner compares the training loss with.
public struct LossReference: Sendable, Equatable {
  /// ln V: the loss of a uniform guess.
  public var uniform: Float
  /// Entropy of the corpus's token frequencies (a model that ignores context).
  public var unigram: Float
  /// Conditional entropy of the next token given the previous one.
  public var bigram: Float

  public init(uniform: Float, unigram: Float, bigram: Float) {
    self.uniform = uniform
    self.unigram = unigram
    self.bigram = bigram
  }
}

/// A learning rate the learner set during a run.
public struct LearningRateChange: Sendable, Equatable {
  /// The step it was set after: it applies from the next one.
  public let step: Int
  public let rate: Float

  public init(step: Int, rate: Float) {
    self.step = step
    self.rate = rate
  }
}

/// What is left of a run after a restart: its curves and what it was trained with.
public struct PreviousRun: Sendable {
  public let losses: [Float]
  public let validation: [(step: Int, loss: Float)]
  public let milestones: [Milestone]
  /// The base learning rate it started with.
  public let learningRate: Float
  /// The changes the learner made during it.
  public let learningRateChanges: [LearningRateChange]

  public init(losses: [Float], validation: [(step: Int, loss: Float)], milestones: [Milestone], learningRate: Float, learningRateChanges: [LearningRateChange]) {
    self.losses = losses
    self.validation = validation
    self.milestones = milestones
    self.learningRate = learningRate
    self.learningRateChanges = learningRateChanges
  }

  /// Every learning rate the run used, in order, each once in a row: `[0.003, 0.006]`.
  public var learningRates: [Float] {
    var rates = [learningRate]
    for change in learningRateChanges where change.rate != rates.last { rates.append(change.rate) }
    return rates
  }
}
