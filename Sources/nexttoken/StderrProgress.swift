import Curriculum
import Foundation
import Glibc

/// A one-line progress bar on standard error, redrawn in place at most ten times a second.
///
/// Drawn only when standard error is a terminal (and `enabled`, false for `--json`), so a log,
/// a pipe or a JSON reader never sees it; `clear()` wipes the line before the real output.
final class StderrProgress {
  let isShown: Bool
  private var lastDraw = -1.0
  private var drewSomething = false
  private let start = ContinuousClock.now

  init(enabled: Bool = true) {
    let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
    isShown = enabled && isatty(STDERR_FILENO) == 1 && !term.isEmpty && term != "dumb"
  }

  var elapsed: Double { (ContinuousClock.now - start).seconds }

  /// Redraws `label`, a bar for `fraction` (0...1) and `detail`; `force` draws even within the tenth of a second.
  func draw(_ label: String, fraction: Double, detail: String = "", force: Bool = false) {
    guard isShown else { return }
    let now = elapsed
    guard force || now - lastDraw >= 0.1 else { return }
    lastDraw = now
    let width = 24
    let filled = Int(max(0, min(1, fraction)) * Double(width))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    if !drewSomething { Self.wipeOnInterrupt() }
    FileHandle.standardError.write("\r\(label) \(bar) \(Int((fraction * 100).rounded(.down)))%\(detail.isEmpty ? "" : " " + detail)\u{1B}[K")
    drewSomething = true
  }

  /// Ctrl-C (or SIGTERM) while the bar is up still ends the program at once, as it would
  /// without a bar, but wipes the bar's line first so the shell's prompt starts clean. A
  /// command that handles the signals itself (train, once it trains) installs its own after.
  private static func wipeOnInterrupt() {
    for number in [SIGINT, SIGTERM] {
      _ = signal(number) { caught in
        // Only async-signal-safe calls: write, signal, raise.
        let wipe: StaticString = "\r\u{1B}[K"  // In the binary: nothing is allocated here.
        _ = Glibc.write(STDERR_FILENO, wipe.utf8Start, wipe.utf8CodeUnitCount)
        _ = signal(caught, SIG_DFL)
        _ = raise(caught)
      }
    }
  }

  /// How far reading and tokenizing a corpus got (the handler `Corpus.load` and `Trainer` take).
  func corpus(_ progress: CorpusProgress) -> Bool {
    let verb = switch progress.phase {
    case .reading: "reading"
    case .tokenizing: "tokenizing"
    case .counting: "counting tokens of"
    }
    draw("\(verb) \(progress.name)", fraction: progress.fraction)
    return true
  }

  /// Wipes the bar's line, so what follows starts on a clean one.
  func clear() {
    guard isShown, drewSomething else { return }
    FileHandle.standardError.write("\r\u{1B}[K")
    drewSomething = false
  }
}
