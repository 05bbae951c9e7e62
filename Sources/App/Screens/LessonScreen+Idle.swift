import Curriculum
import Training

/// The lesson's keys that are listed but change nothing in the current state.
extension LessonScreen {
  /// Stepping keys while a step is on its way, ←/→ at the ends of the row, a part's key with
  /// nothing to act on (see each part's `isIdle`).
  func isIdle(_ action: Action) -> Bool {
    // A key that can only say why it cannot act is idle once that line is showing.
    if let line = noteInstead(of: action) { return note == line }
    guard note == nil else { return false }
    let context = self.context
    switch action {
    case .lesson(let action):
      return isIdle(action)
    case .focus(let action):
      return FocusKeys.isIdle(action, focus: focus, length: shownTrace?.length ?? plan.run.context, run: plan.run)
    case .prompt(let action):
      guard case .prompt(let box) = mode else { return true }
      return box.isIdle(action, context)
    case .formula(let action):
      guard case .formula(let view) = mode else { return true }
      return view.isIdle(action, context)
    case .predict(let action):
      return predict.isIdle(action, language: language)
    case .watch, .confirm, .guesses:
      return false
    }
  }

  /// The line an action shows instead of acting, when it cannot act: a child screen that cannot
  /// open yet (a map before the model, merges of a lesson without BPE), a recorded step before
  /// or after the last one.
  private func noteInstead(of action: Action) -> String? {
    switch action {
    case .lesson(.child(let child)): return unavailableLine(child)
    case .watch(let action): return watch.noteInstead(of: action, watchContext)
    case .lesson, .focus, .prompt, .confirm, .formula, .guesses, .predict: return nil
    }
  }

  private func isIdle(_ action: LessonAction) -> Bool {
    if pendingStage != nil, action.steps { return true }
    switch action {
    case .next:
      if case .diverged = snapshot.state { return true }
      return false
    case .run:
      if case .failed = snapshot.state { return true }
      return false
    case .jump(let target):
      // The stage shown already; asking before it asks once per stage and step.
      guard let trace = snapshot.trace, stage == target, predict.asksOnArrival else { return false }
      let asks = snapshot.state == .paused && watch.historyStep == nil && snapshot.tokenizer != nil && predict.waiting == nil
      return !asks || predict.hasSeen(target, step: trace.step)
    case .child(let child):
      return child.type.isIdle(in: childContext)
    case .finish, .step, .back, .help, .panel, .rate, .prompt, .save, .formula, .maskPrompt:
      return false
    }
  }
}
