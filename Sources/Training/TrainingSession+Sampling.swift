import Dispatch

/// The model's guesses while it trains: the prompt box's distribution and the live sample.
extension TrainingSession {
  /// Sets the prompt whose continuation the running session refreshes.
  public func setPrompt(_ prompt: String) {
    control.withLock { $0.prompt = prompt }
    queue.async { [self] in self.refreshSample() }
  }

  /// Computes the next-token distribution for a prompt, on the session's queue.
  ///
  /// `completion` runs on the session's queue; the result is a value, so it can be handed
  /// to the main thread. Sampling uses its own generator: it never changes the training run.
  public func predict(tokens: [Int32], completion: @escaping @Sendable (Prediction?) -> Void) {
    queue.async { [self] in
      let prediction = self.withTrainerResult { trainer in trainer.predict(tokens: tokens) }
      completion(prediction ?? nil)
    }
  }

  /// Continues the prompt with a fresh sample and publishes it (on the session's queue).
  func refreshSample() {
    let prompt = control.withLock { control -> String in
      control.lastSample = Self.now()
      return control.prompt
    }
    guard let text = withTrainerResult({ $0.sampleContinuation(prompt: prompt, tokens: Self.sampleLength) }) else { return }
    published.withLock { $0.sample = text; $0.version += 1 }
  }
}
