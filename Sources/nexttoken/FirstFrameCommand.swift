import App
import ArgumentParser
import Curriculum
import Dispatch
import Foundation

/// `nexttoken first-frame` (hidden): loads the course, draws the browser's first frame, says so.
///
/// `bench` launches it as a child and times launch-to-frame, which is what a learner waits for.
struct FirstFrameCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "first-frame",
    abstract: "Draw the lesson browser's first frame in memory and report (used by bench).",
    shouldDisplay: false)

  func run() throws {
    let start = DispatchTime.now().uptimeNanoseconds
    let lessons = try LessonLibrary.defaultDirectory()
    let seconds = AppBench.firstFrame(lessons: lessons, corpora: try? Corpus.defaultDirectory(), language: .en, folders: UserFolders(), since: start)
    print("frame \(seconds)")
  }

  /// Launches this binary with `first-frame` and returns the seconds until it reported its frame.
  static func measureInChild(runs: Int = 5) throws -> Double {
    guard let executable = Bundle.main.executableURL else { throw ValidationError("cannot find the nexttoken executable") }
    // The children read the folders this process found, so that a folder taken from the
    // current checkout is noted once, here, not again by every child.
    var environment = ProcessInfo.processInfo.environment
    environment["NEXTTOKEN_LESSONS"] = try LessonLibrary.defaultDirectory().path
    if let corpora = try? Corpus.defaultDirectory() { environment["NEXTTOKEN_CORPORA"] = corpora.path }
    var times: [Double] = []
    for _ in 0..<runs {
      let process = Process()
      process.executableURL = executable
      process.arguments = ["first-frame"]
      process.environment = environment
      let output = Pipe(), errors = Pipe()
      process.standardOutput = output
      process.standardError = errors
      let start = DispatchTime.now().uptimeNanoseconds
      try process.run()
      let data = output.fileHandleForReading.readDataToEndOfFile()
      let end = DispatchTime.now().uptimeNanoseconds
      let said = errors.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      guard process.terminationStatus == 0, String(decoding: data, as: UTF8.self).hasPrefix("frame") else {
        let reason = String(decoding: said.isEmpty ? data : said, as: UTF8.self).split(separator: "\n").last.map(String.init)
        throw ValidationError("first-frame run failed: \(reason ?? "exit status \(process.terminationStatus)")")
      }
      times.append(Double(end - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
  }
}
