import Foundation
import Model
import Testing

/// Shannon's bounds, ranks and the sliding window of `GPT.predictions(of:)`.
@Suite struct ScoringTests {
  func score(ranks: [Int]) -> GuessScore {
    var score = GuessScore()
    for rank in ranks { score.record(rank: rank) }
    return score
  }

  @Test func allFirstGuessesBoundTheEntropyAtZero() {
    let score = score(ranks: [1, 1, 1, 1])
    #expect(score.upperBoundBits == 0)
    #expect(score.lowerBoundBits == 0)
    #expect(score.top1Accuracy == 1)
    #expect(score.crossEntropyBits == nil)
  }

  @Test(arguments: [2, 3, 7, 64])
  func uniformRanksGiveLog2KForBothBounds(k: Int) {
    let score = score(ranks: Array(1...k) + Array(1...k))
    #expect(abs(score.upperBoundBits - log2(Double(k))) < 1e-12)
    #expect(abs(score.lowerBoundBits - log2(Double(k))) < 1e-12)
    #expect(abs(score.top1Accuracy - 1 / Double(k)) < 1e-12)
  }

  @Test func boundsOfAHandComputedDistribution() {
    // q = (1/2, 1/4, 0, 1/4) over ranks 1…4.
    let score = score(ranks: [1, 1, 2, 4])
    #expect(abs(score.upperBoundBits - 1.5) < 1e-12)
    // Sorted, q = (1/2, 1/4, 1/4): lower = 1·(1/4)·0 + 2·(1/4 − 1/4)·1 + 3·(1/4 − 0)·log₂3 = 0.75·log₂3
    #expect(abs(score.lowerBoundBits - 0.75 * log2(3)) < 1e-12)
    #expect(score.lowerBoundBits <= score.upperBoundBits)
    #expect(score.rankFrequencies == [
      RankFrequency(rank: 1, count: 2, frequency: 0.5), RankFrequency(rank: 2, count: 1, frequency: 0.25),
      RankFrequency(rank: 4, count: 1, frequency: 0.25),
    ])
  }

  @Test func givingUpCountsAsTheLastRank() {
    var score = GuessScore()
    score.record(rank: 1)
    score.recordGiveUp(vocabularySize: 40)
    #expect(score.rankCounts == [1: 1, 40: 1])
    #expect(score.top1Accuracy == 0.5)
    // One bit for which of the two ranks, and log₂ 40 to name the token given up on, half the time.
    #expect(abs(score.upperBoundBits - (1 + 0.5 * log2(40))) < 1e-12)
  }

  @Test func givingUpEverywhereIsNeverAPerfectScore() {
    var score = GuessScore()
    for _ in 0..<10 { score.recordGiveUp(vocabularySize: 64) }
    #expect(score.upperBoundBits == 6, "log₂ 64: as if the guesser knew nothing")
    var model = GuessScore()
    for _ in 0..<10 { model.record(rank: 1) }
    #expect(model.upperBoundBits < score.upperBoundBits)
  }

  @Test func giveUpsNeverPutTheLowerBoundAboveTheUpper() {
    var score = GuessScore()
    score.recordGiveUp(vocabularySize: 124)
    score.recordGiveUp(vocabularySize: 124)
    #expect(abs(score.upperBoundBits - log2(124)) < 1e-12)
    #expect(score.lowerBoundBits == 0, "one rank, sorted first: nothing to bound")
    score.record(rank: 1)
    score.record(rank: 3)
    #expect(score.lowerBoundBits <= score.upperBoundBits)
  }

  @Test func tiesShareTheBetterRank() {
    let logits: [Float] = [2, 5, 5, 1, 5]
    let rank = logits.withUnsafeBufferPointer { TokenPrediction.score(token: 2, logits: $0) }
    #expect(rank.rank == 1)  // three tokens tie at the top: none is strictly higher
    let low = logits.withUnsafeBufferPointer { TokenPrediction.score(token: 3, logits: $0) }
    #expect(low.rank == 5)  // below the three 5s and the 2
    let z = logits.map(Double.init)
    let expected = 5 - log(z.map { exp($0) }.reduce(0, +))
    #expect(abs(rank.logProbability - expected) < 1e-9)
    #expect(abs(rank.bits + expected / log(2)) < 1e-9)
  }

  @Test func aModelsScoreAveragesItsBits() {
    var score = GuessScore()
    score.record(TokenPrediction(token: 0, rank: 1, logProbability: log(0.5)))
    score.record(TokenPrediction(token: 0, rank: 3, logProbability: log(0.125)))
    #expect(abs((score.crossEntropyBits ?? 0) - 2) < 1e-12)
  }

  @Test func eachTokenIsPredictedFromTheWindowBeforeIt() throws {
    let config = try ModelConfig(vocabSize: 9, contextLength: 4, channels: 8, layers: 1, heads: 2)
    var generator = SeededGenerator(seed: 5)
    let model = GPT(config: config, maxBatch: 1, generator: &generator)
    let ids: [Int32] = [1, 2, 3, 4, 5, 6, 7, 8, 0, 1]
    let predictions = model.predictions(of: ids)
    #expect(predictions.count == ids.count - 1)
    for index in 1..<ids.count {
      let window = Array(ids[max(0, index - 4)..<index])
      let probabilities = model.nextTokenProbabilities(context: window)
      let target = probabilities[Int(ids[index])]
      let expectedRank = 1 + probabilities.filter { $0 > target }.count
      let prediction = predictions[index - 1]
      #expect(prediction.token == ids[index])
      #expect(prediction.rank == expectedRank, "token \(index)")
      #expect(abs(prediction.probability - Double(target)) < 1e-5, "token \(index)")
      #expect(prediction == model.prediction(of: ids[index], after: Array(ids[..<index])))
    }
    #expect(model.predictions(of: [3]).isEmpty)
  }
}
