import ArgumentParser
import Curriculum
import Training

/// The data, model and optimizer flags shared by `train` and `trace`.
struct RunOptions: ParsableArguments {
  @Option(help: "A corpus file, or the name of a bundled corpus (see Corpora/).")
  var corpus: String = "sentences.en.txt"

  @Option(help: "clm (predict the next token) or mlm (predict masked tokens).")
  var objective: Objective = .clm

  @Option(help: "char, word or bpe.")
  var tokenizer: TokenizerKind = .char

  @Option(name: .customLong("bpe-merges"), help: "Merges to learn for the bpe tokenizer.")
  var bpeMerges: Int = 256

  @Option(help: "Transformer blocks.")
  var layers: Int = 2

  @Option(help: "Attention heads per block (must divide --dim).")
  var heads: Int = 4

  @Option(help: "Embedding width C.")
  var dim: Int = 64

  @Option(help: "Context length T in tokens.")
  var context: Int = 64

  @Option(help: "Sequences per batch.")
  var batch: Int = 16

  @Option(help: "adamw or sgd.")
  var optimizer: OptimizerKind = .adamw

  @Option(help: "Learning rate.")
  var lr: Float = 3e-3

  @Option(help: "Warm-up steps (linear).")
  var warmup: Int = 20

  @Option(help: "Seed for weights, batches and masks.")
  var seed: UInt64 = 1337

  @Option(help: "Threads for the training step: 1 or 2 (results are the same).")
  var threads: Int = 1

  var configuration: RunConfiguration {
    RunConfiguration(
      corpus: corpus, objective: objective, tokenizer: tokenizer, bpeMerges: bpeMerges,
      layers: layers, heads: heads, dim: dim, context: context, batch: batch,
      optimizer: optimizer, learningRate: lr, warmupSteps: warmup, seed: seed)
  }

  func validate() throws {
    guard (1...2).contains(threads) else { throw ValidationError("--threads must be 1 or 2 (got \(threads))") }
    do {
      try configuration.validate()
    } catch {
      throw ValidationError(error.flagMessage)
    }
  }
}

extension RunOptions {
  /// A new run's trainer, its errors in the language of flags.
  func makeTrainer(evaluationInterval: Int) throws -> Trainer {
    do {
      return try Trainer(configuration: configuration, evaluationInterval: evaluationInterval)
    } catch let error as TrainingError {
      throw CommandFailure(error.flagMessage)
    }
  }
}

extension Objective: ExpressibleByArgument {}
extension TokenizerKind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
