import Curriculum
import Foundation
import Model
import Testing
@testable import Training

/// The embedding map and the BPE replay, asked of a session: computed on its queue, from the model it trains.
@Suite struct SessionMapTests {
  /// Calls `ask` with a completion and returns what it was handed once the session is idle.
  func answer<T: Sendable>(_ session: TrainingSession, _ ask: (@escaping @Sendable (T) -> Void) -> Void) -> T? {
    let box = Locked<T?>(nil)
    ask { value in box.withLock { $0 = value } }
    session.waitUntilIdle()
    return box.withLock { $0 }
  }

  @Test func theMapIsTheModelsWteProjectedAndFollowsTheRun() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let run = tinyRun(try scratch.corpus())
    let session = TrainingSession(configuration: run)
    defer { session.stop() }
    for _ in 0..<5 { session.step() }
    let firstAnswer: Result<EmbeddingMap, EmbeddingMapProblem>?? = answer(session) { session.embeddingMap(EmbeddingMapRequest(picked: 3), completion: $0) }
    let first = try #require(firstAnswer ?? nil).get()
    #expect(first.step == 5)
    let headless = try Trainer(configuration: run, evaluationInterval: 0)
    for _ in 0..<5 { _ = headless.step(recordTrace: false) }
    let expected = try EmbeddingMap(model: headless.model, counts: headless.tokenCounts, step: 5, request: EmbeddingMapRequest(picked: 3))
    #expect(first.x == expected.x && first.y == expected.y)
    #expect(first.picked == 3 && first.neighbours.count == 5 && !first.neighbours.contains { $0.token == 3 })
    #expect(first.frequencyOrder.allSatisfy { first.counts[$0] > 0 })
    // The next map, asked to follow the first, keeps its axes' directions.
    session.step()
    let nextAnswer: Result<EmbeddingMap, EmbeddingMapProblem>?? = answer(session) { session.embeddingMap(EmbeddingMapRequest(previousAxes: first.axes), completion: $0) }
    let next = try #require(nextAnswer ?? nil).get()
    #expect(next.step == 6)
    for axis in 0..<2 {
      #expect(zip(next.axes[axis], first.axes[axis]).reduce(0) { $0 + $1.0 * $1.1 } > 0.9)
    }
  }

  @Test func aModelTooSmallToProjectIsAProblemNotACrash() throws {
    var generator = SeededGenerator(seed: 1)
    let model = GPT(config: try ModelConfig(vocabSize: 5, contextLength: 4, channels: 1, layers: 1, heads: 1), maxBatch: 1, generator: &generator)
    #expect(throws: EmbeddingMapProblem(vocabulary: 5, dim: 1)) { try EmbeddingMap(model: model, counts: [], step: 0) }
    let tiny = GPT(config: try ModelConfig(vocabSize: 2, contextLength: 4, channels: 4, layers: 1, heads: 1), maxBatch: 1, generator: &generator)
    #expect(throws: EmbeddingMapProblem(vocabulary: 2, dim: 4)) { try EmbeddingMap(model: tiny, counts: [], step: 0) }
  }

  @Test func theReplayIsTheRunsTokenizerAndFewerMergesRestartTheRun() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    var run = tinyRun(try scratch.corpus())
    run.tokenizer = .bpe
    run.bpeMerges = 40
    let session = TrainingSession(configuration: run)
    defer { session.stop() }
    session.step()
    session.waitUntilIdle()
    let tokenizer = try #require(session.snapshot.tokenizer as? BPETokenizer)
    let replayAnswer: MergeReplay?? = answer(session) { session.mergeReplay(completion: $0) }
    let replay = try #require(replayAnswer ?? nil)
    #expect(replay.tokenizer == tokenizer && replay.mergeCount == 40)
    session.restart(bpeMerges: 12)
    session.waitUntilIdle()
    let snapshot = session.snapshot
    #expect(snapshot.step == 0 && snapshot.configuration.bpeMerges == 12)
    #expect((snapshot.tokenizer as? BPETokenizer)?.merges.elementsEqual(tokenizer.merges.prefix(12), by: ==) == true)
    #expect(snapshot.tokenizer?.vocabSize == 256 + 12 + 1)
    #expect(snapshot.previousRun?.losses.count == 1)
    // A character run has nothing to replay.
    let chars = TrainingSession(configuration: tinyRun(try scratch.corpus(named: "other.txt")))
    defer { chars.stop() }
    let none: MergeReplay?? = answer(chars) { chars.mergeReplay(completion: $0) }
    #expect(none != nil && none! == nil)
  }
}
