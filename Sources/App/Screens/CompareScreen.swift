import Curriculum
import Foundation
import TermUI
import Training

/// CLM and MLM trained side by side: the same corpus, model size and seed, on two sessions kept in lockstep.
struct CompareScreen: Screen {
  let plan: LessonPlan
  let causal: SessionID
  let masked: SessionID
  /// Each side's latest snapshot.
  var snapshots: [SessionID: SessionSnapshot] = [:]
  var focus = Focus()
  /// Which of the lesson's sections the narrative shows; space moves to the next.
  var sectionIndex = 0
  /// A log step axis on both plots; nil: once the runs span two decades.
  var isLogAxis: Bool?
  /// The pace last asked for, so quick presses each move one choice.
  var pace: Pace?
  /// The narrative's folding and hiding (`n`), as in the lesson view.
  var text = WatchControls()

  init(plan: LessonPlan, causal: SessionID = .next(), masked: SessionID = .next()) {
    self.plan = plan
    self.causal = causal
    self.masked = masked
  }

  var sessions: [SessionID] { [causal, masked] }

  /// The side's latest snapshot; before its first, the empty one its session starts from.
  func snapshot(_ id: SessionID) -> SessionSnapshot {
    snapshots[id] ?? .initial(plan.run)
  }
  var language: Language { plan.language }

  /// The lesson's narrative in order: intro, the stages it dwells on, the run text.
  var sections: [(title: String, text: String)] {
    var list = [(title: plan.title, text: plan.intro)]
    for stage in plan.focusStages {
      if let text = plan.sections[stage.descriptor.narrativeKey] { list.append((stage.title(language), text)) }
    }
    if let run = plan.runText { list.append((Localized(language).liveRun, run)) }
    return list
  }

  func start() -> [Effect] {
    var clm = plan.run
    clm.objective = .clm
    var mlm = plan.run
    mlm.objective = .mlm
    return [
      .startSession(causal, SessionRequest(configuration: clm, prompt: plan.prompt, label: "\(plan.id).clm")),
      .startSession(masked, SessionRequest(configuration: mlm, prompt: plan.prompt, label: "\(plan.id).mlm")),
      // The two run in step, so both curves reach the same step together.
      .lockstep([causal, masked]),
      .setPace(causal, plan.pace), .setPace(masked, plan.pace),
    ]
  }

  enum Action: Hashable, CaseIterable {
    case step, nextText, run, token, head, rate, pace, axis, restart, narrative, help, back
  }

  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    return [
      KeyBinding([.char("s"), .enter], shown: "s", label: L.pick("step both", "同时单步"), help: L.pick("take one step on both sides (also enter)", "两边各走一步（也可按 enter）"), priority: 10, action: .step),
      .narrative(L, action: .narrative),
      KeyBinding([.char(" ")], shown: "space", label: L.pick("next text", "下一段"), help: L.pick("next text: the lesson's next section", "下一段：课程的下一节文字"), priority: 8, action: .nextText),
      KeyBinding([.char("r")], shown: "r", label: L.pick("run/pause", "运行/暂停"), help: L.pick("run / pause both; after an explosion, reset", "同时运行 / 暂停；损失爆炸后重置"), priority: 10, action: .run),
      KeyBinding([.left, .right], shown: "←/→", label: L.pick("token", "词元"), help: L.pick("pick the token both sides highlight", "选择两边高亮的词元"), priority: 6, action: .token),
      KeyBinding([.up, .down], shown: "↑/↓", label: L.pick("head", "注意力头"), help: L.pick("attention layer and head", "注意力的层与头"), priority: 5, action: .head),
      .learningRate(L, priority: 4, action: .rate),
      KeyBinding([.char("["), .char("]")], shown: "[/]", label: L.paceWord, help: L.pick("slower / faster pace for both", "两边同时更慢 / 更快"), priority: 6, action: .pace),
      KeyBinding([.char("l")], shown: "l", label: L.pick("log axis", "对数轴"), help: L.pick("log / linear step axis of both plots", "两张曲线图的步数轴：对数 / 线性"), priority: 3, action: .axis),
      KeyBinding([.char("x")], shown: "x", label: L.pick("restart", "重新开始"), help: L.pick("restart both runs from step 0; the old curves stay, dimmed", "两边都从第 0 步重新训练；旧曲线变暗保留"), priority: 3, action: .restart),
      .help(L, priority: 7, action: .help),
      KeyBinding([.char("q"), .escape, .char("c")], shown: "q", label: L.pick("back", "返回"), help: L.pick("back (also c)", "返回（也可按 c）"), priority: 9, action: .back),
    ]
  }

  mutating func perform(_ action: Action, key: Key) -> [Effect] {
    switch action {
    case .step:
      return sessions.map(Effect.step)
    case .nextText:
      sectionIndex = (sectionIndex + 1) % max(1, sections.count)
    case .narrative:
      text.toggleNarrative()
    case .run:
      let running = sessions.contains { snapshot($0).state.isRunning }
      return sessions.map { id in
        if case .diverged = snapshot(id).state { return .reset(id) }
        return running ? .pause(id) : .run(id)
      }
    case .token:
      focus.stepPosition(by: key == .left ? -1 : 1, length: plan.run.context)
    case .head:
      focus.stepHead(by: key == .down ? 1 : -1, layers: plan.run.layers, heads: plan.run.heads)
    case .rate:
      return sessions.map { id in
        .setLearningRate(id, LearningRateKeys.adjusted(snapshot(id).learningRate, by: key))
      }
    case .pace:
      let current = self.pace ?? snapshot(causal).pace
      let pace = key == .char("[") ? current.slower : current.faster
      self.pace = pace
      return sessions.map { .setPace($0, pace) }
    case .axis:
      isLogAxis = !LossPlotView(snapshot: snapshot(causal), language: language, isLogarithmic: isLogAxis).usesLogAxis
    case .restart:
      return sessions.map(Effect.reset)
    case .help:
      return [.showHelp]
    case .back:
      return [.pop]
    }
    return []
  }

  mutating func receive(_ message: Message) -> [Effect] {
    if case .snapshot(let id, let snapshot) = message { snapshots[id] = snapshot }
    return []
  }
}
