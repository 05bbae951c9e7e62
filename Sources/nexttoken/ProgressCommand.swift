import App
import ArgumentParser
import Curriculum
import Foundation

/// `nexttoken progress`: what the learner did in each lesson, and the quiz before and now.
struct ProgressCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "progress",
    abstract: "Show your progress: per lesson predictions, checks and the game's best; the course quiz before and now.",
    discussion: """
      Reads the state folder ($XDG_STATE_HOME/nexttoken) and changes nothing. With --json, one \
      JSON object a line: one per lesson ("kind": "lesson"), then the quiz ("kind": "quiz"), \
      for a teacher collecting a class's results.
      """)

  @Flag(help: "One JSON object a line instead of a table.")
  var json = false

  @OptionGroup var language: LanguageOption

  func run() throws {
    let language = language.language
    let course = try Course.load(language: language)
    let report = ProgressReport(lessons: course.plans, language: language, folders: UserFolders())
    for line in json ? report.jsonLines : report.table(language: language) { print(line) }
    fflush(nil)
    for problem in report.problems + course.problems {
      FileHandle.standardError.write(Data("warning: \(problem)\n".utf8))
    }
  }
}
