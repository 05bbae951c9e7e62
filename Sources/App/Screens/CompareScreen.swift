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
  /// Pace, step axis and the narrative's folding (`n`) for both sides: the lesson view's controls.
  var watch = WatchControls()

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
      if let text = plan.sections[.stage(stage)] { list.append((stage.title(language), text)) }
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
    case step, nextText, run, rate(Direction), check, help, back
    case focus(FocusKeys.Action)
    case watch(WatchControls.Action)

    /// Compare keeps no history: its watch actions are those that do not page through it.
    static var allCases: [Action] {
      [.step, .nextText, .run] + Direction.allCases.map(Action.rate) + [.check, .help, .back]
        + FocusKeys.Action.allCases.map(Action.focus)
        + WatchControls.Action.allCases.filter { !$0.pagesHistory }.map(Action.watch)
    }
  }

  /// The watch controls steer both sides and follow the causal one; compare keeps no history.
  var watchContext: WatchContext {
    WatchContext(sessions: sessions, snapshot: snapshot(causal), language: language, pagesHistory: false, narrativeStartsWhole: watch.startsWhole)
  }

  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    let watchKeys = watch.keys(watchContext).map { $0.map(Action.watch) }
    return [
      KeyBinding([.char("s"), .enter], shown: "s", label: L.pick("step both", "同时单步"), help: L.pick("step both sides (also enter); no questions here: both pictures are always in view", "两边各走一步（也可按 enter）；这里不提问：两边的图都在眼前"), priority: 10, action: .step),
      watch.narrativeKey(watchContext).map(Action.watch),
      KeyBinding([.char(" ")], shown: "space", label: L.pick("next text", "下一段"), help: L.pick("next text: the lesson's next section", "下一段：课程的下一节文字"), priority: 8, action: .nextText),
      KeyBinding([.char("r")], shown: "r", label: L.pick("run/pause", "运行/暂停"), help: L.pick("run / pause both; after an explosion, reset", "同时运行 / 暂停；损失爆炸后重置"), priority: 10, action: .run),
      FocusKeys.token(L, help: L.pick("pick the token both sides highlight", "选择两边高亮的词元")).map(Action.focus),
      FocusKeys.head(L).map(Action.focus),
      .learningRate(L, priority: 4, raise: .rate(.forward), lower: .rate(.back)),
    ] + watchKeys + checkKey(L) + [
      .help(L, priority: 7, action: .help),
      KeyBinding([.char("q"), .escape, .char("c")], shown: "q", label: L.pick("back", "返回"), help: L.pick("back (also c)", "返回（也可按 c）"), priority: 9, action: .back),
    ]
  }

  /// `e`: the lesson's check, as in any lesson; a comparison lesson opens here, so its check is reached from here.
  func checkKey(_ L: Localized) -> [KeyBinding<Action>] {
    plan.exercises.isEmpty ? [] : [KeyBinding([.char("e")], shown: "e", label: L.checkKey, help: L.checkHelp, priority: 5, action: .check)]
  }

  /// ←/→ on the first or last token, ↑/↓ in a run of one head.
  func isIdle(_ action: Action) -> Bool {
    if case .focus(let action) = action { return FocusKeys.isIdle(action, focus: focus, length: plan.run.context, run: plan.run) }
    return false
  }

  mutating func perform(_ action: Action) -> [Effect] {
    switch action {
    case .step:
      return sessions.map(Effect.step)
    case .nextText:
      sectionIndex = (sectionIndex + 1) % max(1, sections.count)
    case .run:
      let running = sessions.contains { snapshot($0).state.isRunning }
      return sessions.map { id in
        if case .diverged = snapshot(id).state { return .reset(id) }
        return running ? .pause(id) : .run(id)
      }
    case .focus(let action):
      FocusKeys.perform(action, on: &focus, length: plan.run.context, run: plan.run)
    case .rate(let direction):
      return sessions.map { id in .setLearningRate(id, LearningRateKeys.adjusted(snapshot(id).learningRate, direction)) }
    case .watch(let action):
      return watch.perform(action, watchContext).effects
    case .check:
      guard !plan.exercises.isEmpty else { return [] }
      return [.push(ExerciseScreen(checksOf: plan, language: language))]
    case .help:
      return [.showHelp]
    case .back:
      return [.pop]
    }
    return []
  }

  mutating func receive(_ message: Message) -> [Effect] {
    if case .snapshot(let id, let snapshot) = message { snapshots[id] = snapshot }
    if case .resize(let size) = message { watch.terminalRows = size.height }
    return []
  }
}

/// `c` in the lesson: the same lesson as CLM and MLM side by side; the lesson's own run pauses meanwhile.
extension CompareScreen: LessonChildScreen {
  static var place: LessonKeyPlace { .afterPrompt }

  static func key(_ context: LessonChildContext, _ L: Localized) -> LessonChildKey? {
    LessonChildKey(key: "c", label: L.pick("compare", "对比"), help: L.pick("compare CLM and MLM side by side", "并排对比 CLM 与 MLM"), priority: 4)
  }

  static func open(from context: LessonChildContext) -> LessonChildOpening {
    .push(CompareScreen(plan: context.plan), pausingTheRun: true)
  }
}
