import Curriculum
import Foundation
import TermUI
import Training

/// The interactive app: the router's screens, and the runner that carries out their effects.
///
/// Lives on the main thread. An event becomes messages (a key; on a tick, the sessions'
/// new snapshots and predictions), the router delivers them to the screens, and the
/// effects that come back go to the runner. Tests drive `handle` and `render` with a
/// `TestBackend` exactly as the terminal does.
public final class AppController {
  var router: Router
  let runner: EffectRunner
  public let language: Language
  /// True once the learner quit.
  public private(set) var isFinished = false

  /// - Parameters:
  ///   - lessons: the lessons the browser lists, in course order.
  ///   - problems: one line per lesson file that could not be loaded.
  ///   - open: a lesson to open at once, over the browser (`nexttoken learn`).
  ///   - folders: the learner's folders, where exercise answers, quiz takes and prediction scores are remembered
  ///     and fine-tuning lessons keep their pre-trained bases.
  ///   - quiz: the course quiz, listed after the lessons.
  ///   - predictFirst: ask before each stage's picture (false: `--no-predict`; `P` turns them on).
  public convenience init(
    lessons: [LessonPlan], problems: [String] = [], language: Language, corporaDirectory: URL? = nil, open: LessonPlan? = nil,
    folders: UserFolders, quiz: Quiz? = nil, predictFirst: Bool = true
  ) {
    self.init(
      lessons: lessons, problems: problems, language: language, corporaDirectory: corporaDirectory, open: open, folders: folders,
      quiz: quiz, predictFirst: predictFirst, onCallersThread: false)
  }

  /// The app with its sessions training, and its work off the main thread running, on the caller's
  /// thread when it waits for them (`waitForSessions`): tests drive it on one thread, with no sleeping.
  /// Its `folders` are always given: a test never reads or writes the learner's real ones.
  package static func onOneThread(
    lessons: [LessonPlan], problems: [String] = [], language: Language, corporaDirectory: URL? = nil, open: LessonPlan? = nil,
    folders: UserFolders, quiz: Quiz? = nil, predictFirst: Bool = true
  ) -> AppController {
    AppController(
      lessons: lessons, problems: problems, language: language, corporaDirectory: corporaDirectory, open: open, folders: folders,
      quiz: quiz, predictFirst: predictFirst, onCallersThread: true)
  }

  private init(
    lessons: [LessonPlan], problems: [String], language: Language, corporaDirectory: URL?, open: LessonPlan?,
    folders: UserFolders, quiz: Quiz?, predictFirst: Bool, onCallersThread: Bool
  ) {
    self.language = language
    router = Router(language: language)
    runner = EffectRunner(corporaDirectory: corporaDirectory, folders: folders, predictFirst: predictFirst, onCallersThread: onCallersThread)
    var browser = BrowserScreen(lessons: lessons, problems: problems, language: language)
    browser.quiz = quiz
    carryOut(router.push(browser))
    if let open { carryOut(router.push(LessonScreens.open(open))) }
  }

  deinit {
    runner.stopAll()
  }

  /// Reacts to one event; `frame` is the frame on screen, against which a click is resolved.
  public func handle(_ event: Event, frame: Buffer? = nil) -> LoopControl {
    let messages: [Message]
    switch event {
    case .key(.ctrl("c")):
      stopSessions()
      isFinished = true
      return .quit
    case .key(let key): messages = [.key(key)]
    // A click acts on the press; the release that follows means nothing more.
    case .mouse(let mouse) where mouse.kind == .release: return .idle
    case .mouse(let mouse): messages = [.mouse(mouse, frame?.hotspots(at: mouse.point) ?? [])]
    case .resize(let size): messages = [.resize(size)]
    case .tick: messages = runner.poll() + [.tick]
    }
    // The frame on screen has the terminal's size, which the help's scrolling needs.
    if let frame { router.area = frame.area }
    var changed = false
    for message in messages {
      let (effects, didChange) = router.update(message)
      changed = changed || didChange
      carryOut(effects)
    }
    if isFinished { return .quit }
    return changed ? .redraw : .idle
  }

  /// Hands effects to the runner, and the messages it answers with at once back to the screens.
  private func carryOut(_ effects: [Effect]) {
    var queue = effects
    while !queue.isEmpty {
      let effect = queue.removeFirst()
      if case .quit = effect {
        stopSessions()
        isFinished = true
        continue
      }
      for message in runner.perform(effect) {
        queue += router.update(message).effects
      }
    }
  }

  /// Draws the current screen and any overlay; changes nothing.
  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    router.render(in: area, buffer: &buffer, theme: theme)
  }

  /// Stops every session's training (before the app exits).
  public func stopSessions() {
    runner.stopAll()
  }
}

extension AppController {
  /// Blocks until every open session has served its commands (tests use this before a frame).
  package func waitForSessions() {
    runner.waitUntilIdle()
  }

  /// The lesson's check, when it is the screen on top.
  package var openCheck: Exercise? { (router.top as? ExerciseScreen)?.exercise }

  /// The stage the open lesson shows, if a lesson is on top.
  package var currentStage: Stage? { (router.top as? LessonScreen)?.stage }

  /// True when the open lesson cannot show its whole narrative in `area` (tests check lessons fit).
  package func isNarrativeClipped(in area: Rect, theme: Theme) -> Bool {
    (router.top as? LessonScreen)?.isNarrativeClipped(in: area, theme: theme) ?? false
  }
}
