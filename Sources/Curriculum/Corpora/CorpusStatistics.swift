import Foundation

/// Reference losses a model can be compared with, in nats per token.
///
/// A fresh model guesses uniformly (`uniformEntropy` = ln V); a model that only learned
/// token frequencies reaches `unigramEntropy`; one that also learned which token follows
/// which reaches `bigramEntropy`. Both are plug-in estimates from the corpus's own counts.
public struct CorpusStatistics: Sendable, Equatable {
  /// ln V: the loss of a uniform guess over the vocabulary.
  public let uniformEntropy: Double
  /// H(X) = −Σ p(x) ln p(x) over token frequencies.
  public let unigramEntropy: Double
  /// H(Xₜ₊₁ | Xₜ) = −Σ p(a, b) ln p(b | a) over adjacent token pairs.
  public let bigramEntropy: Double
  /// Tokens counted.
  public let tokenCount: Int
  /// Distinct tokens seen.
  public let distinctTokens: Int

  public init(tokens: [Int32], vocabSize: Int) {
    uniformEntropy = vocabSize > 0 ? log(Double(vocabSize)) : 0
    tokenCount = tokens.count

    var unigrams: [Int32: Int] = [:]
    for token in tokens { unigrams[token, default: 0] += 1 }
    distinctTokens = unigrams.count
    var unigram = 0.0
    let total = Double(tokens.count)
    // Summing in a fixed order keeps the result bit-identical from run to run.
    for (_, count) in unigrams.sorted(by: { $0.key < $1.key }) {
      let p = Double(count) / total
      unigram -= p * log(p)
    }
    unigramEntropy = unigram

    var pairs: [UInt64: Int] = [:]
    var firsts: [Int32: Int] = [:]
    if tokens.count > 1 {
      for index in 0..<(tokens.count - 1) {
        let key = UInt64(UInt32(bitPattern: tokens[index])) << 32 | UInt64(UInt32(bitPattern: tokens[index + 1]))
        pairs[key, default: 0] += 1
        firsts[tokens[index], default: 0] += 1
      }
    }
    var bigram = 0.0
    let pairTotal = Double(max(0, tokens.count - 1))
    for (key, count) in pairs.sorted(by: { $0.key < $1.key }) {
      let first = Int32(bitPattern: UInt32(key >> 32))
      let joint = Double(count) / pairTotal
      let conditional = Double(count) / Double(firsts[first] ?? 1)
      bigram -= joint * log(conditional)
    }
    bigramEntropy = bigram
  }
}
