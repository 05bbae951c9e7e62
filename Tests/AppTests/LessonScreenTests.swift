@testable import App
import Curriculum
import Foundation
import TermUI
import TestSupport
import Testing
import Training

@Suite(.serialized) struct LessonScreenTests {
  /// Steps through all eight stages of one iteration and compares every screen with its golden.
  @Test(arguments: [Objective.clm, .mlm])
  func everyStageMatchesItsGolden(objective: Objective) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan(objective: objective)
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false))
    #expect(app.text.contains("Press space to run the first iteration"))
    for stage in Stage.allCases {
      app.press(.char(" "))
      let name = "\(objective.rawValue)-\(stage.number)-\(stage.rawValue)"
      if let mismatch = goldenMismatch(app.text, named: name, in: goldenDirectory) {
        Issue.record(Comment(rawValue: mismatch))
      }
    }
  }

  @Test func clmTargetsAreTheInputsShiftedByOne() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan()
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false))
    app.press(.char(" "), .char(" "))
    let input = try #require(app.lines.first { $0.hasPrefix(" input ") })
    let target = try #require(app.lines.first { $0.hasPrefix(" target ") })
    // Column by column, each target token is the next input token.
    let inputs = input.dropFirst(7).split(separator: " ").map(String.init)
    let targets = target.dropFirst(7).split(separator: " ").map(String.init)
    #expect(inputs.count >= 4)
    #expect(Array(inputs.dropFirst()) == Array(targets.prefix(inputs.count - 1)))
  }

  @Test func mlmShowsMasksAndLabelsOnlyAtPickedPositions() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan(objective: .mlm)
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false))
    app.press(.char(" "), .char(" "))
    #expect(app.text.contains("picked "))
    #expect(app.text.contains("80% [MASK]"))
    let label = try #require(app.lines.first { $0.hasPrefix(" label ") })
    #expect(label.contains("·"), "unpicked positions show as ignored")
  }

  @Test func theLossStageShowsTheTracesNumbers() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan()
    let controller = AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false)
    let app = AppHarness(controller: controller)
    app.press(.char(" "), .char("6"))
    // The headless trainer with the same configuration computes the same first loss.
    let trainer = try Trainer(configuration: plan.run, evaluationInterval: 0)
    let trace = try #require(trainer.step(recordTrace: true).trace)
    #expect(app.text.contains(String(format: "= %.3f", Double(trace.loss))))
    let first = String(format: "%.3f", Double(trace.positionLosses[0]))
    #expect(app.text.contains(first))
  }

  @Test func tooSmallTerminalShowsTheEnlargeScreenAndRecovers() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan()
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false))
    app.press(.char(" "))
    app.resize(60, 20)
    #expect(app.text.contains("Please enlarge the terminal to 80×24"))
    #expect(app.text.contains("(now 60×20)"))
    app.resize(80, 24)
    #expect(app.text.contains("Tokenize"))
    app.resize(120, 40)
    #expect(app.text.contains("training loop"), "the code panel appears on wide screens")
  }

  @Test func thePromptBoxStepsGenerationOneTokenPerKey() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan()
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false))
    app.press(.char("p"))
    #expect(app.text.contains("> The quick"))
    app.press(.right)
    app.type(" brown")
    app.press(.enter)
    #expect(app.text.contains("next-token distribution"))
    let before = app.text
    app.press(.char(" "))
    app.press(.char(" "))
    #expect(app.text != before)
    #expect(app.text.contains("The quick brown"))
    app.press(.escape)
    #expect(!app.text.contains("next-token distribution"))
  }

  @Test func thePromptBoxLeavesNoSliversOfTheDashboardBesideIt() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan()
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false))
    app.resize(120, 40)
    app.press(.char("s"), .char("s"), .tab, .char("p"))
    let boxRows = app.lines.filter { line in
      let characters = Array(line)
      return characters.count > 2 && "┌│└".contains(characters[2])
    }
    #expect(boxRows.count >= 10, "\(app.text)")
    for row in boxRows {
      #expect(row.hasPrefix("  ") && row.hasSuffix("  "), "beside the box: \(row)")
    }
  }

  @Test func thePromptOpensSelectedSoTypingReplacesIt() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan()
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false))
    app.press(.char("p"))
    app.type("The lazy")
    #expect(app.text.contains("> The lazy▏"), "typing appended instead of replacing:\n\(app.text)")
    #expect(!app.text.contains("The quickThe lazy"))
    app.press(.escape, .char("p"), .backspace)
    #expect(app.text.contains("> ▏"), "erasing a selected prompt clears it:\n\(app.text)")
  }

  @Test func temperatureAndTopKRedrawTheDistributionAndPerplexityCountsTheSample() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan()
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false))
    app.press(.char("p"), .enter)
    #expect(app.text.contains("temperature 1 · top-k all · perplexity –"), "\(app.text)")
    let cutBar = #" cut *│"#
    #expect(app.text.range(of: cutBar, options: .regularExpression) == nil)
    app.press(.char("t"))
    #expect(app.text.contains("temperature 1.5"))
    app.press(.char("t"))
    #expect(app.text.contains("temperature greedy"))
    // Greedy: one bar holds everything.
    #expect(app.text.contains("1.000"), "\(app.text)")
    app.press(.char("k"), .char("k"), .char("k"))
    #expect(app.text.contains("top-k 3"))
    #expect(app.text.range(of: cutBar, options: .regularExpression) != nil, "tokens beyond the top 3 are shown cut:\n\(app.text)")
    app.press(.char(" "))
    #expect(app.text.range(of: #"perplexity \d+\.\d"#, options: .regularExpression) != nil, "\(app.text)")
  }

  @Test func helpOverlayListsTheKeys() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan()
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false))
    app.press(.char("?"))
    #expect(app.text.contains("run / pause live training"))
    app.press(.char("x"))
    #expect(!app.text.contains("run / pause live training"))
  }

  @Test func compareShowsBothObjectivesSideBySide() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan(comparison: true)
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false), width: 120, height: 36)
    app.press(.char("s"))
    #expect(app.text.contains("CLM — predict the next token"))
    #expect(app.text.contains("MLM — recover masked tokens"))
    #expect(app.text.components(separatedBy: "step 1").count - 1 == 2)
  }

  @Test func theBrowserListsLessonsAndReportsBrokenOnes() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let app = AppHarness(controller: AppController.onOneThread(
      lessons: [fixture.plan(), fixture.plan(objective: .mlm)],
      problems: ["Lessons/03-bad.en.md:4: 'objective' must be clm, mlm or compare"], language: .en, folders: fixture.folders))
    #expect(app.text.contains("1. Labels from the text itself"))
    #expect(app.text.contains("Lessons/03-bad.en.md:4"))
    app.press(.down, .enter)
    #expect(app.text.contains("MLM"))
    app.press(.char("q"))
    #expect(app.text.contains("1. Labels from the text itself"))
  }

  @Test func chineseInterfaceRendersWideText() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan(language: .zh)
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .zh, open: plan, folders: fixture.folders, predictFirst: false))
    app.press(.char(" "), .char(" "))
    #expect(app.text.contains("标签"))
    #expect(app.text.contains("目标"))
  }
}

