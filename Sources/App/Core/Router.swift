import Curriculum
import TermUI

/// The app's state as a value: a stack of screens (back = pop) and the help overlay.
///
/// The router delivers messages to screens and carries out the navigation effects
/// itself; the session effects it hands back, for the runner.
struct Router {
  var stack: [any Screen]
  /// The help shown over the top screen, until a key that does not scroll it.
  var help: HelpOverlay?
  /// The terminal's area, as on screen or last resized to: what the help scrolls within (nil: not known yet).
  ///
  /// Every screen hears of a new size, not only the top one, and a screen opened later
  /// hears of it when it opens: a lesson under the map still knows whether its text
  /// starts folded. Screens answer a resize with no effects.
  var area: Rect? {
    didSet {
      guard let area, area != oldValue else { return }
      for index in stack.indices { _ = stack[index].update(.resize(area.size)) }
    }
  }
  let language: Language

  init(language: Language, stack: [any Screen] = []) {
    self.language = language
    self.stack = stack
  }

  var top: (any Screen)? { stack.last }

  /// Opens `screen` on top; returns the session effects of its start.
  mutating func push(_ screen: any Screen) -> [Effect] {
    var screen = screen
    if let area { _ = screen.update(.resize(area.size)) }
    stack.append(screen)
    return carryOut(screen.start())
  }

  /// Delivers one message; returns the effects for the runner and whether anything changed.
  mutating func update(_ message: Message) -> (effects: [Effect], changed: Bool) {
    switch message {
    case .key(let key):
      if help != nil {
        // A resize reported as a key is the terminal's, not the learner's.
        if key == .resize { return ([], false) }
        if help?.scroll(for: key, in: area) != true { help = nil }
        return ([], true)
      }
      guard !stack.isEmpty, let effects = stack[stack.count - 1].update(message) else { return ([], false) }
      return (carryOut(effects), true)
    case .snapshot(let id, _):
      // To the owner, and to a screen on top watching the session (the embedding map follows the run).
      var effects: [Effect] = []
      var changed = false
      if let owner = stack.lastIndex(where: { $0.sessions.contains(id) }), let owned = stack[owner].update(message) {
        effects += carryOut(owned)
        changed = true
      }
      if let topIndex = stack.indices.last, stack[topIndex].watching.contains(id), !stack[topIndex].sessions.contains(id),
        let watched = stack[topIndex].update(message)
      {
        effects += carryOut(watched)
        changed = true
      }
      return (effects, changed)
    case .prediction(let id, _), .sampled(let id, _), .saved(let id, _), .formulaReplay(let id, _, _), .guessRows(let id, _, _, _):
      // To the screen that owns the session, on top or not: a lesson under compare stays current.
      guard let index = stack.lastIndex(where: { $0.sessions.contains(id) }),
        let effects = stack[index].update(message)
      else { return ([], false) }
      return (carryOut(effects), true)
    case .mouse(let mouse, _):
      if help != nil {
        switch mouse.kind {
        case .press: help = nil
        case .wheelUp, .wheelDown:
          guard let area else { return ([], false) }
          help?.scroll(by: mouse.kind == .wheelDown ? Self.wheelLines : -Self.wheelLines, in: area)
        case .release: return ([], false)
        }
        return ([], true)
      }
      guard !stack.isEmpty, let effects = stack[stack.count - 1].update(message) else { return ([], false) }
      return (carryOut(effects), true)
    case .exerciseAnswer, .exerciseSaveFailed, .uncovered, .quizHistory, .quizSaved, .childResult, .gameResults, .gameSaved,
      .playground, .ownTextOpened, .ownTextProgress:
      guard !stack.isEmpty, let effects = stack[stack.count - 1].update(message) else { return ([], false) }
      return (carryOut(effects), true)
    case .guessScores(let id, _), .embeddingMap(let id, _), .mergeReplay(let id, _):
      // To the screen that asked: the topmost one watching or owning the session.
      guard let index = stack.lastIndex(where: { $0.watching.contains(id) || $0.sessions.contains(id) }),
        let effects = stack[index].update(message)
      else { return ([], false) }
      return (carryOut(effects), true)
    case .predictions:
      // To every screen: the browser under a lesson shows the scores too.
      var effects: [Effect] = []
      for index in stack.indices { effects += stack[index].update(message) ?? [] }
      return (carryOut(effects), true)
    case .tick:
      guard !stack.isEmpty, let effects = stack[stack.count - 1].update(message) else { return ([], false) }
      return (carryOut(effects), effects.contains { if case .redraw = $0 { true } else { false } })
    case .resize(let size):
      area = Rect(size: size)
      // A taller box needs less scrolling: the help never scrolls past its last line.
      help?.scroll(by: 0, in: Rect(size: size))
      guard !stack.isEmpty, let effects = stack[stack.count - 1].update(message) else { return ([], true) }
      return (carryOut(effects), true)
    }
  }

  /// Lines one turn of the wheel scrolls the help, as it does the formula view.
  static let wheelLines = LessonScreen.wheelLines

  /// Carries out navigation effects; returns the others, in order.
  private mutating func carryOut(_ effects: [Effect]) -> [Effect] {
    var rest: [Effect] = []
    for effect in effects {
      switch effect {
      case .push(let screen):
        rest += push(screen)
      case .pop:
        rest += pop()
      case .close(let result):
        rest += pop()
        if !stack.isEmpty, let effects = stack[stack.count - 1].update(.childResult(result)) { rest += carryOut(effects) }
      case .showHelp:
        help = top.map { HelpOverlay(text: $0.helpText + "\n" + Localized(language).mouseHelp, language: language) }
      case .redraw:
        break
      case .startSession, .lockstep, .step, .run, .pause, .reset, .setLearningRate, .setPace, .pauseAt, .predict, .sample,
        .scoreGuesses, .embeddingMap, .mergeReplay, .restartWithMerges, .restartWithMask, .stopSession, .replayFormula, .guessRows,
        .saveCheckpoint, .loadExerciseAnswer, .saveExerciseAnswer, .loadPredictions, .recordPrediction, .savePredictionsEnabled,
        .loadQuizHistory, .saveQuizTake, .loadGameResults, .saveGameResult, .loadPlayground, .openOwnText, .cancelOwnText, .quit:
        // The runner's (and quitting, the app loop's).
        rest.append(effect)
      }
    }
    return rest
  }

  /// Closes the top screen: its sessions stop; the one below hears it is on top again; closing the last one quits.
  private mutating func pop() -> [Effect] {
    guard let closed = stack.popLast() else { return [] }
    var effects = closed.sessions.map(Effect.stopSession)
    if stack.isEmpty {
      effects.append(.quit)
    } else if let uncovered = stack[stack.count - 1].update(.uncovered) {
      effects += carryOut(uncovered)
    }
    return effects
  }

  /// Draws the top screen and the help overlay.
  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    top?.render(in: area, buffer: &buffer, theme: theme)
    if let help {
      help.modal.render(in: area, buffer: &buffer, theme: theme)
    }
  }
}
