import Curriculum
import Foundation
import Model

extension TrainingData {
  /// Loads the corpus a run names (a path, or the name of a bundled corpus) and prepares it.
  ///
  /// `tokenizer` is given when resuming, so the ids match the checkpoint's; otherwise one
  /// is trained on the corpus text.
  /// `progress` hears how far reading and tokenizing got; answering false stops with `CorpusError.cancelled`.
  init(
    configuration: RunConfiguration, corporaDirectory: URL?, tokenizer: (any Tokenizer)? = nil,
    progress: (CorpusProgress) -> Bool = { _ in true }
  ) throws(CorpusError) {
    let corpus = try Self.loadCorpus(configuration.corpus, corporaDirectory: corporaDirectory, progress: progress)
    if configuration.objective == .sft {
      let chat: ChatTokenizer
      if let tokenizer {
        chat = ChatTokenizer(base: tokenizer)
      } else {
        chat = try Self.pairsTokenizer(corpus: corpus, kind: configuration.tokenizer, bpeMerges: configuration.bpeMerges)
      }
      try self.init(pairs: corpus, tokenizer: chat, context: configuration.context, maskPrompt: configuration.maskPrompt)
      return
    }
    if let tokenizer {
      try self.init(corpus: corpus, tokenizer: tokenizer, context: configuration.context, progress: progress)
    } else {
      try self.init(
        corpus: corpus, tokenizer: configuration.tokenizer, bpeMerges: configuration.bpeMerges, context: configuration.context,
        progress: progress)
    }
  }

  /// A path, or the name of a bundled corpus.
  static func loadCorpus(
    _ nameOrPath: String, corporaDirectory: URL?, progress: (CorpusProgress) -> Bool = { _ in true }
  ) throws(CorpusError) -> Corpus {
    try Corpus.load(path: RunConfiguration.corpusPath(nameOrPath, corporaDirectory: corporaDirectory), progress: progress)
  }

  /// The losses the loss plot compares with: ln V, and the corpus's unigram and bigram entropies.
  var reference: LossReference {
    LossReference(
      uniform: Float(statistics.uniformEntropy), unigram: Float(statistics.unigramEntropy),
      bigram: Float(statistics.bigramEntropy))
  }
}
