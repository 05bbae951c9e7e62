/// The lowest validation loss of a run so far, to tell when a model starts memorising its text.
///
/// On a small corpus the training loss keeps falling long after the
/// validation loss has turned up; a learner watching one number at the end
/// would not see that the model was better many steps ago.
public struct ValidationHistory: Sendable {
  /// One evaluation: the step it followed, the validation loss, and the training loss of that step.
  public struct Evaluation: Sendable, Equatable {
    public let step: Int
    public let loss: Float
    public let trainingLoss: Float
  }

  /// The evaluation with the lowest finite validation loss.
  public private(set) var best: Evaluation?
  /// The last evaluation recorded.
  public private(set) var latest: Evaluation?

  public init() {}

  /// Notes the validation loss measured after `step`, whose training loss was `trainingLoss`.
  public mutating func record(step: Int, loss: Float, trainingLoss: Float) {
    let evaluation = Evaluation(step: step, loss: loss, trainingLoss: trainingLoss)
    latest = evaluation
    guard loss.isFinite else { return }
    if let best, best.loss <= loss { return }
    best = evaluation
  }

  /// Whether the latest loss has risen clearly above the best one: by 5% and at least 0.05 nats.
  ///
  /// The margin keeps the ordinary step-to-step wobble of a still-improving run from counting.
  public var hasRisenSinceBest: Bool {
    guard let best, let latest, latest.step > best.step else { return false }
    return !latest.loss.isFinite || (latest.loss >= best.loss * 1.05 && latest.loss - best.loss >= 0.05)
  }

  /// Whether the rise is memorisation: validation up while training loss went on falling.
  ///
  /// When training loss rose too, the run became unstable instead (a learning rate too high).
  public var isMemorising: Bool {
    guard hasRisenSinceBest, let best, let latest else { return false }
    return latest.trainingLoss < best.trainingLoss
  }
}
