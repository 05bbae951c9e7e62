import Curriculum
import Dispatch
import Foundation
import Model
import Synchronization

/// What a training session is doing.
public enum SessionState: Sendable, Equatable {
  /// Not training; the learner steps by hand.
  case paused
  /// Training flat out on the session's queue.
  case running
  /// Stopped because the loss became non-finite or exploded; the weights need a reset.
  case diverged(loss: Float, learningRate: Float)
  /// The data or model could not be set up.
  case failed(String)

  public var isRunning: Bool { self == .running }
}

/// An immutable picture of a session, safe to read from any thread.
public struct SessionSnapshot: Sendable {
  /// The number of optimizer steps taken so far.
  public var step: Int = 0
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
  /// Bumped on every change, so views can tell snapshots apart cheaply.
  public var version: Int = 0
  /// Reference lines for the loss plot, in nats per token.
  public var reference: LossReference
  public var configuration: RunConfiguration
  public var epoch: Int = 0
  /// The run's tokenizer, to show ids as text; nil until the data is loaded.
  public var tokenizer: (any Tokenizer)?

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

/// Trains one model on its own serial queue; everything else reads snapshots.
///
/// Commands are enqueued in the order they are called, so "set the learning rate, then
/// step" happens in that order. While running, the queue trains in slices of a few
/// milliseconds and re-enqueues itself, so commands sent meanwhile are served between
/// slices. Snapshots are published through a `Mutex` a bounded number of times per second,
/// so a UI on the main thread never waits for a step.
public final class TrainingSession: Sendable {
  public let label: String
  private let queue: DispatchQueue
  /// The trainer is touched only on `queue`; the lock is never contended.
  private let trainer: Mutex<Trainer?>
  private let published: Mutex<SessionSnapshot>
  private let control: Mutex<Control>

  private struct Control {
    var isRunning = false
    var lastPublish: Double = 0
    var lastTrace: Double = 0
    var lastSample: Double = 0
    var prompt: String = ""
    var tokensSinceMark = 0
    var markTime: Double = 0
    /// Smoothed seconds of a step without a trace, and the extra seconds a trace took.
    var plainStepTime: Double = 0
    var traceCost: Double = 0
    /// The lockstep this session runs in, and its member number there.
    var lockstep: (gate: Lockstep, member: Int)?
  }

  /// How often a running session records a full trace for the live views, at most.
  ///
  /// Large models space traces further apart, so recording costs about 3% of training.
  public static let traceInterval = 0.25
  /// How often a running session refreshes its sample text.
  public static let sampleInterval = 1.5
  /// How often a running session publishes a snapshot.
  public static let publishInterval = 1.0 / 30
  /// The number of new tokens the live sample continues the prompt by.
  public static let sampleLength = 48

  /// Builds the model and data on the session's queue; `snapshot` reports failures.
  public convenience init(configuration: RunConfiguration, prompt: String = "", label: String = "session", corporaDirectory: URL? = nil) {
    self.init(configuration: configuration, prompt: prompt, label: label, source: .corpus(corporaDirectory))
  }

  /// A session that trains on `text` rather than a corpus file (benchmarks and tests).
  public convenience init(configuration: RunConfiguration, text: String, prompt: String = "", label: String = "session") {
    self.init(configuration: configuration, prompt: prompt, label: label, source: .text(text))
  }

  /// Where the session's training text comes from; kept so `reset()` rebuilds the same run.
  enum DataSource: Sendable {
    case corpus(URL?)
    case text(String)
  }

  private let source: DataSource

  private init(configuration: RunConfiguration, prompt: String, label: String, source: DataSource) {
    self.label = label
    self.source = source
    self.queue = DispatchQueue(label: "nexttoken.training.\(label)", qos: .userInitiated)
    self.trainer = Mutex(nil)
    let reference = LossReference(uniform: 0, unigram: 0, bigram: 0)
    self.published = Mutex(SessionSnapshot(learningRate: configuration.learningRate, reference: reference, configuration: configuration))
    var control = Control()
    control.prompt = prompt
    self.control = Mutex(control)
    queue.async { [self] in
      self.build(configuration: configuration)
    }
  }

  /// The latest published state.
  public var snapshot: SessionSnapshot {
    published.withLock { $0 }
  }

  /// Takes one optimizer step and records its trace (the step-through's "next iteration").
  public func step() {
    queue.async { [self] in
      self.control.withLock { $0.isRunning = false }
      self.withTrainer { trainer in
        if case .diverged = self.snapshot.state { return }
        let result = trainer.step(recordTrace: true)
        self.afterStep(trainer, result: result, force: true)
      }
      self.reportToLockstep()
    }
  }

