import Foundation
import Testing
@testable import Curriculum
import TestSupport

/// A deterministic generator for tests (the Model module's generator is not available here).
struct SplitMixTestGenerator: RandomNumberGenerator {
  var inner: SplitMix64
  init(seed: UInt64) { inner = SplitMix64(seed: seed) }
  mutating func next() -> UInt64 { inner.next() }
}

/// A split whose token i is i % vocabulary, so windows are easy to check.
func countingStream(
  objective: Objective, count: Int = 2_000, batchSize: Int = 4, length: Int = 8, seed: UInt64 = 7,
  shuffles: Bool = true, vocabulary: Int = 50
) -> BatchStream {
  let tokens = (0..<count).map { Int32($0 % vocabulary) }
  return BatchStream(
    tokens: tokens, split: .train, objective: objective, batchSize: batchSize, length: length,
    maskID: Int32(vocabulary + 1), ordinaryCount: vocabulary, seed: seed, shuffles: shuffles)
}

@Suite("Batches")
struct BatchTests {
  @Test("CLM labels are the inputs shifted by one")
  func clmShift() {
    var stream = countingStream(objective: .clm)
    for _ in 0..<5 {
      let batch = stream.next()
      #expect(batch.inputs.count == 4 * 8)
      for row in 0..<batch.batchSize {
        let start = batch.windowStarts[row]
        let tokens = stream.tokens
        #expect(Array(batch.inputs(row: row)) == Array(tokens[start..<(start + 8)]))
        #expect(Array(batch.labels(row: row)) == Array(tokens[(start + 1)..<(start + 9)]))
        #expect(Array(batch.labels(row: row).dropLast()) == Array(batch.inputs(row: row).dropFirst()))
      }
      #expect(batch.originals == batch.inputs)
      #expect(batch.maskKinds.allSatisfy { $0 == .none })
      #expect(batch.labelledCount == batch.inputs.count)
    }
  }

