@testable import App
import Curriculum
import Foundation
import Testing

/// `nexttoken progress`: what the state folder holds, per lesson and for the quiz.
@Suite final class ProgressTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  @Test func eachLessonAndTheQuizIsOneJSONObjectALine() throws {
    var plan = fixture.plan()
    plan.exercises = [QuizScreenTests.question("A?", 1), QuizScreenTests.question("B?", 2)]
    let other = fixture.plan(objective: .mlm)
    let folders = fixture.folders
    let key = ExerciseRecords.key(lessonID: plan.id, language: .en)
    let records = ExerciseRecords(folders: folders)
    try records.save(ExerciseAnswer(response: "1", isRight: true, date: Date()), for: key)
    try records.save(ExerciseAnswer(response: "9", isRight: false, date: Date()), for: ExerciseRecords.key(base: key, index: 1))
    let quiz = QuizRecords(folders: folders)
    try quiz.append(QuizTake(date: Date(timeIntervalSince1970: 0), form: .first, answers: [QuizAnswer(question: 1, response: "1", isRight: false)]), language: .en)
    try quiz.append(QuizTake(date: Date(timeIntervalSince1970: 1000), form: .retake, answers: [QuizAnswer(question: 1, response: "1", isRight: true)]), language: .en)
    let report = ProgressReport(lessons: [plan, other], language: .en, folders: folders)
    #expect(report.problems.isEmpty)
    #expect(report.lessons[0].checks == LessonProgress.Tally(right: 1, asked: 2))
    #expect(report.lessons[1].checks == nil && report.lessons[1].predictions == nil)
    let lines = report.jsonLines
    #expect(lines.count == 3)
    for line in lines {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(object["kind"] as? String != nil)
    }
    #expect(lines[2].contains(#""before":{"asked":1,"date":"1970-01-01T00:00:00Z","right":0}"#))
    #expect(lines[2].contains(#""now":{"asked":1,"date":"1970-01-01T00:16:40Z","right":1}"#))
    #expect(report.table(language: .en).last == "Course quiz: before 0/1 · now 1/1")
  }

  @Test func anUnreadableStateFileIsOneProblemLineAndNothingIsWritten() throws {
    let folders = fixture.folders
    try FileManager.default.createDirectory(at: folders.state, withIntermediateDirectories: true)
    let url = folders.state.appendingPathComponent("quiz.json")
    try Data("garbage".utf8).write(to: url)
    let report = ProgressReport(lessons: [fixture.plan()], language: .zh, folders: folders)
    #expect(report.problems.count == 1 && report.problems[0].contains("quiz.json"))
    #expect(try Data(contentsOf: url) == Data("garbage".utf8))
    #expect(report.table(language: .zh).last == "课程测验：还没做过")
  }
}
