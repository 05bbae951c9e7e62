import Foundation

/// How generation picks a token from the model's logits: a temperature and a top-k cut.
///
/// The distribution sampled from is softmax(z/T) over the kept tokens (the `topK` largest
/// logits among the allowed ones) and exactly 0 for every other token, so a cut token is
/// never drawn. Greedy (temperature 0) puts all the mass on the largest kept logit.
public struct SamplingControls: Sendable, Equatable {
  /// The temperatures the prompt box cycles through; 0 stands for greedy.
  public static let temperatures: [Float] = [0, 0.5, 0.8, 1, 1.5]
  /// The top-k values the prompt box cycles through; nil keeps every token.
  public static let topKs: [Int?] = [nil, 40, 10, 3]

  /// Below 1 sharper, above 1 flatter; 0 (or less) is greedy.
  public var temperature: Float
  /// Only the `topK` likeliest tokens may be drawn; nil: all.
  public var topK: Int?

  public init(temperature: Float = 1, topK: Int? = nil) {
    self.temperature = temperature
    self.topK = topK
  }

  public var isGreedy: Bool { temperature <= 0 }

  /// The next temperature in `temperatures` (after the last, the first).
  public mutating func cycleTemperature() {
    let index = Self.temperatures.firstIndex(of: temperature) ?? Self.temperatures.count - 1
    temperature = Self.temperatures[(index + 1) % Self.temperatures.count]
  }

  /// The next value in `topKs` (after the last, the first).
  public mutating func cycleTopK() {
    let index = Self.topKs.firstIndex(of: topK) ?? Self.topKs.count - 1
    topK = Self.topKs[(index + 1) % Self.topKs.count]
  }

  /// Which tokens may be drawn: the `topK` largest logits among `allowed` (all when nil).
  ///
  /// Ties keep the lower id; a NaN logit counts as −∞. At least one allowed token is kept.
  public func keptTokens(logits: [Float], allowed: [Bool]? = nil) -> [Bool] {
    let candidates = logits.indices.filter { allowed?[$0] ?? true }
    var kept = [Bool](repeating: false, count: logits.count)
    guard !candidates.isEmpty else { return kept }
    func value(_ i: Int) -> Float { logits[i].isNaN ? -.infinity : logits[i] }
    if let topK, topK > 0, topK < candidates.count {
      let ranked = candidates.sorted { value($0) > value($1) || (value($0) == value($1) && $0 < $1) }
      for i in ranked.prefix(topK) { kept[i] = true }
    } else {
      for i in candidates { kept[i] = true }
    }
    return kept
  }

  /// softmax(z/T) over the kept tokens, 0 elsewhere; greedy: 1 at the largest kept logit.
  ///
  /// Computed from z − max(z), so no temperature overflows; when no kept logit is finite,
  /// the kept tokens share the mass equally.
  public func distribution(logits: [Float], allowed: [Bool]? = nil) -> [Float] {
    let kept = keptTokens(logits: logits, allowed: allowed)
    let indices = logits.indices.filter { kept[$0] }
    var result = [Float](repeating: 0, count: logits.count)
    let finite = indices.filter { logits[$0].isFinite }
    guard let largest = finite.map({ logits[$0] }).max() else {
      for i in indices { result[i] = 1 / Float(indices.count) }
      return result
    }
    if isGreedy {
      result[finite.first { logits[$0] == largest }!] = 1
      return result
    }
    var total = 0.0
    for i in finite {
      let weight = exp(Double(logits[i] - largest) / Double(temperature))
      result[i] = Float(weight)
      total += weight
    }
    for i in finite { result[i] = Float(Double(result[i]) / total) }
    return result
  }

  /// Draws one token from `distribution(logits:allowed:)`; never a cut or disallowed token.
  public func sample(logits: [Float], allowed: [Bool]? = nil, generator: inout SeededGenerator) -> Int32 {
    let weights = distribution(logits: logits, allowed: allowed)
    let target = generator.nextDouble() * weights.reduce(0.0) { $0 + Double($1) }
    var running = 0.0
    var last = -1
    for (i, weight) in weights.enumerated() where weight > 0 {
      running += Double(weight)
      last = i
      if running > target { return Int32(i) }
    }
    return Int32(max(last, 0))
  }
}

/// The perplexity of generated text under the model: e^(mean −ln p), each token's p taken
/// from the model's own distribution (temperature 1, no cut) when it was drawn.
///
/// Greedy or low-temperature text scores low (the model finds it unsurprising); flat
/// sampling scores high. 1 is the least possible; the vocabulary size is a uniform guess.
public struct PerplexityMeter: Sendable, Equatable {
  public private(set) var count = 0
  private var negativeLogSum = 0.0

  public init() {}

  /// Counts one generated token that the model gave `probability`.
  public mutating func add(probability: Float) {
    count += 1
    negativeLogSum -= log(max(Double(probability), Double.leastNormalMagnitude))
  }

  /// e^(mean −ln p); nil before the first token.
  public var value: Double? { count > 0 ? exp(negativeLogSum / Double(count)) : nil }
}
