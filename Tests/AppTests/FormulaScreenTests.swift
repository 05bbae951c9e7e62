import App
import Curriculum
import Foundation
import TermUI
import TestSupport
import Testing
import Training

/// The formula view on the lesson screen: `f` toggles it on every stage, its numbers are the stage view's.
@Suite(.serialized) struct FormulaScreenTests {
  /// The formula panel of every CLM stage and of MLM's labels and loss, in both languages.
  @Test(arguments: [Language.en, .zh])
  func everyStagesFormulaMatchesItsGolden(language: Language) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    for objective in [Objective.clm, .mlm] {
      let plan = fixture.plan(objective: objective, language: language)
      let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: language, open: plan, folders: fixture.folders, predictFirst: false))
      app.press(.char(" "), .char("f"))
      for stage in Stage.allCases {
        if stage != .tokenize { app.press(.char(" ")) }
        guard objective == .clm || [.labels, .loss].contains(stage) else { continue }
        let name = "formula-\(objective.rawValue)-\(stage.number)-\(stage.rawValue)-\(language.rawValue)"
        if let mismatch = goldenMismatch(app.text, named: name, in: goldenDirectory) {
          Issue.record(Comment(rawValue: mismatch))
        }
      }
    }
  }

  @Test(arguments: [Objective.clm, .mlm]) func fTogglesThePanelOnEveryStage(objective: Objective) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan(objective: objective)
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false), width: 80, height: 24)
    app.press(.char(" "))
    for stage in Stage.allCases {
      app.press(.char(Character(String(stage.number))))
      let picture = app.text
      app.press(.char("f"))
      #expect(app.text != picture, "f changes the screen on \(stage)")
      #expect(app.text.contains("formula · \(stage.title(.en))"))
      app.press(.char("f"))
      #expect(app.text == picture, "f again restores \(stage)")
    }
  }

  /// The update's heading names the weight's token, never beside a bare "t = 1": SGD does not use
  /// the step count, and AdamW names it only where its bias correction raises β to it.
  @Test(arguments: [OptimizerKind.sgd, .adamw], [Language.en, .zh])
  func theStepCountShowsOnlyWhereTheUpdateUsesIt(optimizer: OptimizerKind, language: Language) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    var plan = fixture.plan(language: language)
    plan.run.optimizer = optimizer
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: language, open: plan, folders: fixture.folders, predictFirst: false), width: 80, height: 24)
    let pick = { (en: String, zh: String) in language == .zh ? zh : en }
    app.press(.char(" "), .char("8"), .char("f"))
    let heading = try #require(app.lines.first { $0.contains("optimizer.step()") && $0.contains("lr = ") }, "\(app.text)")
    #expect(heading.contains(pick("(token “", "（词元“")), "\(heading)")
    #expect(!heading.contains("t = "), "\(heading)")
    let steps = app.lines.filter { $0.contains("t = 1") }
    switch optimizer {
    case .sgd: #expect(steps.isEmpty, "\(app.text)")
    case .adamw: #expect(steps.count == 1 && steps[0].contains(pick("step count", "步数")), "\(app.text)")
    }
  }

  @Test func theFooterAndHelpOfferF() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan()
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false))
    app.press(.char(" "))
    #expect(app.lines.last?.contains("f formula") == true)
    app.press(.char("f"))
    #expect(app.lines.last?.contains("f picture") == true)
    app.press(.char("?"))
    #expect(app.text.contains("formula view: the stage's math with this step's numbers"))
    #expect(app.text.contains("scroll the formula view"))
  }

  /// The results the panel prints are the numbers the stage views print, on the same screen size.
  @Test func theResultsAreTheStageViewsNumbers() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = fixture.plan()
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false), width: 120, height: 40)
    let trainer = try Trainer(configuration: plan.run, evaluationInterval: 0)
    let trace = try #require(trainer.step(recordTrace: true).trace)
    app.press(.char(" "), .right, .right)
    let i = 2
    let target = Int(trace.batch.labels[i])
    let C = trace.config.channels
    let id = Int(trace.batch.inputs[i])
    let p = formatFixed(Double(Array(trace.probabilities(row: 0, position: i))[target]), decimals: 3)
    let loss = formatFixed(Double(trace.positionLosses[i]), decimals: 3)
    let afterValue = Double(Array(trace.parameterAfter("wte.weight"))[id * C])
    let after = String(format: "%.4f", afterValue).replacingOccurrences(of: "-", with: "−")
    let shown: [(Stage, picture: String, formula: String)] = [
      (.logits, "p \(p)", "= \(p)"),
      (.loss, " \(loss)", "= −ln "),
      (.update, String(format: "%.4f", afterValue), "= \(after)"),
    ]
    for (stage, picture, formula) in shown {
      app.press(.char(Character(String(stage.number))))
      #expect(app.text.contains(picture), "the \(stage) view shows \(picture)")
      app.press(.char("f"))
      #expect(app.text.contains(formula), "the \(stage) formula shows \(formula)")
      if stage == .loss { #expect(app.text.contains("−ln ") && app.text.contains("= \(loss)")) }
      if stage == .update { #expect(app.text.contains("√v̂")) }
      app.press(.char("f"))
    }
  }

  /// At 80×24 every stage's last line is on screen, or PgDn brings it there; Home goes back to the top.
  @Test(arguments: [Objective.clm, .mlm]) func everyPanelReachesItsLastLineAt80x24(objective: Objective) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    var plan = fixture.plan(objective: objective)
    // A lesson's narrative of six lines at 80 columns, as real lessons have, leaves the panel 9 rows.
    let long = String(repeating: "The optimizer moves every weight a little against its gradient. ", count: 6)
    for stage in Stage.allCases { plan.sections[.stage(stage)] = long }
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false), width: 80, height: 24)
    let trainer = try Trainer(configuration: plan.run, evaluationInterval: 0)
    let trace = try #require(trainer.step(recordTrace: true).trace)
    let formulas = Formulas(trace: trace, tokenizer: trainer.tokenizer, replay: try FormulaReplay(trace: trace), language: .en)
    // The whole narrative (n unfolds it), so the panels get the least room.
    app.press(.char(" "), .char("n"), .char("f"))
    var scrolled = 0
    for stage in Stage.allCases {
      app.press(.char(Character(String(stage.number))))
      // The MLM focus moves to a picked position when the trace arrives; the screen shows which.
      let position = objective == .mlm ? Int(trace.batch.labels.firstIndex { $0 >= 0 } ?? 0) : 0
      let lines = formulas.lines(for: stage, focus: Focus(position: position))
      let first = String(try #require(lines.first?.text).prefix(30))
      let last = String(try #require(lines.last?.text).prefix(30))
      #expect(app.text.contains(first), "\(stage) starts at its first line")
      var presses = 0
      while !app.text.contains(last), presses < 6 {
        #expect(app.text.contains("PgUp/PgDn"), "\(stage) says it scrolls")
        app.press(.pageDown)
        presses += 1
      }
      #expect(app.text.contains(last), "\(stage) reaches its last line")
      #expect(app.text.contains("▶ "), "the loop's line stays on \(stage)")
      if presses > 0 {
        scrolled += 1
        app.press(.home)
        #expect(app.text.contains(first))
      }
    }
    #expect(scrolled > 0, "at 80×24 some panel is taller than its area")
  }
}
