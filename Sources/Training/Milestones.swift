import Curriculum

/// A moment of a run worth marking on its loss plot.
public struct Milestone: Sendable, Equatable {
  public let kind: MilestoneKind
  /// The step the milestone marks: for `best`, the step of the lowest validation loss.
  public let step: Int
  /// The validation loss there (for `diverged`, the training loss that exploded).
  public let loss: Float
  /// The step after which it became known: for `best`, when the rise was confirmed.
  public let detectedAt: Int

  public init(kind: MilestoneKind, step: Int, loss: Float, detectedAt: Int) {
    self.kind = kind
    self.step = step
    self.loss = loss
    self.detectedAt = detectedAt
  }
}

/// Finds a run's milestones as its losses come in.
///
/// `unigram` and `bigram` are reached when validation loss first falls below those
/// lines. `best` follows the rule `train` uses for its memorising note
/// (`ValidationHistory.isMemorising`): validation has clearly risen above its lowest
/// point (see `hasRisenSinceBest`) while training loss went on falling; training loss is
/// averaged over recent steps so one lucky batch cannot decide it. If validation later
/// goes lower still and turns up again, the mark moves there. `diverged` is the step
/// the run stopped on a non-finite or exploding loss.
public struct MilestoneTracker: Sendable {
  public let reference: LossReference
  /// The milestones reached so far, in the order they were reached.
  public private(set) var milestones: [Milestone] = []
  private var validation = ValidationHistory()
  /// Recent training losses, for a steadier training loss at each evaluation.
  private var recentTraining: [Float] = []
  static let trainingWindow = 16

  public init(reference: LossReference) {
    self.reference = reference
  }

  /// The step of the lowest validation loss so far.
  public var lowestValidationStep: Int? { validation.best?.step }

  /// The milestone of `kind`, if the run has reached it.
  public func milestone(_ kind: MilestoneKind) -> Milestone? {
    milestones.last { $0.kind == kind }
  }

  /// Notes one step's training loss.
  public mutating func recordTraining(loss: Float) {
    guard loss.isFinite else { return }
    recentTraining.append(loss)
    if recentTraining.count > Self.trainingWindow { recentTraining.removeFirst() }
  }

  /// Notes the validation loss measured after `step`; returns the milestones it reached.
  @discardableResult
  public mutating func recordValidation(step: Int, loss: Float) -> [Milestone] {
    let training = recentTraining.isEmpty ? Float.nan : recentTraining.reduce(0, +) / Float(recentTraining.count)
    validation.record(step: step, loss: loss, trainingLoss: training)
    var reached: [Milestone] = []
    for (kind, line) in [(MilestoneKind.unigram, reference.unigram), (.bigram, reference.bigram)]
    where line > 0 && loss.isFinite && loss < line && milestone(kind) == nil {
      reached.append(Milestone(kind: kind, step: step, loss: loss, detectedAt: step))
    }
    if validation.isMemorising, let best = validation.best, milestone(.best)?.step != best.step {
      reached.append(Milestone(kind: .best, step: best.step, loss: best.loss, detectedAt: step))
    }
    for found in reached {
      milestones.removeAll { $0.kind == found.kind }
      milestones.append(found)
    }
    return reached
  }

  /// Notes that the run stopped at `step` because its loss exploded.
  @discardableResult
  public mutating func recordDivergence(step: Int, loss: Float) -> Milestone? {
    guard milestone(.diverged) == nil else { return nil }
    let found = Milestone(kind: .diverged, step: step, loss: loss, detectedAt: step)
    milestones.append(found)
    return found
  }
}
