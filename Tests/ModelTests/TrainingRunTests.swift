import Foundation
import Testing
import Model

/// Seeded runs: the golden losses, determinism, memorising one batch, and the loss of a fresh model.
@Suite struct TrainingRunTests {
  /// The golden run's size: vocabulary 13, context 8, dim 16, 2 layers, 2 heads, batch 4.
  static let goldenConfig = try! ModelConfig(vocabSize: 13, contextLength: 8, channels: 16, layers: 2, heads: 2)

  /// A fixed synthetic stream: token i = (5i + ⌊i/7⌋) mod 13, 200 tokens.
  static let stream: [Int32] = (0..<200).map { Int32((5 * $0 + $0 / 7) % 13) }

  /// The CLM batch of `step`: row b is the window at ((4·step + b)·11) mod 191, labels shifted by one.
  static func batch(step: Int) -> (inputs: [Int32], labels: [Int32]) {
    var inputs: [Int32] = [], labels: [Int32] = []
    for b in 0..<4 {
      let start = ((4 * step + b) * 11) % (stream.count - 9)
      inputs += stream[start..<(start + 8)]
      labels += stream[(start + 1)..<(start + 9)]
    }
    return (inputs, labels)
  }

  /// Seed 1234, AdamW defaults at lr 3e-3, ten CLM steps; the loss before each update.
  static func goldenRun() -> (losses: [Float], parameters: [Float]) {
    var generator = SeededGenerator(seed: 1234)
    let model = GPT(config: goldenConfig, maxBatch: 4, generator: &generator)
    let optimizer = AdamW()
    var losses: [Float] = []
    for step in 0..<10 {
      let (inputs, labels) = batch(step: step)
      losses.append(model.forward(inputs: inputs, labels: labels, batch: 4, length: 8, causal: true)!)
      model.zeroGradients()
      model.backward()
      optimizer.step(model, learningRate: 3e-3)
    }
    return (losses, model.parameters)
  }

  @Test func firstTenLossesMatchTheGoldenFixture() {
    let losses = Self.goldenRun().losses
    if ProcessInfo.processInfo.environment["NEXTTOKEN_PRINT_GOLDEN"] != nil {
      print("golden losses:", losses.map { String($0) }.joined(separator: ", "))
    }
    #expect(losses.count == GoldenLosses.firstTen.count)
    for (step, (got, want)) in zip(losses, GoldenLosses.firstTen).enumerated() {
      #expect(abs(got - want) < 1e-4, "step \(step): \(got) vs golden \(want)")
    }
  }

  @Test func twoSeededRunsAreBitIdentical() {
    let first = Self.goldenRun(), second = Self.goldenRun()
    #expect(first.losses == second.losses)
    #expect(first.parameters == second.parameters)
  }

  @Test(arguments: [true, false])
  func overfitsOneBatch(causal: Bool) throws {
    let config = try ModelConfig(vocabSize: 13, contextLength: 8, channels: 32, layers: 2, heads: 4)
    var generator = SeededGenerator(seed: 5)
    let model = GPT(config: config, maxBatch: 2, generator: &generator)
    let optimizer = AdamW(weightDecay: 0)
    let inputs: [Int32] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]
    let labels: [Int32] = causal
      ? [1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2]
      : [-100, 7, -100, -100, 0, -100, -100, 11, 12, -100, -100, -100, 10, -100, 4, -100]
    var loss: Float = .infinity
    for _ in 0..<200 {
      loss = model.forward(inputs: inputs, labels: labels, batch: 2, length: 8, causal: causal)!
      model.zeroGradients()
      model.backward()
      optimizer.step(model, learningRate: 1e-2)
    }
    loss = model.forward(inputs: inputs, labels: labels, batch: 2, length: 8, causal: causal)!
    #expect(loss < 0.05)
  }

  @Test func freshModelLossIsNearUniformGuess() throws {
    let config = try ModelConfig(vocabSize: 65, contextLength: 16, channels: 32, layers: 1, heads: 2)
    var generator = SeededGenerator(seed: 77)
    let model = GPT(config: config, maxBatch: 8, generator: &generator)
    let tokens = (0..<(8 * 16 + 1)).map { _ in Int32(generator.nextInt(below: 65)) }
    let loss = model.forward(inputs: Array(tokens[0..<128]), labels: Array(tokens[1...]), batch: 8, length: 16, causal: true)!
    #expect(abs(Double(loss) - log(65.0)) < 0.1)
    #expect(model.positionLosses.count == 128)
    #expect(abs(model.positionLosses.reduce(0, +) / 128 - loss) < 1e-4)
  }
}
