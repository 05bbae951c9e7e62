import Foundation
import Testing
import Model

@Suite struct InferenceTests {
  static let config = try! ModelConfig(vocabSize: 9, contextLength: 6, channels: 8, layers: 1, heads: 2)

  func model() -> GPT {
    var generator = SeededGenerator(seed: 3)
    let model = GPT(config: Self.config, maxBatch: 2, generator: &generator)
    // Train a little so the distribution is not nearly uniform.
    let optimizer = AdamW()
    for _ in 0..<30 {
      model.forward(inputs: [1, 2, 3, 4, 5, 6], labels: [2, 3, 4, 5, 6, 7], batch: 1, length: 6, causal: true)
      model.zeroGradients()
      model.backward()
      optimizer.step(model, learningRate: 0.05)
    }
    return model
  }

  @Test func nextTokenDistributionMatchesTheForwardPassAndKeepsTrainingViews() {
    let model = model()
    let context: [Int32] = [1, 2, 3, 4]
    model.forward(inputs: context + [0, 0], labels: [2, 3, 4, 5, -100, -100], batch: 1, length: 6, causal: true)
    let loss = model.lastLoss, probabilities = model.probabilities, attention = model.attentionWeights(layer: 0)
    let next = model.nextTokenProbabilities(context: context)
    #expect(abs(next.reduce(0, +) - 1) < 1e-5)
    // Causal: position 3 of the longer batch sees exactly the same tokens.
    for i in 0..<9 { #expect(abs(next[i] - probabilities[3 * 9 + i]) < 1e-6) }
    #expect(model.lastLoss == loss)
    #expect(model.probabilities == probabilities)
    #expect(model.attentionWeights(layer: 0) == attention)
  }

  @Test func longContextsKeepTheLastWindow() {
    let model = model()
    let long: [Int32] = [8, 8, 8, 1, 2, 3, 4, 5, 6]
    #expect(model.nextTokenProbabilities(context: long) == model.nextTokenProbabilities(context: Array(long.suffix(6))))
  }

  @Test func temperatureSharpensAndZeroIsGreedy() {
    let model = model()
    let context: [Int32] = [1, 2, 3]
    let plain = model.nextTokenProbabilities(context: context)
    let sharp = model.nextTokenProbabilities(context: context, temperature: 0.5)
    let greedy = model.nextTokenProbabilities(context: context, temperature: 0)
    let best = plain.indices.max { plain[$0] < plain[$1] }!
    #expect(sharp[best] > plain[best])
    #expect(abs(sharp.reduce(0, +) - 1) < 1e-5)
    #expect(greedy[best] == 1)
    #expect(greedy.reduce(0, +) == 1)
  }

  @Test func maskedPositionDistribution() {
    let model = model()
    let probabilities = model.tokenProbabilities(context: [1, 2, 0, 4], position: 2, causal: false)
    #expect(probabilities.count == 9)
    #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
  }

  @Test func samplingIsSeededAndRespectsTopK() {
    let probabilities: [Float] = [0.1, 0.2, 0.7, 0]
    var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1)
    let drawsA = (0..<50).map { _ in GPT.sample(probabilities: probabilities, generator: &a) }
    let drawsB = (0..<50).map { _ in GPT.sample(probabilities: probabilities, generator: &b) }
    #expect(drawsA == drawsB)
    var counts = [0, 0, 0, 0]
    var g = SeededGenerator(seed: 2)
    for _ in 0..<10000 { counts[Int(GPT.sample(probabilities: probabilities, generator: &g))] += 1 }
    #expect(counts[3] == 0)
    #expect(abs(Double(counts[2]) / 10000 - 0.7) < 0.02)
    #expect(abs(Double(counts[0]) / 10000 - 0.1) < 0.02)
    for _ in 0..<100 { #expect(GPT.sample(probabilities: probabilities, topK: 1, generator: &g) == 2) }
    for _ in 0..<100 { #expect(GPT.sample(probabilities: probabilities, topK: 2, generator: &g) != 0) }
  }

  @Test func copyIsIndependent() {
    let model = model()
    let clone = model.copy()
    #expect(clone.parameters == model.parameters)
    model.forward(inputs: [1, 2, 3], labels: [3, 2, 1], batch: 1, length: 3, causal: true)
    model.zeroGradients()
    model.backward()
    SGD().step(model, learningRate: 0.5)
    #expect(clone.parameters != model.parameters)
  }

  @Test func viewsDescribeTheLastBatch() {
    let model = model()
    let inputs: [Int32] = [1, 2, 3, 4, 5, 0, 7, 8]
    model.forward(inputs: inputs, labels: [2, -100, 4, 5, 0, 7, -100, 1], batch: 2, length: 4, causal: true)
    #expect(model.lastInputs == inputs)
    #expect(model.lastLabels == [2, -100, 4, 5, 0, 7, -100, 1])
    #expect(model.logits.count == 2 * 4 * 9)
    #expect(model.positionLosses[1] == 0 && model.positionLosses[6] == 0)
    let mean = model.positionLosses.reduce(0, +) / 6
    #expect(abs(mean - model.lastLoss!) < 1e-5)
    let attention = model.attentionWeights(layer: 0)
    #expect(attention.count == 2 * 2 * 4 * 4)
    for row in 0..<(2 * 2 * 4) {
      let t = row % 4
      let weights = attention[(row * 4)..<(row * 4 + 4)]
      #expect(abs(weights.reduce(0, +) - 1) < 1e-5)
      for s in (t + 1)..<4 where s < 4 { #expect(weights[row * 4 + s] == 0) }
    }
    let embedding = model.inputEmbedding
    let token = model.tokenEmbedding(token: inputs[5]), position = model.positionEmbedding(position: 1)
    for c in 0..<8 { #expect(embedding[5 * 8 + c] == token[c] + position[c]) }
    let norms = model.gradientNorms()
    #expect(norms.map(\.name) == model.layout.tensors.map(\.name))
  }

  @Test func loadRejectsWrongSizes() {
    let model = model()
    #expect(throws: ModelError("parameters hold 3 values, the model expects \(model.layout.totalCount)")) {
      try model.load(parameters: [1, 2, 3])
    }
    #expect(throws: ModelError("ln_f.bias holds 2 values, expected 8 for shape [8]")) {
      try model.load(tensor: "ln_f.bias", values: [1, 2])
    }
    #expect(throws: ModelError("the model has no tensor named lm_head.weight")) {
      try model.load(tensor: "lm_head.weight", values: [1])
    }
  }
}

@Suite struct SamplingEdgeCaseTests {
  @Test func divergedDistributionsStillSample() {
    var g = SeededGenerator(seed: 4)
    #expect(GPT.sample(probabilities: [.nan, 0.5, .nan], topK: 2, generator: &g) == 1)
    #expect(GPT.sample(probabilities: [.nan, .nan], generator: &g) == 0)
    #expect(GPT.sample(probabilities: [0, 0, 1], generator: &g) == 2)
  }
}

@Suite struct DivergenceTests {
  @Test func nonFiniteWeightsNeverTrap() throws {
    let config = try ModelConfig(vocabSize: 9, contextLength: 6, channels: 8, layers: 1, heads: 2)
    var g = SeededGenerator(seed: 8)
    let model = GPT(config: config, maxBatch: 1, generator: &g)
    var values = model.parameters
    values[3] = .nan
    values[40] = .infinity
    try model.load(parameters: values)
    let loss = model.forward(inputs: [1, 2, 3, 4, 5, 6], labels: [2, 3, 4, 5, 6, 7], batch: 1, length: 6, causal: true)!
    #expect(!loss.isFinite)
    model.zeroGradients()
    model.backward()
    AdamW().step(model, learningRate: 0.1)
    _ = model.gradientNorms()
    let probabilities = model.nextTokenProbabilities(context: [1, 2], temperature: 0.7)
    #expect(probabilities.count == 9)
    _ = GPT.sample(probabilities: probabilities, topK: 3, generator: &g)
    _ = model.nextTokenProbabilities(context: [1, 2], temperature: 0)
  }
}

@Suite struct FreshModelViewTests {
  @Test func viewsAreEmptyBeforeTheFirstForwardPass() throws {
    let config = try ModelConfig(vocabSize: 9, contextLength: 6, channels: 8, layers: 1, heads: 2)
    var g = SeededGenerator(seed: 8)
    let model = GPT(config: config, maxBatch: 4, generator: &g)
    #expect(model.logits.isEmpty && model.probabilities.isEmpty && model.lastInputs.isEmpty)
    #expect(model.attentionWeights(layer: 0).isEmpty)
    #expect(model.lastLoss == nil)
    #expect(model.copy().parameters == model.parameters)
  }
}
