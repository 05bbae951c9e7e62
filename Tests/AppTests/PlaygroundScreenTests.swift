@testable import App
import Curriculum
import Foundation
import TermUI
import Testing
import Training

/// The "Your own text" form: bundled corpora or a typed path, train's error inline, the last choices remembered.
@Suite final class PlaygroundScreenTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  /// Lists the corpora, checks them and remembers the choices where the app would, in the fixture's folders.
  var runner: EffectRunner { EffectRunner(corporaDirectory: fixture.directory, folders: fixture.folders, onCallersThread: true) }

  /// The form once the runner has answered its start.
  func form() -> PlaygroundScreen {
    var screen = PlaygroundScreen(language: .en)
    _ = screen.carryOut(screen.start(), with: runner)
    return screen
  }

  /// Presses enter and lets the runner check the corpus: the effects the form answers with.
  func open(_ screen: inout PlaygroundScreen) -> [Effect] {
    let runner = self.runner
    let asked = screen.update(.key(.enter)) ?? []
    #expect(describe(asked) == ["openOwnText"] || asked.isEmpty)
    for effect in asked { #expect(runner.perform(effect).isEmpty) }
    runner.waitUntilIdle()
    return runner.poll().flatMap { screen.update($0) ?? [] }
  }

  func render(_ screen: PlaygroundScreen) -> String {
    var buffer = Buffer(size: Size(width: 100, height: 30))
    screen.render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
    return buffer.lines.joined(separator: "\n")
  }

  @Test func itOffersTheBundledCorporaThenAPathToType() {
    var screen = form()
    #expect(screen.bundled == ["fox.txt"])
    (screen.choices.corpus, screen.path) = ("fox.txt", "")
    _ = screen.update(.key(.right))
    #expect(screen.isTypingPath)
    _ = screen.update(.key(.right))
    #expect(screen.choices.corpus == "fox.txt")
    _ = screen.update(.key(.right))
    #expect(screen.isTypingPath && screen.takesText)
    #expect(render(screen).contains("(type a path)"))
  }

  @Test func aBadPathGetsTrainsErrorInlineAndOpensNothing() {
    var screen = form()
    (screen.choices.corpus, screen.path) = ("", "")
    for c in "/nonexistent/notes.txt" { _ = screen.update(.key(.char(c))) }
    let effects = open(&screen)
    #expect(effects.isEmpty)
    #expect(screen.error == "/nonexistent/notes.txt: corpus file not found")
    #expect(render(screen).contains("/nonexistent/notes.txt: corpus file not found"))
    _ = screen.update(.key(.backspace))
    #expect(screen.error == nil && screen.choices.corpus == "/nonexistent/notes.tx")
    // A corpus too short for the size chosen says so in train's words.
    let short = fixture.directory.appendingPathComponent("short.txt")
    try? Data("tiny".utf8).write(to: short)
    screen.path = short.path
    screen.choices.corpus = short.path
    _ = open(&screen)
    #expect(screen.error?.contains("a context of 16 needs at least 17") == true, "\(screen.error ?? "")")
  }

  @Test func aGoodChoiceOpensItsLessonAndIsRememberedNextTime() throws {
    var screen = form()
    screen.choices.corpus = fixture.corpus.path
    _ = screen.update(.key(.down))
    _ = screen.update(.key(.right))
    _ = screen.update(.key(.down))
    _ = screen.update(.key(.right))
    #expect(screen.choices.tokenizer == .word && screen.choices.objective == .mlm)
    let effects = open(&screen)
    guard case .push(let opened) = effects.first, let lesson = opened as? LessonScreen else {
      Issue.record("enter did not open a lesson: \(effects)")
      return
    }
    #expect(lesson.plan.title == "fox.txt")
    #expect(lesson.plan.run.objective == .mlm && lesson.plan.run.tokenizer == .word && lesson.plan.run.dim == 32)
    let again = form()
    #expect(again.choices == screen.choices)
    #expect(again.path == fixture.corpus.path && again.isTypingPath, "a remembered path opens ready to edit")
  }

  @Test func theBrowserEndsWithYourOwnText() {
    var browser = BrowserScreen(lessons: [fixture.plan()], problems: [], language: .zh)
    _ = browser.update(.key(.down))
    _ = browser.update(.key(.down))
    #expect(browser.selected == 1)
    var buffer = Buffer(size: Size(width: 100, height: 30))
    browser.render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
    #expect(buffer.lines.joined().contains("2. 你自己的文本"))
    let effects = browser.update(.key(.enter)) ?? []
    guard case .push(let opened) = effects.first else { Issue.record("nothing opened"); return }
    #expect(opened is PlaygroundScreen)
  }
}
