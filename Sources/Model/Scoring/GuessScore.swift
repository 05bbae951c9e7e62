import Foundation

/// How well a guesser, a person or a model, predicted the tokens of a text, scored as Shannon did.
///
/// Shannon (1951, "Prediction and Entropy of Printed English") had people guess each next
/// letter until right and bounded the entropy of the text from how often the first, second,
/// … guess was the right one. Each position records that rank (1 = right at once) and, for
/// a model, the probability it gave the true token. With q_r the share of positions whose
/// rank was r, the entropy in bits per token lies between
///
///     lower = Σ_i i·(q_i − q_{i+1})·log₂ i      upper = −Σ_r q_r·log₂ q_r
///
/// (the lower bound with the q's sorted largest first, as Shannon's derivation assumes).
///
/// The upper bound is the entropy of the rank distribution itself; a model's exact
/// cross-entropy (the mean of −log₂ p) is an upper bound too, usually a tighter one.
/// Giving up counts as rank V (the vocabulary's size) and, in the upper bound, also costs
/// log₂ V bits: a code for the text must still name the token the guesser could not find.
/// Without that, a guesser who gave up everywhere would have one rank, entropy 0 and a
/// perfect score; with it, giving up never flatters a score.
public struct GuessScore: Sendable, Equatable {
  /// How many positions had each rank.
  public private(set) var rankCounts: [Int: Int] = [:]
  /// Positions scored.
  public private(set) var positions = 0
  /// Σ −log₂ p(true token) over the positions that recorded a probability.
  public private(set) var totalBits: Double = 0
  /// Positions that recorded a probability (all of them for a model, none for a person).
  public private(set) var probabilityCount = 0
  /// Positions given up on, and log₂ V for each (what naming the token costs).
  public private(set) var giveUps = 0
  private var giveUpBits: Double = 0

  public init() {}

  /// Adds one position guessed right at `rank` (1 = the first guess).
  public mutating func record(rank: Int) {
    precondition(rank >= 1, "rank \(rank) must be at least 1")
    rankCounts[rank, default: 0] += 1
    positions += 1
  }

  /// Adds one position a model predicted, with its rank and the probability of the true token.
  public mutating func record(_ prediction: TokenPrediction) {
    record(rank: prediction.rank)
    totalBits += prediction.bits
    probabilityCount += 1
  }

  /// Adds one position the guesser gave up on: rank V, the worst there is.
  public mutating func recordGiveUp(vocabularySize: Int) {
    record(rank: max(1, vocabularySize))
    giveUps += 1
    giveUpBits += log2(Double(max(1, vocabularySize)))
  }

  /// The share of positions guessed right at the first try (0 before any position).
  public var top1Accuracy: Double {
    positions > 0 ? Double(rankCounts[1] ?? 0) / Double(positions) : 0
  }

  /// q_r for every rank that occurred, lowest rank first.
  public var rankFrequencies: [RankFrequency] {
    rankCounts.keys.sorted().map { rank in
      let count = rankCounts[rank] ?? 0
      return RankFrequency(rank: rank, count: count, frequency: Double(count) / Double(positions))
    }
  }

  /// Shannon's upper bound, −Σ q_r log₂ q_r plus log₂ V per give-up, in bits per token (0 before any position).
  public var upperBoundBits: Double {
    guard positions > 0 else { return 0 }
    var sum = 0.0
    for entry in rankFrequencies { sum -= entry.frequency * log2(entry.frequency) }
    return sum + giveUpBits / Double(positions) + 0  // + 0 turns −0 into 0
  }

  /// Shannon's lower bound, Σ i·(q_i − q_{i+1})·log₂ i, in bits per token (0 before any position).
  ///
  /// Shannon's derivation assumes q₁ ≥ q₂ ≥ …, as an ideal predictor's frequencies are; a
  /// person's need not be, and a give-up's rank V never is. Taken as they come, two give-ups
  /// put the lower bound (log₂ V + 1.4) above the upper one. So the frequencies are sorted,
  /// largest first, and numbered 1, 2, …; then the bound is never above the entropy of the
  /// ranks, hence never above `upperBoundBits`. Summed by parts: q_i·(i·log₂ i − (i−1)·log₂(i−1)).
  public var lowerBoundBits: Double {
    func iLog2i(_ i: Int) -> Double { i <= 1 ? 0 : Double(i) * log2(Double(i)) }
    var sum = 0.0
    for (index, frequency) in rankFrequencies.map(\.frequency).sorted(by: >).enumerated() {
      sum += frequency * (iLog2i(index + 1) - iLog2i(index))
    }
    return sum
  }

  /// The mean of −log₂ p over the positions, when every position recorded a probability.
  public var crossEntropyBits: Double? {
    positions > 0 && probabilityCount == positions ? totalBits / Double(positions) : nil
  }
}

/// The share of positions whose true token was guessed at one rank.
public struct RankFrequency: Sendable, Equatable {
  /// 1 = guessed right first.
  public let rank: Int
  /// Positions with this rank.
  public let count: Int
  /// q_r: count over all positions.
  public let frequency: Double

  public init(rank: Int, count: Int, frequency: Double) {
    self.rank = rank
    self.count = count
    self.frequency = frequency
  }
}

/// How a model ranked the token that came next, and how likely it found it.
public struct TokenPrediction: Sendable, Equatable {
  /// The true next token.
  public let token: Int32
  /// 1 + the number of tokens the model gave a strictly higher probability.
  public let rank: Int
  /// ln p(token), from the logits in Double, so a tiny probability is never rounded to 0.
  public let logProbability: Double

  public init(token: Int32, rank: Int, logProbability: Double) {
    self.token = token
    self.rank = rank
    self.logProbability = logProbability
  }

  /// p(token).
  public var probability: Double { exp(logProbability) }
  /// −log₂ p(token): this position's share of the cross-entropy.
  public var bits: Double { -logProbability / M_LN2 }

  /// Scores `token` against one row of logits: its rank and its log-probability.
  ///
  /// Ties in the logits share the better rank (a tie is not a wrong guess).
  public static func score(token: Int32, logits: UnsafeBufferPointer<Float>) -> TokenPrediction {
    let target = logits[Int(token)]
    // A diverged model's NaN predicts nothing: the worst rank, probability 0.
    guard !target.isNaN else { return TokenPrediction(token: token, rank: logits.count, logProbability: -.infinity) }
    var higher = 0
    var maximum = -Float.infinity
    for z in logits {
      if z > target { higher += 1 }
      maximum = max(maximum, z)
    }
    var total = 0.0
    for z in logits { total += exp(Double(z) - Double(maximum)) }
    let logProbability = Double(target) - Double(maximum) - log(total)
    return TokenPrediction(token: token, rank: higher + 1, logProbability: logProbability)
  }
}
