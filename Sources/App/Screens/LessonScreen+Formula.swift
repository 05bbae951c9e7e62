import Curriculum
import TermUI
import Training

/// Whether the formula view is shown, where it is scrolled, and the replay it draws from.
struct FormulaState {
  var isShown = false
  /// The first line shown, and the stage it was scrolled on (another stage starts at the top).
  var scroll = 0
  var scrolledStage: Stage?
  /// The activations of the last trace shown, kept so frames do not recompute them.
  var replay: FormulaReplay?

  /// The kept replay if it was made from `trace`'s weights and batch (steps repeat after a restart).
  func replay(for trace: StepTrace) -> FormulaReplay? {
    // Arrays that share storage compare in O(1): the same trace is recognised at once.
    guard let replay, replay.parameters == trace.parametersBefore, replay.inputs == trace.batch.inputs else { return nil }
    return replay
  }

  /// Lines one scroll key moves.
  static let page = 4
}

extension LessonScreen {
  /// `f`: shows or hides the formula view.
  mutating func toggleFormula() {
    formula.isShown.toggle()
    formula.scroll = 0
    refreshFormulaReplay()
  }

  /// PgUp/PgDn (and Home/End): scrolls the formula view of the current stage.
  mutating func scrollFormula(_ key: Key) {
    guard let stage else { return }
    if formula.scrolledStage != stage { formula.scroll = 0; formula.scrolledStage = stage }
    guard let trace = snapshot.trace, let tokenizer = snapshot.tokenizer else { return }
    let count = formulaLines(for: stage, trace: trace, tokenizer: tokenizer, unicode: true).count
    switch key {
    case .pageUp: formula.scroll -= FormulaState.page
    case .home: formula.scroll = 0
    case .end: formula.scroll = count
    default: formula.scroll += FormulaState.page
    }
    formula.scroll = max(0, min(formula.scroll, count - 1))
  }

  /// Replays the newest trace once, when the formula view is shown and the trace changed.
  mutating func refreshFormulaReplay() {
    guard formula.isShown, let trace = snapshot.trace, formula.replay(for: trace) == nil else { return }
    formula.replay = FormulaReplay(trace: trace)
  }

  /// The formula view's lines for `stage` of `trace`.
  func formulaLines(for stage: Stage, trace: StepTrace, tokenizer: any Tokenizer, unicode: Bool) -> [FormulaLine] {
    let replay = formula.replay(for: trace) ?? FormulaReplay(trace: trace)
    return Formulas(trace: trace, tokenizer: tokenizer, replay: replay, language: language)
      .lines(for: stage, focus: focus, unicode: unicode)
  }

  /// Draws the formula view of `stage` of `trace` where the stage's picture would be.
  func renderFormula(_ stage: Stage, trace: StepTrace, tokenizer: any Tokenizer, in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let lines = formulaLines(for: stage, trace: trace, tokenizer: tokenizer, unicode: !theme.isConsoleSafe)
    let title = L.pick("formula · \(stage.descriptor.title(language)) · f: back to the picture",
                       "公式 · \(stage.descriptor.title(language)) · f：回到图示")
    let scroll = formula.scrolledStage == stage ? formula.scroll : 0
    FormulaPanel(title: title, scrollHint: "PgUp/PgDn", lines: lines, scroll: scroll)
      .render(in: area, buffer: &buffer, theme: theme)
  }
}
