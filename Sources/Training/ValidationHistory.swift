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
  /// The last `kept` evaluations, oldest first.
  private var recent: [Evaluation] = []
  /// Enough evaluations for the dense rule's window.
  private static let kept = denseWindowSteps / denseSpacing + 1
  /// The lowest mean of three evaluations in a row, measured `denseSpacing` steps apart.
  private var lowestMeanOfThree: Float?

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

  /// Evaluations this many steps apart count as dense (a paced run measures every 10 steps
  /// near its lowest point: `RunWatch.denseAfterLowest`).
  public static let denseSpacing = 10
  /// The span of dense evaluations that must all stand above the lowest.
  public static let denseWindowSteps = 80

  public init() {}

  /// Notes the validation loss measured after `step`, whose training loss was `trainingLoss`.
  public mutating func record(step: Int, loss: Float, trainingLoss: Float) {
    recent.append(Evaluation(step: step, loss: loss, trainingLoss: trainingLoss))
    if recent.count > Self.kept { recent.removeFirst() }
    let three = recent.suffix(3)
    if three.count == 3, three.allSatisfy(\.loss.isFinite), three.last!.step - three.first!.step <= 2 * Self.denseSpacing {
      let mean = three.reduce(0) { $0 + $1.loss } / 3
      lowestMeanOfThree = min(mean, lowestMeanOfThree ?? mean)
    }
    guard loss.isFinite else { return }
    if let best, best.loss <= loss { return }
    best = recent.last
  }

  /// Whether validation has risen clearly above the lowest; at once when the loss is no longer finite.
  ///
  /// Sparse evaluations (every 50 steps): the last three, all after the lowest, each above
  /// it by 5% and 0.05 nats, the latest at least 100 steps after it. The margin keeps the
  /// ordinary wobble of a still-improving run from counting. Dense evaluations (every 10
  /// steps) see a rise sooner with less margin: all of the last 80 steps' evaluations above
  /// the lowest by 1.5% and 0.02 nats, and the mean of the last three 0.02 above the lowest
  /// such mean, so one lucky low evaluation on a plateau is not taken for the turn. Measured
  /// on every bundled lesson, the dense rule confirms the ★ 110–290 steps after it (the
  /// sparse one took up to 900) and marks no plateau the sparse rule does not.
  public var hasRisenSinceBest: Bool {
    guard let best, let latest, latest.step > best.step else { return false }
    if !latest.loss.isFinite { return true }
    let lastThree = recent.suffix(Self.confirmations)
    if lastThree.count == Self.confirmations, latest.step - best.step >= Self.minimumRiseSteps,
      lastThree.allSatisfy({ $0.step > best.step && $0.loss >= best.loss * 1.05 && $0.loss - best.loss >= 0.05 })
    {
      return true
    }
    return hasRisenDensely(since: best, latest: latest)
  }

  private func hasRisenDensely(since best: Evaluation, latest: Evaluation) -> Bool {
    guard latest.step - best.step >= Self.denseWindowSteps else { return false }
    let window = recent.filter { $0.step > latest.step - Self.denseWindowSteps }
    guard window.count >= Self.denseWindowSteps / Self.denseSpacing,
      window.allSatisfy({ $0.step > best.step && $0.loss >= best.loss * 1.015 && $0.loss - best.loss >= 0.02 }),
      let lowestMeanOfThree
    else { return false }
    let lastThree = recent.suffix(3)
    return lastThree.reduce(0) { $0 + $1.loss } / 3 - lowestMeanOfThree >= 0.02
  }

  /// Whether the rise is memorisation: validation up while training loss went on falling.
  ///
  /// When training loss rose too, the run became unstable instead (a learning rate too high).
  public var isMemorising: Bool {
    guard hasRisenSinceBest, let best, let latest else { return false }
    return latest.trainingLoss < best.trainingLoss
  }
}
