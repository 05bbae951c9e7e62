@testable import App
import Curriculum
import Foundation
import Model
import TermUI
import Testing
@testable import Training

/// One question per stage, each against a trace written by hand: the test works out the truth
/// from the numbers it wrote, answers it as a learner would, and expects ✓ — and ✗ for another option.
@Suite struct PredictQuestionTests {
  static let text = "The quick brown fox.\nThe lazy dog saw the fox."
  let tokenizer = WordTokenizer(trainingText: Self.text)
  var ids: [Int32] { tokenizer.encode(Self.text) }

  /// A trace of one row: the window is the text's tokens, CLM labels shifted by one.
  func trace(
    step: Int = 3, objective: Objective = .clm, labels: [Int32]? = nil, attention: [Float]? = nil, probabilities: [Float]? = nil,
    embeddings: [Float]? = nil, loss: Float = 4, lossAfter: Float = 3.9, window: [Int32]? = nil, vocabulary: (any Tokenizer)? = nil
  ) throws -> StepTrace {
    let inputs = window ?? ids
    let T = inputs.count, V = (vocabulary ?? tokenizer).vocabSize, C = 4
    let config = try ModelConfig(vocabSize: V, contextLength: T, channels: C, layers: 1, heads: 1)
    let layout = ParameterLayout(config: config)
    let shifted = Array(inputs.dropFirst()) + [-100]
    let batch = Batch(
      inputs: inputs, labels: labels ?? shifted, batchSize: 1, length: T, originals: inputs, maskKinds: Array(repeating: .none, count: T),
      windowStarts: [0], epoch: 0, index: 0, objective: objective, split: .train)
    let zeros = [Float](repeating: 0, count: layout.totalCount)
    return StepTrace(
      step: step, objective: objective, config: config, layout: layout, batch: batch,
      parametersBefore: zeros, gradients: zeros, parametersAfter: zeros,
      attention: [attention ?? [Float](repeating: 1 / Float(T), count: T * T)],
      inputEmbeddings: embeddings ?? (0..<T * C).map { Float($0) }, logits: [Float](repeating: 0, count: T * V),
      probabilities: probabilities ?? [Float](repeating: 1 / Float(V), count: T * V),
      positionLosses: [Float](repeating: loss, count: T), loss: loss, lossAfter: lossAfter, learningRate: 0.003,
      optimizer: OptimizerTrace(rule: .sgd(momentum: 0, weightDecay: 0), step: step, m: [], v: []), gradientNorms: [], updateRatios: [])
  }

  func question(_ stage: Stage, _ trace: StepTrace, position: Int = 2, reference: LossReference = LossReference(uniform: 5.15, unigram: 3, bigram: 1.5))
    throws -> StageQuestion
  {
    let maker = QuestionMaker(trace: trace, tokenizer: tokenizer, focus: Focus(position: position), reference: reference, language: .en)
    return try #require(maker.question(for: stage), "no \(stage) question")
  }

  /// Answers `question` with the option whose text is `truth`; expects ✓, and ✗ for any other option.
  func expectMarked(_ question: StageQuestion, truth: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let options = question.options
    let index = try #require(options.firstIndex(of: truth), "\(truth) not among \(options)", sourceLocation: sourceLocation)
    for (i, option) in options.enumerated() {
      var part = PredictPart(isOn: true)
      part.askBeforeRun(question)
      _ = part.perform(.option(i), language: .en)
      let outcome = try #require(part.result?.outcome, sourceLocation: sourceLocation)
      #expect(outcome == (i == index ? .right : .wrong), "option \(i + 1) \(option)", sourceLocation: sourceLocation)
      #expect(part.score.answered == 1 && part.score.right == (i == index ? 1 : 0), sourceLocation: sourceLocation)
    }
  }

