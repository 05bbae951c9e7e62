import Curriculum
import Dispatch
import Foundation
import Model

/// Trains one model on its own serial queue; everything else reads snapshots.
///
/// Commands are enqueued in the order they are called, so "set the learning rate, then
/// step" happens in that order. While running, the queue trains in slices of a few
/// milliseconds and re-enqueues itself, so commands sent meanwhile are served between
/// slices. Snapshots are published through a lock a bounded number of times per second,
/// so a UI on the main thread never waits for a step. A paced run steps when its `Pacer`
/// says a step is due by the session's clock, and waits on the queue in between.
public final class TrainingSession: Sendable {
  public let label: String
  let queue: SessionQueue
  /// The trainer is touched only on `queue`; the lock is never contended.
  let trainer: Locked<Trainer?>
  let published: Locked<SessionSnapshot>
  let control: Locked<Control>
  /// The time in seconds that paces the run; injected by tests, so they need no sleeps.
  private let clock: @Sendable () -> Double

  struct Control {
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
    var pacer = Pacer()
    /// Milestones and pauses of the current run; nil until the data is loaded.
    var watch: RunWatch?
    var pauseAt: Set<MilestoneKind> = []
    /// Bumped whenever a run starts or restarts: a slice of an older run ends itself, so a
    /// slice still waiting for its pace never runs beside a newer one.
    var generation = 0
    /// True from the start until the model and data are built (reading and tokenizing the corpus).
    var isBuilding = true
    /// Set by `stop()`: a build still reading or tokenizing gives up at its next progress report.
    var isStopped = false

    /// Whether validation is measured after `step`: the run's own rule, or the static one before its data is loaded.
    func measuresValidation(after step: Int, interval: Int, dense: Bool) -> Bool {
      watch?.measuresValidation(after: step, interval: interval, dense: dense)
        ?? RunWatch.measuresValidation(after: step, interval: interval, dense: dense)
    }
  }

  /// How often a running session records a full trace for the live views, at most.
  ///
  /// Large models space traces further apart, so recording costs about 1% of training
  /// (`traceSpacing` times what a trace costs beyond a plain step). At 3% (30 times) the
  /// UI-overhead bench lost 4–11% with the UI open; at 1%, 1–6%.
  public static let traceInterval = 0.25
  static let traceSpacing = 100.0
  /// How often a running session refreshes its sample text.
  public static let sampleInterval = 1.5
  /// How often a running session publishes a snapshot.
  public static let publishInterval = 1.0 / 30
  /// The number of new tokens the live sample continues the prompt by.
  public static let sampleLength = 48

  /// A session paced by `clock` instead of the system's uptime, its commands on `queue` (tests).
  package convenience init(
    configuration: RunConfiguration, corporaDirectory: URL? = nil, clock: @escaping @Sendable () -> Double, queue: SessionQueue? = nil
  ) {
    self.init(configuration: configuration, prompt: "", label: "session", source: .corpus(corporaDirectory, bases: nil), clock: clock, queue: queue)
  }

  /// Where the session's training text comes from; kept so `reset()` rebuilds the same run.
  enum DataSource: Sendable {
    /// A corpus (from the corpora folder, if given); a fine-tuning run whose base is pre-trained
    /// first keeps that base in `bases` (nil: it is pre-trained again on every build).
    case corpus(URL?, bases: URL?)
    case text(String)
    /// A checkpoint, which reads its corpus again to train on (from the corpora folder, if given).
    case checkpoint(URL, corporaDirectory: URL?)
  }

  private let source: DataSource

