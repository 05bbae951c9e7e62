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

  @Test func whileOpeningAProgressLineStandsUnderTheCorpusAndEscStopsIt() {
    var screen = form()
    (screen.choices.corpus, screen.path) = (fixture.corpus.path, fixture.corpus.path)
    let asked = screen.update(.key(.enter)) ?? []
    #expect(describe(asked) == ["openOwnText"] && screen.isOpening)
    _ = screen.update(.ownTextProgress(CorpusProgress(phase: .tokenizing, name: "fox.txt", done: 1, total: 2)))
    let shown = render(screen)
    #expect(shown.contains("tokenizing fox.txt ██████████░░░░░░░░░░ 50%"), "\(shown)")
    #expect(shown.contains("esc stop"), "\(shown)")
    let stopped = screen.update(.key(.escape)) ?? []
    #expect(describe(stopped) == ["cancelOwnText"] && !screen.isOpening && screen.progress == nil)
    // The answer of the stopped load opens nothing and shows nothing, even a late success.
    #expect(screen.update(.ownTextOpened(.failure(OwnTextError(message: "fox.txt: loading cancelled", isCancelled: true))))?.isEmpty != false)
    #expect(screen.update(.ownTextOpened(.success(fixture.plan())))?.isEmpty != false)
    #expect(screen.error == nil && !render(screen).contains("cancelled"))
    // esc again goes back.
    #expect(describe(screen.update(.key(.escape)) ?? []) == ["pop"])
  }

  @Test func theRunnerStopsTheLoadItWasAskedToStop() {
    let runner = self.runner
    var choices = PlaygroundChoices()
    choices.corpus = fixture.corpus.path
    #expect(runner.perform(.openOwnText(choices, .en)).isEmpty)
    #expect(runner.perform(.cancelOwnText).isEmpty)
    runner.waitUntilIdle()
    let answers = runner.poll()
    guard case .ownTextOpened(.failure(let failure))? = answers.last else {
      Issue.record("expected a cancelled load: \(answers)")
      return
    }
    #expect(failure.isCancelled && failure.message == "\(fixture.corpus.path): loading cancelled")
  }

  @Test func aLongErrorIsShownWholeWrappedAtTheScreensWidthAndThePathRuleIsStated() {
    var screen = form()
    (screen.choices.corpus, screen.path) = ("", "")
    _ = screen.update(.key(.char("x")))
    var buffer = Buffer(size: Size(width: 80, height: 24))
    screen.render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
    let rule = buffer.lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
    #expect(rule.contains("a UTF-8 text file of at most 8 MB; ~/ is your home folder, other paths start from \(FileManager.default.currentDirectoryPath)"), "\(buffer.lines.joined(separator: "\n"))")
    screen.error = "/home/learner/some/long/folder/notes.txt: cannot read the corpus file (The operation could not be completed because the file is locked by another program)"
    buffer = Buffer(size: Size(width: 80, height: 24))
    screen.render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
    let words = buffer.lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
    #expect(words.contains(screen.error ?? ""), "\(buffer.lines.joined(separator: "\n"))")
    #expect(words.contains("tokenizer ‹ char ›"), "the fields below the error move down, none is covered")
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
