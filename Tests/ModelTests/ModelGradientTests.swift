import Foundation
import Testing
@testable import Model
import TestSupport

/// The whole model against a Double reference: forward values and every parameter's gradient.
@Suite struct ModelGradientTests {
  static let config = try! ModelConfig(vocabSize: 11, contextLength: 6, channels: 8, layers: 2, heads: 2)

  /// A model whose parameters are spread out (so no gradient is trivially tiny) and their Double copies.
  func perturbedModel(seed: UInt64) -> (GPT, [Double]) {
    var g = SeededGenerator(seed: seed)
    let model = GPT(config: Self.config, maxBatch: 3, generator: &g)
    var values = randomValues(model.layout.totalCount, scale: 0.3, generator: &g)
    for spec in model.layout.tensors where spec.shape.count == 1 && spec.name.hasSuffix(".weight") {
      for i in spec.range { values[i] = Double(Float(1 + values[i])) }
    }
    try! model.load(parameters: values.map(Float.init))
    return (model, values)
  }

  @Test(arguments: [true, false])
  func everyGradientMatchesFiniteDifferences(causal: Bool) {
    let (model, values) = perturbedModel(seed: causal ? 11 : 12)
    let B = 2, T = 5
    let inputs: [Int32] = [1, 4, 4, 9, 0, 10, 2, 7, 3, 3]
    let labels: [Int32] = causal ? [4, 4, 9, 0, -100, 2, 7, -100, 3, 5] : [-100, 6, -100, -100, 0, 10, -100, -100, -100, 1]
    let reference = ReferenceGPT(config: Self.config)
    let expected = reference.forward(parameters: values, inputs: inputs, labels: labels, batch: B, length: T, causal: causal)

    let loss = model.forward(inputs: inputs, labels: labels, batch: B, length: T, causal: causal)!
    #expect(abs(Double(loss) - expected.loss) < 1e-5 * max(1, expected.loss))
    #expect(mismatch(model.probabilities, expected.probs, relative: 1e-4, absolute: 1e-6, label: "probs") == nil)
    #expect(mismatch(model.logits, expected.logits, relative: 1e-4, absolute: 1e-5, label: "logits") == nil)
    #expect(mismatch(model.positionLosses, expected.losses, relative: 1e-4, absolute: 1e-6, label: "losses") == nil)
    #expect(mismatch(model.inputEmbedding, expected.embedding, relative: 1e-6, absolute: 1e-7, label: "embedding") == nil)
    for layer in 0..<Self.config.layers {
      #expect(mismatch(model.attentionWeights(layer: layer), expected.attention[layer], relative: 1e-4, absolute: 1e-6, label: "att \(layer)") == nil)
    }

    model.zeroGradients()
    model.backward()
    let gradients = model.gradients
    let numeric = numericalGradient(at: values) { p in
      reference.forward(parameters: p, inputs: inputs, labels: labels, batch: B, length: T, causal: causal).loss
    }
    for spec in model.layout.tensors {
      let got = Array(gradients[spec.range]), want = Array(numeric[spec.range])
      #expect(mismatch(got, want, relative: 2e-3, absolute: 2e-5, label: spec.name) == nil)
    }
    // Softmax ignores a constant shift of the scores, so the key bias gets exactly zero gradient: compare absolutely.
    for layer in 0..<Self.config.layers {
      let bias = model.gradient(named: "h.\(layer).attn.c_attn.bias")
      let keyPart = bias[Self.config.channels..<(2 * Self.config.channels)]
      #expect(keyPart.allSatisfy { abs($0) < 1e-6 }, "key bias gradient \(Array(keyPart))")
    }
  }

  @Test func backwardAccumulatesUntilZeroed() {
    let (model, _) = perturbedModel(seed: 13)
    let inputs: [Int32] = [1, 2, 3, 4, 5, 6]
    model.forward(inputs: inputs, labels: [2, 3, 4, 5, 6, 7], batch: 1, length: 6, causal: true)
    model.zeroGradients()
    model.backward()
    let once = model.gradients
    model.backward()
    // BLAS may add the new product to the old gradient in a different order, so allow rounding.
    #expect(zip(model.gradients, once).allSatisfy { abs($0 - 2 * $1) <= 1e-5 * abs($1) + 1e-8 })
    model.zeroGradients()
    #expect(model.gradients.allSatisfy { $0 == 0 })
  }

  @Test func shorterSequencesAndSmallerBatchesMatchReference() {
    let (model, values) = perturbedModel(seed: 14)
    let reference = ReferenceGPT(config: Self.config)
    let inputs: [Int32] = [5, 1, 8]
    let labels: [Int32] = [1, 8, 2]
    let loss = model.forward(inputs: inputs, labels: labels, batch: 1, length: 3, causal: true)!
    let expected = reference.forward(parameters: values, inputs: inputs, labels: labels, batch: 1, length: 3, causal: true)
    #expect(abs(Double(loss) - expected.loss) < 1e-5)
    #expect(model.attentionWeights(layer: 1).count == 1 * 2 * 3 * 3)
  }

  @Test func forwardWithoutLabelsReturnsNilAndNoLoss() {
    let (model, _) = perturbedModel(seed: 15)
    #expect(model.forward(inputs: [1, 2, 3], labels: nil, batch: 1, length: 3, causal: true) == nil)
    #expect(model.lastLoss == nil)
    #expect(model.positionLosses == [0, 0, 0])
    #expect(model.lastLabels.isEmpty)
    let allIgnored = model.forward(inputs: [1, 2, 3], labels: [-100, -100, -100], batch: 1, length: 3, causal: false)
    #expect(allIgnored == 0)
    model.zeroGradients()
    model.backward()
    #expect(model.gradients.allSatisfy { $0 == 0 })
  }
}