  @Test func tokenizeCountsTheTokensOfTheFirstLine() throws {
    let q = try question(.tokenize, trace())
    // The window's first line is "The quick brown fox." (20 characters, under the 24 quoted).
    let truth = tokenizer.encode("The quick brown fox.").count
    #expect(truth == 5)
    #expect(q.text.contains("“The quick brown fox.”"))
    try expectMarked(q, truth: String(truth))
  }

  @Test(arguments: [0, 12, 60], Language.allCases)
  func tokenizeQuotesWholeCharactersOfByteTokensAndSaysTheyArePartOfTheWindow(merges: Int, language: Language) throws {
    let bpe = BPETokenizer.train(text: String(repeating: "狐狸很敏捷，狗很懒。\nThe fox is quick.\n", count: 4), merges: merges)
    // Byte tokens are ids 0–255: the window starts inside "狐" (E7 8B 90) and ends inside "狗" (E7 8B 97).
    let window = [0x8B, 0x90] + bpe.encode("狸很敏捷") + [0xE7]
    let maker = QuestionMaker(
      trace: try trace(window: window, vocabulary: bpe), tokenizer: bpe, focus: Focus(), reference: LossReference(uniform: 5, unigram: 3, bigram: 1),
      language: language)
    let q = try #require(maker.question(for: .tokenize))
    #expect(!q.text.contains("\u{FFFD}"), "\(q.text)")
    #expect(q.text.hasPrefix(language == .en ? "Part of the window reads “狸很敏捷”." : "窗口里有一段文本「狸很敏捷」。"), "\(q.text)")
    try expectMarked(q, truth: String(bpe.encode("狸很敏捷").count))
  }

  @Test func aWindowWithoutAWholeCharacterQuotesItsBytes() throws {
    let bpe = BPETokenizer.train(text: "狐狸", merges: 0)
    // 8B 90: the end of "狐", no character whole.
    let window = Array(bpe.encode("狐").dropFirst())
    let maker = QuestionMaker(
      trace: try trace(window: window, vocabulary: bpe), tokenizer: bpe, focus: Focus(), reference: LossReference(uniform: 5, unigram: 3, bigram: 1),
      language: .en)
    let q = try #require(maker.question(for: .tokenize))
    #expect(q.text == "Part of the window reads “<0x8B><0x90>”. How many tokens is that part?")
    try expectMarked(q, truth: "2")
  }

  @Test func aLongListOfTokensIsShortenedInTheMiddle() {
    let bytes = ["<0xE7><0x8B>", "<0xB8>", "很", "<0xE6>", "<0x95>", "<0x8F>", "<0xE6>", "<0x8D>", "<0xB7>", "，", "狗", "很", "懒", "。"]
    let shown = QuestionMaker.elided(bytes, width: 40)
    #expect(shown == "<0xE7><0x8B>|<0xB8>|很|<0xE6>|…|很|懒|。")
    #expect(displayWidth(of: shown) <= 40)
    #expect(QuestionMaker.elided(["T", "he", "␣fox"], width: 40) == "T|he|␣fox")
  }

  @Test func aReasonTooLongForItsLinesEndsWithAMarkWhereItWasCut() {
    let reason = "skipped — " + String(repeating: "a long reason ", count: 12) + "ends here."
    let cut = PredictResultView.cut(reason, toLines: 2, width: 40)
    #expect(cut.hasSuffix("…") && reason.hasPrefix(String(cut.dropLast())))
    #expect(Paragraph(cut).height(forWidth: 40) == 2 && cut.count > 60)
    #expect(PredictResultView.cut("short", toLines: 2, width: 40) == "short")
  }

  @Test func labelsAsksForTheNextTokenOfTheText() throws {
    let q = try question(.labels, trace(), position: 2)
    // Position 2 is "␣brown"; the text goes on with "␣fox".
    #expect(tokenizer.displayToken(ids[2]) == "␣brown")
    #expect(q.options.count == 4 && Set(q.options).count == 4)
    try expectMarked(q, truth: "␣fox")
  }

