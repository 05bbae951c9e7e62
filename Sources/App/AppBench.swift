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
    /// The same two speeds over a run's first `earlySteps` steps, measured apart.
    public let earlySteps: Int
    public let earlyHeadlessTokensPerSecond: Double
    public let earlyWithUITokensPerSecond: Double

    /// The fraction of headless throughput lost with the UI open, once the run is past its first steps.
    public var loss: Double { 1 - withUITokensPerSecond / headlessTokensPerSecond }
    /// The fraction lost over the first `earlySteps` steps.
    public var earlyLoss: Double { 1 - earlyWithUITokensPerSecond / earlyHeadlessTokensPerSecond }
  }

  /// Compares training headless (a plain loop, as `nexttoken train` runs it, validation every 50
  /// steps included) with training in a session, which validates as often, while the main
  /// thread draws the live dashboard at 30 frames a second, as the app does.
  ///
  /// A session's first 200 steps do more than the rest, once per run: validation at 1, 2,
  /// 5, 10, 20, 50, 100 and 200 for the log step axis, and the traces the history keeps at
  /// the log-spaced steps. Those steps are measured apart (one pass each, from step 0), so
  /// the sustained figure is the cost of watching, not of the run's opening.
  ///
  /// The sustained measurement alternates the two over `rounds` rounds of `seconds / rounds`
  /// each, and the totals are compared: on a shared machine the speed drifts from second to
  /// second, and alternating puts each mode in the same slow and fast moments.
  public static func uiOverhead(
    configuration: RunConfiguration, text: String, seconds: Double, rounds: Int = 8, earlySteps: Int = 200
  ) throws -> Overhead {
    let trainer = try Trainer(configuration: configuration, text: text)
    let session = TrainingSession(configuration: configuration, text: text, label: "bench-ui")
    defer { session.stop() }
    session.waitUntilIdle()
    let slice = seconds / Double(max(1, rounds))
    let tokensPerStep = Double(configuration.batch * configuration.context)
    let earlyHeadless = trainHeadless(trainer, seconds: .infinity, steps: earlySteps)
    let earlyUI = trainWithUI(session, seconds: .infinity, untilStep: earlySteps)
    var headless = (steps: 0, seconds: 0.0), withUI = (steps: 0, seconds: 0.0, frames: 0)
    for _ in 0..<max(1, rounds) {
      let plain = trainHeadless(trainer, seconds: slice)
      headless.steps += plain.steps
      headless.seconds += plain.seconds
      let drawn = trainWithUI(session, seconds: slice)
      withUI.steps += drawn.steps
      withUI.seconds += drawn.seconds
      withUI.frames += drawn.frames
    }
    return Overhead(
      headlessTokensPerSecond: Double(headless.steps) * tokensPerStep / headless.seconds,
      withUITokensPerSecond: Double(withUI.steps) * tokensPerStep / withUI.seconds, framesDrawn: withUI.frames,
      earlySteps: earlySteps,
      earlyHeadlessTokensPerSecond: Double(earlyHeadless.steps) * tokensPerStep / earlyHeadless.seconds,
      earlyWithUITokensPerSecond: Double(earlyUI.steps) * tokensPerStep / earlyUI.seconds)
  }

  /// Steps `trainer` on the calling thread for about `seconds`, or `steps` steps if that comes first.
  private static func trainHeadless(_ trainer: Trainer, seconds: Double, steps limit: Int = .max) -> (steps: Int, seconds: Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let end = seconds.isFinite ? start + UInt64(seconds * 1e9) : .max
    var steps = 0
    while steps < limit, DispatchTime.now().uptimeNanoseconds < end {
      _ = trainer.step(recordTrace: false)
      if trainer.isEvaluationDue { _ = trainer.evaluate() }
      steps += 1
    }
    return (steps, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }

  /// Runs `session` for about `seconds`, or until it reaches `untilStep`, while this thread
  /// draws the dashboard at 30 frames a second.
  private static func trainWithUI(_ session: TrainingSession, seconds: Double, untilStep: Int = .max)
    -> (steps: Int, seconds: Double, frames: Int)
  {
    let backend = TestBackend(size: Size(width: 200, height: 60))
    let terminal = Terminal(backend: backend, theme: Theme(capability: .truecolor), minimumSize: nil)
    let startStep = session.snapshot.step
    let start = DispatchTime.now().uptimeNanoseconds
    let end = seconds.isFinite ? start + UInt64(seconds * 1e9) : .max
    session.run()
    var frames = 0
    var snapshot = session.snapshot
    while DispatchTime.now().uptimeNanoseconds < end, snapshot.step < untilStep {
      terminal.draw { area, buffer in
        Dashboard(snapshot: snapshot, focus: Focus(), language: .en, text: nil).render(in: area, buffer: &buffer, theme: terminal.theme)
      }
      backend.forgetDrawCalls()
      frames += 1
      // Waiting for the step target looks more often than a frame, so the time it stops at is close.
      let frameEnd = DispatchTime.now().uptimeNanoseconds + UInt64(1e9 / 30)
      repeat {
        Thread.sleep(forTimeInterval: untilStep == .max ? 1.0 / 30 : 0.002)
        snapshot = session.snapshot
      } while snapshot.step < untilStep && DispatchTime.now().uptimeNanoseconds < frameEnd
    }
    // The step count is written after every step, so reading it here counts exactly the steps done so far.
    let steps = session.snapshot.step - startStep
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    session.pause()
    session.waitUntilIdle()
    return (steps, elapsed, frames)
  }

  /// Loads the course and draws the browser's first frame in memory; seconds since `since`.
  public static func firstFrame(lessons: URL, corpora: URL?, language: Language, folders: UserFolders, since start: UInt64) -> Double {
    let (loaded, errors) = LessonLibrary.loadAll(directory: lessons, language: language, corporaDirectory: corpora)
    let controller = AppController(
      lessons: loaded.map { LessonPlan(lesson: $0, corporaDirectory: corpora) }, problems: errors.map(\.description),
      language: language, corporaDirectory: corpora, folders: folders)
    let backend = TestBackend(size: Size(width: 120, height: 40))
    let terminal = Terminal(backend: backend, theme: Theme(capability: .truecolor))
    terminal.draw { area, buffer in controller.render(in: area, buffer: &buffer, theme: terminal.theme) }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }
}
