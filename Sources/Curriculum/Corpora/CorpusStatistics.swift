import Foundation

/// Reference losses a model can be compared with, in nats per token.
///
/// A fresh model guesses uniformly (`uniformEntropy` = ln V); a model that only learned
/// token frequencies reaches `unigramEntropy`; one that also learned which token follows
/// which reaches `bigramEntropy`.
///
/// The two entropies are measured the way a model's validation loss is: counts come from
/// the training split, and the loss is taken on the validation split. Counting and
/// scoring the same text (the plug-in estimate) would be far too low on small corpora
/// with large vocabularies: a Chinese text of a few thousand characters sees most of its
/// character pairs once, so the "bigram entropy" of such a count is what memorising the
/// text reaches, not what knowing the previous character is worth on text not seen.
/// Unseen tokens get add-one counts; unseen pairs fall back to the unigram model by
/// Witten–Bell interpolation, which has no parameter to tune.
public struct CorpusStatistics: Sendable, Equatable {
  /// ln V: the loss of a uniform guess over the vocabulary.
  public let uniformEntropy: Double
  /// Cross-entropy on the validation split of token frequencies counted on the training split.
  public let unigramEntropy: Double
  /// Cross-entropy on the validation split of next-token frequencies (given the previous
  /// token) counted on the training split.
  public let bigramEntropy: Double
  /// Tokens counted, both splits.
  public let tokenCount: Int
  /// Distinct tokens seen, both splits.
  public let distinctTokens: Int

  /// Counts `train` and scores `validation`; ids must lie in 0..<vocabSize.
  public init(train: [Int32], validation: [Int32], vocabSize: Int) {
    uniformEntropy = vocabSize > 0 ? log(Double(vocabSize)) : 0
    tokenCount = train.count + validation.count
    distinctTokens = Set(train).union(validation).count
    guard vocabSize > 0, !validation.isEmpty else {
      (unigramEntropy, bigramEntropy) = (uniformEntropy, uniformEntropy)
      return
    }

    var unigrams = [Int](repeating: 0, count: vocabSize)
    for token in train { unigrams[Int(token)] += 1 }
    let unigramTotal = Double(train.count + vocabSize)
    func unigram(_ token: Int32) -> Double { Double(unigrams[Int(token)] + 1) / unigramTotal }

    var pairs: [UInt64: Int] = [:]
    var followers = [Int](repeating: 0, count: vocabSize)  // c(a): pairs that start with a
    var distinctFollowers = [Int](repeating: 0, count: vocabSize)  // T(a): different tokens after a
    for (first, second) in zip(train, train.dropFirst()) {
      let key = Self.pairKey(first, second)
      let count = pairs[key, default: 0]
      if count == 0 { distinctFollowers[Int(first)] += 1 }
      pairs[key] = count + 1
      followers[Int(first)] += 1
    }
    // P(b | a) = (c(a, b) + T(a)·P(b)) / (c(a) + T(a)), or P(b) after a token never seen first.
    func bigram(_ first: Int32, _ second: Int32) -> Double {
      let seen = Double(followers[Int(first)])
      guard seen > 0 else { return unigram(second) }
      let kinds = Double(distinctFollowers[Int(first)])
      let together = Double(pairs[Self.pairKey(first, second)] ?? 0)
      return (together + kinds * unigram(second)) / (seen + kinds)
    }

    // Summing in order keeps the result bit-identical from run to run.
    var unigramLoss = 0.0
    for token in validation { unigramLoss -= log(unigram(token)) }
    unigramEntropy = unigramLoss / Double(validation.count)
    if validation.count > 1 {
      var bigramLoss = 0.0
      for (first, second) in zip(validation, validation.dropFirst()) { bigramLoss -= log(bigram(first, second)) }
      bigramEntropy = bigramLoss / Double(validation.count - 1)
    } else {
      bigramEntropy = unigramEntropy
    }
  }

  private static func pairKey(_ first: Int32, _ second: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second))
  }
}
