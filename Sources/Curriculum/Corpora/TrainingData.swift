import Foundation

/// Everything a training run needs from its text: the corpus, a tokenizer built from it,
/// the tokens split 90/10 and the reference entropies.
///
/// The tokenizer learns its vocabulary (and BPE its merges) from the whole corpus, so the
/// validation split has no words the vocabulary lacks; the split only decides which
/// windows the model trains on.
public struct TrainingData: Sendable {
  public let corpus: Corpus
  public let tokenizer: any Tokenizer
  public let tokens: TokenizedCorpus
  public let statistics: CorpusStatistics
  /// SFT: the examples of each split (nil for CLM and MLM).
  public let examples: (train: [SFTExample], validation: [SFTExample])?
  /// SFT: whether the prompt carries no loss.
  public let maskPrompt: Bool

  /// Builds a tokenizer of `kind` from `corpus` and splits its tokens for `context`.
  ///
  /// `progress` hears each part done (tokenizer, tokens, counts); answering false stops
  /// the work with `CorpusError.cancelled`.
  public init(
    corpus: Corpus, tokenizer kind: TokenizerKind, bpeMerges: Int = BPETokenizer.defaultMerges, context: Int,
    progress: (CorpusProgress) -> Bool = { _ in true }
  ) throws(CorpusError) {
    try Self.report(.tokenizing, 0, of: 2, corpus, progress)
    let tokenizer: any Tokenizer
    if kind == .bpe {
      // Learning the merges is most of the work: report (and check for a stop) at each one.
      let total = max(1, bpeMerges)
      let learned = BPETokenizer.train(text: corpus.text, merges: bpeMerges) { done in
        progress(CorpusProgress(phase: .tokenizing, name: corpus.name, done: done, total: 2 * total))
      }
      guard let learned else { throw .cancelled(path: corpus.path) }
      tokenizer = learned
    } else {
      tokenizer = makeTokenizer(kind: kind, trainingText: corpus.text, bpeMerges: bpeMerges)
    }
    try self.init(built: corpus, tokenizer: tokenizer, context: context, progress: progress)
  }

  /// Uses a tokenizer that already exists (one restored from a checkpoint).
  public init(corpus: Corpus, tokenizer: any Tokenizer, context: Int, progress: (CorpusProgress) -> Bool = { _ in true }) throws(CorpusError) {
    try self.init(built: corpus, tokenizer: tokenizer, context: context, progress: progress)
  }

  private init(
    built corpus: Corpus, tokenizer: any Tokenizer, context: Int, progress: (CorpusProgress) -> Bool
  ) throws(CorpusError) {
    try Self.report(.tokenizing, 1, of: 2, corpus, progress)
    self.corpus = corpus
    self.tokenizer = tokenizer
    self.tokens = try TokenizedCorpus(corpus: corpus, tokenizer: tokenizer, context: context)
    try Self.report(.counting, 0, of: 1, corpus, progress)
    self.statistics = tokens.statistics(vocabSize: tokenizer.vocabSize)
    self.examples = nil
    self.maskPrompt = true
    try Self.report(.counting, 1, of: 1, corpus, progress)
  }

  /// Tells `progress` where the work stands; throws when it answers stop.
  static func report(
    _ phase: CorpusProgress.Phase, _ done: Int, of total: Int, _ corpus: Corpus, _ progress: (CorpusProgress) -> Bool
  ) throws(CorpusError) {
    guard progress(CorpusProgress(phase: phase, name: corpus.name, done: done, total: total)) else {
      throw .cancelled(path: corpus.path)
    }
  }

  /// A fine-tuning corpus of (prompt, response) pairs in `tokenizer`'s chat template.
  ///
  /// The last tenth of the examples (at least one) validate, the rest train, so the
  /// validation questions are never trained on. The reference entropies are counted on
  /// the examples' tokens laid end to end.
  public init(pairs corpus: Corpus, tokenizer: ChatTokenizer, context: Int, maskPrompt: Bool) throws(CorpusError) {
    let all: [SFTExample]
    do {
      let pairs = try InstructionPairs.parse(corpus.text, path: corpus.path)
      all = try InstructionPairs.examples(pairs, tokenizer: tokenizer, context: context, path: corpus.path)
    } catch {
      throw .invalidPairs(message: error.description)
    }
    guard all.count >= 2 else {
      throw .invalidPairs(message: "\(corpus.path): \(all.count) example; fine-tuning needs at least 2 (one to train on, one to validate)")
    }
    let trainCount = all.count - max(1, all.count / 10)
    let train = Array(all[..<trainCount])
    let validation = Array(all[trainCount...])
    self.corpus = corpus
    self.tokenizer = tokenizer
    self.tokens = TokenizedCorpus(corpus: corpus, train: train.flatMap(\.tokens), validation: validation.flatMap(\.tokens))
    self.statistics = tokens.statistics(vocabSize: tokenizer.vocabSize)
    self.examples = (train, validation)
    self.maskPrompt = maskPrompt
  }

  /// A chat tokenizer learned from the pairs' texts, for fine-tuning without a base model.
  public static func pairsTokenizer(
    corpus: Corpus, kind: TokenizerKind, bpeMerges: Int = BPETokenizer.defaultMerges
  ) throws(CorpusError) -> ChatTokenizer {
    let pairs: [InstructionPair]
    do {
      pairs = try InstructionPairs.parse(corpus.text, path: corpus.path)
    } catch {
      throw .invalidPairs(message: error.description)
    }
    return ChatTokenizer(base: makeTokenizer(kind: kind, trainingText: InstructionPairs.plainText(pairs), bpeMerges: bpeMerges))
  }

  /// The corpus, tokenizer and split a lesson asks for.
  public init(lesson: Lesson, corporaDirectory: URL?) throws(CorpusError) {
    let corpus = try Corpus.load(path: lesson.corpusPath(corporaDirectory: corporaDirectory))
    try self.init(corpus: corpus, tokenizer: lesson.tokenizer, bpeMerges: lesson.bpeMerges, context: lesson.model.context)
  }

  /// A training stream over the first 90%, its seed drawn from `generator`.
  public func trainingStream(
    objective: Objective, batchSize: Int, length: Int, generator: inout some RandomNumberGenerator
  ) -> BatchStream {
    if let examples, let chat = tokenizer.chat {
      return BatchStream(
        examples: examples.train, split: .train, batchSize: batchSize, length: length, maskPrompt: maskPrompt,
        padID: chat.endID, maskID: chat.maskID, ordinaryCount: chat.ordinaryCount, seed: generator.next())
    }
    return BatchStream(
      corpus: tokens, split: .train, objective: objective, batchSize: batchSize, length: length,
      tokenizer: tokenizer, generator: &generator)
  }

  /// The fixed validation stream over the last 10%.
  public func validationStream(objective: Objective, batchSize: Int, length: Int) -> BatchStream {
    if let examples, let chat = tokenizer.chat {
      return BatchStream(
        examples: examples.validation, split: .validation, batchSize: batchSize, length: length, maskPrompt: maskPrompt,
        padID: chat.endID, maskID: chat.maskID, ordinaryCount: chat.ordinaryCount, seed: BatchStream.validationSeed,
        shuffles: false)
    }
    return BatchStream.validation(corpus: tokens, objective: objective, batchSize: batchSize, length: length, tokenizer: tokenizer)
  }
}
