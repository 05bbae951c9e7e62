/// The lowest validation loss of a run so far, to tell when a model starts memorising its text.
///
/// On a small corpus the training loss keeps falling long after the
/// validation loss has turned up; a learner watching one number at the end
/// would not see that the model was better many steps ago.
public struct ValidationHistory: Sendable {
  /// The lowest finite validation loss recorded, and the step it was measured after.
  public private(set) var best: (step: Int, loss: Float)?
  /// The last validation loss recorded.
  public private(set) var latest: (step: Int, loss: Float)?

  public init() {}

  /// Notes the validation loss measured after `step`.
  public mutating func record(step: Int, loss: Float) {
    latest = (step, loss)
    guard loss.isFinite else { return }
    if best == nil || loss < best!.loss { best = (step, loss) }
  }

  /// Whether the latest loss has risen clearly above the best one: by 5% and at least 0.05 nats.
  ///
  /// The margin keeps the ordinary step-to-step wobble of a still-improving run from counting.
  public var hasRisenSinceBest: Bool {
    guard let best, let latest, latest.step > best.step else { return false }
    return !latest.loss.isFinite || (latest.loss >= best.loss * 1.05 && latest.loss - best.loss >= 0.05)
  }

}
