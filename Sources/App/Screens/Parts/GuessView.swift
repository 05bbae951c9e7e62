import Curriculum
import TermUI
import Training

/// `a` on a CLM lesson's logits stage: the model's top guesses, teacher-forced or free-running, instead of the distribution.
struct GuessView: ScreenPart {
  var mode: GuessMode = .teacherForcing
  /// The rows for the shown trace; nil until the runner computed them.
  var rows: GuessRows?
  /// The step and mode last asked for, and whether the answer is still on its way.
  var asked: (step: Int, mode: GuessMode)?
  var isComputing = false

  enum Action: Hashable, CaseIterable {
    /// Teacher forcing → free running → back to the distribution.
    case next
  }

  /// Whether the lesson offers `a` now: a CLM lesson on the logits stage's picture.
  static func isOffered(_ context: LessonContext, panel: Panel) -> Bool {
    context.plan.run.objective == .clm && context.stage?.descriptor.showsGuesses == true && panel == .stage
  }

  func keys(_ context: LessonContext) -> [KeyBinding<Action>] {
    Self.keys(context, showing: mode)
  }

  /// `a`, labelled with what it switches to from `showing` (nil: the distribution, the view not open).
  static func keys(_ context: LessonContext, showing: GuessMode?) -> [KeyBinding<Action>] {
    let L = Localized(context.language)
    let label = L.guessModeKey(next: GuessMode.next(after: showing))
    return [KeyBinding([.char("a")], shown: "a", label: label, help: L.guessModeHelp, priority: 8, action: .next)]
  }

  mutating func perform(_ action: Action, _ context: LessonContext) -> PartOutcome {
    switch action {
    case .next:
      guard let next = GuessMode.next(after: mode) else { return PartOutcome(closes: true) }
      mode = next
      rows = nil
      return PartOutcome(effects: refresh(context))
    }
  }

  /// The trace and batch row the rows are asked for: the shown trace, when the logits stage shows them.
  private func wanted(_ context: LessonContext) -> (trace: StepTrace, row: Int)? {
    guard context.stage?.descriptor.showsGuesses == true, let trace = context.shownTrace, trace.objective == .clm else { return nil }
    return (trace, min(context.focus.row, trace.batchSize - 1))
  }

  /// Asks the runner for the rows of the shown trace, once per trace and mode (arriving on
  /// the logits stage, or moving through history there).
  mutating func refresh(_ context: LessonContext) -> [Effect] {
    guard let (trace, row) = wanted(context) else {
      asked = nil
      rows = nil
      return []
    }
    guard asked?.step != trace.step || asked?.mode != mode else { return [] }
    asked = (trace.step, mode)
    rows = nil
    isComputing = true
    return [.guessRows(context.session, trace, mode, row: row)]
  }

  /// The runner's answer: kept when it is for the step and mode last asked for.
  mutating func receive(step: Int, mode: GuessMode, _ rows: GuessRows?) {
    guard asked?.step == step, asked?.mode == mode else { return }
    self.rows = rows
    isComputing = false
  }

  /// Draws the rows where the logits stage's picture would be; false when there is nothing to draw.
  func render(_ context: LessonContext, in area: Rect, buffer: inout Buffer, theme: Theme) -> Bool {
    if let rows, let tokenizer = context.snapshot.tokenizer {
      GuessRowsView(rows: rows, tokenizer: tokenizer, position: context.focus.position, language: context.language)
        .render(in: area, buffer: &buffer, theme: theme)
      return true
    }
    let L = Localized(context.language)
    if isComputing {
      buffer.set(string: L.computing, at: Point(x: area.x, y: area.y), style: theme.accent, clipTo: area)
      return true
    }
    if mode == .freeRunning {
      buffer.set(string: L.freeRunningNeedsWeights, at: Point(x: area.x, y: area.y), style: theme.accent, clipTo: area)
      return true
    }
    return false
  }
}
