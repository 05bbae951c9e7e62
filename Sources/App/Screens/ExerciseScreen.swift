import Curriculum
import Foundation
import TermUI

/// A lesson's checks, asked in order: type an answer, get a hint and a second try, then the
/// answer and its explanation; each outcome is remembered.
struct ExerciseScreen: Screen {
  let title: String
  let exercises: [Exercise]
  /// Where the first check's answer is remembered (`ExerciseRecords.key`); later ones add their number.
  let key: String
  let language: Language
  /// The check on screen.
  private(set) var index = 0
  var card: CheckCard
  /// The answers remembered from earlier visits, by key.
  var previous: [String: ExerciseAnswer] = [:]
  /// A save that failed, in one line.
  var note: String?

  init(title: String, exercises: [Exercise], key: String, language: Language) {
    precondition(!exercises.isEmpty, "a check screen needs a check")
    self.title = title
    self.exercises = exercises
    self.key = key
    self.language = language
    card = CheckCard(exercise: exercises[0])
  }

  init(title: String, exercise: Exercise, key: String, language: Language) {
    self.init(title: title, exercises: [exercise], key: key, language: language)
  }

  /// The check on screen.
  var exercise: Exercise { exercises[index] }
  /// The key of the check on screen.
  var currentKey: String { ExerciseRecords.key(base: key, index: index) }
  var isAnswered: Bool { card.isFinished }
  var takesText: Bool { !isAnswered }
  var isLast: Bool { index == exercises.count - 1 }