@Suite struct DivergenceScreenTests {
  /// The session's snapshots are built by hand: the session's own pausing on a non-finite loss is a Training test.
  @Test func anExplodingLossIsExplainedOnScreen() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    var plan = fixture.plan()
    plan.run.learningRate = 80
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    #expect(screen.press(.char("r")) == ["run(\(screen.session.raw))"])
    var exploded = maker.stepped(state: .diverged(loss: 812.5, learningRate: 80))
    exploded.learningRate = 80
    _ = screen.update(.snapshot(screen.session, exploded))
    var text = screen.rendered().joined(separator: "\n")
    #expect(text.contains("The loss exploded"))
    #expect(text.contains("Press - to") && text.contains("r to reset"))
    // - halves the rate; r after an explosion resets rather than runs.
    #expect(screen.press(.char("-")) == ["lr(\(screen.session.raw), 40.0)"])
    exploded.learningRate = 40
    _ = screen.update(.snapshot(screen.session, exploded))
    #expect(screen.press(.char("r")) == ["reset(\(screen.session.raw))"])
    var reset = maker.loaded(learningRate: 40)
    reset.previousRun = PreviousRun(losses: exploded.losses, validation: [], milestones: [], learningRate: 80, learningRateChanges: [])
    _ = screen.update(.snapshot(screen.session, reset))
    text = screen.rendered().joined(separator: "\n")
    #expect(!text.contains("The loss exploded"))
    #expect(text.contains("lr 40 "))
  }
}