  @Test func labelsOfMaskedModelsCountThePickedPositions() throws {
    var labels = [Int32](repeating: -100, count: ids.count)
    labels[1] = ids[1]
    labels[7] = ids[7]
    let q = try question(.labels, trace(objective: .mlm, labels: labels))
    try expectMarked(q, truth: "2")
  }

  @Test func embedComparesTheVectorsOfARepeatedToken() throws {
    // "The" at 0 and at 6 (after "." and "⏎"); the hand-written vectors of all positions differ.
    let first = try #require(ids.firstIndex(of: ids[0]))
    let second = try #require(ids.indices.last { ids[$0] == ids[0] && $0 != first })
    let q = try question(.embed, trace())
    #expect(q.text.contains("Positions \(first) and \(second)"))
    try expectMarked(q, truth: "no")
    // Equal rows (as if the position embeddings were equal) make the answer yes.
    let T = ids.count
    var embeddings = [Float](repeating: 0, count: T * 4)
    for i in 0..<T * 4 { embeddings[i] = Float(i / 4 == second ? first : i / 4) }
    try expectMarked(try question(.embed, trace(embeddings: embeddings)), truth: "yes")
  }

  @Test func attentionAsksWhichKeyTheQueryLooksAtMost() throws {
    let T = ids.count
    var weights = [Float](repeating: 0, count: T * T)
    // Query 3 ("␣fox"): keys 0…3 get 0.1, 0.5, 0.3, 0.1.
    for (key, w) in [Float(0.1), 0.5, 0.3, 0.1].enumerated() { weights[3 * T + key] = w }
    let q = try question(.attention, trace(attention: weights), position: 3)
    try expectMarked(q, truth: "\(tokenizer.displayToken(ids[1]))@1")
    // Layers and heads are counted from 1, as the heatmap's title counts them ("layer 1/1 · head 1/2").
    #expect(q.text.hasPrefix("Layer 1, head 1: which earlier token"), "\(q.text)")
  }

  @Test func nearlyEvenAttentionIsNoCoinTossButAsksAboutTheMask() throws {
    let T = ids.count
    var weights = [Float](repeating: 0, count: T * T)
    for (key, w) in [Float(0.252), 0.248, 0.25, 0.25].enumerated() { weights[3 * T + key] = w }
    let q = try question(.attention, trace(attention: weights), position: 3)
    // The top two differ by 0.004, less than the 2 decimals shown: the mask question instead.
    #expect(q.text.contains("to its right"))
    // The weight above the diagonal is 0 in the hand-written causal row.
    #expect(weights[3 * T + 4] == 0)
    try expectMarked(q, truth: "no")
  }

  @Test func logitsAsksForTheTopTokenOrWhetherTheTargetIsInTheTopTen() throws {
    let T = ids.count, V = tokenizer.vocabSize
    var probabilities = [Float](repeating: 0.5 / Float(V - 1), count: T * V)
    let top = ids[5]  // some token of the window
    probabilities[2 * V + Int(top)] = 0.5
    let q = try question(.logits, trace(probabilities: probabilities), position: 2)
    try expectMarked(q, truth: tokenizer.displayToken(top))
    // Uniform: no top token to predict; the target's rank among V equal values is 1, so yes.
    let flat = try question(.logits, trace(), position: 2)
    #expect(flat.text.contains("10 most likely"))
    try expectMarked(flat, truth: "yes")
  }

  @Test func lossAsksAboveOrBelowTheNearestLineItClearlyDiffersFrom() throws {
    try expectMarked(try question(.loss, trace(loss: 5.3)), truth: "above")  // ln V 5.15 is nearest
    try expectMarked(try question(.loss, trace(loss: 2.0)), truth: "above")  // bigram 1.5 (0.5 away) before unigram 3 (1.0)
    let close = try question(.loss, trace(loss: 5.155))
    // 0.005 from ln V is less than the digits shown: the unigram line, which it is above.
    #expect(close.text.contains("unigram"))
    try expectMarked(close, truth: "above")
    #expect(close.hidesLoss)
  }

