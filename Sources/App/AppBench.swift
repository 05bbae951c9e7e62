import Curriculum
import Dispatch
import Foundation
import TermUI
import Training

/// Measures what the interactive app costs: training speed with the UI drawing, and the first frame.
public enum AppBench {
  public struct Overhead: Sendable {
    public let headlessTokensPerSecond: Double
    public let withUITokensPerSecond: Double
    public let framesDrawn: Int

    /// The fraction of headless throughput lost with the UI open.
    public var loss: Double { 1 - withUITokensPerSecond / headlessTokensPerSecond }
  }

  /// Trains `seconds` headless (a plain training loop, as `nexttoken train` runs), then
  /// `seconds` in a session while the main thread draws the live dashboard at 30 frames a
  /// second, as the app does; compares tokens per second.
  public static func uiOverhead(configuration: RunConfiguration, text: String, seconds: Double) throws -> Overhead {
    let headless = try measureHeadless(configuration: configuration, text: text, seconds: seconds)
    let withUI = measureWithUI(configuration: configuration, text: text, seconds: seconds)
    return Overhead(headlessTokensPerSecond: headless, withUITokensPerSecond: withUI.rate, framesDrawn: withUI.frames)
  }

  private static func measureHeadless(configuration: RunConfiguration, text: String, seconds: Double) throws -> Double {
    let trainer = try Trainer(configuration: configuration, text: text, evaluationInterval: 0)
    let warmEnd = DispatchTime.now().uptimeNanoseconds + UInt64(min(1, seconds / 3) * 1e9)
    while DispatchTime.now().uptimeNanoseconds < warmEnd { _ = trainer.step(recordTrace: false) }
    let start = DispatchTime.now().uptimeNanoseconds
    let end = start + UInt64(seconds * 1e9)
    var steps = 0
    while DispatchTime.now().uptimeNanoseconds < end {
      _ = trainer.step(recordTrace: false)
      steps += 1
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Double(steps * configuration.batch * configuration.context) / elapsed
  }

  private static func measureWithUI(configuration: RunConfiguration, text: String, seconds: Double) -> (rate: Double, frames: Int) {
    let drawing = true
    let session = TrainingSession(configuration: configuration, text: text, label: "bench-ui")
    defer { session.stop() }
    session.waitUntilIdle()
    // Warm up, then count steps over wall time.
    session.run()
    Thread.sleep(forTimeInterval: min(1, seconds / 3))
    let startStep = session.snapshot.step
    let start = DispatchTime.now().uptimeNanoseconds
    let end = start + UInt64(seconds * 1e9)
    let backend = TestBackend(size: Size(width: 200, height: 60))
    let terminal = Terminal(backend: backend, theme: Theme(capability: .truecolor), minimumSize: nil)
    var frames = 0
    while DispatchTime.now().uptimeNanoseconds < end {
      if drawing {
        let snapshot = session.snapshot
        terminal.draw { area, buffer in
          Dashboard(snapshot: snapshot, focus: Focus(), language: .en, text: nil).render(in: area, buffer: &buffer, theme: terminal.theme)
        }
        backend.forgetDrawCalls()
        frames += 1
      }
      Thread.sleep(forTimeInterval: 1.0 / 30)
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let steps = session.snapshot.step - startStep
    session.pause()
    return (Double(steps * configuration.batch * configuration.context) / elapsed, frames)
  }

  /// Loads the course and draws the browser's first frame in memory; seconds since `since`.
  public static func firstFrame(lessons: URL, corpora: URL?, language: Language, since start: UInt64) -> Double {
    let (loaded, errors) = LessonLibrary.loadAll(directory: lessons, language: language, corporaDirectory: corpora)
    let controller = AppController(
      lessons: loaded.map { LessonPlan(lesson: $0, corporaDirectory: corpora) }, problems: errors.map(\.description),
      language: language, corporaDirectory: corpora)
    let backend = TestBackend(size: Size(width: 120, height: 40))
    let terminal = Terminal(backend: backend, theme: Theme(capability: .truecolor))
    terminal.draw { area, buffer in controller.render(in: area, buffer: &buffer, theme: terminal.theme) }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }
}
