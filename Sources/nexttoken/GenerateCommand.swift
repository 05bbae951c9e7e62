import ArgumentParser
import Curriculum
import Foundation
import Model
import Training

/// `nexttoken generate`: sample text from a checkpoint, streamed as it is sampled.
struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Sample text from a checkpoint (CLM), fill [MASK] markers (MLM), or answer a question (SFT, --chat).")

  @Option(help: "A checkpoint written by `nexttoken train --out`.")
  var checkpoint: String

  @Option(help: "The text to continue; for MLM checkpoints, text with [MASK] markers to fill.")
  var prompt: String = ""

  @Flag(help: "Answer --prompt as a question in the chat template (<|user|> question <|assistant|>), until the model writes <|end|>; needs a checkpoint trained with --objective sft.")
  var chat = false

  @Option(help: "How many tokens to sample (CLM).")
  var tokens: Int = 200

  @Option(help: "Softmax temperature: below 1 sharper, above 1 more random.")
  var temperature: Float = 0.8

  @Option(name: .customLong("top-k"), help: "Sample only among the k most likely tokens (0 = all).")
  var topK: Int = 0

  @Option(help: "Seed for sampling.")
  var seed: UInt64 = 1

  func validate() throws {
    guard tokens >= 0 else { throw ValidationError("--tokens must be 0 or more (got \(tokens))") }
    guard temperature.isFinite, temperature > 0 else { throw ValidationError("--temperature must be a positive number (got \(temperature))") }
    guard topK >= 0 else { throw ValidationError("--top-k must be 0 or more (got \(topK))") }
  }

  func run() throws {
    // The checkpoint holds the tokenizer and the weights: generating never reads the corpus.
    let trainer = try Checkpoint.loadModel(from: URL(fileURLWithPath: checkpoint))
    var generator = SeededGenerator(seed: seed)
    let k = topK > 0 ? topK : nil
    if chat {
      guard trainer.tokenizer.chat != nil else {
        throw CommandFailure("\(checkpoint) is not fine-tuned for chat (it has no role tokens); --chat needs a checkpoint trained with --objective sft")
      }
      do {
        let (_, ended) = try trainer.chatAnswer(to: prompt, temperature: temperature, topK: k, generator: &generator) { piece in
          print(piece, terminator: "")
          fflush(nil)
        }
        print()
        if !ended { FileHandle.standardError.write("note: the answer filled the context of \(trainer.contextLength) tokens before <|end|>\n") }
      } catch {
        throw CommandFailure("--prompt: \(error.description)")
      }
      return
    }
    if !trainer.isCausal {
      guard prompt.contains(SpecialToken.mask) else {
        throw CommandFailure("\(checkpoint) is a masked LM: --prompt must contain [MASK] markers to fill, e.g. --prompt \"The [MASK] sat on the mat\"")
      }
      let count = trainer.tokenizer.encode(withMasks: prompt).count
      guard count <= trainer.contextLength else {
        throw CommandFailure("the prompt is \(count) tokens; this model reads at most \(trainer.contextLength) (its context), so shorten --prompt")
      }
      print(trainer.fillMasks(in: prompt, temperature: temperature, topK: k, generator: &generator))
      return
    }
    var ids = trainer.tokenizer.encode(prompt)
    print(prompt, terminator: "")
    if ids.isEmpty { ids = [trainer.tokenizer.encode("\n").first ?? 0] }
    var pending: [Int32] = []
    for _ in 0..<tokens {
      let next = trainer.sampleNext(after: ids, temperature: temperature, topK: k, generator: &generator)
      ids.append(next)
      pending.append(next)
      // Byte-level tokens may end mid-character: print once the pending bytes decode cleanly.
      let text = trainer.tokenizer.decode(pending)
      if !text.contains("\u{FFFD}") {
        print(text, terminator: "")
        fflush(nil)
        pending.removeAll()
      }
    }
    if !pending.isEmpty { print(trainer.tokenizer.decode(pending), terminator: "") }
    print()
  }
}
