@testable import App
import Curriculum
import Foundation
import TermUI
import Testing

/// The course quiz and its place in the browser, driven by messages.
@Suite final class QuizScreenTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  static func question(_ text: String, _ answer: Double) -> Exercise {
    Exercise(question: text, answer: .number(answer, tolerance: 0), explanation: "Because \(Int(answer)).",
             wrongAnswers: [.init(value: "\(Int(answer) * 10)", hint: "Ten times too many.")])
  }

  static let quiz = Quiz(
    url: URL(fileURLWithPath: "quiz.en.md"), language: .en, title: "Course quiz", summary: "Three questions.",
    intro: "What do you know?",
    questions: (1...3).map { Quiz.Question(number: $0, first: question("First form \($0)?", Double($0)), retake: question("Retake \($0)?", Double($0 + 10))) })

  func take(_ history: QuizHistory, answers: [String]) -> (screen: QuizScreen, effects: [String]) {
    var screen = QuizScreen(quiz: Self.quiz, history: history, language: .en)
    var effects: [String] = []
    _ = screen.press(.enter)
    for (i, answer) in answers.enumerated() {
      for c in answer { _ = screen.update(.key(.char(c))) }
      effects += screen.press(.enter) ?? []
      if i < answers.count - 1 { _ = screen.press(.enter) }
    }
    return (screen, effects)
  }

  @Test func aFirstTakeAsksTheFirstFormOnceEachAndSavesItsScore() {
    var screen = QuizScreen(quiz: Self.quiz, history: QuizHistory(), language: .en)
    #expect(screen.rendered().joined().contains("What do you know?"))
    _ = screen.press(.enter)
    #expect(screen.rendered().joined().contains("First form 1?"))
    for c in "10" { _ = screen.update(.key(.char(c))) }
    #expect(screen.press(.enter) == [], "one try: marked at once, saved only at the end")
    let marked = screen.rendered().joined(separator: "\n")
    #expect(marked.contains("✗ Not quite: the answer is 1.") && marked.contains("Ten times too many.") && marked.contains("Because 1."))
    _ = screen.press(.enter)
    _ = screen.press(.tab)
    #expect(screen.rendered().joined().contains("The answer is 2."), "tab: don't know")
    _ = screen.press(.enter)
    for c in "√9" { _ = screen.update(.key(.char(c))) }
    #expect(screen.press(.enter) == ["saveQuiz(en, first, 1/3)"])
    _ = screen.press(.enter)
    let done = screen.rendered().joined(separator: "\n")
    #expect(done.contains("You answered 1 of 3 right.") && done.contains("before 1/3"))
    #expect(screen.press(.enter) == ["pop"])
  }

  @Test func aLongAnswerWrapsOnTheCardInsteadOfBeingCut() {
    let sentence = "The gradient reaches it through every layer by the chain rule, and its used rows move"
    let choice = Exercise(
      question: "What happens to wte?", answer: .choice(options: ["Nothing", sentence], correct: 1), explanation: "Because.", wrongAnswers: [])
    let quiz = Quiz(
      url: URL(fileURLWithPath: "quiz.en.md"), language: .en, title: "Course quiz", summary: "One question.", intro: "Go.",
      questions: [Quiz.Question(number: 1, first: choice, retake: choice)])
    var screen = QuizScreen(quiz: quiz, history: QuizHistory(), language: .en)
    _ = screen.press(.enter)
    _ = screen.update(.key(.char("1")))
    _ = screen.press(.enter)
    let lines = screen.rendered(width: 80, height: 24)
    let first = lines.firstIndex { $0.contains("✗ Not quite. The answer:") }
    let shown = first.map { lines[$0...].prefix(2).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") } ?? ""
    #expect(shown.contains("The answer: " + sentence + "."), "\(lines.joined(separator: "\n"))")
  }

  @Test func anAnswerThatIsASentenceIsShownAsOneNotBuriedInAnother() {
    let en = Localized(.en), zh = Localized(.zh)
    #expect(en.checkShown("2") == "The answer is 2.")
    #expect(en.checkShown("The next token of the same text") == "The answer: The next token of the same text.")
    #expect(en.checkShown("It sees only earlier tokens.") == "The answer: It sees only earlier tokens.")
    #expect(en.checkWrong("5.15 ± 0.1") == "✗ Not quite: the answer is 5.15 ± 0.1.")
    #expect(en.checkWrong("The next token of the same text") == "✗ Not quite. The answer: The next token of the same text.")
    #expect(zh.checkShown("同一段文字的下一个词元。") == "答案是 同一段文字的下一个词元。")
    #expect(zh.checkWrong("5") == "✗ 不对：答案是 5。")
  }

  @Test func aRetakeAsksTheParallelFormAndShowsBeforeAndNow() {
    let before = QuizTake(date: Date(timeIntervalSince1970: 0), form: .first, answers: [QuizAnswer(question: 1, response: "1", isRight: true)] + (2...3).map { QuizAnswer(question: $0, response: "0", isRight: false) })
    let (screen, effects) = take(QuizHistory(takes: [before]), answers: ["11", "12", "13"])
    #expect(effects == ["saveQuiz(en, retake, 3/3)"])
    var finished = screen
    _ = finished.press(.enter)
    #expect(finished.rendered().joined().contains("before 1/3 · now 3/3"))
  }

  @Test func theBrowserListsTheQuizAfterTheLessonsAndOffersItOnAFirstOpen() {
    var browser = BrowserScreen(lessons: [fixture.plan(), fixture.plan(objective: .mlm)], problems: [], language: .en)
    browser.quiz = Self.quiz
    #expect(describe(browser.start()) == ["loadPredictions", "loadQuiz(en)"])
    _ = browser.update(.quizHistory(QuizHistory(), problem: nil))
    #expect(browser.selected == 0, "the selection still starts on lesson 1")
    let first = browser.rendered(width: 120, height: 40).joined(separator: "\n")
    #expect(first.contains("What do you know already?"))
    #expect(first.contains("Course quiz") && first.contains("3. Your own text"), "the quiz is unnumbered; the lessons keep their numbers")
    #expect(browser.rendered(width: 120, height: 40).last?.contains("t quiz") == true)
    #expect(browser.press(.char("t")) == ["push(QuizScreen)"])
    _ = browser.press(.down)
    _ = browser.press(.down)
    #expect(browser.selected == browser.quizIndex)
    #expect(browser.press(.enter) == ["push(QuizScreen)"])
    #expect(browser.press(.char("q")) == ["quit"], "q keeps quitting")
    // After a take: the score in the list, the offer gone.
    let take = QuizTake(date: Date(), form: .first, answers: [QuizAnswer(question: 1, response: "1", isRight: true)])
    #expect(describe(browser.update(.uncovered) ?? []) == ["loadQuiz(en)"])
    _ = browser.update(.quizHistory(QuizHistory(takes: [take]), problem: nil))
    browser.selected = 0
    let after = browser.rendered(width: 120, height: 40).joined(separator: "\n")
    #expect(after.contains("before 1/1") && !after.contains("What do you know already?"))
  }

  @Test func afterTheLastLessonsCheckTheQuizIsSelectedAgain() {
    var last = fixture.plan(objective: .mlm)
    last.exercise = Self.question("Q?", 1)
    var browser = BrowserScreen(lessons: [fixture.plan(), last], problems: [], language: .en)
    browser.quiz = Self.quiz
    let take = QuizTake(date: Date(timeIntervalSince1970: 100), form: .first, answers: [QuizAnswer(question: 1, response: "1", isRight: false)])
    _ = browser.update(.quizHistory(QuizHistory(takes: [take]), problem: nil))
    browser.selected = 1
    let key = ExerciseRecords.key(lessonID: last.id, language: .en)
    #expect(describe(browser.update(.uncovered) ?? []) == ["loadQuiz(en)", "loadExercise(\(key))"])
    _ = browser.update(.exerciseAnswer(key, ExerciseAnswer(response: "1", isRight: true, date: Date(timeIntervalSince1970: 200))))
    #expect(browser.selected == browser.quizIndex)
    #expect(browser.rendered(width: 120, height: 40).joined().contains("You reached the end of the course."))
  }

  @Test func anUnreadableResultsFileIsOneLineInTheBrowser() {
    var browser = BrowserScreen(lessons: [fixture.plan()], problems: [], language: .zh)
    browser.quiz = Self.quiz
    _ = browser.update(.quizHistory(QuizHistory(), problem: "/state/quiz.json: not a NextToken quiz file"))
    #expect(browser.rendered(width: 120, height: 40).joined(separator: "\n").contains("/state/quiz.json: not a NextToken quiz file"))
  }
}
