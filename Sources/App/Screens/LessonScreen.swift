import Curriculum
import Foundation
import TermUI
import Training

/// Which view fills the lesson's main area.
enum Panel: Sendable, CaseIterable {
  case stage, dashboard
}

/// One open lesson: the stage the learner is on, what the views focus on, the session's latest snapshot.
struct LessonScreen: Screen {
  let plan: LessonPlan
  let session: SessionID
  /// The session's latest snapshot: the one the screen draws and decides from.
  var snapshot: SessionSnapshot
  var stage: Stage?
  /// The stage to show once a newer trace than `awaitedAfter` arrives.
  var pendingStage: Stage?
  var awaitedAfter = 0
  var focus = Focus()
  var panel: Panel = .stage
  var prompt: PromptBox?
  /// A line shown in place of the footer until the next key (where a checkpoint was saved).
  var note: String?
  /// The step last saved, so quitting asks only about training not yet kept.
  var savedStep: Int?
  /// True while the screen asks whether to keep the run before closing.
  var isConfirmingQuit = false
  var lastTraceStep = 0
  var formula = FormulaState()
  /// The learner's upper bound from their last guessing game, in nats: the loss plot's "you" line.
  var youNats: Double?
  /// Set while the game is open: the lesson reads the game's result once it is back on top.
  var awaitsGame = false
  var watch = WatchControls()
  /// On the logits stage: the top guesses, teacher-forced or free-running, instead of the distribution.
  var guessMode: GuessMode?
  var guessRows: GuessRows?
  /// True once the lesson's check was offered at the end of its stages (it is offered once).
  var hasOfferedCheck = false

  init(plan: LessonPlan, session: SessionID = .next()) {
    self.plan = plan
    self.session = session
    snapshot = .initial(plan.run)
  }

  var sessions: [SessionID] { [session] }
  var takesText: Bool { prompt?.isEditing ?? false }
  var language: Language { plan.language }

  func start() -> [Effect] {
    [
      .startSession(session, SessionRequest(configuration: plan.run, prompt: plan.prompt, label: plan.id, checkpoint: plan.checkpoint)),
      .setPace(session, plan.pace), .pauseAt(session, Set(plan.pauseAt)),
    ]
  }

  enum Action: Hashable, CaseIterable {
    case next, finish, jump, run, step, back, help, panel, token, head, rate, prompt, compare, formula, formulaScroll
    case save, confirmSave, confirmDiscard, confirmStay
    case pace, axis, history, restart, narrative
    case guesses, check, game, map, merges
    case promptStart, promptErase, promptKeep, promptClear, promptSample, promptTemperature, promptTopK, promptEdit, promptClose
  }

  var keys: [KeyBinding<Action>] {
    if let prompt { return promptKeys(prompt) }
    if isConfirmingQuit { return confirmKeys }
    let L = Localized(language)
    let running = snapshot.state.isRunning
    let stageKeys = StageDescriptor.all.map { Key.char(Character(String($0.stage.number))) }
    return [
      KeyBinding([.char(" ")], shown: "space", label: L.pick("next stage", "下一阶段"), help: L.pick("next stage (after the last: the next iteration)", "下一阶段（最后一个之后：下一轮）"), priority: 10, action: .next),
      KeyBinding([.char("r")], shown: "r", label: running ? L.pick("pause", "暂停") : L.pick("run", "运行"), help: L.pick("run / pause live training", "运行 / 暂停实时训练"), priority: 9, action: .run),
      KeyBinding([.char("q"), .escape], shown: "q", label: L.pick("back", "返回"), help: L.pick("back to the lessons", "返回课程列表"), priority: 9, action: .back),
      .help(L, priority: 8, action: .help),
      .narrative(L, action: .narrative),
      KeyBinding([.enter], shown: "enter", label: L.pick("finish", "完成本轮"), help: L.pick("finish the iteration: jump to the update", "完成本轮：跳到参数更新"), priority: 7, action: .finish),
      KeyBinding([.char("s")], shown: "s", label: L.pick("step", "单步"), help: L.pick("take one whole step", "走完整的一步"), priority: 7, action: .step),
      KeyBinding(stageKeys, shown: "1–\(stageKeys.count)", label: L.pick("stage", "阶段"), help: L.pick("jump to a stage", "跳到某个阶段"), priority: nil, action: .jump),
      KeyBinding([.tab], shown: "tab", label: L.pick("dashboard", "仪表盘"), help: L.pick("stage view ⇄ live dashboard", "阶段视图 ⇄ 实时仪表盘"), priority: 6, action: .panel),
      KeyBinding([.left, .right], shown: "←/→", label: L.pick("token", "词元"), help: L.pick("pick the token the views focus on", "选择视图聚焦的词元"), priority: 6, action: .token),
      KeyBinding([.up, .down], shown: "↑/↓", label: L.pick("head", "注意力头"), help: L.pick("attention layer and head", "注意力的层与头"), priority: 5, action: .head),
      KeyBinding([.char("p")], shown: "p", label: L.pick("prompt", "提示词"), help: L.pick("prompt: type, then sample one token per key", "提示词：输入后每按一次采样一个词元"), priority: 5, action: .prompt),
      KeyBinding([.char("c")], shown: "c", label: L.pick("compare", "对比"), help: L.pick("compare CLM and MLM side by side", "并排对比 CLM 与 MLM"), priority: 4, action: .compare),
      .learningRate(L, priority: 4, action: .rate),
      KeyBinding([.char("w")], shown: "w", label: L.pick("save", "保存"), help: L.pick("save the model as it is now (a checkpoint in your data folder)", "保存当前模型（检查点，存到你的数据文件夹）"), priority: 3, action: .save),
      KeyBinding([.char("f")], shown: "f", label: formula.isShown ? L.pick("picture", "图示") : L.pick("formula", "公式"), help: L.pick("formula view: the stage's math with this step's numbers", "公式视图：本阶段的数学式，代入这一步的数值"), priority: 7, action: .formula),
    ] + watchKeys(L) + (plan.run.objective == .clm ? [
      KeyBinding([.char("g")], shown: "g", label: L.pick("you vs model", "你 vs 模型"), help: L.pick("Shannon's guessing game: you against the model on the validation text", "香农猜字游戏：你与模型比赛猜验证文本"), priority: 4, action: .game),
    ] : []) + (formula.isShown ? [
      KeyBinding([.pageUp, .pageDown, .home, .end], shown: "PgUp/PgDn", label: L.pick("scroll", "滚动"), help: L.pick("scroll the formula view", "滚动公式视图"), priority: 3, action: .formulaScroll),
    ] : []) + courseKeys(L) + organiseKeys(L)
  }

