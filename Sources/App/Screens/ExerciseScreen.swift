import Curriculum
import Foundation
import TermUI

/// A lesson's closing question: type an answer, see it marked and explained; the answer is remembered.
struct ExerciseScreen: Screen {
  let title: String
  let exercise: Exercise
  /// Where the answer is remembered (`ExerciseRecords.key`).
  let key: String
  let language: Language
  var typed = ""
  /// The mark of the last answer given here; nil while the learner types.
  var mark: Exercise.Mark?
  /// The answer remembered from an earlier visit.
  var previous: ExerciseAnswer?
  /// A one-line note: an unreadable answer, or a save that failed.
  var note: String?

  init(title: String, exercise: Exercise, key: String, language: Language) {
    self.title = title
    self.exercise = exercise
    self.key = key
    self.language = language
  }

  var isAnswered: Bool { mark == .right || mark == .wrong }
  var takesText: Bool { !isAnswered }

  enum Action: Hashable, CaseIterable {
    case submit, erase, close, again, help
  }

  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    if isAnswered {
      return [
        KeyBinding([.enter, .escape, .char("q")], shown: "enter", label: L.checkClose, help: L.checkCloseHelp, priority: 10, action: .close),
        KeyBinding([.char("t")], shown: "t", label: L.checkAgain, help: L.checkAgainHelp, priority: 8, action: .again),
        .help(L, priority: 6, action: .help),
      ]
    }
    // While typing, letters are the answer: only keys that cannot be typed are bound.
    return [
      KeyBinding([.enter], shown: "enter", label: L.checkSubmit, help: L.checkSubmitHelp, priority: 10, action: .submit),
      KeyBinding([.backspace, .delete], shown: "⌫", label: L.checkErase, help: L.pick("erase the last character", "删除最后一个字符"), priority: 5, action: .erase),
      KeyBinding([.escape], shown: "esc", label: L.checkClose, help: L.checkCloseHelp, priority: 9, action: .close),
    ]
  }

  func start() -> [Effect] { [.loadExerciseAnswer(key)] }

  mutating func perform(_ action: Action, key pressed: Key) -> [Effect] {
    switch action {
    case .submit:
      let result = exercise.mark(typed)
      if case .unreadable(let reason) = result {
        note = reason
        return []
      }
      mark = result
      note = nil
      return [.saveExerciseAnswer(key, response: typed.trimmingCharacters(in: .whitespaces), isRight: result == .right)]
    case .erase:
      if !typed.isEmpty { typed.removeLast() }
      note = nil
    case .close:
      return [.pop]
    case .again:
      mark = nil
      typed = ""
      note = nil
    case .help:
      return [.showHelp]
    }
    return []
  }

  mutating func receive(_ message: Message) -> [Effect] {
    switch message {
    case .key(.char(let c)) where !isAnswered:
      typed.append(c)
      note = nil
    case .exerciseAnswer(let key, let answer) where key == self.key:
      previous = answer
    case .exerciseSaveFailed(let reason):
      note = reason
    default:
      break
    }
    return []
  }

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let parts = area.split(.vertical, [.fixed(1), .fill(1), .fixed(1)])
    buffer.fill(parts[0], with: Cell(" ", style: theme.title.adding(.reverse)))
    buffer.set(string: " " + L.checkTitle(title), at: Point(x: parts[0].x, y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    let body = parts[1].inset(left: 2, right: 2).inset(top: 1)
    let question = Paragraph(exercise.question, style: theme.text)
    var y = body.y
    let questionHeight = min(question.height(forWidth: body.width, theme: theme), max(0, body.height))
    question.render(in: Rect(x: body.x, y: y, width: body.width, height: questionHeight), buffer: &buffer, theme: theme)
    y += questionHeight + 1
    func put(_ text: String, _ style: Style) {
      guard y < body.bottom else { return }
      buffer.set(string: text, at: Point(x: body.x, y: y), style: style, clipTo: body)
      y += 1
    }
    if case .choice(let options, _) = exercise.answer {
      put(L.checkChoices(options), theme.accent)
      y += 1
    }
    put(L.checkPrompt + typed + (isAnswered ? "" : "▏"), theme.highlight)
    if let note { put(note, theme.error) }
    y += 1
    if let mark {
      put(mark == .right ? L.checkRight : L.checkWrong(exercise.answerText), mark == .right ? theme.positive.adding(.bold) : theme.negative.adding(.bold))
      y += 1
      let explanation = Paragraph(exercise.explanation, style: theme.text)
      let height = min(explanation.height(forWidth: body.width, theme: theme), max(0, body.bottom - y))
      explanation.render(in: Rect(x: body.x, y: y, width: body.width, height: height), buffer: &buffer, theme: theme)
      y += height + 1
    } else if let previous {
      put(L.checkPrevious(previous.response, right: previous.isRight), theme.muted)
    }
    footer.render(in: parts[2], buffer: &buffer, theme: theme)
  }
}
