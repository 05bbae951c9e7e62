import Curriculum
import TermUI
import Training

/// How much of the narrative the learner wants: `n` hides and shows it.
enum NarrativeMode: Sendable {
  case hidden, full
}

/// What the learner chose about watching the run: the step axis, a recorded step, the narrative.
struct WatchControls: Sendable {
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

  /// Below this many rows the narrative starts folded to one line, so plots and heatmaps get the room.
  static let foldBelowRows = 30

  /// `n`: a folded narrative unfolds first (its hint says "n: more"), then hides and shows.
  mutating func toggleNarrative() {
    narrativeBeforeMilestone = nil
    narrative = narrative == .full ? .hidden : .full
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

extension KeyBinding {
  /// `n`: show all / hide the lesson text; kept in the footer even at 80 columns, since a
  /// folded text is read with it (lesson and compare views).
  static func narrative(_ L: Localized, action: Action) -> KeyBinding {
    KeyBinding([.char("n")], shown: "n", label: L.pick("text", "文字"), help: L.pick("show all / hide the lesson text (below 30 rows it starts folded to one line)", "展开 / 隐藏课文（不足 30 行时先折叠为一行）"), priority: 7, action: action)
  }
}

extension LessonScreen {
  /// The keys of watching a run: pace, axis, history, restart.
  func watchKeys(_ L: Localized) -> [KeyBinding<Action>] {
    return [
      KeyBinding([.char("["), .char("]")], shown: "[/]", label: L.paceWord, help: L.pick("slower / faster pace: 1, 3, 10, 30, 100, 300 steps a second or max", "更慢 / 更快：每秒 1、3、10、30、100、300 步或最快"), priority: 6, action: .pace),
      KeyBinding([.char("l")], shown: "l", label: L.pick("log axis", "对数轴"), help: L.pick("log / linear step axis of the loss plot", "损失曲线的步数轴：对数 / 线性"), priority: 3, action: .axis),
      KeyBinding([.char(","), .char(".")], shown: ",/.", label: L.pick("history", "历史"), help: L.pick("back / forward through the recorded steps (1, 2, 3, 5, 10, …)", "在记录的步之间后退 / 前进（1、2、3、5、10……）"), priority: 4, action: .history),
      KeyBinding([.char("x")], shown: "x", label: L.pick("restart", "重新开始"), help: L.pick("restart the run from step 0; the old curves stay, dimmed", "从第 0 步重新训练；旧曲线变暗保留"), priority: 3, action: .restart),
    ]
  }

  mutating func performWatch(_ action: Action, key: Key) -> [Effect] {
    switch action {
    case .pace:
      let current = watch.pace ?? snapshot.pace
      let pace = key == .char("[") ? current.slower : current.faster
      watch.pace = pace
      return [.setPace(session, pace)]
    case .axis:
      watch.isLogAxis = !LossPlotView(snapshot: snapshot, language: language, isLogarithmic: watch.isLogAxis).usesLogAxis
    case .history:
      // A key that cannot move says why, rather than seem broken.
      let L = Localized(language)
      guard let live = snapshot.trace?.step else {
        note = L.pick("no step recorded yet: s takes one, r runs", "还没有记录的步：s 走一步，r 运行")
        return []
      }
      let back = key == .char(",")
      let current = watch.historyStep ?? live
      let target = back ? snapshot.history.step(before: current) : snapshot.history.step(after: current)
      guard let target else {
        note = back ? L.pick("no earlier step recorded", "没有更早的记录") : L.pick("this is the live step", "这已是当前的一步")
        return []
      }
      watch.historyStep = target >= live ? nil : target
      if stage == nil { stage = .tokenize }
    case .restart:
      watch.historyStep = nil
      stage = nil
      pendingStage = nil
      return [.reset(session)]
    case .narrative:
      watch.toggleNarrative()
    default:
      break
    }
    return []
  }

  /// The trace the stage views show: a recorded one while paging through history, else the live one.
  var shownTrace: StepTrace? {
    if let step = watch.historyStep, let recorded = snapshot.history.trace(atStep: step) { return recorded }
    return snapshot.trace
  }

  /// The text above the views: the milestone the run paused at, else the stage's (or the intro).
  var narrativeText: String {
    milestoneText ?? stage.map { plan.narrative(for: $0) } ?? plan.intro
  }

  /// The text above the dashboard: the milestone the run paused at, else the lesson's run section.
  var dashboardText: String? {
    milestoneText ?? plan.runText
  }

  /// The narrative of the milestone the run paused at, if the lesson has one.
  ///
  /// Lessons quote their own run's steps and losses; a run whose learning rate the learner
  /// changed (+/-, then perhaps x) reaches its milestones elsewhere, so the text says so.
  var milestoneText: String? {
    guard let milestone = snapshot.pausedAt, let text = plan.narrative(for: milestone.kind) else { return nil }
    let rate = plan.run.learningRate
    guard snapshot.learningRate != rate || !snapshot.learningRateChanges.isEmpty else { return text }
    let note = Localized(language).otherRateNote(lesson: rate, run: snapshot.learningRate, changedAt: snapshot.learningRateChanges.first?.step)
    return text + "\n\n" + note
  }
}
