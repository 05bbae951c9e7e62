import Curriculum
import Foundation
import Model
import Testing
import Training

/// Training gives the same bits on any number of threads.
///
/// Serialized: the thread count is the process's, set by `BLAS.setThreads`
/// as `train` and `trace` do. (Other suites running meanwhile train on these
/// counts too, which must not change their results either.)
@Suite(.serialized) struct ThreadCountTests {
  /// Large enough that the layer products and attention are cut into several blocks.
  func run(_ corpus: URL, objective: Objective) -> RunConfiguration {
    RunConfiguration(
      corpus: corpus.path, objective: objective, tokenizer: .char, layers: 1, heads: 4, dim: 64, context: 64, batch: 16,
      optimizer: .adamw, learningRate: 3e-3, warmupSteps: 3, seed: 11)
  }

  @Test func lossesAndFullTraceAreIdenticalOnOneToSevenThreads() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let corpus = try scratch.corpus(sentences: 1500)
    // The shapes here do split: the MLP's products (1024 rows) into 2 blocks, attention's backward into 8.
    let split = WorkSplit(threads: 2)
    #expect(split.blocks(count: 1024, work: 2 * 1024 * 64 * 256, minimumItems: split.blockRows) == 2)
    #expect(split.blocks(count: 16 * 4, work: 8 * 16 * 4 * 64 * 64 * 16) == 8)
    defer { BLAS.setThreads(1) }
    for objective in [Objective.clm, .mlm] {
      var reference: (losses: [Float], trace: Data)?
      for threads in [1, 2, 3, 4, 7] {
        BLAS.setThreads(threads)
        let trainer = try Trainer(configuration: run(corpus, objective: objective), evaluationInterval: 0)
        let losses = (0..<2).map { _ in trainer.step(recordTrace: false).loss }
        let trace = try #require(trainer.step(recordTrace: true).trace)
        let url = scratch.file("trace-\(objective)-\(threads).safetensors")
        try TraceFile.write(trace, trainer: trainer, to: url)
        let result = (losses: losses + [trace.loss, trace.lossAfter], trace: try Data(contentsOf: url))
        guard let reference else {
          reference = result
          continue
        }
        #expect(result.losses == reference.losses, "\(objective) on \(threads) threads")
        #expect(result.trace == reference.trace, "\(objective): the trace on \(threads) threads differs from 1 thread")
      }
    }
  }
}
