@testable import App
import Curriculum
import Foundation
import Model
import TermUI
import Testing
import Training

/// The stage views of a fine-tuning step: the mask on the labels, bars only on the answer.
@Suite struct FineTuningViewTests {
  static let pairs = """
    ### user
    What does the hen lay?
    ### assistant
    The hen lays an egg.

    ### user
    What does the cow eat?
    ### assistant
    The cow eats grass.
    """

  func render(_ stage: Stage, maskPrompt: Bool = true, position: Int = 0) throws -> (lines: [String], trace: StepTrace) {
    let run = RunConfiguration(
      corpus: "pairs.txt", objective: .sft, tokenizer: .char, layers: 1, heads: 2, dim: 16, context: 48, batch: 2,
      learningRate: 3e-3, warmupSteps: 0, seed: 3, maskPrompt: maskPrompt)
    let trainer = try Trainer(configuration: run, text: Self.pairs, evaluationInterval: 0)
    let trace = try #require(trainer.step(recordTrace: true).trace)
    var buffer = Buffer(size: Size(width: 120, height: 24))
    StageView(stage: stage, trace: trace, tokenizer: trainer.tokenizer, focus: Focus(position: position), language: .en, reference: trainer.reference)
      .render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
    return (buffer.lines, trace)
  }

  @Test func theLabelsStageGreysThePromptAndCountsTheAnswer() throws {
    let (lines, trace) = try render(.labels)
    let text = lines.joined(separator: "\n")
    let labelled = trace.batch.labels.prefix(48).filter { $0 != Batch.ignoredLabel }.count
    #expect(text.contains("\(labelled) of these 48 positions carry loss"))
    #expect(text.contains("· = −100: no loss"))
    #expect(text.contains("−100, no loss"), "position 0 predicts a token of the question")
    #expect(text.contains("pad"))
  }

  @Test func theLossStageDrawsBarsOnlyOnTheAnswer() throws {
    let (lines, trace) = try render(.loss)
    let labelled = trace.batch.labels.prefix(48).filter { $0 != Batch.ignoredLabel }.count
    #expect(lines.joined().contains("bars only on the \(labelled) positions with a label; the other \(48 - labelled) are −100"))
    #expect(!lines.joined().contains("ignored"))
  }

  @Test func theFormulaAveragesOverTheAnswerPositions() throws {
    let (_, trace) = try render(.loss)
    let run = RunConfiguration(corpus: "pairs.txt", objective: .sft, tokenizer: .char, layers: 1, heads: 2, dim: 16, context: 48, batch: 2)
    let tokenizer = try Trainer(configuration: run, text: Self.pairs, evaluationInterval: 0).tokenizer
    let formulas = Formulas(trace: trace, tokenizer: tokenizer, replay: try FormulaReplay(trace: trace), language: .en)
    let N = trace.batch.labelledCount
    #expect(formulas.lines(for: .loss, focus: Focus()).contains { $0.text.hasPrefix("N = \(N) answer positions") })
    #expect(formulas.lines(for: .labels, focus: Focus()).contains { $0.text.contains("targets[0] = −100") })
  }

  @Test func withTheMaskOffTheQuestionIsLabelledToo() throws {
    let (lines, trace) = try render(.labels, maskPrompt: false)
    #expect(trace.batch.labels[0] != Batch.ignoredLabel)
    #expect(lines.joined().contains("--mask-prompt false"))
  }
}