  /// Starts training flat out until `pause()`.
  public func run() {
    queue.async { [self] in
      if case .diverged = self.snapshot.state { return }
      if case .failed = self.snapshot.state { return }
      let wasRunning = self.control.withLock { control -> Bool in
        let was = control.isRunning
        control.isRunning = true
        control.markTime = Self.now()
        control.tokensSinceMark = 0
        return was
      }
      self.published.withLock { $0.state = .running; $0.version += 1 }
      self.reportToLockstep()
      if !wasRunning { self.runSlice() }
    }
  }

  /// Stops training after the current slice.
  public func pause() {
    queue.async { [self] in
      self.control.withLock { $0.isRunning = false }
      self.published.withLock { snapshot in
        if snapshot.state == .running { snapshot.state = .paused }
        snapshot.version += 1
      }
      self.reportToLockstep()
    }
  }

  /// Runs this session in `gate`: while running it stays within `gate.lead` steps of the others there.
  public func join(_ gate: Lockstep) {
    let member = gate.join { [weak self] in self?.resumeAfterParking() }
    control.withLock { $0.lockstep = (gate, member) }
    queue.async { [self] in self.reportToLockstep() }
  }

  /// Runs when paused, pauses when running.
  public func toggleRunning() {
    if snapshot.state.isRunning { pause() } else { run() }
  }

  /// Sets the base learning rate; takes effect from the next step.
  public func setLearningRate(_ rate: Float) {
    queue.async { [self] in
      self.withTrainer { trainer in
        trainer.baseLearningRate = rate
      }
      self.published.withLock { $0.learningRate = rate; $0.version += 1 }
    }
  }

  /// Rebuilds the model from its seed (with the current learning rate), back to step 0.
  public func reset() {
    queue.async { [self] in
      self.control.withLock { $0.isRunning = false }
      var configuration = self.snapshot.configuration
      configuration.learningRate = self.snapshot.learningRate
      self.trainer.withLock { $0 = nil }
      self.build(configuration: configuration)
      self.reportToLockstep()
    }
  }

  /// Sets the prompt whose continuation the running session refreshes.
  public func setPrompt(_ prompt: String) {
    control.withLock { $0.prompt = prompt }
    queue.async { [self] in self.refreshSample() }
  }

  /// Computes the next-token distribution for a prompt, on the session's queue.
  ///
  /// `completion` runs on the session's queue; the result is a value, so it can be handed
  /// to the main thread. Sampling uses its own generator: it never changes the training run.
  public func predict(tokens: [Int32], completion: @escaping @Sendable (Prediction?) -> Void) {
    queue.async { [self] in
      let prediction = self.withTrainerResult { trainer in trainer.predict(tokens: tokens) }
      completion(prediction ?? nil)
    }
  }

  /// Blocks until every command sent so far has been served (for tests and shutdown).
  public func waitUntilIdle() {
    queue.sync {}
  }

  /// Stops training; the session can be dropped afterwards.
  public func stop() {
    control.withLock { $0.isRunning = false }
    queue.sync { reportToLockstep() }
  }

  // MARK: - On the session's queue

  private func build(configuration: RunConfiguration) {
    let source = self.source
    do {
      // Built inside the lock, so the trainer never belongs to any other region.
      let (reference, tokenizer) = try self.trainer.withLock { slot -> (LossReference, any Tokenizer) in
        let built: Trainer
        switch source {
        case .corpus(let directory): built = try Trainer(configuration: configuration, corporaDirectory: directory)
        case .text(let text): built = try Trainer(configuration: configuration, text: text)
        }
        slot = built
        return (built.reference, built.tokenizer)
      }
      self.published.withLock { snapshot in
        snapshot = SessionSnapshot(
          learningRate: configuration.learningRate, reference: reference, configuration: configuration)
        snapshot.tokenizer = tokenizer
        snapshot.version += 1
      }
      refreshSample()
    } catch {
      self.published.withLock { snapshot in
        snapshot.state = .failed("\(error)")
        snapshot.version += 1
      }
    }
  }

  private func withTrainer(_ body: (Trainer) -> Void) {
    trainer.withLock { trainer in
      if let trainer { body(trainer) }
    }
  }

  private func withTrainerResult<R: Sendable>(_ body: (Trainer) -> R) -> R? {
    trainer.withLock { trainer -> R? in
      guard let trainer else { return nil }
      return body(trainer)
    }
  }

