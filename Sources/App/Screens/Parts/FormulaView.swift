import Curriculum
import TermUI
import Training

/// `f`: the stage's math with this step's numbers, in place of its picture; scrolled with PgUp/PgDn.
struct FormulaView: ScreenPart {
  /// The first line shown, and the stage it was scrolled on (another stage starts at the top).
  var scroll = 0
  var scrolledStage: Stage?
  /// The trace last asked to be replayed, and its replay once the runner answered.
  var replayed: StepTrace?
  var replay: Result<FormulaReplay, FormulaReplayError>?

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

  /// Scrolling with no stage shown, or past the first or last line.
  func isIdle(_ action: Action, _ context: LessonContext) -> Bool {
    guard action != .close else { return false }
    guard let stage = context.stage else { return true }
    guard scrolledStage == stage else { return false }
    let last = max(0, (lines(context, unicode: true)?.count ?? 0) - 1)
    return action == .pageUp || action == .top ? scroll == 0 : scroll == last
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

  /// Whether `replayed` is `trace`: the same step, weights and batch (steps repeat after a restart).
  func hasAsked(for trace: StepTrace) -> Bool {
    // Arrays that share storage compare in O(1): the same trace is recognised at once.
    guard let replayed else { return false }
    return replayed.step == trace.step && replayed.parametersBefore == trace.parametersBefore && replayed.batch.inputs == trace.batch.inputs
  }

  /// Asks the runner to replay the shown trace, once per trace.
  mutating func refresh(_ context: LessonContext) -> [Effect] {
    guard let trace = context.shownTrace, !hasAsked(for: trace) else { return [] }
    replayed = trace
    replay = nil
    return [.replayFormula(context.session, trace)]
  }

  /// The runner's answer: kept when it is the replay of the trace last asked for.
  mutating func receive(step: Int, _ result: Result<FormulaReplay, FormulaReplayError>) {
    guard replayed?.step == step else { return }
    if case .success(let replay) = result, let replayed, replay.parameters != replayed.parametersBefore { return }
    replay = result
  }

  /// The view's lines for the current stage of the shown trace, from its own replay only: while
  /// the replay is computed, or when the trace lacks its weights, one line says so instead.
  func lines(_ context: LessonContext, unicode: Bool) -> [FormulaLine]? {
    guard let stage = context.stage, let trace = context.shownTrace, let tokenizer = context.snapshot.tokenizer else { return nil }
    let L = Localized(context.language)
    guard hasAsked(for: trace), let replay else {
      return [FormulaLine(L.pick("replaying step \(trace.step)'s forward pass…", "正在重放第 \(trace.step) 步的前向计算……"), .note)]
    }
    switch replay {
    case .success(let replay):
      return Formulas(trace: trace, tokenizer: tokenizer, replay: replay, language: context.language)
        .lines(for: stage, focus: context.focus, unicode: unicode)
    case .failure(let error):
      return [FormulaLine(L.pick("step \(error.step)'s weights are not kept, so its formulas cannot be shown (\(error.reason))",
                                 "第 \(error.step) 步的权重没有保存，无法给出公式（\(error.reason)）"), .note)]
    }
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
