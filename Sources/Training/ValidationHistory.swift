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
  /// Enough evaluations for the sparse rule's span measured every 10 steps.
  private static let kept = minimumRiseSteps / denseSpacing + 1
  /// The lowest mean of three evaluations in a row, measured `denseSpacing` steps apart.
  private var lowestMeanOfThree: Float?

  /// How many evaluations must stand clearly above the lowest to call it a rise.
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
  /// How far below its value at the lowest the training loss must be for a dense rise to count.
  ///
  /// Memorising opens a gap: training loss falls while validation turns up. Without it, a
  /// plateau after one lucky low evaluation looks like a rise from close up (lesson 6 at a
  /// rate of 1: validation 2.88 at step 40, then 2.98–3.06 for 150 steps, training loss
  /// 3.02 → 3.01, before both fell far below).
  public static let denseTrainingFall: Float = 0.03

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
  /// Sparse evaluations (every 50 steps): every evaluation of the last 100 steps (at least
  /// the last three), after the lowest and above it by 5% and 0.05 nats, the latest at least 100 steps
  /// after it. The margin keeps the ordinary wobble of a still-improving run from counting;
  /// counting every evaluation of the span keeps three high ones 10 steps apart from passing
  /// for 100 steps of rise. Dense evaluations (every 10 steps) see a rise sooner with less
  /// margin, beside a training loss that has clearly fallen (`denseTrainingFall`): all of the
  /// last 80 steps' evaluations above the lowest mean of three in a row by 1% and 0.02 nats.
  /// Measured against that mean, not the lowest single evaluation: one lucky low on a plateau
  /// (lesson 7 at step 2,230: 1.66 among 1.69–1.80) would make the plateau itself look like
  /// a rise. Replayed on every bundled lesson's curves, the dense rule confirms the ★ 110–290
  /// steps after it (the sparse one took up to 900), and marks no plateau.
  public var hasRisenSinceBest: Bool {
    guard let best, let latest, latest.step > best.step else { return false }
    if !latest.loss.isFinite { return true }
    return hasRisenSparsely(since: best, latest: latest) || hasRisenDensely(since: best, latest: latest)
  }

  private func hasRisenSparsely(since best: Evaluation, latest: Evaluation) -> Bool {
    guard latest.step - best.step >= Self.minimumRiseSteps else { return false }
    // Evaluated every 100 steps or more sparsely, the span is the last three evaluations.
    let lastSteps = recent.filter { $0.step >= latest.step - Self.minimumRiseSteps }
    let span = lastSteps.count >= Self.confirmations ? lastSteps : Array(recent.suffix(Self.confirmations))
    return span.count >= Self.confirmations
      && span.allSatisfy { $0.step > best.step && $0.loss >= best.loss * 1.05 && $0.loss - best.loss >= 0.05 }
  }

  private func hasRisenDensely(since best: Evaluation, latest: Evaluation) -> Bool {
    guard latest.step - best.step >= Self.denseWindowSteps, let lowestMeanOfThree,
      latest.trainingLoss <= best.trainingLoss * (1 - Self.denseTrainingFall)
    else { return false }
    let floor = max(best.loss, lowestMeanOfThree)
    let window = recent.filter { $0.step > latest.step - Self.denseWindowSteps }
    return window.count >= Self.denseWindowSteps / Self.denseSpacing
      && window.allSatisfy { $0.step > best.step && $0.loss >= floor * 1.01 && $0.loss - floor >= 0.02 }
  }

  /// Whether the rise is memorisation: validation up while training loss went on falling.
  ///
  /// When training loss rose too, the run became unstable instead (a learning rate too high).
  public var isMemorising: Bool {
    guard hasRisenSinceBest, let best, let latest else { return false }
    return latest.trainingLoss < best.trainingLoss
  }
}
