import Curriculum

/// What a session notes about its run after every step: milestones, and where to pause.
struct RunWatch: Sendable {
  private(set) var tracker: MilestoneTracker
  /// The milestones at which a running session pauses by itself.
  var pauseAt: Set<MilestoneKind>

  init(reference: LossReference, pauseAt: Set<MilestoneKind>) {
    self.tracker = MilestoneTracker(reference: reference)
    self.pauseAt = pauseAt
  }

  /// Whether the session measures validation after `step` besides the trainer's usual
  /// interval (every 50), so that a log step axis has a validation curve from the start
  /// and the early milestones land near their step.
  ///
  /// `dense` (a paced or hand-stepped run, which waits between steps anyway): steps 1, 2
  /// and 5, then every 10 up to 200. Otherwise (flat out) only the 1-2-5 steps up to 200,
  /// evenly spaced on the log axis: validation costs about 1.3 steps, and every 10 steps
  /// slowed the first 200 by a tenth.
  static func isEarlyEvaluation(_ step: Int, dense: Bool) -> Bool {
    guard step >= 1, step <= 200 else { return false }
    if step == 1 || step == 2 || step == 5 { return true }
    if dense { return step % 10 == 0 }
    return [10, 20, 50, 100, 200].contains(step)
  }

  /// Whether validation is measured after `step`: the trainer's interval, or an early evaluation.
  static func measuresValidation(after step: Int, interval: Int, dense: Bool) -> Bool {
    (interval > 0 && step % interval == 0) || isEarlyEvaluation(step, dense: dense)
  }

  /// How long after the lowest validation a paced run keeps measuring every 10 steps.
  ///
  /// Validation is checked for a turn upwards only where it is measured: every 50 steps, a
  /// rise clear enough to call took 300–900 steps to confirm (up to 90 s at a lesson's
  /// pace). Every 10 steps near the lowest, `ValidationHistory` confirms it within 300.
  static let denseAfterLowest = 400

  /// Whether validation is measured after `step`, for this run: as the static rule, and
  /// when `dense`, every 10 steps within `denseAfterLowest` of the lowest so far.
  func measuresValidation(after step: Int, interval: Int, dense: Bool) -> Bool {
    if Self.measuresValidation(after: step, interval: interval, dense: dense) { return true }
    guard dense, step % ValidationHistory.denseSpacing == 0, let lowest = tracker.lowestValidationStep else { return false }
    return step - lowest <= Self.denseAfterLowest
  }

  /// Notes one step; returns the milestone to pause at, if the step reached one of `pauseAt`.
  mutating func note(step: Int, loss: Float, validation: Float?, isHealthy: Bool) -> Milestone? {
    tracker.recordTraining(loss: loss)
    var reached: [Milestone] = []
    if let validation { reached += tracker.recordValidation(step: step, loss: validation) }
    if !isHealthy, let diverged = tracker.recordDivergence(step: step, loss: loss) { reached.append(diverged) }
    return reached.first { pauseAt.contains($0.kind) }
  }
}
