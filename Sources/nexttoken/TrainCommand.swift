import ArgumentParser
import Foundation
import Model
import Synchronization
import Training

/// `nexttoken train`: headless training with a progress bar, evaluations and checkpoints.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a model headless, with progress, evaluations and checkpoints.",
    discussion: """
      Without --out the model is not saved. --best-out also keeps the model at its lowest \
      validation loss, which on a small corpus comes long before the end. Ctrl-C stops after \
      the current step and still writes the checkpoint. --resume continues a run exactly \
      where it stopped.
      """)

  @OptionGroup var options: RunOptions

  @Option(help: "Optimizer steps to take (in total, when resuming).")
  var steps: Int = 500

  @Option(name: .customLong("eval-every"), help: "Measure the validation loss every N steps.")
  var evalEvery: Int = 50

  @Option(help: "Write a checkpoint (safetensors) here at the end.")
  var out: String?

  @Option(
    name: .customLong("best-out"),
    help: "Also write the checkpoint with the lowest validation loss here (rewritten at each new lowest).")
  var bestOut: String?

  @Option(help: "Continue from this checkpoint (its data and model flags win); with --objective sft, fine-tune this CLM base.")
  var resume: String?

  @Flag(help: "One JSON object per evaluation instead of a progress bar.")
  var json = false

  func validate() throws {
    try checkSize(.steps, steps, flag: "--steps")
    guard evalEvery >= 0 else { throw ValidationError("--eval-every must be 0 or more (got \(evalEvery))") }
    if bestOut != nil, evalEvery == 0 {
      throw ValidationError("--best-out needs evaluations; expected --eval-every of 1 or more")
    }
    // A resumed run's corpus is known once its checkpoint is read: run() checks it then.
    let input = resume.map { (what: "the checkpoint --resume reads", path: $0) } ?? OutputPath.corpusInput(options.configuration.corpus)
    try OutputPath.validate(outputs, inputs: [input].compactMap { $0 })
  }

  /// The files this run writes, by flag.
  var outputs: [(flag: String, path: String)] {
    [("--out", out), ("--best-out", bestOut)].compactMap { flag, path in path.map { (flag, $0) } }
  }

  func run() throws {
    BLAS.setThreads(options.threading.headless)
    let trainer: Trainer
    if let resume, options.objective == .sft,
      case let saved = try Checkpoint.read(from: URL(fileURLWithPath: resume)), saved.run.objective != .sft
    {
      let (tuned, report) = try options.fineTuning(saved, resume: resume, evaluationInterval: evalEvery)
      trainer = tuned
      try OutputPath.validate(outputs, inputs: [OutputPath.corpusInput(trainer.configuration.corpus)].compactMap { $0 })
      if !json { print(report.description) }
    } else if let resume {
      trainer = try Checkpoint.load(from: URL(fileURLWithPath: resume), evaluationInterval: evalEvery)
      guard trainer.stepCount < steps else {
        // --steps counts from the start of the run, so a resumed run must ask for more than it has.
        FileHandle.standardError.write(
          "error: \(resume) is already at step \(trainer.stepCount); --steps counts from the start of the run, so ask for more (e.g. --steps \(trainer.stepCount + steps))\n")
        throw ExitCode(1)
      }
      try OutputPath.validate(outputs, inputs: [OutputPath.corpusInput(trainer.configuration.corpus)].compactMap { $0 })
    } else {
      trainer = try options.makeTrainer(evaluationInterval: evalEvery)
    }
    let interrupted = Interruption.install()
    let report = ProgressReporter(style: json ? .json : Console.isInteractive() ? .bar : .lines, totalSteps: steps)
    report.start(trainer: trainer)
    let clock = ContinuousClock()
    let start = clock.now
    var lastValidation: Float?
    var history = ValidationHistory()
    var lastLoss: Float = .nan
    // Rewrites --best-out whenever the evaluation just recorded is the lowest so far.
    func keepBest() throws {
      guard let bestOut, history.best?.step == trainer.stepCount else { return }
      do {
        try Checkpoint.save(trainer, to: URL(fileURLWithPath: bestOut))
      } catch {
        report.finish()
        throw error
      }
    }
    while trainer.stepCount < steps, !interrupted.isSet {
      let result = trainer.step(recordTrace: false)
      lastLoss = result.loss
      if !result.isHealthy {
        report.finish()
        FileHandle.standardError.write(
          "error: the loss exploded (\(result.loss)) at step \(result.step) with learning rate \(result.learningRate); try a smaller --lr\n")
        throw ExitCode(1)
      }
      if trainer.isEvaluationDue || trainer.stepCount == steps {
        let validation = trainer.evaluate()
        lastValidation = validation
        history.record(step: trainer.stepCount, loss: validation, trainingLoss: result.loss)
        try keepBest()
      }
      let elapsed = (clock.now - start).seconds
      report.update(trainer: trainer, loss: result.loss, validation: trainer.isEvaluationDue ? lastValidation : nil, elapsed: elapsed, lastValidation: lastValidation)
    }
    report.finish()
    if interrupted.isSet, !json { print("Interrupted at step \(trainer.stepCount).") }
    // An interrupted run stops between evaluations: measure where it stopped.
    if history.latest?.step != trainer.stepCount {
      history.record(step: trainer.stepCount, loss: trainer.evaluate(), trainingLoss: lastLoss)
      try keepBest()
    }
    report.done(
      step: trainer.stepCount, loss: lastLoss, validation: history.latest?.loss ?? .nan, history: history,
      interrupted: interrupted.isSet, keepsBest: bestOut != nil)
    if let out {
      try Checkpoint.save(trainer, to: URL(fileURLWithPath: out))
      if !json { print("Saved checkpoint to \(out)") }
    }
    if let bestOut, let best = history.best, !json {
      print("Saved the lowest validation loss of this run (step \(best.step), \(best.loss.formatted4)) to \(bestOut)")
    }
    if interrupted.isSet { throw ExitCode(130) }
  }
}

/// Set by the SIGINT handler; async-signal-safe because it is a lock-free atomic.
private let interruptFlag = Atomic<Bool>(false)

/// Ctrl-C during headless training: finish the step, then stop cleanly; a second Ctrl-C exits.
struct Interruption {
  var isSet: Bool { interruptFlag.load(ordering: .relaxed) }

  static func install() -> Interruption {
    signal(SIGINT) { _ in
      if interruptFlag.exchange(true, ordering: .relaxed) { _exit(130) }
    }
    return Interruption()
  }
}

extension Duration {
  var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) / 1e18
  }
}

extension Float {
  var formatted4: String { String(format: "%.4f", Double(self)) }
  var jsonValue: String { isFinite ? String(format: "%.6f", Double(self)) : "null" }
}
