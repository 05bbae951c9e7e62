import Curriculum
import Foundation
import TermUI

/// The course quiz: an introduction, the questions one at a time (one try each, then the
/// answer and why), and the score beside the first take's.
///
/// The first take asks the quiz's first form; later takes alternate with the parallel
/// form, so a retake measures learning rather than memory. A take is saved, with its
/// date, when its last question is answered; leaving earlier keeps nothing.
struct QuizScreen: Screen {
  let quiz: Quiz
  /// The takes so far, in this language.
  let history: QuizHistory
  let language: Language
  let form: Quiz.Form
  let exercises: [Exercise]

  enum Phase: Equatable {
    case intro
    case asking(Int)
    case finished
  }

  private(set) var phase = Phase.intro
  var card: CheckCard
  private(set) var answers: [QuizAnswer] = []
  /// The saved take's note or failure, in one line.
  var note: String?

  init(quiz: Quiz, history: QuizHistory, language: Language) {
    self.quiz = quiz
    self.history = history
    self.language = language
    form = history.nextForm
    exercises = quiz.exercises(form)
    card = CheckCard(exercise: exercises[0], tries: 1)
  }

  var right: Int { answers.filter(\.isRight).count }
  var isTyping: Bool { if case .asking = phase { !card.isFinished } else { false } }
  var takesText: Bool { isTyping }

  enum Action: Hashable, CaseIterable {
    case begin, submit, erase, clear, dontKnow, next, close, help
  }

  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    let close = KeyBinding<Action>([.escape, .char("q")], shown: "esc", label: L.checkClose, help: L.quizCloseHelp, priority: 9, action: .close)
    switch phase {
    case .intro:
      return [KeyBinding([.enter, .char(" ")], shown: "enter", label: L.quizBegin, help: L.quizBeginHelp, priority: 10, action: .begin), close, .help(L, priority: 6, action: .help)]
    case .asking where isTyping:
      return [
        KeyBinding([.enter], shown: "enter", label: L.checkSubmit, help: L.checkSubmitHelp, priority: 10, action: .submit),
        KeyBinding([.tab], shown: "tab", label: L.quizDontKnow, help: L.quizDontKnowHelp, priority: 8, action: .dontKnow),
        KeyBinding([.backspace, .delete], shown: "⌫", label: L.checkErase, help: L.pick("erase the last character", "删除最后一个字符"), priority: 5, action: .erase),
        KeyBinding([.ctrl("u")], shown: "^U", label: L.checkClear, help: L.checkClearHelp, priority: 4, action: .clear),
        KeyBinding([.escape], shown: "esc", label: L.checkClose, help: L.quizCloseHelp, priority: 9, action: .close),
      ]
    case .asking:
      return [KeyBinding([.enter, .char(" ")], shown: "enter", label: L.checkNext, help: L.quizNextHelp, priority: 10, action: .next), close, .help(L, priority: 6, action: .help)]
    case .finished:
      return [KeyBinding([.enter, .escape, .char("q")], shown: "enter", label: L.checkClose, help: L.quizDoneHelp, priority: 10, action: .close), .help(L, priority: 6, action: .help)]
    }
  }

  /// Erasing or clearing an empty box, handing in an answer already found unreadable, enter on the last question's mark.
  func isIdle(_ action: Action) -> Bool {
    switch action {
    case .erase: return card.erasesNothing
    case .clear: return card.clearsNothing
    case .submit: return card.submitChangesNothing
    case .begin, .dontKnow, .next, .close, .help: return false
    }
  }

  mutating func perform(_ action: Action) -> [Effect] {
    switch action {
    case .begin:
      phase = .asking(0)
    case .submit:
      guard card.submit() != nil else { return [] }
      return record()
    case .dontKnow:
      card.giveUp()
      return record()
    case .erase:
      card.erase()
    case .clear:
      card.clear()
    case .next:
      guard case .asking(let index) = phase else { return [] }
      if index + 1 < exercises.count {
        phase = .asking(index + 1)
        card = CheckCard(exercise: exercises[index + 1], tries: 1)
      } else {
        phase = .finished
      }
    case .close:
      return [.pop]
    case .help:
      return [.showHelp]
    }
    return []
  }

  /// Notes the finished question; the last one saves the take.
  private mutating func record() -> [Effect] {
    guard case .asking(let index) = phase else { return [] }
    answers.append(QuizAnswer(question: index + 1, response: card.response, isRight: card.outcome == .right))
    guard answers.count == exercises.count else { return [] }
    return [.saveQuizTake(QuizTake(date: Date(), form: form, answers: answers), language)]
  }

  mutating func receive(_ message: Message) -> [Effect] {
    switch message {
    case .key(.char(let c)) where isTyping:
      card.type(c)
    case .quizSaved(let saveNote, let failure):
      note = failure ?? saveNote
    case .key, .mouse, .tick, .resize, .snapshot, .prediction, .formulaReplay, .guessRows, .sampled, .saved, .exerciseAnswer,
      .exerciseSaveFailed, .uncovered, .quizHistory, .gameResults, .gameSaved, .playground, .ownTextProgress, .ownTextOpened,
      .childResult, .guessScores, .embeddingMap, .mergeReplay, .predictions:
      // Keys while not typing, other screens' answers, ticks and resizes change nothing here.
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
    var heading = " " + quiz.title
    if case .asking(let index) = phase { heading += " · " + L.checkCount(index + 1, of: exercises.count) }
    buffer.set(string: heading, at: Point(x: parts[0].x, y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    let body = parts[1].inset(left: 2, right: 2).inset(top: 1)
    switch phase {
    case .intro:
      var lines = [quiz.intro, L.quizFormLine(form, questions: exercises.count)]
      if let score = L.quizScores(history) { lines.append(score) }
      Paragraph(lines.joined(separator: "\n\n"), style: theme.text).render(in: body, buffer: &buffer, theme: theme)
    case .asking:
      card.render(in: body, buffer: &buffer, theme: theme, language: language)
    case .finished:
      var after = history
      after.takes.append(QuizTake(date: Date(), form: form, answers: answers))
      var lines = [L.quizResult(right: right, of: exercises.count)]
      if let score = L.quizScores(after) { lines.append(score) }
      lines.append(after.takes.count == 1 ? L.quizFirstDone : L.quizLaterDone)
      Paragraph(lines.joined(separator: "\n\n"), style: theme.text).render(in: body, buffer: &buffer, theme: theme)
    }
    noteText?.render(in: parts[2].inset(left: 1, right: 1), buffer: &buffer, theme: theme)
    footer.render(in: parts[3], buffer: &buffer, theme: theme)
  }
}
