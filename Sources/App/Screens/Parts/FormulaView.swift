import Curriculum
import TermUI
import Training

/// `f`: the stage's math with this step's numbers, in place of its picture; scrolled with PgUp/PgDn.
struct FormulaView: ScreenPart {
  /// The first line shown, and the stage it was scrolled on (another stage starts at the top).
  var scroll = 0
  var scrolledStage: Stage?
  /// The activations of the last trace shown, kept so frames do not recompute them.
  var replay: FormulaReplay?

  /// Lines one scroll key moves.
  static let page = 4

  enum Action: Hashable, CaseIterable {
    case close, pageUp, pageDown, top, bottom
  }

  func keys(_ context: LessonContext) -> [KeyBinding<Action>] {
    let L = Localized(context.language)
    return [
      KeyBinding([.char("f")], shown: "f", label: L.pick("picture", "图示"), help: L.pick("formula view: the stage's math with this step's numbers", "公式视图：本阶段的数学式，代入这一步的数值"), priority: 7, action: .close),
      KeyBinding([(.pageUp, .pageUp), (.pageDown, .pageDown), (.home, .top), (.end, .bottom)], shown: "PgUp/PgDn", label: L.pick("scroll", "滚动"), help: L.pick("scroll the formula view", "滚动公式视图"), priority: 3),
    ]
  }

  mutating func perform(_ action: Action, _ context: LessonContext) -> PartOutcome {
    guard action != .close else { return PartOutcome(closes: true) }
    switch action {
    case .pageUp: scroll(by: -Self.page, context)
    case .pageDown: scroll(by: Self.page, context)
    case .top: scroll(by: -Int(Int32.max), context)
    case .bottom: scroll(by: Int(Int32.max), context)
    case .close: break
    }
    return .none
  }

  /// Scrolls the current stage's lines by `lines` (the keys a page, the wheel a few lines).
  mutating func scroll(by lines: Int, _ context: LessonContext) {
    guard let stage = context.stage else { return }
    if scrolledStage != stage { scroll = 0; scrolledStage = stage }
    let count = self.lines(context, unicode: true)?.count ?? 0
    scroll = max(0, min(scroll + lines, count - 1))
  }

  /// The kept replay if it was made from `trace`'s weights and batch (steps repeat after a restart).
  func replay(for trace: StepTrace) -> FormulaReplay? {
    // Arrays that share storage compare in O(1): the same trace is recognised at once.
    guard let replay, replay.parameters == trace.parametersBefore, replay.inputs == trace.batch.inputs else { return nil }
    return replay
  }

  /// Replays the shown trace once, when it changed.
  mutating func refresh(_ context: LessonContext) {
    guard let trace = context.shownTrace, replay(for: trace) == nil else { return }
    replay = FormulaReplay(trace: trace)
  }

  /// The view's lines for the current stage of the shown trace; nil before there is one.
  func lines(_ context: LessonContext, unicode: Bool) -> [FormulaLine]? {
    guard let stage = context.stage, let trace = context.shownTrace, let tokenizer = context.snapshot.tokenizer else { return nil }
    let replay = replay(for: trace) ?? FormulaReplay(trace: trace)
    return Formulas(trace: trace, tokenizer: tokenizer, replay: replay, language: context.language)
      .lines(for: stage, focus: context.focus, unicode: unicode)
  }

  /// Draws the formula view where the stage's picture would be.
  func render(_ context: LessonContext, in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard let stage = context.stage, let lines = lines(context, unicode: !theme.isConsoleSafe) else { return }
    let L = Localized(context.language)
    let title = L.pick("formula · \(stage.descriptor.title(context.language)) · f: back to the picture",
                       "公式 · \(stage.descriptor.title(context.language)) · f：回到图示")
    FormulaPanel(title: title, scrollHint: "PgUp/PgDn", lines: lines, scroll: scrolledStage == stage ? scroll : 0)
      .render(in: area, buffer: &buffer, theme: theme)
  }
}
