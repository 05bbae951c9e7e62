import Curriculum
import TermUI
import Training

/// `a` on a CLM lesson's logits stage: the model's top guesses, teacher-forced or free-running, instead of the distribution.
struct GuessView: ScreenPart {
  var mode: GuessMode = .teacherForcing
  /// The rows for the shown trace; nil until computed.
  var rows: GuessRows?

  enum Action: Hashable, CaseIterable {
    /// Teacher forcing → free running → back to the distribution.
    case next
  }

  /// Whether the lesson offers `a` now: a CLM lesson on the logits stage's picture.
  static func isOffered(_ context: LessonContext, panel: Panel) -> Bool {
    context.plan.run.objective == .clm && context.stage?.descriptor.showsGuesses == true && panel == .stage
  }

  func keys(_ context: LessonContext) -> [KeyBinding<Action>] {
    let L = Localized(context.language)
    return [KeyBinding([.char("a")], shown: "a", label: L.guessModeKey, help: L.guessModeHelp, priority: 8, action: .next)]
  }

  mutating func perform(_ action: Action, _ context: LessonContext) -> PartOutcome {
    switch action {
    case .next:
      guard let next = GuessMode.next(after: mode) else { return PartOutcome(closes: true) }
      mode = next
      rows = nil
      refresh(context)
      return .none
    }
  }

  /// Whether the view's rows are those of the shown trace (arriving on the logits stage, or moving through history).
  func isCurrent(_ context: LessonContext) -> Bool {
    rows?.step == context.shownTrace?.step
  }

  /// Recomputes the rows for the shown trace, when the logits stage shows them.
  mutating func refresh(_ context: LessonContext) {
    guard context.stage?.descriptor.showsGuesses == true, let trace = context.shownTrace, trace.objective == .clm else {
      rows = nil
      return
    }
    let row = min(context.focus.row, trace.batchSize - 1)
    switch mode {
    case .teacherForcing: rows = GuessRows.teacherForcing(trace, row: row)
    case .freeRunning: rows = GuessRows.freeRunning(trace, row: row)
    }
  }

  /// Draws the rows where the logits stage's picture would be; false when there is nothing to draw.
  func render(_ context: LessonContext, in area: Rect, buffer: inout Buffer, theme: Theme) -> Bool {
    if let rows, let tokenizer = context.snapshot.tokenizer {
      GuessRowsView(rows: rows, tokenizer: tokenizer, position: context.focus.position, language: context.language)
        .render(in: area, buffer: &buffer, theme: theme)
      return true
    }
    if mode == .freeRunning {
      let L = Localized(context.language)
      buffer.set(string: L.freeRunningNeedsWeights, at: Point(x: area.x, y: area.y), style: theme.accent, clipTo: area)
      return true
    }
    return false
  }
}
