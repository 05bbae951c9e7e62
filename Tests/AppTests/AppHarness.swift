import App
import Curriculum
import Foundation
import TermUI
import TestSupport
import Testing
import Training

/// Drives an `AppController` through a `TestBackend`, exactly as the terminal loop does.
final class AppHarness {
  let controller: AppController
  let backend: TestBackend
  let terminal: Terminal<TestBackend>

  init(controller: AppController, width: Int = 100, height: Int = 30, capability: ColorCapability = .monochrome, theme: Theme? = nil) {
    self.controller = controller
    backend = TestBackend(size: Size(width: width, height: height))
    terminal = Terminal(backend: backend, theme: theme ?? Theme(capability: capability), minimumSize: Size(width: 80, height: 24))
    draw()
  }

  /// Sends keys one by one, letting the sessions finish their work after each.
  func press(_ keys: Key...) {
    for key in keys {
      _ = controller.handle(.key(key), frame: terminal.previous)
      settle()
    }
  }

  /// Clicks a cell as a terminal reports it (press, then release), through the backend's input.
  func click(_ point: Point) {
    backend.queueClick(at: point)
    deliverQueuedEvents()
  }

  /// Turns the wheel once over a cell.
  func wheel(_ kind: MouseEvent.Kind, at point: Point) {
    backend.scriptedEvents.append(.mouse(MouseEvent(kind, x: point.x, y: point.y)))
    deliverQueuedEvents()
  }

  /// Hands the backend's queued events to the app as the loop does, resolving clicks against the frame on screen.
  private func deliverQueuedEvents() {
    while let event = backend.readEvent(timeout: nil) {
      _ = controller.handle(event, frame: terminal.previous)
      settle()
    }
  }

  /// Where `text` first appears on screen.
  func find(_ text: String) -> Point? {
    for (y, line) in lines.enumerated() {
      if let range = line.range(of: text) { return Point(x: displayWidth(of: line[..<range.lowerBound]), y: y) }
    }
    return nil
  }

  func type(_ text: String) {
    for character in text { press(.char(character)) }
  }

  /// Waits for the sessions, delivers the ticks the loop would, and draws a frame.
  func settle() {
    for _ in 0..<3 {
      controller.waitForSessions()
      _ = controller.handle(.tick)
    }
    draw()
  }

  func resize(_ width: Int, _ height: Int) {
    backend.resize(to: Size(width: width, height: height), queueEvent: false)
    terminal.handleResize()
    _ = controller.handle(.resize(Size(width: width, height: height)))
    draw()
  }

  func draw() {
    terminal.draw { area, buffer in controller.render(in: area, buffer: &buffer, theme: terminal.theme) }
  }

  /// True when the open lesson cannot show its whole narrative at the terminal's size.
  var isNarrativeClipped: Bool {
    controller.isNarrativeClipped(in: Rect(size: backend.screen.size), theme: terminal.theme)
  }

  var lines: [String] { backend.screen.lines }
  var text: String { lines.joined(separator: "\n") }
}

/// Lessons over a small deterministic corpus written to a temporary folder.
struct LessonFixture {
  let directory: URL
  let corpus: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-app-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    corpus = directory.appendingPathComponent("fox.txt")
    let sentences = [
      "The quick brown fox jumps over the lazy dog.", "A lazy dog sleeps in the sun.",
      "The brown fox runs into the woods.", "A quick cat jumps over the fence.",
      "The dog and the fox are friends.", "The sun is warm and the woods are quiet.",
    ]
    var lines: [String] = []
    for i in 0..<120 { lines.append(sentences[(i * 7 + i / 3) % sentences.count]) }
    try (lines.joined(separator: "\n") + "\n").write(to: corpus, atomically: true, encoding: .utf8)
  }

  func plan(objective: Objective = .clm, comparison: Bool = false, language: Language = .en) -> LessonPlan {
    let run = RunConfiguration(
      corpus: corpus.path, objective: objective, tokenizer: .word, layers: 1, heads: 2, dim: 16, context: 8, batch: 4,
      optimizer: .adamw, learningRate: 3e-3, warmupSteps: 0, seed: 11)
    return LessonPlan(
      id: comparison ? "compare" : objective.rawValue, title: comparison ? "MLM against CLM" : "Labels from the text itself",
      summary: "Where the labels come from.", language: language, run: run, isComparison: comparison,
      focusStages: [.tokenize, .labels], prompt: "The quick",
      sections: [.intro: "Press **space** to cut a window from the corpus.", .stage(.labels): "The target row is the input row shifted by one."])
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }

  /// A bundled lesson, with its corpus, as `nexttoken learn` opens it.
  static func bundledPlan(_ id: String, language: Language = .en) throws -> LessonPlan {
    let root = packageRoot()
    let corpora = root.appendingPathComponent("Corpora")
    let (lessons, _) = LessonLibrary.loadAll(directory: root.appendingPathComponent("Lessons"), language: language, corporaDirectory: corpora)
    let lesson = try #require(lessons.first { $0.id == id }, "no bundled lesson \(id)")
    return LessonPlan(lesson: lesson, corporaDirectory: corpora)
  }

  /// The learner's folders, inside the fixture's folder (tests never write to the real ones).
  var folders: UserFolders {
    UserFolders(environment: ["XDG_STATE_HOME": directory.appendingPathComponent("state").path, "XDG_DATA_HOME": directory.appendingPathComponent("data").path])
  }
}

let goldenDirectory = packageRoot().appendingPathComponent("Tests/AppTests/Goldens")
