import Curriculum
import TermUI

/// The browser's course quiz: its key and entry, the offer on a first open and after the last lesson, the scores.
extension BrowserScreen {
  /// `t` takes the quiz from anywhere in the list (`q` and esc keep quitting).
  func quizKeys(_ L: Localized) -> [KeyBinding<Action>] {
    guard quiz != nil else { return [] }
    return [KeyBinding([.char("t")], shown: "t", label: L.quizKey, help: L.quizKeyHelp, priority: 8, action: .quiz)]
  }

  func openQuiz() -> [Effect] {
    guard let quiz, !quiz.questions.isEmpty else { return [] }
    return [.push(QuizScreen(quiz: quiz, history: quizHistory, language: language))]
  }

  /// The key of the last lesson's check: once it is answered after the last take, the quiz is offered again.
  var lastLessonKey: String? {
    guard let last = lessons.last, !last.exercises.isEmpty else { return nil }
    return ExerciseRecords.key(lessonID: last.id, language: language)
  }

  mutating func receiveQuiz(_ message: Message) -> [Effect] {
    switch message {
    case .quizHistory(let history, let problem):
      quizHistory = history
      quizProblem = problem
    case .uncovered:
      // Back from a lesson or the quiz: scores may have changed.
      guard quiz != nil else { return [] }
      return [.loadQuizHistory(language)] + (lastLessonKey.map { [.loadExerciseAnswer($0)] } ?? [])
    case .exerciseAnswer(let key, let answer?) where key == lastLessonKey:
      // Just back from the last lesson, its check answered since the last take: select the quiz, nothing modal.
      let lastTake = quizHistory.takes.last?.date ?? .distantPast
      if !hasOfferedRetake, selected == lessons.count - 1, answer.date > lastTake, let quizIndex {
        hasOfferedRetake = true
        isOfferingRetake = true
        selected = quizIndex
      }
    case .key, .mouse, .tick, .resize, .snapshot, .prediction, .formulaReplay, .guessRows, .sampled, .saved, .exerciseAnswer,
      .exerciseSaveFailed, .quizSaved, .gameResults, .gameSaved, .playground, .ownTextProgress, .ownTextOpened, .childResult,
      .guessScores, .embeddingMap, .mergeReplay, .predictions:
      // The other lessons' answers, keys (handled before), ticks and resizes change nothing here.
      break
    }
    return []
  }

  /// The quiz's two rows in the list: unnumbered, with the scores once there are any.
  func renderQuizEntry(in area: Rect, style: Style, buffer: inout Buffer, theme: Theme) {
    guard let quiz else { return }
    let L = Localized(language)
    Self.renderRow("   " + L.quizEntry, style: style, at: area.y, in: area, buffer: &buffer)
    let second = L.quizScores(quizHistory) ?? quiz.summary
    Self.renderRow("   " + second, style: theme.muted, at: area.y + 1, in: area, buffer: &buffer)
  }

  /// The quiz's introduction, its scores, and the offer to take it (again).
  func renderQuizPreview(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard let quiz else { return }
    let L = Localized(language)
    let inner = Frame(title: quiz.title).render(in: area, buffer: &buffer, theme: theme)
    var paragraphs: [String] = []
    if let scores = L.quizScores(quizHistory) { paragraphs.append(scores) }
    paragraphs.append(isOfferingRetake ? L.quizAgainOffer(quizHistory) : quiz.intro)
    paragraphs.append(L.quizFormLine(quizHistory.nextForm, questions: quiz.questions.count))
    Paragraph(paragraphs.joined(separator: "\n\n"), style: theme.text).render(in: inner, buffer: &buffer, theme: theme)
  }

  /// Rows the first-open offer takes at the foot of a lesson's preview: only on lesson 1, before any take.
  func quizOfferHeight(_ inner: Rect, theme: Theme) -> Int {
    guard let quiz, !quiz.questions.isEmpty, quizHistory.takes.isEmpty, quizProblem == nil, selected == 0 else { return 0 }
    let text = Paragraph(Localized(language).quizOffer(questions: quiz.questions.count))
    let height = text.height(forWidth: max(1, inner.width - 2), theme: theme) + 2
    return inner.height >= height + 6 ? height : 0
  }

  /// "What do you know already?": a framed invitation below lesson 1's introduction.
  func renderQuizOffer(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard let quiz else { return }
    let L = Localized(language)
    let inner = Frame(title: L.quizOfferTitle).render(in: area, buffer: &buffer, theme: theme)
    Paragraph(L.quizOffer(questions: quiz.questions.count), style: theme.accent).render(in: inner, buffer: &buffer, theme: theme)
  }
}