  @Test func backwardAsksTheSignOfTheGradientOnTheTargetOrTheTopWrongGuess() throws {
    let T = ids.count, V = tokenizer.vocabSize
    var probabilities = [Float](repeating: 0.4 / Float(V - 2), count: T * V)
    let target = ids[3]  // the target at position 2
    let wrong = ids[0]
    probabilities[2 * V + Int(target)] = 0.2
    probabilities[2 * V + Int(wrong)] = 0.4
    // p − onehot: 0.2 − 1 < 0 at the target; 0.4 − 0 > 0 at the top wrong guess. Even step + position: the target.
    let onTarget = try question(.backward, trace(step: 4, probabilities: probabilities), position: 2)
    #expect(onTarget.text.contains("target"))
    try expectMarked(onTarget, truth: "negative")
    let onWrong = try question(.backward, trace(step: 3, probabilities: probabilities), position: 2)
    #expect(onWrong.text.contains(tokenizer.displayToken(wrong)))
    try expectMarked(onWrong, truth: "positive")
  }

  @Test func updateAsksWhetherTheSameBatchsLossFalls() throws {
    try expectMarked(try question(.update, trace(loss: 4, lossAfter: 3.9)), truth: "yes")
    try expectMarked(try question(.update, trace(loss: 4, lossAfter: 4.2)), truth: "no")
    let maker = QuestionMaker(trace: try trace(loss: 4, lossAfter: 4.0004), tokenizer: tokenizer, focus: Focus(), reference: LossReference(uniform: 5, unigram: 3, bigram: 1), language: .en)
    #expect(maker.question(for: .update) == nil, "a change below the 3 decimals shown is a coin toss")
  }

  @Test func theRunQuestionIsMarkedByTheNearestOrderOfMagnitude() {
    #expect(StageQuestion.nearestOption([10, 100, 1_000, 10_000], to: 170) == 1)
    #expect(StageQuestion.nearestOption([10, 100, 1_000, 10_000], to: 400) == 2)
    var part = PredictPart(isOn: true)
    part.askBeforeRun(.bigramStep(reference: LossReference(uniform: 5, unigram: 3, bigram: 1.5), language: .en))
    #expect(part.perform(.option(1), language: .en) == .answered(.run, nil))
    #expect(part.score.answered == 0, "marked only when the milestone comes")
    let result = part.resolveRun(bigramAt: 170)
    #expect(result?.outcome == .right && part.score.right == 1 && part.score.answered == 1)
  }

  @Test func keysThatAnswerNothingGetAHintAndZeroSkips() throws {
    var part = PredictPart(isOn: true)
    part.askBeforeRun(try question(.labels, trace()))
    for key in [Key.char("5"), .char(" "), .enter] {
      let action = try #require(part.keys(Localized(.en)).lazy.compactMap { $0.action(for: key) }.first)
      #expect(part.perform(action, language: .en) == .nothing)
      #expect(part.waiting != nil && part.hint?.contains("does not answer") == true)
    }
    #expect(part.perform(.skip, language: .en) == .answered(.stage(.labels), .skipped))
    #expect(part.result?.outcome == .skipped && part.score == PredictionScore(right: 0, answered: 0, skipped: 1))
  }

  @Test func anAuthoredNumberQuestionTakesATypedNumber() throws {
    let authored = AuthoredPrediction(place: .stage(.loss), question: "About what is the loss?", answer: .number(5.15, tolerance: 0.1), explanation: "ln V.")
    var part = PredictPart(isOn: true)
    part.askBeforeRun(StageQuestion(authored: authored, step: 1))
    _ = part.perform(.type("5"), language: .en)
    #expect(part.typed == "5")
    for c in ".2" { _ = part.perform(.type(c), language: .en) }
    #expect(part.perform(.submit, language: .en) == .answered(.stage(.loss), .right))
    #expect(part.result?.outcome == .right && part.result?.response == "5.2")
  }
}
