import Curriculum
import TermUI
import Training

/// How much of the narrative the learner wants: `n` hides and shows it.
enum NarrativeMode: Sendable {
  case hidden, full
}

/// What the watch controls read: the sessions they steer (one, or compare's two) and the one they follow.
struct WatchContext {
  let sessions: [SessionID]
  /// The snapshot the controls follow (compare: the causal side).
  let snapshot: SessionSnapshot
  let language: Language
  /// The step a lesson's stage views show from history; compare has none.
  var pagesHistory: Bool
  /// Whether the narrative shows whole before the learner chooses (a tall terminal, a lesson's introduction).
  var narrativeStartsWhole = false
}

/// What the learner chose about watching a run: pace, the step axis, a recorded step, the narrative.
///
/// The lesson and compare views share these keys: one definition, one `perform`.
struct WatchControls: ScreenPart, Sendable {
  /// A log step axis; nil: once the run spans two decades.
  var isLogAxis: Bool?
  /// The recorded step the stage views show instead of the live one.
  var historyStep: Int?
  /// nil: the whole narrative on tall terminals, its first line below `foldBelowRows`.
  var narrative: NarrativeMode?
  /// The pace last asked for: keys pressed faster than snapshots arrive still move one choice each.
  var pace: Pace?
  /// Set while a milestone pause shows the text the learner hid: their choice, restored when the run goes on.
  var narrativeBeforeMilestone: NarrativeMode??
  /// The terminal's height, once a resize or an opening has told it: whether the narrative starts folded.
  var terminalRows: Int?

  /// Whether a narrative left to its default starts whole on this terminal (nil rows: not known, so folded is assumed).
  var startsWhole: Bool { (terminalRows ?? 0) >= Self.foldBelowRows }

  /// Below this many rows the narrative starts folded to one line, so plots and heatmaps get the room.
  static let foldBelowRows = 30

  enum Action: Hashable, CaseIterable {
    case slower, faster, axis, historyBack, historyForward, restart, narrative

    /// `,` and `.`: only a lesson keeps a history to page through.
    var pagesHistory: Bool { self == .historyBack || self == .historyForward }
  }

  /// `n`: kept in the footer even at 80 columns, since a folded text is read with it.
  func narrativeKey(_ context: WatchContext) -> KeyBinding<Action> {
    let L = Localized(context.language)
    return KeyBinding([.char("n")], shown: "n", label: L.pick("text", "文字"), help: L.pick("show all / hide the lesson text (below 30 rows it starts folded to one line)", "展开 / 隐藏课文（不足 30 行时先折叠为一行）"), priority: 7, action: .narrative)
  }

  /// Pace, axis, history (a lesson's) and restart, in footer order; `narrativeKey` is listed apart.
  func keys(_ context: WatchContext) -> [KeyBinding<Action>] {
    let L = Localized(context.language)
    let both = context.sessions.count > 1
    var keys: [KeyBinding<Action>] = [
      KeyBinding([(.char("["), Action.slower), (.char("]"), .faster)], shown: "[/]", label: L.paceWord, help: both ? L.pick("slower / faster pace for both", "两边同时更慢 / 更快") : L.pick("slower / faster pace: 1, 3, 10, 30, 100, 300 steps a second or max", "更慢 / 更快：每秒 1、3、10、30、100、300 步或最快"), priority: 6),
      KeyBinding([.char("l")], shown: "l", label: L.pick("log axis", "对数轴"), help: both ? L.pick("log / linear step axis of both plots", "两张曲线图的步数轴：对数 / 线性") : L.pick("log / linear step axis of the loss plot", "损失曲线的步数轴：对数 / 线性"), priority: 3, action: .axis),
    ]
    if context.pagesHistory {
      keys.append(KeyBinding([(.char(","), Action.historyBack), (.char("."), .historyForward)], shown: ",/.", label: L.pick("history", "历史"), help: L.pick("back / forward through the recorded steps (1, 2, 3, 5, 10, …)", "在记录的步之间后退 / 前进（1、2、3、5、10……）"), priority: 4))
    }
    keys.append(KeyBinding<Action>([.char("x")], shown: "x", label: L.pick("restart", "重新开始"), help: both ? L.pick("restart both runs from step 0; the old curves stay, dimmed", "两边都从第 0 步重新训练；旧曲线变暗保留") : L.pick("restart the run from step 0; the old curves stay, dimmed", "从第 0 步重新训练；旧曲线变暗保留"), priority: 3, action: .restart))
    return keys
  }

