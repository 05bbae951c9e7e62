import TermUI

/// "Keep this model?": asked once when the learner leaves a lesson whose run is worth keeping.
struct QuitConfirmation: ScreenPart {
  enum Action: Hashable, CaseIterable {
    case save, discard, stay, help
  }

  func keys(_ context: LessonContext) -> [KeyBinding<Action>] {
    let L = Localized(context.language)
    return [
      KeyBinding([.char("y"), .char("w")], shown: "y", label: L.pick("save and close", "保存并关闭"), help: L.pick("save the model, then close the lesson", "保存模型，然后关闭课程"), priority: 10, action: .save),
      KeyBinding([.char("n"), .char("q")], shown: "n", label: L.pick("close without saving", "不保存，关闭"), help: L.pick("close the lesson; the model is lost", "关闭课程；模型不保留"), priority: 9, action: .discard),
      KeyBinding([.escape], shown: "esc", label: L.pick("stay", "留下"), help: L.pick("stay in the lesson", "留在课程中"), priority: 8, action: .stay),
      .help(L, priority: 1, action: .help),
    ]
  }

  func perform(_ action: Action, _ context: LessonContext) -> PartOutcome {
    switch action {
    case .save:
      // The session's queue saves before it stops, so the file is complete when the screen is gone.
      PartOutcome(effects: [.saveCheckpoint(context.session, name: context.plan.saveName), .pop], closes: true)
    case .discard:
      PartOutcome(effects: [.pop], closes: true)
    case .stay:
      PartOutcome(closes: true)
    case .help:
      PartOutcome(effects: [.showHelp])
    }
  }

  func render(_ context: LessonContext, in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(context.language)
    Modal(title: L.pick("Keep this model?", "保留这个模型？"), text: L.askToSave(step: context.snapshot.step))
      .render(in: area, buffer: &buffer, theme: theme)
  }
}