  private static func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
  }

  /// Trains for a few milliseconds, publishes, and re-enqueues itself while running.
  private func runSlice() {
    guard control.withLock({ $0.isRunning }) else { return }
    let sliceEnd = Self.now() + 0.02
    var keepGoing = true
    let lockstep = control.withLock { $0.lockstep }
    withTrainer { trainer in
      repeat {
        if let lockstep, !lockstep.gate.mayStep(lockstep.member, next: trainer.stepCount + 1) {
          // Parked: the member that catches up calls resumeAfterParking().
          keepGoing = false
          break
        }
        let wantTrace = control.withLock { Self.now() - $0.lastTrace >= max(Self.traceInterval, 30 * $0.traceCost) }
        let stepStart = Self.now()
        let result = trainer.step(recordTrace: wantTrace)
        let stepEnd = Self.now()
        control.withLock { control in
          control.tokensSinceMark += trainer.tokensPerStep
          if wantTrace {
            control.lastTrace = stepEnd
            // What recording cost beyond a plain step; traces are spaced so it stays near 3%.
            control.traceCost = max(0, (stepEnd - stepStart) - control.plainStepTime)
          } else {
            control.plainStepTime = 0.9 * control.plainStepTime + 0.1 * (stepEnd - stepStart)
          }
        }
        afterStep(trainer, result: result, force: false)
        if let lockstep {
          lockstep.gate.update(lockstep.member, steps: trainer.stepCount, isRunning: control.withLock { $0.isRunning })
        }
        if !result.isHealthy { keepGoing = false; break }
      } while Self.now() < sliceEnd
    }
    let dueSample = control.withLock { Self.now() - $0.lastSample >= Self.sampleInterval }
    if dueSample { refreshSample() }
    if keepGoing, control.withLock({ $0.isRunning }) {
      queue.async { [self] in self.runSlice() }
    }
  }

  private func afterStep(_ trainer: Trainer, result: StepResult, force: Bool) {
    let now = Self.now()
    var validation: (Int, Float)?
    if trainer.isEvaluationDue { validation = (trainer.stepCount, trainer.evaluate()) }
    let (due, rate) = control.withLock { control -> (Bool, Double) in
      let elapsed = now - control.markTime
      // Speed is only meaningful while running flat out, not while stepping by hand.
      let rate = control.isRunning && elapsed > 0.25 ? Double(control.tokensSinceMark) / elapsed : -1
      if elapsed > 2 { control.markTime = now; control.tokensSinceMark = 0 }
      let due = force || !result.isHealthy || validation != nil || now - control.lastPublish >= Self.publishInterval
      if due { control.lastPublish = now }
      return (due, rate)
    }
    if !result.isHealthy { control.withLock { $0.isRunning = false } }
    published.withLock { snapshot in
      snapshot.losses.append(result.loss)
      snapshot.currentLearningRate = result.learningRate
      snapshot.gradientNorms.append(result.gradientNorm)
      snapshot.step = trainer.stepCount
      snapshot.epoch = trainer.epoch
      if let validation { snapshot.validation.append(validation) }
      if let trace = result.trace { snapshot.trace = trace }
      if rate >= 0 { snapshot.tokensPerSecond = rate }
      if !result.isHealthy {
        snapshot.state = .diverged(loss: result.loss, learningRate: trainer.baseLearningRate)
      } else if !control.withLock({ $0.isRunning }), snapshot.state == .running {
        snapshot.state = .paused
      }
      if due { snapshot.version += 1 }
    }
  }

  /// Tells the lockstep, if any, this session's step count and whether it runs.
  private func reportToLockstep() {
    let (lockstep, isRunning) = control.withLock { ($0.lockstep, $0.isRunning) }
    guard let lockstep else { return }
    let steps = withTrainerResult { $0.stepCount } ?? 0
    lockstep.gate.update(lockstep.member, steps: steps, isRunning: isRunning)
  }

  /// Goes on training after the lockstep parked this session, if it is still meant to run.
  private func resumeAfterParking() {
    queue.async { [self] in
      if self.control.withLock({ $0.isRunning }) { self.runSlice() }
    }
  }

  private func refreshSample() {
    let prompt = control.withLock { control -> String in
      control.lastSample = Self.now()
      return control.prompt
    }
    guard let text = withTrainerResult({ $0.sampleContinuation(prompt: prompt, tokens: Self.sampleLength) }) else { return }
    published.withLock { $0.sample = text; $0.version += 1 }
  }
}
