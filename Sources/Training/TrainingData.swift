import Curriculum
import Foundation
import Model

/// A run's data: the corpus, its tokenizer, the 90/10 split and the reference entropies.
struct TrainingData {
  let corpus: TokenizedCorpus
  let tokenizer: any Tokenizer
  let reference: LossReference

  /// Loads the corpus the configuration names and prepares it for training.
  ///
  /// `tokenizer` is given when resuming, so the ids match the checkpoint's; otherwise
  /// one is trained on the corpus text.
  init(configuration: RunConfiguration, corporaDirectory: URL?, tokenizer: (any Tokenizer)? = nil) throws {
    let corpus = try Self.loadCorpus(configuration.corpus, corporaDirectory: corporaDirectory)
    let tokenizer = tokenizer ?? makeTokenizer(kind: configuration.tokenizer, trainingText: corpus.text, bpeMerges: configuration.bpeMerges)
    try self.init(corpus: corpus, configuration: configuration, tokenizer: tokenizer)
  }

  init(corpus: Corpus, configuration: RunConfiguration, tokenizer: any Tokenizer) throws {
    self.tokenizer = tokenizer
    self.corpus = try TokenizedCorpus(corpus: corpus, tokenizer: tokenizer, context: configuration.context)
    let stats = self.corpus.statistics(vocabSize: tokenizer.vocabSize)
    self.reference = LossReference(
      uniform: Float(stats.uniformEntropy), unigram: Float(stats.unigramEntropy), bigram: Float(stats.bigramEntropy))
  }

  /// A path, or the name of a bundled corpus.
  static func loadCorpus(_ nameOrPath: String, corporaDirectory: URL?) throws -> Corpus {
    let isPath = nameOrPath.contains("/") || FileManager.default.fileExists(atPath: nameOrPath)
    if isPath { return try Corpus.load(path: nameOrPath) }
    let directory = try corporaDirectory ?? Corpus.defaultDirectory()
    return try Corpus.load(named: nameOrPath, in: directory)
  }

  func trainingStream(configuration: RunConfiguration, generator: inout SeededGenerator) -> BatchStream {
    BatchStream(
      corpus: corpus, split: .train, objective: configuration.objective, batchSize: configuration.batch,
      length: configuration.context, tokenizer: tokenizer, generator: &generator)
  }

  func validationStream(configuration: RunConfiguration) -> BatchStream {
    BatchStream.validation(
      corpus: corpus, objective: configuration.objective, batchSize: configuration.batch,
      length: configuration.context, tokenizer: tokenizer)
  }
}
