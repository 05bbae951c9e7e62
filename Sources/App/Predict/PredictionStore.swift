import Curriculum
import Foundation

/// The runner's side of the prediction scores: the one place that knows where they are kept.
///
/// `--no-predict` starts with questions off without changing what the learner chose with
/// `P`; once they press `P`, their choice holds and is remembered.
struct PredictionStore {
  let records: PredictionRecords
  /// Questions off for this run of the program, until `P`.
  private var startsOff: Bool
  /// Why a file could not be read, said to every screen that opens until a save started afresh
  /// (the browser opens first, under the lesson `learn` opens at once).
  private var loadProblem: String?
  private var hasLoaded = false

  init(records: PredictionRecords, startsOff: Bool) {
    self.records = records
    self.startsOff = startsOff
  }

  /// What the prediction effects ask of the store.
  enum Request {
    /// `Effect.loadPredictions`.
    case load
    /// `Effect.recordPrediction`.
    case record(String, PredictionOutcome)
    /// `Effect.savePredictionsEnabled`.
    case setEnabled(Bool)
  }

  /// Carries out a prediction effect; answers with the book as screens should see it.
  mutating func perform(_ request: Request) -> Message {
    var problem: String?
    do {
      switch request {
      case .record(let key, let outcome):
        problem = try records.record(outcome, for: key).note
        loadProblem = nil
      case .setEnabled(let enabled):
        startsOff = false
        problem = try records.setEnabled(enabled).note
        loadProblem = nil
      case .load:
        break
      }
    } catch {
      problem = error.description
    }
    var (book, readProblem) = records.load()
    if !hasLoaded {
      hasLoaded = true
      loadProblem = readProblem
    }
    if case .load = request { problem = problem ?? loadProblem }
    if startsOff { book.enabled = false }
    return .predictions(book, problem: problem)
  }
}
