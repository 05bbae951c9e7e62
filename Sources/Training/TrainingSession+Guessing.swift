import Dispatch
import Model

/// How the model, as it is at one step, ranks the true tokens of the validation text the learner guessed.
public struct GuessingScores: Sendable {
  /// The optimizer step the model had reached when it scored.
  public let step: Int
  /// The validation tokens (the first `GuessingScores.textLimit` of them), when asked for.
  public let text: [Int32]?
  /// The model's prediction of each position asked for, in order (positions outside the text are skipped).
  public let predictions: [Int: TokenPrediction]

  public init(step: Int, text: [Int32]?, predictions: [Int: TokenPrediction]) {
    self.step = step
    self.text = text
    self.predictions = predictions
  }

  /// The most validation tokens handed to the game: far more than anyone plays.
  public static let textLimit = 20_000
}

/// Shannon's guessing game against the model while it trains.
extension TrainingSession {
  /// Scores validation `positions` (token i predicted from the up-to-T tokens before it), on the session's queue.
  ///
  /// Runs between training slices, so every score comes from one consistent step. `completion`
  /// runs on the session's queue with nil when there is no model, or it is not causal.
  public func scoreGuesses(positions: [Int], withText: Bool, completion: @escaping @Sendable (GuessingScores?) -> Void) {
    queue.async { [self] in
      let scores = self.withTrainerResult { trainer -> GuessingScores? in
        guard trainer.isCausal else { return nil }
        let tokens = trainer.validationTokens
        var predictions: [Int: TokenPrediction] = [:]
        for position in positions where position >= 1 && position < min(tokens.count, GuessingScores.textLimit) {
          predictions[position] = trainer.model.prediction(of: tokens[position], after: Array(tokens[max(0, position - trainer.model.config.contextLength)..<position]))
        }
        return GuessingScores(
          step: trainer.stepCount, text: withText ? Array(tokens.prefix(GuessingScores.textLimit)) : nil, predictions: predictions)
      }
      completion(scores ?? nil)
    }
  }
}
