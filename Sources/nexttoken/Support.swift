import ArgumentParser
import Foundation
import Model
import Training

/// Facts about the process's terminal that decide between a progress bar and plain lines.
enum Console {
  /// True when stdout is a terminal a progress bar can redraw.
  static func isInteractive() -> Bool {
    isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"].map { $0 != "dumb" && !$0.isEmpty } == true
  }
}

extension RunSetting {
  /// The flag that sets it.
  var flag: String {
    switch self {
    case .size(.vocabulary): "the vocabulary (from --corpus and --tokenizer)"
    case .size(.merges): "--bpe-merges"
    case .size(let setting): "--" + setting.rawValue
    case .learningRate: "--lr"
    case .warmup: "--warmup"
    }
  }
}

extension TrainingError {
  /// The message with each setting named by its flag.
  var flagMessage: String { message(naming: \.flag) }
}

/// Checks a size flag against `SizeLimits`, as a usage error naming `flag`.
func checkSize(_ setting: SizeSetting, _ value: Int, flag: String) throws {
  do {
    try SizeLimits.check(setting, value)
  } catch {
    throw ValidationError(error.message { _ in flag })
  }
}

/// Checks output paths before any work is done, so a long run never fails at the end
/// and never writes over one of its inputs.
enum OutputPath {
  /// Each output (flag and path) must be writable, and neither an input (what it is, and
  /// its path) nor another output.
  static func validate(_ outputs: [(flag: String, path: String)], inputs: [(what: String, path: String)] = []) throws {
    var checked: [(flag: String, path: String)] = []
    for output in outputs {
      let target: URL
      do {
        target = try AtomicFile.checkWritable(URL(fileURLWithPath: output.path))
      } catch {
        throw ValidationError("\(output.flag) \(error)")
      }
      for input in inputs where FileKind.sameFile(target.path, input.path) {
        throw ValidationError("\(output.flag) \(output.path) is \(input.what); writing there would destroy it, so name another file")
      }
      for other in checked where FileKind.sameFile(target.path, other.path) {
        throw ValidationError("\(output.flag) \(output.path) is also \(other.flag); expected two different files")
      }
      checked.append((output.flag, target.path))
    }
  }

  /// The corpus file a run reads, as an input outputs must not replace (nil when it cannot be found).
  static func corpusInput(_ corpus: String) -> (what: String, path: String)? {
    (try? RunConfiguration.corpusPath(corpus)).map { ("the corpus", $0) }
  }
}

/// Prints training progress: a redrawn bar on a terminal, plain lines in a log, or JSON lines.
final class ProgressReporter {
  enum Style {
    /// A progress bar redrawn in place (stdout is a terminal).
    case bar
    /// One plain line per evaluation (stdout is a file or a pipe).
    case lines
    /// One JSON object per event (`--json`).
    case json
  }

  let style: Style
  let totalSteps: Int
  private var lastDraw: Double = -1
  private var startStep = 0

  init(style: Style, totalSteps: Int) {
    self.style = style
    self.totalSteps = totalSteps
  }

