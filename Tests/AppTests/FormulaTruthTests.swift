@testable import App
import Curriculum
import Foundation
import TermUI
import Testing
@testable import Training

/// The formula view's attention weights are computed from the step's own weights, live and in history.
@Suite final class FormulaTruthTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  /// softmax(q·k/√d) over the visible keys of one query, from a replay's q and k.
  func softmax(_ replay: FormulaReplay, trace: StepTrace, layer: Int, head: Int, query i: Int) -> [Double] {
    let H = trace.config.heads
    let d = Double(trace.config.channels / H)
    let q = replay.headVector(0, layer: layer, head: head, heads: H, row: 0, position: i)
    let scores = (0...i).map { j in
      zip(q, replay.headVector(1, layer: layer, head: head, heads: H, row: 0, position: j)).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / d.squareRoot()
    }
    let sum = scores.reduce(0.0) { $0 + exp($1) }
    return scores.map { exp($0) / sum }
  }

  /// A lesson 12 steps in, its history as the session keeps it (compacted traces of 1, 2, 3, 5, 10), on the attention stage.
  func lesson() throws -> (LessonScreen, TraceHistory) {
    let plan = fixture.plan()
    let trainer = try Trainer(configuration: plan.run, evaluationInterval: 0)
    var history = TraceHistory()
    for _ in 1...12 {
      let trace = try #require(trainer.step(recordTrace: true).trace)
      history.record(trace)
    }
    var snapshot = SessionSnapshot(learningRate: plan.run.learningRate, reference: trainer.reference, configuration: plan.run)
    snapshot.tokenizer = trainer.tokenizer
    snapshot.trace = history.newest
    snapshot.step = 12
    snapshot.history = history
    snapshot.version = 1
    var screen = LessonScreen(plan: plan)
    _ = screen.update(.snapshot(screen.session, snapshot))
    _ = screen.press(.char("4"))
    #expect(screen.stage == .attention)
    return (screen, history)
  }

  /// Carries out the replay the formula view asks for, as the runner does (off the main thread), and hands it back.
  func replay(_ effects: [Effect], into screen: inout LessonScreen) {
    let runner = EffectRunner(corporaDirectory: nil, folders: fixture.folders, onCallersThread: true)
    for effect in effects { _ = runner.perform(effect) }
    runner.waitUntilIdle()
    for message in runner.poll() { _ = screen.update(message) }
  }

  /// The top three (j, w_j) rows the formula view prints, read back from its lines.
  func shownWeights(_ screen: LessonScreen) throws -> [(j: Int, w: String)] {
    guard case .formula(let view) = screen.mode else { throw FormulaTruthError.notShown }
    let lines = try #require(view.lines(screen.context, unicode: true))
    return lines.filter { $0.role == .result }.prefix(3).compactMap { line in
      let fields = line.text.split(separator: " ", omittingEmptySubsequences: true)
      guard let j = Int(fields.first ?? ""), let w = fields.last else { return nil }
      return (j, String(w))
    }
  }

  enum FormulaTruthError: Error { case notShown }

  @Test func theShownWeightsAreSoftmaxOfTheReplaysQAndKAndEqualTheTracesAttentionLiveAndInHistory() throws {
    var (screen, history) = try lesson()
    for _ in 0..<3 { _ = screen.press(.right) }
    let i = screen.focus.position
    #expect(i == 3)
    // Live, then back through history to step 3: a compacted trace.
    let effects = screen.update(.key(.char("f"))) ?? []
    replay(effects, into: &screen)
    for (label, step) in [("live", 12), ("history", 3)] {
      if step != 12 {
        var asked: [Effect] = []
        while screen.watch.historyStep != step { asked += screen.update(.key(.char(","))) ?? [] }
        #expect(describe(asked).contains("replay(\(screen.session.raw), step \(step))"), "\(label): the view asks for this step's replay")
        replay(asked, into: &screen)
      }
      let trace = try #require(screen.shownTrace)
      #expect(trace.step == step)
      guard case .formula(let view) = screen.mode, case .success(let replay)? = view.replay else {
        Issue.record("\(label): no replay")
        return
      }
      let weights = softmax(replay, trace: trace, layer: 0, head: 0, query: i)
      let stored = trace.attention(row: 0, layer: 0, head: 0)
      for (j, w) in weights.enumerated() {
        #expect(abs(w - Double(stored[stored.startIndex + i * trace.length + j])) < 1e-4, "\(label) step \(step): w_\(j)")
      }
      // What the view prints is that computation: the three largest, to 2 decimals.
      let top = weights.enumerated().sorted { $0.element > $1.element }.prefix(3)
      let shown = try shownWeights(screen)
      #expect(shown.map(\.j) == top.map(\.offset), "\(label)")
      #expect(shown.map(\.w) == top.map { formatFixed($0.element, decimals: 2) }, "\(label)")
    }
    // The check can fail: another step's weights give other attention.
    let other = try FormulaReplay(trace: try #require(history.trace(atStep: 1)))
    let trace = try #require(history.trace(atStep: 3))
    let wrong = softmax(other, trace: trace, layer: 0, head: 0, query: i)
    let stored = trace.attention(row: 0, layer: 0, head: 0)
    #expect(wrong.enumerated().contains { abs($0.element - Double(stored[stored.startIndex + i * trace.length + $0.offset])) > 1e-3 })
  }

  @Test func aTraceWithoutItsWeightsIsNotReplayedOnOtherWeights() throws {
    let plan = fixture.plan()
    let trainer = try Trainer(configuration: plan.run, evaluationInterval: 0)
    let full = try #require(trainer.step(recordTrace: true).trace)
    let wte = try #require(full.layout["wpe.weight"]).range.upperBound
    let cut = StepTrace(
      step: full.step, objective: full.objective, config: full.config, layout: full.layout, batch: full.batch,
      parametersBefore: Array(full.parametersBefore.prefix(wte)), gradients: full.gradients, parametersAfter: full.parametersAfter,
      attention: full.attention, inputEmbeddings: full.inputEmbeddings, logits: full.logits, probabilities: full.probabilities,
      positionLosses: full.positionLosses, loss: full.loss, lossAfter: full.lossAfter, learningRate: full.learningRate,
      optimizer: full.optimizer, gradientNorms: full.gradientNorms, updateRatios: full.updateRatios)
    #expect(throws: FormulaReplayError.self) { try FormulaReplay(trace: cut) }
    // The view then says why, and prints no number.
    var view = FormulaView()
    var snapshot = SessionSnapshot(learningRate: plan.run.learningRate, reference: trainer.reference, configuration: plan.run)
    snapshot.tokenizer = trainer.tokenizer
    snapshot.trace = cut
    let context = LessonContext(plan: plan, session: .next(), snapshot: snapshot, stage: .attention, focus: Focus(position: 2), shownTrace: cut)
    #expect(describe(view.refresh(context)).count == 1)
    view.receive(step: cut.step, .failure(FormulaReplayError(step: cut.step, reason: "r")))
    let lines = try #require(view.lines(context, unicode: true))
    #expect(lines.count == 1 && lines[0].text.contains("weights are not kept"))
    #expect(!lines[0].text.contains("0."))
  }
}
