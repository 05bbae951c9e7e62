import Foundation
import Testing
import Model

/// Temperature and top-k as the prompt box uses them: greedy is argmax, a cut token is never drawn.
struct SamplingTests {
  static let logits: [Float] = [1.0, 3.0, -2.0, 2.5, 0.0, 3.0, -1.0, 0.5]

  static func entropy(_ p: [Float]) -> Double {
    p.reduce(0.0) { $0 - ($1 > 0 ? Double($1) * log(Double($1)) : 0) }
  }

  @Test func greedyPutsAllMassOnTheLargestLogitAndAlwaysDrawsIt() {
    let greedy = SamplingControls(temperature: 0)
    // Ties keep the lower id: 1 and 5 share the largest logit.
    #expect(greedy.distribution(logits: Self.logits) == [0, 1, 0, 0, 0, 0, 0, 0])
    var generator = SeededGenerator(seed: 5)
    for _ in 0..<50 { #expect(greedy.sample(logits: Self.logits, generator: &generator) == 1) }
    // An id that is not allowed (a special token) is never the greedy pick.
    var allowed = [Bool](repeating: true, count: 8)
    allowed[1] = false
    #expect(greedy.sample(logits: Self.logits, allowed: allowed, generator: &generator) == 5)
  }

  @Test func temperatureOneIsTheSoftmaxAndATinyOneStaysFinite() {
    let p = SamplingControls(temperature: 1).distribution(logits: Self.logits)
    let total = Self.logits.reduce(0.0) { $0 + exp(Double($1)) }
    for (i, z) in Self.logits.enumerated() { #expect(abs(Double(p[i]) - exp(Double(z)) / total) < 1e-6) }
    let tiny = SamplingControls(temperature: 1e-30).distribution(logits: Self.logits)
    #expect(tiny.allSatisfy { $0.isFinite })
    #expect(abs(tiny[1] - 0.5) < 1e-6 && abs(tiny[5] - 0.5) < 1e-6, "\(tiny)")
  }

  @Test func raisingTheTemperatureRaisesTheEntropy() {
    let entropies = SamplingControls.temperatures.map { Self.entropy(SamplingControls(temperature: $0).distribution(logits: Self.logits)) }
    #expect(entropies[0] == 0)
    for (lower, higher) in zip(entropies, entropies.dropFirst()) { #expect(higher > lower, "\(entropies)") }
    #expect(entropies.last! < log(8.0))
  }

  @Test func topKNeverDrawsACutTokenAndRenormalisesTheRest() {
    let controls = SamplingControls(temperature: 1.5, topK: 3)
    #expect(controls.keptTokens(logits: Self.logits) == [false, true, false, true, false, true, false, false])
    let p = controls.distribution(logits: Self.logits)
    #expect(abs(p.reduce(0, +) - 1) < 1e-6)
    #expect(p[0] == 0 && p[2] == 0 && p[4] == 0 && p[6] == 0 && p[7] == 0)
    // Among the kept, the ratios are still e^((z_i − z_j)/T).
    #expect(abs(Double(p[3] / p[1]) - exp(-0.5 / 1.5)) < 1e-5)
    var generator = SeededGenerator(seed: 11)
    var drawn = Set<Int32>()
    for _ in 0..<2000 { drawn.insert(controls.sample(logits: Self.logits, generator: &generator)) }
    #expect(drawn == [1, 3, 5])
  }

  @Test func topKCountsOnlyAllowedTokensAndSurvivesNaN() {
    var allowed = [Bool](repeating: true, count: 8)
    allowed[1] = false
    allowed[5] = false
    let controls = SamplingControls(temperature: 1, topK: 3)
    #expect(controls.keptTokens(logits: Self.logits, allowed: allowed) == [true, false, false, true, false, false, false, true])
    var broken = Self.logits
    broken[3] = .nan
    let p = SamplingControls(temperature: 0.8, topK: 40).distribution(logits: broken)
    #expect(p[3] == 0 && abs(p.reduce(0, +) - 1) < 1e-6)
    let allNaN = SamplingControls(temperature: 1, topK: 2).distribution(logits: [Float](repeating: .nan, count: 4))
    #expect(allNaN == [0.5, 0.5, 0, 0])
  }

  @Test func tAndKCycleThroughTheirValues() {
    var controls = SamplingControls()
    var temperatures: [Float] = []
    var ks: [Int?] = []
    for _ in 0..<5 { controls.cycleTemperature(); temperatures.append(controls.temperature) }
    for _ in 0..<4 { controls.cycleTopK(); ks.append(controls.topK) }
    #expect(temperatures == [1.5, 0, 0.5, 0.8, 1])
    #expect(ks == [40, 10, 3, nil])
  }

  @Test func perplexityIsTheExponentOfTheMeanSurprise() {
    var meter = PerplexityMeter()
    #expect(meter.value == nil)
    meter.add(probability: 0.5)
    meter.add(probability: 0.125)
    #expect(abs(meter.value! - 4) < 1e-9)
    meter.add(probability: 0)
    #expect(meter.value!.isFinite)
  }
}
