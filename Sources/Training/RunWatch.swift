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
  /// interval: at steps 1, 2 and 5, then every 10 up to 200, so that a log step axis has
  /// a validation curve from the start and the early milestones land near their step.
  static func isEarlyEvaluation(_ step: Int) -> Bool {
    step == 1 || step == 2 || step == 5 || (step <= 200 && step % 10 == 0)
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
