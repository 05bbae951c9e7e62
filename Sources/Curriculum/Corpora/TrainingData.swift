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

  /// Builds a tokenizer of `kind` from `corpus` and splits its tokens for `context`.
  public init(corpus: Corpus, tokenizer kind: TokenizerKind, bpeMerges: Int = BPETokenizer.defaultMerges, context: Int) throws(CorpusError) {
    let tokenizer = makeTokenizer(kind: kind, trainingText: corpus.text, bpeMerges: bpeMerges)
    try self.init(corpus: corpus, tokenizer: tokenizer, context: context)
  }

  /// Uses a tokenizer that already exists (one restored from a checkpoint).
  public init(corpus: Corpus, tokenizer: any Tokenizer, context: Int) throws(CorpusError) {
    self.corpus = corpus
    self.tokenizer = tokenizer
    self.tokens = try TokenizedCorpus(corpus: corpus, tokenizer: tokenizer, context: context)
    self.statistics = tokens.statistics(vocabSize: tokenizer.vocabSize)
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
    BatchStream(
      corpus: tokens, split: .train, objective: objective, batchSize: batchSize, length: length,
      tokenizer: tokenizer, generator: &generator)
  }

  /// The fixed validation stream over the last 10%.
  public func validationStream(objective: Objective, batchSize: Int, length: Int) -> BatchStream {
    BatchStream.validation(corpus: tokens, objective: objective, batchSize: batchSize, length: length, tokenizer: tokenizer)
  }
}
