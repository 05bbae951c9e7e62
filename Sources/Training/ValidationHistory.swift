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
  public var latest: Evaluation? { recent.last }
  /// The last `confirmations` evaluations, oldest first.
  private var recent: [Evaluation] = []

  /// How many evaluations in a row must stand clearly above the lowest to call it a rise.
  ///
  /// One was not enough: on a plateau, validation over a few batches wobbles by more than
  /// 5% now and then (lesson 5's run marked "best" at step 1,500 and again at 2,650 while
  /// its validation went on falling). A model that memorises stays up.
  public static let confirmations = 3
  /// How long after the lowest a rise must have lasted, in steps.
  ///
  /// Early in a run validation is measured every few steps, and a rate raised with + makes
  /// it jump for a while: three evaluations 10 steps apart were enough to call a model
  /// "memorising" at step 40. Memorising takes longer than that.
  public static let minimumRiseSteps = 100

  public init() {}

  /// Notes the validation loss measured after `step`, whose training loss was `trainingLoss`.
  public mutating func record(step: Int, loss: Float, trainingLoss: Float) {
    recent.append(Evaluation(step: step, loss: loss, trainingLoss: trainingLoss))
    if recent.count > Self.confirmations { recent.removeFirst() }
    guard loss.isFinite else { return }
    if let best, best.loss <= loss { return }
    best = recent.last
  }

  /// Whether validation has risen clearly above the lowest: the last three evaluations, all
  /// after it, each by 5% and at least 0.05 nats, the latest at least 100 steps after it; or
  /// at once, when the loss is no longer finite.
  ///
  /// The margin keeps the ordinary step-to-step wobble of a still-improving run from counting.
  public var hasRisenSinceBest: Bool {
    guard let best, let latest, latest.step > best.step else { return false }
    if !latest.loss.isFinite { return true }
    return recent.count == Self.confirmations && latest.step - best.step >= Self.minimumRiseSteps
      && recent.allSatisfy { $0.step > best.step && $0.loss >= best.loss * 1.05 && $0.loss - best.loss >= 0.05 }
  }

  /// Whether the rise is memorisation: validation up while training loss went on falling.
  ///
  /// When training loss rose too, the run became unstable instead (a learning rate too high).
  public var isMemorising: Bool {
    guard hasRisenSinceBest, let best, let latest else { return false }
    return latest.trainingLoss < best.trainingLoss
  }
}