  mutating func perform(_ action: Action, key: Key) -> [Effect] {
    // Arriving on the logits stage (or moving through history there) brings its guesses up to date.
    defer { if guessMode != nil, stage == .logits, guessRows?.step != shownTrace?.step { refreshGuesses() } }
    // While an iteration is being computed, stepping keys wait for it rather than queue more.
    if pendingStage != nil, [.next, .finish, .jump, .step].contains(action) { return [] }
    note = nil
    // Stepping or running returns from history to the live run; moving between the
    // recorded step's stages does not. Space past the last stage first shows the live step.
    if watch.historyStep != nil, leavesHistory(action) {
      watch.historyStep = nil
      if action == .next { return [] }
    }
    let trace = snapshot.trace
    switch action {
    case .next:
      if case .diverged = snapshot.state { return [] }
      if let check = offerCheckAfter(stage) { return check }
      if snapshot.state.isRunning, let stage {
        self.stage = stage.next ?? .tokenize
      } else if let stage, let next = stage.next, trace != nil {
        self.stage = next
      } else {
        return stepThenShow(.tokenize)
      }
    case .finish:
      if trace == nil || stage == .update { return stepThenShow(.update) }
      stage = .update
    case .jump:
      guard case .char(let c) = key, let number = Int(String(c)), let target = Stage(index: number - 1) else { return [] }
      if trace == nil { return stepThenShow(target) }
      stage = target
    case .step:
      return stepThenShow(stage ?? .tokenize)
    case .run:
      switch snapshot.state {
      case .diverged:
        stage = nil
        return [.reset(session)]
      case .failed:
        return []
      case .running:
        return [.pause(session)]
      case .paused:
        if stage == nil { stage = .tokenize; pendingStage = nil }
        return [.run(session)]
      }
    case .back:
      if shouldAskToSave {
        isConfirmingQuit = true
        return []
      }
      return [.pop]
    case .save, .confirmSave, .confirmDiscard, .confirmStay:
      return performSave(action)
    case .help:
      return [.showHelp]
    case .panel:
      panel = panel == .stage ? .dashboard : .stage
    case .token:
      focus.stepPosition(by: key == .left ? -1 : 1, length: trace?.length ?? plan.run.context)
    case .head:
      focus.stepHead(by: key == .down ? 1 : -1, layers: plan.run.layers, heads: plan.run.heads)
    case .rate:
      return [.setLearningRate(session, LearningRateKeys.adjusted(snapshot.learningRate, by: key))]
    case .prompt:
      prompt = PromptBox(text: plan.prompt, isSelected: !plan.prompt.isEmpty)
    case .compare:
      return [.pause(session), .push(CompareScreen(plan: plan))]
    case .game:
      // The game reads the text through the tokenizer, which arrives with the session's data.
      guard let tokenizer = snapshot.tokenizer else {
        note = Localized(language).pick("the model is still loading", "模型仍在加载")
        return []
      }
      awaitsGame = true
      return [.push(GameScreen(plan: plan, session: session, tokenizer: tokenizer))]
    case .formula:
      toggleFormula()
    case .formulaScroll:
      scrollFormula(key)
    case .pace, .axis, .history, .restart, .narrative:
      return performWatch(action, key: key)
    case .guesses, .check:
      return performCourse(action)
    case .map, .merges:
      return performOrganise(action)
    case .promptStart, .promptErase, .promptKeep, .promptClear, .promptSample, .promptTemperature, .promptTopK, .promptEdit, .promptClose:
      return performPrompt(action, key: key)
    }
    return []
  }