  mutating func perform(_ action: Action, _ context: WatchContext) -> PartOutcome {
    switch action {
    case .slower, .faster:
      let current = pace ?? context.snapshot.pace
      let pace = action == .slower ? current.slower : current.faster
      self.pace = pace
      // Said on the footer's line too: on a narrow terminal the status line leaves the pace out.
      return PartOutcome(effects: context.sessions.map { .setPace($0, pace) }, note: Localized(context.language).pace(pace))
    case .axis:
      isLogAxis = !LossPlotView(snapshot: context.snapshot, language: context.language, isLogarithmic: isLogAxis).usesLogAxis
    case .historyBack, .historyForward:
      // A key that cannot move says why, rather than seem broken.
      if let line = noteInstead(of: action, context) { return PartOutcome(note: line) }
      guard let live = context.snapshot.trace?.step else { return .none }
      let current = historyStep ?? live
      let history = context.snapshot.history
      guard let target = action == .historyBack ? history.step(before: current) : history.step(after: current) else { return .none }
      historyStep = target >= live ? nil : target
    case .restart:
      historyStep = nil
      return PartOutcome(effects: context.sessions.map(Effect.reset))
    case .narrative:
      toggleNarrative(startsWhole: context.narrativeStartsWhole)
    }
    return .none
  }

  /// Why `,`/`.` cannot move, when they cannot: no step yet, no earlier one, the live one already.
  func noteInstead(of action: Action, _ context: WatchContext) -> String? {
    guard action.pagesHistory else { return nil }
    let L = Localized(context.language)
    guard let live = context.snapshot.trace?.step else { return L.pick("no step recorded yet: s takes one, r runs", "还没有记录的步：s 走一步，r 运行") }
    let current = historyStep ?? live
    let history = context.snapshot.history
    if action == .historyBack {
      return history.step(before: current) == nil ? L.pick("no earlier step recorded", "没有更早的记录") : nil
    }
    return history.step(after: current) == nil ? L.pick("this is the live step", "这已是当前的一步") : nil
  }

  /// `n`: a folded narrative unfolds first (its hint says "n: more"), then hides and shows.
  ///
  /// One shown whole to begin with (`startsWhole`) hides at the first press: going to
  /// "full" would change nothing on screen, and the key would seem dead.
  mutating func toggleNarrative(startsWhole: Bool) {
    narrativeBeforeMilestone = nil
    switch narrative {
    case .full: narrative = .hidden
    case .hidden: narrative = .full
    case nil: narrative = startsWhole ? .hidden : .full
    }
  }

  /// A run that paused itself at a milestone shows that milestone's text even if the learner
  /// had hidden the narrative (folded to its first line below 30 rows, so the plot keeps its
  /// room); once the run goes on, it is hidden again.
  mutating func notePause(atMilestone isPaused: Bool) {
    if isPaused, narrativeBeforeMilestone == nil, narrative == .hidden {
      narrativeBeforeMilestone = .some(narrative)
      narrative = nil
    } else if !isPaused, let before = narrativeBeforeMilestone {
      narrative = before
      narrativeBeforeMilestone = nil
    }
  }

  /// How many lines of `needed` the narrative gets in a terminal of `rows` rows; `isFolded` when cut to one.
  func narrativeLines(needed: Int, limit: Int, rows: Int) -> (lines: Int, isFolded: Bool) {
    switch narrative {
    case .hidden: return (0, false)
    case .full: return (min(max(1, limit), needed), false)
    case nil:
      if rows < Self.foldBelowRows && needed > 1 { return (1, true) }
      return (min(max(1, limit), needed), false)
    }
  }
}

/// The keys that move what the views focus on, shared by the lesson and compare views.
enum FocusKeys {
  enum Action: Hashable, CaseIterable {
    case previousToken, nextToken, previousHead, nextHead
  }

  static func token(_ L: Localized, help: String) -> KeyBinding<Action> {
    KeyBinding([(Key.left, Action.previousToken), (.right, .nextToken)], shown: "←/→", label: L.pick("token", "词元"), help: help, priority: 6)
  }

  static func head(_ L: Localized) -> KeyBinding<Action> {
    KeyBinding([(Key.up, Action.previousHead), (.down, .nextHead)], shown: "↑/↓", label: L.pick("head", "注意力头"), help: L.pick("attention layer and head", "注意力的层与头"), priority: 5)
  }

  /// True when `action` cannot move `focus`: the first or last token, a run of one head.
  static func isIdle(_ action: Action, focus: Focus, length: Int, run: RunConfiguration) -> Bool {
    switch action {
    case .previousToken: focus.position <= 0
    case .nextToken: focus.position >= length - 1
    case .previousHead, .nextHead: run.layers * run.heads <= 1
    }
  }

  /// Moves `focus` as `action` asks, within the run's context length, layers and heads.
  static func perform(_ action: Action, on focus: inout Focus, length: Int, run: RunConfiguration) {
    switch action {
    case .previousToken, .nextToken: focus.stepPosition(by: action == .previousToken ? -1 : 1, length: length)
    case .previousHead, .nextHead: focus.stepHead(by: action == .nextHead ? 1 : -1, layers: run.layers, heads: run.heads)
    }
  }
}
