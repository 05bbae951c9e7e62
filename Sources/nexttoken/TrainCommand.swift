import ArgumentParser
import Foundation
import Glibc
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
      validation loss, which on a small corpus comes long before the end. Ctrl-C (or SIGTERM, SIGHUP, SIGPIPE) stops after \
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
      trainer = try options.makeTrainer(evaluationInterval: evalEvery, progress: StderrProgress(enabled: !json))
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
    if interrupted.isSet, !json { print("Interrupted (\(String(cString: strsignal(interrupted.signal)))) at step \(trainer.stepCount).") }
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
      // Standard output is gone after SIGPIPE: say it on standard error instead.
      if interrupted.signal == SIGPIPE { FileHandle.standardError.write("Interrupted at step \(trainer.stepCount); saved checkpoint to \(out)\n") }
    }
    if let bestOut, let best = history.best, !json {
      print("Saved the lowest validation loss of this run (step \(best.step), \(best.loss.formatted4)) to \(bestOut)")
    }
    if interrupted.isSet { throw ExitCode(interrupted.exitCode) }
  }
}

/// The signal that asked training to stop (0: none); async-signal-safe because it is a lock-free atomic.
private let interruptSignal = Atomic<Int32>(0)

/// Ctrl-C, SIGTERM, SIGHUP or SIGPIPE during headless training: finish the step, save, then
/// exit 128 + the signal's number; a second SIGINT, SIGTERM or SIGHUP exits at once.
///
/// SIGPIPE (the reader of `--json` output went away, as with `| head -1`) stops the run the
/// same way; later writes to the closed pipe fail quietly instead of killing the process
/// before the checkpoint is written.
struct Interruption {
  static let signals = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]

  var isSet: Bool { signal != 0 }
  /// The signal received first, or 0.
  var signal: Int32 { interruptSignal.load(ordering: .relaxed) }
  /// The exit status for the signal received: 128 + its number.
  var exitCode: Int32 { 128 + signal }

  static func install() -> Interruption {
    // Globals start lazily: initialise the flag here, never first inside a signal handler.
    interruptSignal.store(0, ordering: .relaxed)
    for number in signals {
      _ = Glibc.signal(number) { caught in
        let (first, _) = interruptSignal.compareExchange(expected: 0, desired: caught, ordering: .relaxed)
        if !first, caught != SIGPIPE { _exit(128 + caught) }
      }
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
