import Foundation
import Testing
import TestSupport
@testable import Curriculum

@Suite struct QuizTests {
  static let lessons = packageRoot().appendingPathComponent("Lessons")

  @Test(arguments: Language.allCases)
  func theCourseQuizLoadsWithTwoFormsOfEveryQuestion(language: Language) throws {
    let quiz = try QuizLoader.load(url: Self.lessons.appendingPathComponent(Quiz.fileName(language)))
    #expect(quiz.language == language)
    #expect((8...12).contains(quiz.questions.count), "about ten questions")
    for question in quiz.questions {
      #expect(question.first.question != question.retake.question, "question \(question.number): the retake is a parallel form")
    }
    // The three questions the course exists to answer come first, in the field's terms.
    let core = quiz.questions.prefix(4).map { $0.first.question + " " + $0.first.explanation }.joined(separator: " ")
    #expect(core.contains(language == .en ? "Self-supervised" : "自监督"))
    #expect(core.contains(language == .en ? "next token" : "下一个词元"))
    #expect(core.contains(language == .en ? "Backpropagation" : "反向传播"))
    let forcing = quiz.questions.map { $0.first.question }.joined()
    #expect(forcing.contains(language == .en ? "Teacher forcing" : "教师强制"))
    // The library does not mistake the quiz for a lesson.
    let (lessons, errors) = LessonLibrary.loadAll(directory: Self.lessons, language: language)
    #expect(errors.isEmpty, "\(errors)")
    #expect(!lessons.contains { $0.url.lastPathComponent.hasPrefix("quiz") })
  }

  func write(_ text: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quiz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent("quiz.en.md")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func problemsAreReportedWithTheirLines() throws {
    let url = try write("""
      ---
      lang: en
      title: Quiz
      summary: A quiz.
      colour: blue
      ---
      ## intro
      Hello.

      ## question 1
      One?

      type: number
      answer: 1
      tolerance: 0
      wrong: 2 no bar here
      explain: One.

      ## question 2
      Two?

      type: number
      answer: 2
      tolerance: 0
      explain: Two.

      ## retake 2
      Two again?

      type: number
      answer: 3
      tolerance: 0
      wrong: 3.0 | right
      explain: Three.

      ## bonus 3
      x
      """)
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let problems = QuizLoader.check(url: url).map { "\($0.line): \($0.message)" }
    #expect(problems == [
      "5: unknown field 'colour'; a quiz has lang, title, summary",
      "10: question 1 has no '## retake 1' section: a retake asks a parallel form",
      "16: 'wrong:' needs a value and its hint separated by |, e.g. 'wrong: 0.006 | That is p; the loss is −ln p.'",
      "33: wrong value '3.0' would be marked right (the answer is 3)",
      "36: unknown section '## bonus 3'; expected '## intro', '## question N' or '## retake N'",
    ])
  }
}

@Suite struct QuizRecordsTests {
  func folders() -> (UserFolders, URL) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("quiz-state-\(UUID().uuidString)")
    return (UserFolders(environment: ["HOME": root.path, "XDG_STATE_HOME": root.path, "XDG_DATA_HOME": root.path]), root)
  }

  @Test func takesAreKeptPerLanguageWithTheirDatesBeforeAndNow() throws {
    let (folders, root) = folders()
    defer { try? FileManager.default.removeItem(at: root) }
    let records = QuizRecords(folders: folders)
    #expect(records.history(.en).history.takes.isEmpty)
    #expect(records.history(.en).history.nextForm == .first)
    let first = QuizTake(date: Date(timeIntervalSince1970: 1_000_000), form: .first, answers: (1...10).map { QuizAnswer(question: $0, response: "x", isRight: $0 <= 4) })
    let second = QuizTake(date: Date(timeIntervalSince1970: 2_000_000), form: .retake, answers: (1...10).map { QuizAnswer(question: $0, response: "y", isRight: $0 <= 9) })
    #expect(try records.append(first, language: .en) == nil)
    #expect(try records.append(second, language: .en) == nil)
    let (history, problem) = records.history(.en)
    #expect(problem == nil)
    #expect(history.before?.right == 4 && history.now?.right == 9 && history.now?.asked == 10)
    #expect(history.nextForm == .first, "a third take goes back to the first form")
    #expect(history.takes.map(\.date) == [first.date, second.date])
    #expect(records.history(.zh).history.takes.isEmpty, "each language has its own")
  }

  @Test func aCorruptFileIsReportedInOneLineMovedAsideAndNeverOverwritten() throws {
    let (folders, root) = folders()
    defer { try? FileManager.default.removeItem(at: root) }
    let records = QuizRecords(folders: folders)
    try FileManager.default.createDirectory(at: folders.state, withIntermediateDirectories: true)
    let garbage = Data("{ this is not json".utf8)
    try garbage.write(to: records.url)
    let problem = try #require(records.history(.en).problem)
    #expect(problem.contains("quiz.json") && !problem.contains("\n"))
    #expect(try Data(contentsOf: records.url) == garbage, "reading never writes")
    let take = QuizTake(date: Date(), form: .first, answers: [QuizAnswer(question: 1, response: "2", isRight: true)])
    let note = try #require(try records.append(take, language: .en))
    #expect(note.contains("kept as quiz.json.unreadable-") && !note.contains("\n"))
    let aside = try FileManager.default.contentsOfDirectory(atPath: folders.state.path).filter { $0.hasPrefix("quiz.json.unreadable-") }
    #expect(aside.count == 1)
    #expect(try Data(contentsOf: folders.state.appendingPathComponent(aside[0])) == garbage, "the old file is kept whole")
    #expect(records.history(.en).history.before?.right == 1)
  }
}
