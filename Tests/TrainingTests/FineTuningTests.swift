import Foundation
import Model
import Testing
@testable import Curriculum
@testable import Training

/// Pairs whose text is all in the tiny corpus's characters.
private let pairs = """
  ### user
  the cat sat on a mat.
  ### assistant
  a red ball.

  ### user
  the dog.
  ### assistant
  the lazy dog sat.

  ### user
  a fox.
  ### assistant
  the quick brown fox jumps.

  ### user
  over.
  ### assistant
  the cat jumps over a dog.
  """

@Suite("Fine-tuning")
struct FineTuningTests {
  /// A CLM base trained a few steps on the tiny corpus, and the pairs file beside it.
  func base(_ scratch: Scratch, objective: Objective = .clm) throws -> (Trainer, URL) {
    let corpus = try scratch.corpus()
    var run = tinyRun(corpus, objective: objective)
    run.context = 40
    let trainer = try Trainer(configuration: run, evaluationInterval: 0)
    for _ in 0..<4 { _ = trainer.step(recordTrace: false) }
    let url = scratch.file("qa.txt")
    try pairs.write(to: url, atomically: true, encoding: .utf8)
    return (trainer, url)
  }

  func sftRun(_ base: Trainer, corpus: URL) -> RunConfiguration {
    var run = base.configuration
    run.corpus = corpus.path
    run.objective = .sft
    return run
  }

  @Test("wte grows by three rows set to the mean of the base's; every other weight and AdamW's moments carry over")
  func grows() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (base, qa) = try base(scratch)
    let (tuned, report) = try Trainer.fineTuning(base: BaseModel(trainer: base, source: "base"), configuration: sftRun(base, corpus: qa))
    let V = base.tokenizer.vocabSize, C = base.configuration.dim
    #expect(tuned.tokenizer.vocabSize == V + 3)
    #expect(report.description.hasPrefix("Added 3 role tokens (<|user|> = \(V), <|assistant|> = \(V + 1), <|end|> = \(V + 2)): wte \(V)×\(C) → \(V + 3)×\(C)"))
    let old = base.model.parameters, new = tuned.model.parameters
    #expect(Array(new[0..<(V * C)]) == Array(old[0..<(V * C)]))
    #expect(Array(new[((V + 3) * C)...]) == Array(old[(V * C)...]))
    for c in 0..<C {
      let mean = (0..<V).reduce(Float(0)) { $0 + old[$1 * C + c] / Float(V) }
      for row in V..<(V + 3) { #expect(abs(new[row * C + c] - mean) < 1e-6) }
    }
    let state = Dictionary(uniqueKeysWithValues: tuned.optimizer.stateTensors().map { ($0.name, $0.values) })
    let baseState = Dictionary(uniqueKeysWithValues: base.optimizer.stateTensors().map { ($0.name, $0.values) })
    #expect(state["optim.m.wte.weight"]! == baseState["optim.m.wte.weight"]! + [Float](repeating: 0, count: 3 * C))
    #expect(state["optim.v.h.0.attn.c_attn.weight"]! == baseState["optim.v.h.0.attn.c_attn.weight"]!)
    #expect(tuned.optimizer.stepCount == 4 && tuned.stepCount == 0)
    let result = tuned.step(recordTrace: true)
    #expect(result.loss.isFinite && result.isHealthy)
    let trace = try #require(result.trace)
    #expect(trace.batch.labelledCount > 0 && trace.batch.labelledCount < trace.batch.labels.count)
  }

  @Test("an SFT checkpoint resumes exactly: the next step's loss is the same")
  func resumes() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (base, qa) = try base(scratch)
    let (tuned, _) = try Trainer.fineTuning(base: BaseModel(trainer: base, source: "base"), configuration: sftRun(base, corpus: qa))
    for _ in 0..<3 { _ = tuned.step(recordTrace: false) }
    let url = scratch.file("sft.safetensors")
    try Checkpoint.save(tuned, to: url)
    let loaded = try Checkpoint.load(from: url, evaluationInterval: 0)
    #expect(loaded.configuration.objective == .sft && loaded.tokenizer.chat != nil)
    #expect(loaded.optimizer.stepCount == tuned.optimizer.stepCount && loaded.stepCount == 3)
    #expect(loaded.step(recordTrace: false).loss == tuned.step(recordTrace: false).loss)
    let model = try Checkpoint.loadModel(from: url)
    var generator = SeededGenerator(seed: 1)
    let answer = try model.chatAnswer(to: "the cat.", temperature: 1, topK: 1, generator: &generator)
    #expect(answer.answer.count <= 40)
  }

  @Test("an MLM base, an already fine-tuned one and one whose vocabulary is at its bound are refused in one line")
  func refuses() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (mlm, qa) = try base(scratch, objective: .mlm)
    #expect(throws: TrainingError.fineTune(FineTuneError(
      "mlm.safetensors: a masked LM (MLM) cannot be fine-tuned to chat: it attends both ways and cannot write an answer left to right; fine-tune a CLM checkpoint"
    ))) { try Trainer.fineTuning(base: BaseModel(trainer: mlm, source: "mlm.safetensors"), configuration: sftRun(mlm, corpus: qa)) }
    var bounded = BaseModel(trainer: mlm, source: "big.safetensors")
    bounded.run.objective = .clm
    bounded.tokenizer = BoundTokenizer()
    #expect(throws: TrainingError.fineTune(FineTuneError(
      "big.safetensors: its vocabulary of 1000000 tokens is at its bound: 3 role tokens would make 1000003, above the largest 1000000"
    ))) { try Trainer.fineTuning(base: bounded, configuration: sftRun(mlm, corpus: qa)) }
  }

  @Test("the loss is the mean over the response positions; mask off labels more of them")
  func maskOff() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (base, qa) = try base(scratch)
    var run = sftRun(base, corpus: qa)
    let (masked, _) = try Trainer.fineTuning(base: BaseModel(trainer: base, source: "base"), configuration: run)
    run.maskPrompt = false
    let (full, _) = try Trainer.fineTuning(base: BaseModel(trainer: base, source: "base"), configuration: run)
    let a = try #require(masked.step(recordTrace: true).trace), b = try #require(full.step(recordTrace: true).trace)
    #expect(b.batch.labelledCount > a.batch.labelledCount)
    #expect(a.batch.inputs == b.batch.inputs)
    var total = 0.0
    for (index, label) in a.batch.labels.enumerated() where label != Batch.ignoredLabel { total += Double(a.positionLosses[index]) }
    #expect(abs(total / Double(a.batch.labelledCount) - Double(a.loss)) < 1e-5)
  }
}

/// A vocabulary as large as any run may have, without building one.
private struct BoundTokenizer: Tokenizer {
  var kind: TokenizerKind { .word }
  var vocabSize: Int { SizeLimits.range(.vocabulary).upperBound }
  var ordinaryCount: Int { vocabSize - 2 }
  var maskID: Int32 { Int32(vocabSize - 1) }
  var unknownID: Int32? { Int32(vocabSize - 2) }
  func encode(_ text: String) -> [Int32] { [] }
  func decode(_ ids: [Int32]) -> String { "" }
  func token(_ id: Int32) -> String { "" }
  func serialized() -> String { "{}" }
}
