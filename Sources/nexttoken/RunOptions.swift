import ArgumentParser
import Curriculum
import Training

/// The data, model and optimizer flags shared by `train`, `trace` and `learn`.
///
/// Every flag is optional so that `learn` can tell which were given (a lesson or a
/// checkpoint brings its own run); the defaults are `RunConfiguration`'s, stated in the help.
struct RunOptions: ParsableArguments {
  /// The run when no flag is given.
  static let defaults = RunConfiguration(corpus: "sentences.en.txt")

  @Option(help: "A UTF-8 text file of at most 8 MB (~/ is your home folder), or the name of a bundled corpus in Corpora/ (train and trace: default \(defaults.corpus)).")
  var corpus: String?

  @Option(help: "clm (predict the next token), mlm (predict masked tokens) or sft (fine-tune on '### user' / '### assistant' pairs; with --resume, from a CLM checkpoint) (default: \(defaults.objective.rawValue)).")
  var objective: Objective?

  @Option(
    name: .customLong("mask-prompt"),
    help: "SFT: true gives only the answer and its <|end|> a loss (labels −100 elsewhere); false labels every next token (default: true).")
  var maskPrompt: Bool?

  @Option(help: "char, word or bpe (default: \(defaults.tokenizer.rawValue)).")
  var tokenizer: TokenizerKind?

  @Option(name: .customLong("bpe-merges"), help: "Merges to learn for the bpe tokenizer (default: \(defaults.bpeMerges)).")
  var bpeMerges: Int?

  @Option(help: "Transformer blocks (default: \(defaults.layers)).")
  var layers: Int?

  @Option(help: "Attention heads per block, must divide --dim (default: \(defaults.heads)).")
  var heads: Int?

  @Option(help: "Embedding width C (default: \(defaults.dim)).")
  var dim: Int?

  @Option(help: "Context length T in tokens (default: \(defaults.context)).")
  var context: Int?

  @Option(help: "Sequences per batch (default: \(defaults.batch)).")
  var batch: Int?

  @Option(help: "adamw or sgd (default: \(defaults.optimizer.rawValue)).")
  var optimizer: OptimizerKind?

  @Option(help: "Learning rate (default: \(defaults.learningRate)).")
  var lr: Float?

  @Option(help: "Warm-up steps, the learning rate rising linearly (default: \(defaults.warmupSteps)).")
  var warmup: Int?

  @Option(help: "Seed for weights, batches and masks (default: \(defaults.seed)).")
  var seed: UInt64?

  @OptionGroup var threading: ThreadsOption

  /// The run the flags describe; `defaultCorpus` stands in when `--corpus` is not given.
  func configuration(defaultCorpus: String = defaults.corpus) -> RunConfiguration {
    let d = Self.defaults
    return RunConfiguration(
      corpus: corpus ?? defaultCorpus, objective: objective ?? d.objective, tokenizer: tokenizer ?? d.tokenizer,
      bpeMerges: bpeMerges ?? d.bpeMerges, layers: layers ?? d.layers, heads: heads ?? d.heads, dim: dim ?? d.dim,
      context: context ?? d.context, batch: batch ?? d.batch, optimizer: optimizer ?? d.optimizer,
      learningRate: lr ?? d.learningRate, warmupSteps: warmup ?? d.warmupSteps, seed: seed ?? d.seed,
      maskPrompt: maskPrompt ?? true)
  }

  var configuration: RunConfiguration { configuration() }

  /// The flags that describe the run (all but `--corpus` and `--threads`) given on the command line.
  var givenRunFlags: [String] {
    let given: [(String, Bool)] = [
      ("--objective", objective != nil), ("--tokenizer", tokenizer != nil), ("--bpe-merges", bpeMerges != nil),
      ("--layers", layers != nil), ("--heads", heads != nil), ("--dim", dim != nil), ("--context", context != nil),
      ("--batch", batch != nil), ("--optimizer", optimizer != nil), ("--lr", lr != nil), ("--warmup", warmup != nil),
      ("--seed", seed != nil), ("--mask-prompt", maskPrompt != nil),
    ]
    return given.filter(\.1).map(\.0)
  }

  func validate() throws {
    if maskPrompt != nil, objective != .sft {
      throw ValidationError("--mask-prompt applies to fine-tuning only; add --objective sft")
    }
    do {
      try configuration.validate()
    } catch {
      throw ValidationError(error.flagMessage)
    }
  }
}

extension RunOptions {
  /// A new run's trainer, its errors in the language of flags.
  /// The run's trainer; `progress` (a bar on a terminal) follows reading and tokenizing the corpus.
  func makeTrainer(evaluationInterval: Int, progress: StderrProgress? = nil) throws -> Trainer {
    defer { progress?.clear() }
    do throws(TrainingError) {
      return try Trainer(configuration: configuration, evaluationInterval: evaluationInterval) { progress?.corpus($0) ?? true }
    } catch {
      throw CommandFailure(error.flagMessage)
    }
  }
}

extension RunOptions {
  /// A fine-tuning run of `saved` (a CLM checkpoint) on `--corpus`: the base's model, and
  /// the base's optimizer settings unless flags change them.
  func fineTuning(_ saved: SavedRun, resume: String, evaluationInterval: Int) throws -> (Trainer, FineTuneReport) {
    guard let corpus else {
      throw CommandFailure("fine-tuning \(resume) needs the pairs to train on: add --corpus FILE ('### user' / '### assistant' blocks)")
    }
    let base = saved.run
    let model: [(String, Int?, Int)] = [
      ("--layers", layers, base.layers), ("--heads", heads, base.heads), ("--dim", dim, base.dim), ("--context", context, base.context),
      ("--bpe-merges", bpeMerges, base.bpeMerges),
    ]
    for (flag, given, kept) in model where given != nil && given != kept {
      throw CommandFailure("\(flag) \(given!): a fine-tuning run keeps its base's model, and \(resume) has \(kept)")
    }
    if let tokenizer, tokenizer != base.tokenizer {
      throw CommandFailure("--tokenizer \(tokenizer.rawValue): a fine-tuning run keeps its base's tokenizer, and \(resume) has \(base.tokenizer.rawValue)")
    }
    var run = base
    run.corpus = corpus
    run.objective = .sft
    run.maskPrompt = maskPrompt ?? true
    if let batch { run.batch = batch }
    if let optimizer { run.optimizer = optimizer }
    if let lr { run.learningRate = lr }
    if let warmup { run.warmupSteps = warmup }
    if let seed { run.seed = seed }
    do throws(TrainingError) {
      try run.validate()
      return try Trainer.fineTuning(base: BaseModel(saved: saved), configuration: run, evaluationInterval: evaluationInterval)
    } catch {
      throw CommandFailure(error.flagMessage)
    }
  }
}

extension Objective: ExpressibleByArgument {}
extension TokenizerKind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
