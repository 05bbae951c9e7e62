import Foundation
import Testing
import TestSupport

/// Screens, views, stage views and the game only decide and draw: files and the model are
/// reached through an `Effect` that the runner carries out, answered by a `Message`.
@Suite struct ScreenPurityTests {
  /// What touches a file, reads the learner's real folders, or runs the model.
  static let forbidden = [
    "FileManager", "contentsOf:", "write(to", "fopen(", "UserFolders(", "StateStore(", "ExerciseRecords(", "QuizRecords(",
    "GameResults(folders", "PredictionRecords(", "GPT(", ".forward(", ".backward(", "Trainer(", "TrainingSession(",
    "FormulaReplay(", "GuessRows.compute", ".predict(tokens", "Checkpoint.",
  ]

  /// The files that must not: under Screens, Views, Stages and Game, and every `*Screen*.swift`.
  static func screenFiles() throws -> [URL] {
    let app = packageRoot().appendingPathComponent("Sources/App")
    let files = try #require(FileManager.default.enumerator(at: app, includingPropertiesForKeys: nil))
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    return files.filter { url in
      let path = url.path.replacingOccurrences(of: app.path + "/", with: "")
      return ["Screens/", "Views/", "Stages/", "Game/"].contains { path.hasPrefix($0) } || url.lastPathComponent.contains("Screen")
    }
  }

  /// A line's code: its string literals and comment left out (the code panel quotes `GPT(config)`).
  static func code(_ line: Substring) -> String {
    var code = String(line)
    if let literal = try? Regex(#""(?:[^"\\]|\\.)*""#) { code = code.replacing(literal, with: "\"\"") }
    if let comment = code.range(of: "//") { code = String(code[..<comment.lowerBound]) }
    return code
  }

  @Test func noScreenTouchesFilesOrRunsTheModel() throws {
    let files = try Self.screenFiles()
    #expect(files.count >= 40, "found \(files.count) files")
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let code = Self.code(line)
        for word in Self.forbidden where code.contains(word) {
          Issue.record("\(file.lastPathComponent):\(number + 1): \(word) — ask the runner with an Effect instead")
        }
      }
    }
  }

  @Test func theCheckSeesWhatItLooksFor() {
    #expect(Self.code(#"    let x = try String(contentsOf: url) // a comment"#).contains("contentsOf:"))
    #expect(!Self.code(#"      case .model: "model = GPT(config)""#).contains("GPT("))
    #expect(!Self.code(#"    // FileManager is the runner's"#).contains("FileManager"))
  }

  @Test func noAppFileIsOver300Lines() throws {
    let app = packageRoot().appendingPathComponent("Sources/App")
    let files = try #require(FileManager.default.enumerator(at: app, includingPropertiesForKeys: nil))
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    for file in files {
      let lines = try String(contentsOf: file, encoding: .utf8).filter { $0 == "\n" }.count
      #expect(lines <= 300, "\(file.lastPathComponent): \(lines) lines")
    }
  }

  /// Every switch in the app names its cases, so a new action, message or effect makes the
  /// compiler ask each screen what it does with it rather than fall into `default:`.
  @Test func noSwitchInTheAppEndsInDefault() throws {
    let app = packageRoot().appendingPathComponent("Sources/App")
    let files = try #require(FileManager.default.enumerator(at: app, includingPropertiesForKeys: nil))
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    #expect(files.count >= 60, "found \(files.count) files")
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
      where Self.code(line).trimmingCharacters(in: .whitespaces).hasPrefix("default:") {
        Issue.record("\(file.lastPathComponent):\(number + 1): default: — name the cases")
      }
    }
  }
}