  enum Action: Hashable, CaseIterable {
    case submit, erase, clear, giveUp, next, close, again, help
  }

  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    if isAnswered {
      var keys: [KeyBinding<Action>] = []
      if isLast {
        keys.append(KeyBinding([.enter, .escape, .char("q")], shown: "enter", label: L.checkClose, help: L.checkCloseHelp, priority: 10, action: .close))
      } else {
        keys.append(KeyBinding([.enter, .char(" ")], shown: "enter", label: L.checkNext, help: L.checkNextHelp, priority: 10, action: .next))
        keys.append(KeyBinding([.escape, .char("q")], shown: "esc", label: L.checkClose, help: L.checkCloseHelp, priority: 9, action: .close))
      }
      keys.append(KeyBinding([.char("t")], shown: "t", label: L.checkAgain, help: L.checkAgainHelp, priority: 8, action: .again))
      keys.append(.help(L, priority: 6, action: .help))
      return keys
    }
    // While typing, letters are the answer: only keys that cannot be typed are bound.
    return [
      KeyBinding([.enter], shown: "enter", label: L.checkSubmit, help: L.checkSubmitHelp, priority: 10, action: .submit),
      KeyBinding([.tab], shown: "tab", label: L.checkGiveUp, help: L.checkGiveUpHelp, priority: 8, action: .giveUp),
      KeyBinding([.backspace, .delete], shown: "⌫", label: L.checkErase, help: L.pick("erase the last character", "删除最后一个字符"), priority: 5, action: .erase),
      KeyBinding([.ctrl("u")], shown: "^U", label: L.checkClear, help: L.checkClearHelp, priority: 4, action: .clear),
      KeyBinding([.escape], shown: "esc", label: L.checkClose, help: L.checkCloseHelp, priority: 9, action: .close),
    ]
  }

  func start() -> [Effect] {
    exercises.indices.map { .loadExerciseAnswer(ExerciseRecords.key(base: key, index: $0)) }
  }

  /// Erasing or clearing an empty box, handing in an answer already found unreadable.
  func isIdle(_ action: Action) -> Bool {
    switch action {
    case .erase: return card.erasesNothing
    case .clear: return card.clearsNothing
    case .submit: return card.submitChangesNothing
    case .again: return note == nil && card.typed.isEmpty && !card.isFinished && card.wrongTries == 0 && card.unreadable == nil
    case .giveUp, .next, .close, .help: return false
    }
  }

  mutating func perform(_ action: Action) -> [Effect] {
    switch action {
    case .submit:
      guard let outcome = card.submit() else { return [] }
      return [.saveExerciseAnswer(currentKey, response: card.response, isRight: outcome == .right)]
    case .giveUp:
      card.giveUp()
      return [.saveExerciseAnswer(currentKey, response: card.response, isRight: false)]
    case .erase:
      card.erase()
    case .clear:
      card.clear()
    case .next:
      guard !isLast else { return [.pop] }
      index += 1
      card = CheckCard(exercise: exercise)
      note = nil
    case .close:
      return [.pop]
    case .again:
      card.restart()
      note = nil
    case .help:
      return [.showHelp]
    }
    return []
  }

  mutating func receive(_ message: Message) -> [Effect] {
    switch message {
    case .key(.char(let c)) where !isAnswered:
      card.type(c)
    case .exerciseAnswer(let key, let answer):
      previous[key] = answer
    case .exerciseSaveFailed(let problem):
      note = problem.description
    case .mouse(let mouse, let hits) where mouse.kind == .press && !isAnswered:
      // A click on a choice answers with it, as typing its number and enter would.
      guard let choice = hits.first(where: { $0.name == "choice" }) else { break }
      card.typed = String(choice.index + 1)
      return perform(.submit)
    case .key, .mouse, .tick, .resize, .snapshot, .prediction, .formulaReplay, .guessRows, .sampled, .saved, .uncovered,
      .quizHistory, .quizSaved, .gameResults, .gameSaved, .playground, .ownTextProgress, .ownTextOpened, .childResult,
      .guessScores, .embeddingMap, .mergeReplay, .predictions:
      // Keys and clicks once answered, other screens' answers, ticks and resizes change nothing here.
      break
    }
    return []
  }

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    // A note (a save that failed, a file moved aside) names a path: it may take a few rows.
    let noteText = note.map { Paragraph($0, style: theme.error) }
    let noteHeight = min(3, noteText?.height(forWidth: max(1, area.width - 2), theme: theme) ?? 0)
    let parts = area.split(.vertical, [.fixed(1), .fill(1), .fixed(noteHeight), .fixed(1)])
    buffer.fill(parts[0], with: Cell(" ", style: theme.title.adding(.reverse)))
    var heading = " " + L.checkTitle(title)
    if exercises.count > 1 { heading += " · " + L.checkCount(index + 1, of: exercises.count) }
    buffer.set(string: heading, at: Point(x: parts[0].x, y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    let body = parts[1].inset(left: 2, right: 2).inset(top: 1)
    card.render(in: body, buffer: &buffer, theme: theme, language: language, previous: previous[currentKey])
    noteText?.render(in: parts[2].inset(left: 1, right: 1), buffer: &buffer, theme: theme)
    footer.render(in: parts[3], buffer: &buffer, theme: theme)
  }
}

/// `e` in a lesson with a check: its questions, the answers remembered under the lesson and language.
extension ExerciseScreen: LessonChildScreen {
  static var place: LessonKeyPlace { .last }

  static func key(_ context: LessonChildContext, _ L: Localized) -> LessonChildKey? {
    context.plan.exercises.isEmpty ? nil : LessonChildKey(key: "e", label: L.checkKey, help: L.checkHelp, priority: 7)
  }

  static func open(from context: LessonChildContext) -> LessonChildOpening {
    .push(ExerciseScreen(checksOf: context.plan, language: context.language), pausingTheRun: false)
  }
}

extension ExerciseScreen {
  /// The checks of `plan`, their answers remembered under the lesson and `language` (from a lesson or compare).
  init(checksOf plan: LessonPlan, language: Language) {
    self.init(title: plan.title, exercises: plan.exercises, key: ExerciseRecords.key(lessonID: plan.id, language: language), language: language)
  }
}
