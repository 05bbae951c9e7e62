@testable import App
import Curriculum
import Foundation
import TermUI
import TestSupport
import Testing

/// Every screen on a console-safe theme (the Linux console, `--ascii`): only characters
/// its fonts hold, each other one given a declared stand-in, and never braille.
@Suite(.serialized) struct ConsoleScreenTests {
  static let theme = Theme(capability: .c16, consoleSafe: true)

  /// What a frame draws outside the set with no declared stand-in, and any braille, as "U+XXXX 'c'".
  ///
  /// Wide characters (the Chinese of the mixed corpus in lesson 2) have no font on a
  /// console at all and become "??" there; every narrow one needs a stand-in of its own.
  static func problems(in buffer: Buffer) -> Set<String> {
    var found: Set<String> = []
    for cell in buffer.cells where cell.width == 1 {
      let grapheme = cell.grapheme
      let isBraille = grapheme.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) }
      if isBraille || ConsoleCharset.standIn(for: grapheme) == nil {
        let code = grapheme.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
        found.insert("\(code) '\(grapheme)'")
      }
    }
    return found
  }

  /// Renders the app's current frame as the terminal would and checks it; returns its text.
  @discardableResult
  static func check(_ app: AppHarness, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    var frame = Buffer(size: app.backend.size)
    app.controller.render(in: frame.area, buffer: &frame, theme: theme)
    let problems = problems(in: frame)
    #expect(problems.isEmpty, "\(what) draws \(problems.sorted()) with no console stand-in:\n\(frame.lines.joined(separator: "\n"))", sourceLocation: sourceLocation)
    // What reaches the terminal: the terminal's own frame, after its stand-ins.
    let outside = app.backend.screen.cells.filter { $0.width > 0 && !ConsoleCharset.contains($0.grapheme) }.map(\.grapheme)
    #expect(outside.isEmpty, "\(what) sent \(Set(outside).sorted()) to a console", sourceLocation: sourceLocation)
    return app.text
  }

  static func englishPlans() -> [LessonPlan] {
    let root = packageRoot()
    let corpora = root.appendingPathComponent("Corpora")
    let (lessons, _) = LessonLibrary.loadAll(directory: root.appendingPathComponent("Lessons"), language: .en, corporaDirectory: corpora)
    return lessons.map { LessonPlan(lesson: $0, corporaDirectory: corpora) }
  }

  @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
  func everyScreenOfEveryLessonKeepsToTheConsoleSet(size: Size) throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-console-\(UUID())")
    defer { try? FileManager.default.removeItem(at: state) }
    // Its fine-tuning bases come from the shared data folder, trained once for every test.
    let folders = UserFolders(
      environment: ["HOME": state.path, "XDG_STATE_HOME": state.path, "XDG_DATA_HOME": SharedBases.dataHome.path])
    let plans = Self.englishPlans()
    #expect(plans.count >= 11)

    // The browser (with a lesson that failed to load), its help, and the playground behind its last entry.
    let browser = AppHarness(
      controller: AppController.onOneThread(
        lessons: plans, problems: ["99-broken.en.md:3: unknown key 'stages'"], language: .en, corporaDirectory: nil, folders: folders),
      width: size.width, height: size.height, theme: Self.theme)
    Self.check(browser, "the browser")
    browser.press(.char("?"))
    Self.check(browser, "the browser's help")
    browser.press(.escape)
    for _ in plans { browser.press(.down) }
    browser.press(.enter)
    Self.check(browser, "the playground")

    for plan in plans {
      let app = AppHarness(
        controller: AppController.onOneThread(lessons: [plan], language: .en, corporaDirectory: nil, open: plan, folders: folders),
        width: size.width, height: size.height, theme: Self.theme)
      Self.check(app, "\(plan.id): the introduction")
      if plan.isComparison {
        app.press(.char("s"), .char(" "))
        Self.check(app, "\(plan.id): compare")
        continue
      }
      for stage in Stage.allCases {
        app.press(.char(" "))
        if let check = app.controller.openCheck {
          Self.check(app, "\(plan.id): its check")
          app.type(check.answerText.components(separatedBy: " ± ")[0])
          app.press(.enter)
          let answered = Self.check(app, "\(plan.id): its check, answered")
          #expect(answered.contains("+"), "the check's ✓ has its stand-in:\n\(answered)")
          app.press(.escape, .char(" "))
        }
        // Predict first: the question, then its mark above the picture.
        if let question = (app.controller.router.top as? LessonScreen)?.predict.waiting {
          Self.check(app, "\(plan.id): the question before stage \(stage)")
          app.press(question.isYesNo ? .char("y") : .char("1"))
        }
        Self.check(app, "\(plan.id): stage \(stage)")
        app.press(.char("f"))
        Self.check(app, "\(plan.id): the formula of stage \(stage)")
        app.press(.char("f"))
      }
      app.press(.char("s"), .char("s"), .tab)
      Self.check(app, "\(plan.id): the dashboard")
      app.press(.tab, .char("?"))
      Self.check(app, "\(plan.id): help")
      app.press(.escape, .char("p"))
      app.type("The ")
      app.press(.enter)
      Self.check(app, "\(plan.id): the prompt box")
      app.press(.escape)
      if plan.run.objective == .clm {
        app.press(.char("g"))
        app.type("e")
        Self.check(app, "\(plan.id): the guessing game")
        app.press(.escape)
      }
    }
  }

  @Test func theDashboardsMilestonesPreviousRunAndRateChangeHaveStandIns() throws {
    let (screen, fixture) = try WatchScreenTests().watchedScreen(language: .en)
    defer { fixture.remove() }
    for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
      var frame = Buffer(size: size)
      screen.render(in: frame.area, buffer: &frame, theme: Self.theme)
      let text = frame.lines.joined(separator: "\n")
      #expect(text.contains("★"), "the plot marks the best step:\n\(text)")
      let problems = Self.problems(in: frame)
      #expect(problems.isEmpty, "the dashboard draws \(problems.sorted()) with no console stand-in:\n\(text)")
      frame.restrictToConsoleCharset()
      #expect(frame.cells.allSatisfy { ConsoleCharset.contains($0.grapheme) }, "\(frame.lines.joined(separator: "\n"))")
      #expect(frame.lines.joined().contains("*"), "★ is drawn as *")
    }
  }

  @Test func everyLessonTextHasAStandInForEachCharacter() {
    for plan in Self.englishPlans() {
      let texts = [plan.title, plan.summary, plan.prompt] + plan.sections.values
        + [plan.exercise?.question, plan.exercise?.explanation].compactMap { $0 }
      for text in texts {
        let missing = Set(text.filter { ConsoleCharset.standIn(for: $0) == nil && displayWidth(of: $0) == 1 })
        #expect(missing.isEmpty, "\(plan.source): \(missing.sorted()) have no console stand-in")
      }
    }
  }
}
