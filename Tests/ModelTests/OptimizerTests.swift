import Foundation
import Testing
@testable import Model
import TestSupport

@Suite struct OptimizerTests {
  static let config = try! ModelConfig(vocabSize: 5, contextLength: 3, channels: 4, layers: 1, heads: 2)

  func model(seed: UInt64) -> (GPT, [Double]) {
    var g = SeededGenerator(seed: seed)
    let model = GPT(config: Self.config, maxBatch: 1, generator: &g)
    let values = randomValues(model.layout.totalCount, generator: &g)
    try! model.load(parameters: values.map(Float.init))
    return (model, values)
  }

  @Test func adamWMatchesHandComputedSteps() {
    var (model, p) = model(seed: 1)
    var g = SeededGenerator(seed: 2)
    let optimizer = AdamW(beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1)
    var m = [Double](repeating: 0, count: p.count), v = m
    let decayed = Set(model.layout.tensors.filter { $0.shape.count >= 2 }.flatMap { Array($0.range) })
    for (step, lr) in [(1, 0.01), (2, 0.02), (3, 0.005)] {
      let gradient = randomValues(p.count, generator: &g)
      model.load(gradients: gradient.map(Float.init))
      optimizer.step(model, learningRate: Float(lr))
      for i in p.indices {
        m[i] = 0.9 * m[i] + 0.1 * gradient[i]
        v[i] = 0.95 * v[i] + 0.05 * gradient[i] * gradient[i]
        let mHat = m[i] / (1 - pow(0.9, Double(step)))
        let vHat = v[i] / (1 - pow(0.95, Double(step)))
        let decay = decayed.contains(i) ? 0.1 : 0
        p[i] -= lr * (mHat / (vHat.squareRoot() + 1e-8) + decay * p[i])
      }
      #expect(mismatch(model.parameters, p, relative: 1e-5, absolute: 1e-6, label: "adamw step \(step)") == nil)
    }
    #expect(optimizer.stepCount == 3)
    #expect(optimizer.hyperparameters["weight_decay"] == Double(Float(0.1)))
  }

  @Test func adamWDecaysOnlyMatrices() {
    let (model, before) = model(seed: 3)
    model.zeroGradients()
    AdamW(weightDecay: 0.5).step(model, learningRate: 0.1)
    let after = model.parameters
    for spec in model.layout.tensors {
      for i in spec.range {
        // With zero gradients the only change is the decay: p ← p − lr·λ·p.
        let expected = spec.shape.count >= 2 ? before[i] * (1 - 0.05) : before[i]
        #expect(abs(Double(after[i]) - expected) < 1e-6, "\(spec.name)")
      }
    }
  }

  @Test func sgdWithMomentumAndDecayMatchesHandComputedSteps() {
    var (model, p) = model(seed: 4)
    var g = SeededGenerator(seed: 5)
    let optimizer = SGD(momentum: 0.9, weightDecay: 0.01)
    var buffer = [Double](repeating: 0, count: p.count)
    let decayed = Set(model.layout.tensors.filter { $0.shape.count >= 2 }.flatMap { Array($0.range) })
    for step in 1...3 {
      let gradient = randomValues(p.count, generator: &g)
      model.load(gradients: gradient.map(Float.init))
      optimizer.step(model, learningRate: 0.1)
      for i in p.indices {
        let d = gradient[i] + (decayed.contains(i) ? 0.01 : 0) * p[i]
        buffer[i] = 0.9 * buffer[i] + d
        p[i] -= 0.1 * buffer[i]
      }
      #expect(mismatch(model.parameters, p, relative: 1e-5, absolute: 1e-6, label: "sgd step \(step)") == nil)
    }
  }

  @Test func plainSGDSubtractsTheScaledGradient() {
    let (model, p) = model(seed: 6)
    var g = SeededGenerator(seed: 7)
    let gradient = randomValues(p.count, generator: &g)
    model.load(gradients: gradient.map(Float.init))
    SGD().step(model, learningRate: 0.5)
    let expected = zip(p, gradient).map { Double(Float($0) - Float(0.5) * Float($1)) }
    #expect(mismatch(model.parameters, expected, relative: 0, absolute: 0, label: "sgd") == nil)
  }

  @Test func adamWStateRoundTripsThroughCheckpointTensors() throws {
    let (a, _) = model(seed: 8)
    let b = a.copy()
    var g = SeededGenerator(seed: 9)
    let first = AdamW()
    for _ in 0..<2 {
      a.load(gradients: randomValues(a.layout.totalCount, generator: &g).map(Float.init))
      first.step(a, learningRate: 0.01)
    }
    let state = first.stateTensors()
    #expect(state.count == 2 * a.layout.tensors.count)
    #expect(state.first?.name == "optim.m.wte.weight")
    #expect(state.first?.shape == [5, 4])
    #expect(state.contains { $0.name == "optim.v.ln_f.bias" })
    let second = AdamW()
    try second.loadState(Dictionary(uniqueKeysWithValues: state.map { ($0.name, $0.values) }), stepCount: 2, layout: b.layout)
    try b.load(parameters: a.parameters)
    let gradient = randomValues(a.layout.totalCount, generator: &g).map(Float.init)
    a.load(gradients: gradient)
    b.load(gradients: gradient)
    first.step(a, learningRate: 0.01)
    second.step(b, learningRate: 0.01)
    #expect(a.parameters == b.parameters)
    #expect(throws: ModelError("optimizer state is missing optim.m.wte.weight")) {
      try AdamW().loadState([:], stepCount: 1, layout: b.layout)
    }
  }
}