  func start(trainer: Trainer) {
    startStep = trainer.stepCount
    let c = trainer.configuration
    let r = trainer.reference
    if style == .json {
      print(#"{"event":"start","step":\#(trainer.stepCount),"parameters":\#(trainer.model.config.parameterCount),"vocab":\#(trainer.tokenizer.vocabSize),"uniform_loss":\#(r.uniform.jsonValue),"unigram_entropy":\#(r.unigram.jsonValue),"bigram_entropy":\#(r.bigram.jsonValue)}"#)
    } else {
      print("Training \(c.objective.rawValue.uppercased()) on \(c.corpus): \(trainer.model.config.parameterCount) parameters, vocabulary \(trainer.tokenizer.vocabSize), \(c.layers) layer\(c.layers == 1 ? "" : "s") × \(c.heads) head\(c.heads == 1 ? "" : "s"), dim \(c.dim), context \(c.context), batch \(c.batch)")
      print("Reference losses (nats/token, on the validation split): uniform guess ln V \(r.uniform.formatted4) · unigram entropy \(r.unigram.formatted4) · bigram entropy \(r.bigram.formatted4)")
    }
    fflush(nil)
  }

  /// After each step; `validation` is set on the steps that measured it.
  func update(trainer: Trainer, loss: Float, validation: Float?, elapsed: Double, lastValidation: Float?) {
    let done = trainer.stepCount - startStep
    let rate = elapsed > 0 ? Double(done * trainer.tokensPerStep) / elapsed : 0
    switch style {
    case .json:
      guard let validation else { return }
      print(#"{"event":"eval","step":\#(trainer.stepCount),"loss":\#(loss.jsonValue),"val_loss":\#(validation.jsonValue),"tokens_per_second":\#(Int(rate)),"elapsed":\#(String(format: "%.2f", elapsed))}"#)
      fflush(nil)
    case .lines:
      guard let validation else { return }
      print("step \(trainer.stepCount)/\(totalSteps)  loss \(loss.formatted4)  val \(validation.formatted4)  \(Int(rate)) tok/s  \(Self.clock(elapsed)) elapsed")
      fflush(nil)
    case .bar:
      guard elapsed - lastDraw >= 0.1 || trainer.stepCount == totalSteps || validation != nil else { return }
      lastDraw = elapsed
      let fraction = totalSteps > 0 ? Double(trainer.stepCount) / Double(totalSteps) : 1
      let width = 24
      let filled = Int(fraction * Double(width))
      let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
      let remaining = done > 0 ? elapsed / Double(done) * Double(totalSteps - trainer.stepCount) : 0
      let val = lastValidation.map { " val \($0.formatted4)" } ?? ""
      let line = "\r\(bar) \(trainer.stepCount)/\(totalSteps) loss \(loss.formatted4)\(val) \(Int(rate)) tok/s \(Self.clock(remaining)) left\u{1B}[K"
      print(line, terminator: "")
      fflush(nil)
    }
  }

  /// Ends the bar's line, so what follows starts on its own.
  func finish() {
    if style == .bar {
      print("")
      fflush(nil)
    }
  }

  /// The run's last losses, and where validation was lowest when it has risen since.
  func done(step: Int, loss: Float, validation: Float, history: ValidationHistory, interrupted: Bool, keepsBest: Bool) {
    if style == .json {
      let best = history.best.map { #","best_val_loss":\#($0.loss.jsonValue),"best_step":\#($0.step)"# } ?? ""
      print(#"{"event":"done","step":\#(step),"loss":\#(loss.jsonValue),"val_loss":\#(validation.jsonValue)\#(best),"interrupted":\#(interrupted)}"#)
      return
    }
    let trainLoss = loss.isNaN ? "" : ", train loss \(loss.formatted4)"
    print("Final: step \(step)\(trainLoss), validation loss \(validation.formatted4)")
    guard history.hasRisenSinceBest, let best = history.best else { return }
    let lowest = "Validation loss was lowest at step \(best.step) (\(best.loss.formatted4)) and has risen since"
    if history.isMemorising {
      let keep = keepsBest ? "" : " (--best-out FILE keeps the model from its lowest point)"
      print("\(lowest): the model is memorising its training text. More text, a smaller model or --steps \(best.step) would generalise better\(keep).")
    } else {
      print("\(lowest), and training loss with it: the run became unstable. A smaller --lr would help.")
    }
  }

  static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }
}

extension FileHandle {
  func write(_ string: String) {
    write(Data(string.utf8))
  }
}

/// A command's one-line refusal of its input, printed as `Error: …` without the usage text
/// that ArgumentParser adds to a `ValidationError` (which would suggest a wrong flag).
struct CommandFailure: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) {
    self.description = description
  }
}