  /// Whether `action` takes or runs steps (and so leaves history) rather than move between stages.
  private func leavesHistory(_ action: Action) -> Bool {
    switch action {
    case .step, .run: return true
    case .next: return stage?.next == nil
    case .finish: return stage == nil || stage == .update
    default: return false
    }
  }

  /// Takes a step and shows `stage` of it once its trace arrives.
  private mutating func stepThenShow(_ stage: Stage) -> [Effect] {
    pendingStage = stage
    awaitedAfter = snapshot.trace?.step ?? 0
    return [.step(session)]
  }

  mutating func receive(_ message: Message) -> [Effect] {
    switch message {
    case .snapshot(_, let snapshot):
      absorb(snapshot)
    case .prediction(_, let prediction):
      guard prompt != nil, let prediction else { return [] }
      prompt?.prediction = prediction
      prompt?.isWaiting = false
    case .saved(_, let result):
      noteSaved(result)
    case .sampled(_, let token):
      return appendSampled(token)
    case .key(let key):
      if case .char(let c) = key, prompt?.isEditing == true {
        // The lesson's prompt opens selected, so the first key typed replaces it.
        if prompt?.isSelected == true { prompt?.text = "" }
        prompt?.isSelected = false
        prompt?.text.append(c)
        prompt?.message = nil
      }
    case .tick:
      // Ticks reach only the top screen: the first one after the game closed.
      if awaitsGame { return readGameResult() }
    case .resize, .exerciseAnswer, .exerciseSaveFailed, .guessScores, .uncovered, .quizHistory, .quizSaved, .embeddingMap, .mergeReplay:
      break
    }
    return []
  }

  /// Takes a new snapshot: shows the pending stage once its trace is there, keeps the focus on a labelled position.
  private mutating func absorb(_ new: SessionSnapshot) {
    let wasPausedAtMilestone = snapshot.pausedAt.flatMap { plan.narrative(for: $0.kind) } != nil
    snapshot = new
    let isPausedAtMilestone = new.pausedAt.flatMap { plan.narrative(for: $0.kind) } != nil
    if isPausedAtMilestone != wasPausedAtMilestone { watch.notePause(atMilestone: isPausedAtMilestone) }
    if let pending = pendingStage, let trace = new.trace, trace.step > awaitedAfter {
      stage = pending
      pendingStage = nil
    }
    if let trace = new.trace, trace.step != lastTraceStep {
      lastTraceStep = trace.step
      // Free running costs a pass per token: only while the logits stage shows it.
      if guessMode != nil, stage == .logits { refreshGuesses() }
      focus.position = min(focus.position, trace.length - 1)
      // MLM labels only picked positions: keep the focus on one, so the views have a target.
      let labels = trace.batch.labels(row: focus.row)
      if trace.objective == .mlm, labels[labels.startIndex + focus.position] < 0,
        let picked = labels.firstIndex(where: { $0 >= 0 })
      {
        focus.position = picked - labels.startIndex
      }
    }
    refreshFormulaReplay()
  }
}

extension SessionSnapshot {
  /// What a session publishes before its data is loaded: a screen draws this until the first snapshot arrives.
  static func initial(_ configuration: RunConfiguration) -> SessionSnapshot {
    SessionSnapshot(
      learningRate: configuration.learningRate, reference: LossReference(uniform: 0, unigram: 0, bigram: 0), configuration: configuration)
  }
}

/// Opening a lesson: the step-through, or for a compare lesson the two sides.
enum LessonScreens {
  static func open(_ plan: LessonPlan) -> any Screen {
    plan.isComparison ? CompareScreen(plan: plan) : LessonScreen(plan: plan)
  }
}

/// `+`/`-`: the learning rate doubled or halved, within 1e-6…1.
enum LearningRateKeys {
  static let raise: [Key] = [.char("+"), .char("=")]
  static let lower: [Key] = [.char("-"), .char("_")]

  static func adjusted(_ rate: Float, by key: Key) -> Float {
    raise.contains(key) ? min(1, rate * 2) : max(1e-6, rate / 2)
  }
}

extension KeyBinding {
  /// `+`/`-` (also `=`/`_`, the same keys unshifted or shifted): raise or lower the learning rate.
  static func learningRate(_ L: Localized, priority: Int, action: Action) -> KeyBinding {
    KeyBinding(LearningRateKeys.raise + LearningRateKeys.lower, shown: "+/-", label: "lr", help: L.pick("raise / lower the learning rate", "提高 / 降低学习率"), priority: priority, action: action)
  }
}