  init(
    configuration: RunConfiguration, prompt: String, label: String, source: DataSource,
    clock: @escaping @Sendable () -> Double = TrainingSession.now, queue: SessionQueue? = nil
  ) {
    self.label = label
    self.source = source
    self.clock = clock
    self.queue = queue ?? SessionQueue(label: "nexttoken.training.\(label)")
    self.trainer = Locked(nil)
    let reference = LossReference(uniform: 0, unigram: 0, bigram: 0)
    self.published = Locked(SessionSnapshot(learningRate: configuration.learningRate, reference: reference, configuration: configuration))
    var control = Control()
    control.prompt = prompt
    self.control = Locked(control)
    self.queue.async { [self] in
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
      self.published.withLock { $0.pausedAt = nil }
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
      let generation = self.control.withLock { control -> Int? in
        let wasRunning = control.isRunning
        control.isRunning = true
        control.markTime = Self.now()
        control.tokensSinceMark = 0
        guard !wasRunning else { return nil }
        control.generation += 1
        control.pacer.start()
        return control.generation
      }
      self.published.withLock { $0.state = .running; $0.pausedAt = nil; $0.version += 1 }
      self.reportToLockstep()
      if let generation { self.runSlice(generation) }
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

  /// Sets the base learning rate; takes effect from the next step, and is noted in the run.
  public func setLearningRate(_ rate: Float) {
    queue.async { [self] in
      self.withTrainer { trainer in
        trainer.baseLearningRate = rate
      }
      self.published.withLock { snapshot in
        // Before the first step it is simply the rate the run starts with.
        if snapshot.step > 0 { snapshot.learningRateChanges.append(LearningRateChange(step: snapshot.step, rate: rate)) }
        snapshot.learningRate = rate
        snapshot.version += 1
      }
    }
  }

  /// Sets how fast the session steps while running; takes effect at once.
  public func setPace(_ pace: Pace) {
    control.withLock { $0.pacer.setPace(pace) }
    published.withLock { $0.pace = pace; $0.version += 1 }
  }

  /// Sets the milestones at which a running session pauses by itself.
  public func setPauseAt(_ milestones: Set<MilestoneKind>) {
    control.withLock { control in
      control.pauseAt = milestones
      control.watch?.pauseAt = milestones
    }
  }

  /// Starts the run again from step 0 with its seed and the current learning rate.
  ///
  /// The run so far, if it took a step, becomes `previousRun`: its curves stay on the plot.
  public func reset() {
    queue.async { [self] in
      self.control.withLock { control in
        control.isRunning = false
        control.generation += 1
      }
      var configuration = self.snapshot.configuration
      configuration.learningRate = self.snapshot.learningRate
      self.published.withLock { snapshot in
        guard snapshot.step > 0 else { return }
        // A rate set at step s applies from step s + 1: one set after the last step (after a
        // divergence, say, as its box suggests) never trained this run, and starts the next.
        let applied = snapshot.learningRateChanges.filter { $0.step < snapshot.step }
        snapshot.previousRun = PreviousRun(
          losses: snapshot.losses, validation: snapshot.validation, milestones: snapshot.milestones,
          learningRate: snapshot.configuration.learningRate, learningRateChanges: applied)
      }
      self.trainer.withLock { $0 = nil }
      self.build(configuration: configuration)
      self.reportToLockstep()
    }
  }

  /// Blocks until every command sent so far has been served (for tests and shutdown).
  public func waitUntilIdle() {
    queue.sync {}
  }

  /// Stops training; the session can be dropped afterwards.
  ///
  /// A session still reading or tokenizing its corpus is not waited for: the build gives up
  /// at its next progress report, so leaving a lesson (or the app) mid-load is immediate.
  public func stop() {
    let isBuilding = control.withLock { control -> Bool in
      control.isRunning = false
      control.isStopped = true
      return control.isBuilding
    }
    if isBuilding {
      queue.async { [self] in self.reportToLockstep() }
      return
    }
    queue.sync { reportToLockstep() }
  }

  // MARK: - On the session's queue

  private func build(configuration: RunConfiguration) {
    let source = self.source
    control.withLock { $0.isBuilding = true }
    defer { control.withLock { $0.isBuilding = false } }
    do throws(TrainingError) {
      // Built inside the lock, so the trainer never belongs to any other region.
      let (reference, tokenizer, step, run) = try self.trainer.withLock { slot throws(TrainingError) -> (LossReference, any Tokenizer, Int, RunConfiguration) in
        let built: Trainer
        switch source {
        case .corpus(let directory, let basesFolder) where configuration.objective == .sft && configuration.base != nil:
          let generation = self.control.withLock { $0.generation }
          built = try Trainer.fineTuningWithBase(
            configuration: configuration, corporaDirectory: directory, cache: basesFolder
          ) { progress in
            self.published.withLock { snapshot in
              snapshot.preparingBase = progress
              snapshot.version += 1
            }
            return self.control.withLock { $0.generation == generation && !$0.isStopped }
          }.0
        case .corpus(let directory, _):
          // Publishes how far reading and tokenizing got; false (stop the build) once the session is stopped.
          built = try Trainer(configuration: configuration, corporaDirectory: directory) { progress in
            self.published.withLock { snapshot in
              snapshot.preparingCorpus = progress
              snapshot.version += 1
            }
            return !self.control.withLock { $0.isStopped }
          }
        case .text(let text): built = try Trainer(configuration: configuration, text: text)
        case .checkpoint(let url, let directory):
          do throws(CheckpointError) { built = try Checkpoint.load(from: url, corporaDirectory: directory) } catch { throw .checkpoint(error) }
        }
        slot = built
        return (built.reference, built.tokenizer, built.stepCount, built.configuration)
      }
      self.control.withLock { control in
        control.watch = RunWatch(reference: reference, pauseAt: control.pauseAt)
      }
      self.published.withLock { snapshot in
        // A restart keeps what belongs to the session rather than to the run. Swift 6.3.1 at
        // -O retained `kept` only after the old snapshot below had freed it (a crash on
        // restart): Package.swift turns that pass off (Tests/Miscompiles/RetainSinking.swift).
        let kept = (snapshot.pace, snapshot.previousRun, snapshot.version)
        snapshot = SessionSnapshot(learningRate: run.learningRate, reference: reference, configuration: run)
        snapshot.tokenizer = tokenizer
        (snapshot.step, snapshot.firstStep) = (step, step)
        (snapshot.pace, snapshot.previousRun, snapshot.version) = kept
        snapshot.version += 1
      }
      refreshSample()
    } catch {
      self.published.withLock { snapshot in
        snapshot.state = .failed(error)
        snapshot.version += 1
      }
    }
  }

  private func withTrainer(_ body: (Trainer) -> Void) {
    trainer.withLock { trainer in
      if let trainer { body(trainer) }
    }
  }

  func withTrainerResult<R: Sendable>(_ body: (Trainer) -> R) -> R? {
    trainer.withLock { trainer -> R? in
      guard let trainer else { return nil }
      return body(trainer)
    }
  }

  @Sendable static func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
  }

  /// The longest a paced session waits before looking at its clock again, in real seconds.
  static let longestWait = 0.05

  /// Trains for a few milliseconds (or the steps its pace allows), publishes, and
  /// re-enqueues itself while running: at once, or when its next step is due.
  private func runSlice(_ generation: Int) {
    guard control.withLock({ $0.isRunning && $0.generation == generation }) else { return }
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
        guard control.withLock({ $0.pacer.takeStep(at: clock()) }) else { break }
        let next = trainer.stepCount + 1
        // Paced, a step that may pause at a milestone records its trace: the views show where it stopped.
        let wantTrace = TraceHistory.isLogSpaced(next) || control.withLock { control in
          control.pacer.pace.rate != nil && control.measuresValidation(after: next, interval: trainer.evaluationInterval, dense: true)
            || Self.now() - control.lastTrace >= max(Self.traceInterval, Self.traceSpacing * control.traceCost)
        }
        let stepStart = Self.now()
        let result = trainer.step(recordTrace: wantTrace)
        let stepEnd = Self.now()
        control.withLock { control in
          control.tokensSinceMark += trainer.tokensPerStep
          if wantTrace {
            control.lastTrace = stepEnd
            // What recording cost beyond a plain step; traces are spaced so it stays near 1%.
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
        // A milestone in `pauseAt` stopped the run.
        if !control.withLock({ $0.isRunning }) { keepGoing = false; break }
      } while Self.now() < sliceEnd
    }
    let dueSample = control.withLock { Self.now() - $0.lastSample >= Self.sampleInterval }
    if dueSample { refreshSample() }
    guard keepGoing, control.withLock({ $0.isRunning && $0.generation == generation }) else { return }
    let delay = control.withLock { $0.pacer.delay(at: clock()) }
    if delay > 0 {
      queue.async(after: min(delay, Self.longestWait)) { [self] in self.runSlice(generation) }
    } else {
      queue.async { [self] in self.runSlice(generation) }
    }
  }

  private func afterStep(_ trainer: Trainer, result: StepResult, force: Bool) {
    let now = Self.now()
    var validation: (Int, Float)?
    let measures = control.withLock { control in
      control.measuresValidation(
        after: trainer.stepCount, interval: trainer.evaluationInterval, dense: control.pacer.pace.rate != nil || !control.isRunning)
    }
    if measures {
      validation = (trainer.stepCount, trainer.evaluate())
    }
    let (pause, milestones) = control.withLock { control -> (Milestone?, [Milestone]) in
      let pause = control.watch?.note(step: trainer.stepCount, loss: result.loss, validation: validation?.1, isHealthy: result.isHealthy)
      // Only a running session pauses; one stepped by hand is paused already.
      let pauses = pause != nil && control.isRunning
      if pauses { control.isRunning = false }
      return (pauses ? pause : nil, control.watch?.tracker.milestones ?? [])
    }
    let (due, rate) = control.withLock { control -> (Bool, Double) in
      let elapsed = now - control.markTime
      // Speed is only meaningful while running flat out, not while stepping by hand.
      let rate = control.isRunning && elapsed > 0.25 ? Double(control.tokensSinceMark) / elapsed : -1
      if elapsed > 2 { control.markTime = now; control.tokensSinceMark = 0 }
      let due = force || !result.isHealthy || validation != nil || pause != nil || now - control.lastPublish >= Self.publishInterval
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
      if let trace = result.trace {
        snapshot.trace = trace
        snapshot.history.record(trace)
      }
      snapshot.milestones = milestones
      if let pause { snapshot.pausedAt = pause }
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
      // A new generation: should a paced slice still be waiting, it ends rather than run beside this one.
      let generation = self.control.withLock { control -> Int? in
        guard control.isRunning else { return nil }
        control.generation += 1
        return control.generation
      }
      if let generation { self.runSlice(generation) }
    }
  }
}
