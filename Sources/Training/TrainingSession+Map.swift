import Curriculum

/// The embedding map and the BPE replay: model work done on the session's queue, between slices.
extension TrainingSession {
  /// Projects the model's token embeddings as they are now; `completion` runs on the session's queue.
  ///
  /// Answers nil when there is no model, and the problem when the model is too small to project.
  public func embeddingMap(_ request: EmbeddingMapRequest, completion: @escaping @Sendable (Result<EmbeddingMap, EmbeddingMapProblem>?) -> Void) {
    queue.async { [self] in
      let map = self.withTrainerResult { trainer -> Result<EmbeddingMap, EmbeddingMapProblem> in
        Result { () throws(EmbeddingMapProblem) -> EmbeddingMap in
          try EmbeddingMap(model: trainer.model, counts: trainer.tokenCounts, step: trainer.stepCount, request: request)
        }
      }
      completion(map)
    }
  }

  /// The replay of the run's BPE merges on its corpus; nil without a model or for another tokenizer.
  public func mergeReplay(completion: @escaping @Sendable (MergeReplay?) -> Void) {
    queue.async { [self] in
      let replay = self.withTrainerResult { trainer -> MergeReplay? in
        guard let bpe = trainer.tokenizer as? BPETokenizer else { return nil }
        return MergeReplay(tokenizer: bpe, text: trainer.corpusText)
      }
      completion(replay ?? nil)
    }
  }

  /// Starts a fine-tuning run again from its base, with the prompt masked or labelled too.
  public func restart(maskPrompt: Bool) {
    queue.async { [self] in
      self.published.withLock { $0.configuration.maskPrompt = maskPrompt }
    }
    reset()
  }

  /// Starts the run again from step 0 with another number of BPE merges: a new vocabulary, so a new model.
  public func restart(bpeMerges: Int) {
    queue.async { [self] in
      self.published.withLock { $0.configuration.bpeMerges = bpeMerges }
    }
    reset()
  }
}
