import Curriculum
import TermUI
import Training

/// The lesson's own keys: stepping through the stages, running, and opening its parts and child screens.
enum LessonAction: Hashable, CaseIterable {
  case next, finish, jump(Stage), run, step, back, help, panel, rate(Direction), prompt, save, formula, maskPrompt
  /// Opens a screen of `LessonChildren.all` (the comparison, the game, the check, the map, the merges).
  case child(LessonChild)

  static var allCases: [LessonAction] {
    [.next, .finish] + Stage.allCases.map(LessonAction.jump) + [.run, .step, .back, .help, .panel]
      + Direction.allCases.map(LessonAction.rate) + [.prompt, .save, .formula, .maskPrompt]
      + LessonChildren.all.map { .child(LessonChild($0)) }
  }
}

extension LessonScreen {
  var keys: [KeyBinding<Action>] {
    let context = self.context
    switch mode {
    case .prompt(let box): return box.keys(context).map { $0.map(Action.prompt) }
    case .confirmingQuit(let question): return question.keys(context).map { $0.map(Action.confirm) }
    case .watching, .formula, .guesses: break
    }
    let L = Localized(language)
    let running = snapshot.state.isRunning
    let stageKeys: [(Key, LessonAction)] = StageDescriptor.all.compactMap { descriptor in descriptor.key.map { ($0, LessonAction.jump(descriptor.stage)) } }
    let lesson: [KeyBinding<LessonAction>] = [
      KeyBinding([.char(" ")], shown: "space", label: L.pick("next stage", "下一阶段"), help: L.pick("next stage (after the last: the next iteration)", "下一阶段（最后一个之后：下一轮）"), priority: 10, action: .next),
      KeyBinding([.char("r")], shown: "r", label: running ? L.pick("pause", "暂停") : L.pick("run", "运行"), help: L.pick("run / pause live training", "运行 / 暂停实时训练"), priority: 9, action: .run),
      KeyBinding([.char("q"), .escape], shown: "q", label: L.pick("back", "返回"), help: L.pick("back to the lessons", "返回课程列表"), priority: 9, action: .back),
      .help(L, priority: 8, action: .help),
    ]
    let stepping: [KeyBinding<LessonAction>] = [
      KeyBinding([.enter], shown: "enter", label: L.pick("finish", "完成本轮"), help: L.pick("finish the iteration: jump to the update", "完成本轮：跳到参数更新"), priority: 7, action: .finish),
      KeyBinding([.char("s")], shown: "s", label: L.pick("step", "单步"), help: L.pick("take one whole step", "走完整的一步"), priority: 7, action: .step),
      KeyBinding(stageKeys, shown: "1–\(stageKeys.count)", label: L.pick("stage", "阶段"), help: L.pick("jump to a stage", "跳到某个阶段"), priority: nil),
      KeyBinding([.tab], shown: "tab", label: L.pick("dashboard", "仪表盘"), help: L.pick("stage view ⇄ live dashboard", "阶段视图 ⇄ 实时仪表盘"), priority: 6, action: .panel),
    ]
    let focusKeys: [KeyBinding<Action>] = [
      FocusKeys.token(L, help: L.pick("pick the token the views focus on", "选择视图聚焦的词元")).map(Action.focus),
      FocusKeys.head(L).map(Action.focus),
    ]
    let opening: [KeyBinding<LessonAction>] = [
      KeyBinding([.char("p")], shown: "p", label: L.pick("prompt", "提示词"), help: L.pick("prompt: type, then sample one token per key", "提示词：输入后每按一次采样一个词元"), priority: 5, action: .prompt),
    ]
    let keeping: [KeyBinding<LessonAction>] = [
      .learningRate(L, priority: 4, raise: .rate(.forward), lower: .rate(.back)),
      KeyBinding([.char("w")], shown: "w", label: L.pick("save", "保存"), help: L.pick("save the model as it is now (a checkpoint in your data folder)", "保存当前模型（检查点，存到你的数据文件夹）"), priority: 3, action: .save),
    ]
    var keys: [KeyBinding<Action>] = lesson.map { $0.map(Action.lesson) }
    keys.append(watch.narrativeKey(watchContext).map(Action.watch))
    keys += stepping.map { $0.map(Action.lesson) }
    keys += focusKeys
    keys += opening.map { $0.map(Action.lesson) }
    keys += childKeys(at: .afterPrompt, L)
    keys += keeping.map { $0.map(Action.lesson) }
    if case .formula(let view) = mode {
      keys += view.keys(context).prefix(1).map { $0.map(Action.formula) }
    } else if predict.waiting.map({ $0.place == .run }) ?? true {
      // Not while a stage's question waits: the question covers the stage, so the key did
      // nothing visible, and the formula would then open in place of the answer's feedback.
      keys.append(KeyBinding([.char("f")], shown: "f", label: L.pick("formula", "公式"), help: L.pick("formula view: the stage's math with this step's numbers", "公式视图：本阶段的数学式，代入这一步的数值"), priority: 7, action: Action.lesson(.formula)))
    }
    keys += watch.keys(watchContext).map { $0.map(Action.watch) }
    keys += childKeys(at: .afterWatch, L)
    if case .formula(let view) = mode { keys += view.keys(context).dropFirst().map { $0.map(Action.formula) } }
    if GuessView.isOffered(context, panel: panel) {
      let showing: GuessMode? = if case .guesses(let open) = mode { open.mode } else { nil }
      keys += GuessView.keys(context, showing: showing).map { $0.map(Action.guesses) }
    }
    keys += childKeys(at: .last, L)
    keys += fineTuningKeys(L).map { $0.map(Action.lesson) }
    return withPredictKeys(L, keys)
  }
}

extension KeyBinding {
  /// `+`/`-` (also `=`/`_`, the same keys unshifted or shifted): raise or lower the learning rate.
  static func learningRate(_ L: Localized, priority: Int, raise: Action, lower: Action) -> KeyBinding {
    KeyBinding(
      LearningRateKeys.raise.map { ($0, raise) } + LearningRateKeys.lower.map { ($0, lower) }, shown: "+/-", label: "lr",
      help: L.pick("raise / lower the learning rate", "提高 / 降低学习率"), priority: priority)
  }
}

/// `+`/`-`: the learning rate doubled or halved, within 1e-6…1.
enum LearningRateKeys {
  static let raise: [Key] = [.char("+"), .char("=")]
  static let lower: [Key] = [.char("-"), .char("_")]

  static func adjusted(_ rate: Float, _ direction: Direction) -> Float {
    direction == .forward ? min(1, rate * 2) : max(1e-6, rate / 2)
  }
}