  @Test("an epoch visits every window once, each batch shifted (the first not), then moves on")
  func epochCoverage() {
    var stream = countingStream(objective: .clm, count: 170, batchSize: 2, length: 8)
    let order = stream.windowOrder(epoch: 0)
    let perEpoch = stream.batchesPerEpoch(epoch: 0)
    #expect(perEpoch == order.count / 2)
    var tiles: [Int] = []
    for index in 0..<perEpoch {
      let batch = stream.next()
      #expect(batch.epoch == 0 && batch.index == index)
      let shift = stream.batchShift(epoch: 0, index: index)
      #expect((0..<8).contains(shift))
      if index == 0 { #expect(shift == 0) }
      for (row, start) in batch.windowStarts.enumerated() {
        let tile = order[index * 2 + row]
        #expect(start == min(tile + shift, 170 - 9))
        tiles.append(tile)
      }
    }
    #expect(Set(tiles).count == tiles.count)
    let offset = order.min()! % 8
    #expect(tiles.allSatisfy { $0 % 8 == offset && $0 + 9 <= 170 })
    #expect(stream.position.epoch == 1 && stream.position.index == 0)
    #expect(stream.next().epoch == 1)
  }

  @Test("one epoch cuts a text with a fixed period at many phases")
  func periodicTextIsCutAtManyPhases() {
    // Lines of 20 tokens and windows of 32: tiling alone gives one phase class mod 4 per epoch.
    var stream = countingStream(objective: .clm, count: 4000, batchSize: 4, length: 32)
    var phases = Set<Int>()
    for _ in 0..<stream.batchesPerEpoch(epoch: 0) {
      for start in stream.next().windowStarts { phases.insert(start % 20) }
    }
    #expect(phases.count >= 15, "phases seen in one epoch: \(phases.sorted())")
  }

  @Test("the same seed gives the same batches; another seed another order")
  func determinism() {
    var first = countingStream(objective: .mlm, seed: 99)
    var second = countingStream(objective: .mlm, seed: 99)
    var other = countingStream(objective: .mlm, seed: 100)
    var differs = false
    for _ in 0..<20 {
      let batch = first.next()
      #expect(batch == second.next())
      if batch != other.next() { differs = true }
    }
    #expect(differs)
  }

  @Test("the seed is drawn from the caller's generator")
  func seedFromGenerator() throws {
    let corpus = Corpus(path: "t.txt", text: String(repeating: "abcdefgh", count: 40))
    let tokenizer = CharacterTokenizer(trainingText: corpus.text)
    let tokenized = try TokenizedCorpus(corpus: corpus, tokenizer: tokenizer, context: 8)
    var generatorA = SplitMixTestGenerator(seed: 1)
    var generatorB = SplitMixTestGenerator(seed: 1)
    var a = BatchStream(corpus: tokenized, objective: .clm, batchSize: 2, length: 8, tokenizer: tokenizer, generator: &generatorA)
    var b = BatchStream(corpus: tokenized, objective: .clm, batchSize: 2, length: 8, tokenizer: tokenizer, generator: &generatorB)
    #expect(a.next() == b.next())
    #expect(generatorA.next() == generatorB.next())
  }

  @Test("a stored position resumes the stream exactly")
  func resume() throws {
    var stream = countingStream(objective: .mlm, count: 400, batchSize: 3)
    for _ in 0..<23 { _ = stream.next() }
    let stored = stream.position.serialized()
    let expected = (0..<10).map { _ in stream.next() }

    var resumed = countingStream(objective: .mlm, count: 400, batchSize: 3, seed: 0)
    resumed.position = try BatchPosition(json: stored)
    #expect((0..<10).map { _ in resumed.next() } == expected)
    #expect(throws: BatchPositionError("data position: field 'seed' must be an unsigned integer in a string")) {
      try BatchPosition(json: #"{"epoch":1,"index":2,"seed":3}"#)
    }
  }

  @Test("MLM statistics: 15% picked, of those 80/10/10, at least one per row")
  func mlmStatistics() {
    var stream = countingStream(objective: .mlm, count: 20_000, batchSize: 8, length: 64, vocabulary: 50)
    var positions = 0
    var picked = 0
    var counts: [MaskKind: Int] = [:]
    for _ in 0..<200 {
      let batch = stream.next()
      for row in 0..<batch.batchSize {
        #expect(batch.maskKinds(row: row).contains { $0.isPicked })
      }
      for slot in 0..<batch.inputs.count {
        let kind = batch.maskKinds[slot]
        positions += 1
        counts[kind, default: 0] += 1
        if kind.isPicked {
          picked += 1
          #expect(batch.labels[slot] == batch.originals[slot])
        } else {
          #expect(batch.labels[slot] == Batch.ignoredLabel)
          #expect(batch.inputs[slot] == batch.originals[slot])
        }
        switch kind {
        case .masked: #expect(batch.inputs[slot] == stream.maskID)
        case .kept: #expect(batch.inputs[slot] == batch.originals[slot])
        case .random: #expect(batch.inputs[slot] >= 0 && batch.inputs[slot] < 50)
        case .none: break
        }
      }
      for row in 0..<batch.batchSize {
        let start = batch.windowStarts[row]
        #expect(Array(batch.originals(row: row)) == Array(stream.tokens[start..<(start + 64)]))
      }
    }
    let fraction = Double(picked) / Double(positions)
    #expect(abs(fraction - 0.15) < 0.01, "picked fraction \(fraction)")
    let masked = Double(counts[.masked, default: 0]) / Double(picked)
    let random = Double(counts[.random, default: 0]) / Double(picked)
    let kept = Double(counts[.kept, default: 0]) / Double(picked)
    #expect(abs(masked - 0.8) < 0.02, "masked \(masked)")
    #expect(abs(random - 0.1) < 0.02, "random \(random)")
    #expect(abs(kept - 0.1) < 0.02, "kept \(kept)")
  }

  @Test("a row with no pick gets exactly one")
  func atLeastOnePick() {
    // With T = 2 about 72% of rows draw no pick and must get one.
    var stream = countingStream(objective: .mlm, count: 1_000, batchSize: 16, length: 2)
    for _ in 0..<20 {
      let batch = stream.next()
      for row in 0..<batch.batchSize {
        #expect(batch.maskKinds(row: row).contains { $0.isPicked })
      }
    }
  }

  @Test("validation batches are fixed windows in corpus order, the same every time")
  func validationBatches() throws {
    let text = String(repeating: "the cat sat on the mat. ", count: 40)
    let corpus = Corpus(path: "v.txt", text: text)
    let tokenizer = CharacterTokenizer(trainingText: text)
    let tokenized = try TokenizedCorpus(corpus: corpus, tokenizer: tokenizer, context: 8)
    let first = BatchStream.validation(corpus: tokenized, objective: .mlm, batchSize: 2, length: 8, tokenizer: tokenizer)
    let second = BatchStream.validation(corpus: tokenized, objective: .mlm, batchSize: 2, length: 8, tokenizer: tokenizer)
    let batches = first.firstBatches(limit: 100)
    #expect(batches == second.firstBatches(limit: 100))
    #expect(batches.count == tokenized.validation.count / 8 / 2)
    #expect(batches[0].windowStarts == [0, 8])
    #expect(batches.allSatisfy { $0.split == .validation })
  }

  @Test("a split with fewer windows than rows still fills a batch")
  func wrapAround() {
    var stream = countingStream(objective: .clm, count: 20, batchSize: 4, length: 8)
    #expect(stream.batchesPerEpoch(epoch: 0) == 1)
    let batch = stream.next()
    #expect(batch.windowStarts.count == 4)
    #expect(batch.windowStarts.allSatisfy { $0 + 9 <= 20 })
    #expect(stream.position.epoch == 1)
  }
}

@Suite("Training data")
struct TrainingDataTests {
  @Test("a lesson's corpus, tokenizer, split and streams come together")
  func lessonData() throws {
    let folder = try TemporaryDirectory()
    let corpora = try folder.makeFolder("Corpora")
    try folder.write("Corpora/tiny.txt", CurriculumFixtures.tinyCorpus)
    let url = try folder.write("Lessons/01-tiny.en.md", CurriculumFixtures.lesson())
    let lesson = try LessonLoader.load(url: url, corporaDirectory: corpora)
    let data = try TrainingData(lesson: lesson, corporaDirectory: corpora)
    #expect(data.tokenizer.kind == .word)
    // 36 lines of "The cat sat on the mat.": "The", " cat", " sat", " on", " the", " mat", ".", "\n".
    #expect(data.tokens.tokens.count == 36 * 8)
    #expect(data.tokenizer.decode(data.tokens.tokens) == CurriculumFixtures.tinyCorpus)
    #expect(abs(data.statistics.uniformEntropy - log(Double(data.tokenizer.vocabSize))) < 1e-12)
    #expect(data.statistics.bigramEntropy < data.statistics.unigramEntropy)

    var generator = SplitMixTestGenerator(seed: lesson.seed)
    var train = data.trainingStream(objective: .clm, batchSize: lesson.model.batch, length: lesson.model.context, generator: &generator)
    let batch = train.next()
    #expect(batch.batchSize == 4 && batch.length == 8)
    #expect(batch.windowStarts.allSatisfy { $0 + 9 <= data.tokens.train.count })
    let validation = data.validationStream(objective: .mlm, batchSize: 4, length: 8)
    #expect(validation.tokens == data.tokens.validation)
  }
}
