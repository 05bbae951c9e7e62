@testable import App
import Curriculum
import Foundation
import TermUI
import Testing
import Training

/// The lesson screen's update, driven by messages and hand-built snapshots: no session, no threads.
@Suite final class LessonUpdateTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  @Test func spaceStepsOnceThenWalksTheStagesOfThatIteration() throws {
    let plan = fixture.plan()
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    let id = screen.session.raw
    _ = screen.update(.snapshot(screen.session, maker.loaded()))
    #expect(screen.press(.char(" ")) == ["step(\(id))"])
    #expect(screen.stage == nil && screen.pendingStage == .tokenize)
    // While the step is computed, stepping keys wait rather than queue more steps.
    #expect(screen.press(.char(" ")) == [])
    #expect(screen.press(.char("s")) == [])
    #expect(screen.rendered().joined().contains("computing…"))
    _ = screen.update(.snapshot(screen.session, maker.stepped()))
    #expect(screen.stage == .tokenize && screen.pendingStage == nil)
    for stage in Stage.allCases.dropFirst() {
      #expect(screen.press(.char(" ")) == [])
      #expect(screen.stage == stage)
    }
    // After the update, space starts the next iteration.
    #expect(screen.press(.char(" ")) == ["step(\(id))"])
    #expect(screen.pendingStage == .tokenize)
  }

  @Test func enterAndDigitsJumpWithinTheIteration() throws {
    let plan = fixture.plan()
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    // With no trace yet, a digit steps and then shows that stage.
    #expect(screen.press(.char("4")) == ["step(\(screen.session.raw))"])
    _ = screen.update(.snapshot(screen.session, maker.stepped()))
    #expect(screen.stage == .attention)
    #expect(screen.press(.char("2")) == [])
    #expect(screen.stage == .labels)
    #expect(screen.press(.enter) == [])
    #expect(screen.stage == .update)
    #expect(screen.press(.enter) == ["step(\(screen.session.raw))"], "enter on the update finishes the next iteration")
    #expect(screen.press(.char("9")) == nil, "there is no ninth stage")
  }

  @Test func rRunsPausesAndResetsAfterAnExplosion() throws {
    let plan = fixture.plan()
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    let id = screen.session.raw
    _ = screen.update(.snapshot(screen.session, maker.loaded()))
    #expect(screen.rendered().last?.contains("r run") == true)
    #expect(screen.press(.char("r")) == ["run(\(id))"])
    #expect(screen.stage == .tokenize, "running shows the stages from the first")
    _ = screen.update(.snapshot(screen.session, maker.stepped(state: .running)))
    #expect(screen.rendered().last?.contains("r pause") == true)
    // While running, space moves through the stages of the latest trace without stepping.
    #expect(screen.press(.char(" ")) == [])
    #expect(screen.stage == .labels)
    #expect(screen.press(.char("r")) == ["pause(\(id))"])
    _ = screen.update(.snapshot(screen.session, maker.loaded(state: .diverged(loss: .nan, learningRate: 80))))
    #expect(screen.rendered().joined(separator: "\n").contains("The loss exploded"))
    #expect(screen.press(.char(" ")) == [], "a diverged run does not step")
    #expect(screen.press(.char("r")) == ["reset(\(id))"])
    #expect(screen.stage == nil)
  }

  @Test func plusAndMinusDoubleAndHalveTheRateTheSnapshotShows() throws {
    let plan = fixture.plan()
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    let id = screen.session.raw
    _ = screen.update(.snapshot(screen.session, maker.loaded(learningRate: 0.5)))
    #expect(screen.press(.char("+")) == ["lr(\(id), 1.0)"])
    #expect(screen.press(.char("=")) == ["lr(\(id), 1.0)"])
    #expect(screen.press(.char("-")) == ["lr(\(id), 0.25)"])
    #expect(screen.press(.char("_")) == ["lr(\(id), 0.25)"])
    _ = screen.update(.snapshot(screen.session, maker.loaded(learningRate: 1)))
    #expect(screen.press(.char("+")) == ["lr(\(id), 1.0)"], "the rate stays at most 1")
  }

  @Test func arrowsMoveTheFocusAndTabSwitchesThePanel() throws {
    let plan = fixture.plan()
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    _ = screen.update(.snapshot(screen.session, maker.stepped()))
    _ = screen.press(.left)
    #expect(screen.focus.position == 0)
    for _ in 0..<20 { _ = screen.press(.right) }
    #expect(screen.focus.position == plan.run.context - 1)
    _ = screen.press(.down)
    #expect(screen.focus.head == 1)
    _ = screen.press(.down)
    #expect(screen.focus.head == 0 && screen.focus.layer == 0, "one layer of two heads wraps around")
    _ = screen.press(.tab)
    #expect(screen.panel == .dashboard)
    #expect(screen.rendered().joined().contains("gradient norm"))
    _ = screen.press(.tab)
    #expect(screen.panel == .stage)
  }

  @Test func theMLMFocusMovesToAPickedPosition() throws {
    let plan = fixture.plan(objective: .mlm)
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    let snapshot = maker.stepped()
    _ = screen.update(.snapshot(screen.session, snapshot))
    let labels = try #require(snapshot.trace).batch.labels(row: 0)
    #expect(labels[labels.startIndex + screen.focus.position] >= 0)
  }

  @Test func thePromptBoxTypesAsksSamplesAndEdits() throws {
    let plan = fixture.plan()
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    let id = screen.session.raw
    _ = screen.update(.snapshot(screen.session, maker.loaded()))
    #expect(screen.press(.char("p")) == [])
    #expect(screen.takesText)
    // The lesson's prompt opens selected: → keeps it and types after it.
    #expect(screen.press(.right) == [])
    // Every printable key is text now, ? and q included.
    for character in " brown?q" { #expect(screen.press(.char(character)) == []) }
    #expect(screen.prompt?.text == "The quick brown?q")
    #expect(screen.router(helpShownAfter: .char("?")) == false)
    _ = screen.press(.backspace)
    _ = screen.press(.backspace)
    #expect(screen.prompt?.text == "The quick brown")
    let tokens = maker.trainer.tokenizer.encode("The quick brown")
    #expect(screen.press(.enter) == ["predict(\(id), \(tokens.count) tokens)"])
    #expect(screen.press(.char(" ")) == [], "no sampling before the distribution is there")
    let probabilities = (0..<maker.trainer.tokenizer.vocabSize).map { $0 == 5 ? Float(1) : 0 }
    _ = screen.update(.prediction(screen.session, Prediction(tokens: tokens, position: tokens.count - 1, logits: probabilities, probabilities: probabilities)))
    #expect(screen.rendered().joined().contains("next-token distribution"))
    #expect(screen.press(.char(" ")) == ["sample(\(id))"])
    #expect(screen.update(.sampled(screen.session, 5)).map(describe) == ["predict(\(id), \(tokens.count + 1) tokens)"])
    #expect(screen.prompt?.tokens == tokens + [5])
    #expect(screen.prompt?.sampled == [5])
    _ = screen.press(.char("e"))
    #expect(screen.prompt?.isEditing == true)
    #expect(screen.prompt?.text == maker.trainer.tokenizer.decode(tokens + [5]))
    _ = screen.press(.escape)
    #expect(screen.prompt == nil && !screen.takesText)
  }

  @Test func anEmptyPromptSaysSoAndMLMFillsTheFirstMask() throws {
    let plan = fixture.plan(objective: .mlm)
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    let id = screen.session.raw
    _ = screen.update(.snapshot(screen.session, maker.loaded()))
    _ = screen.press(.char("p"))
    _ = screen.press(.ctrl("u"))
    #expect(screen.press(.enter) == [])
    #expect(screen.prompt?.message == "Type a prompt first.")
    for character in "The [MASK] fox" { _ = screen.press(.char(character)) }
    let tokenizer = maker.trainer.tokenizer
    let tokens = tokenizer.encode(withMasks: "The [MASK] fox")
    #expect(tokens.contains(tokenizer.maskID))
    #expect(screen.press(.enter) == ["predict(\(id), \(tokens.count) tokens)"])
    let position = try #require(tokens.firstIndex(of: tokenizer.maskID))
    let uniform = [Float](repeating: 1 / Float(tokenizer.vocabSize), count: tokenizer.vocabSize)
    _ = screen.update(.prediction(screen.session, Prediction(tokens: tokens, position: position, logits: uniform, probabilities: uniform)))
    // The sampled token takes the mask's place; with no mask left, the box says so instead of asking.
    #expect(screen.update(.sampled(screen.session, 3)).map(describe) == [])
    #expect(screen.prompt?.tokens[position] == 3)
    #expect(screen.prompt?.message == "Every [MASK] is filled. e edits, esc closes.")
    _ = screen.press(.char("e"))
    #expect(screen.prompt?.text.contains("[MASK]") == false)
  }

  @Test func renderChangesNothingAndTheNarrativeCheckIsAFunctionOfTheArea() throws {
    var plan = fixture.plan()
    plan.sections[.intro] = String(repeating: "A long introduction that needs many lines. ", count: 40)
    let screen = LessonScreen(plan: plan)
    let theme = Theme(capability: .monochrome)
    #expect(screen.isNarrativeClipped(in: Rect(x: 0, y: 0, width: 80, height: 24), theme: theme))
    #expect(!screen.isNarrativeClipped(in: Rect(x: 0, y: 0, width: 200, height: 80), theme: theme))
    #expect(screen.rendered() == screen.rendered())
  }
}

extension LessonScreen {
  /// Whether a router with this screen on top would show help after `key`.
  func router(helpShownAfter key: Key) -> Bool {
    var router = Router(language: .en, stack: [self])
    _ = router.update(.key(key))
    return router.help != nil
  }
}
