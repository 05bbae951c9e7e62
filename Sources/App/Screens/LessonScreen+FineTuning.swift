import Curriculum
import TermUI
import Training

/// A fine-tuning lesson's key: restart from the base with the prompt's mask off or on.
extension LessonScreen {
  func fineTuningKeys(_ L: Localized) -> [KeyBinding<LessonAction>] {
    guard plan.run.objective == .sft else { return [] }
    let masked = snapshot.configuration.maskPrompt
    return [
      KeyBinding(
        [.char("M")], shown: "M", label: masked ? L.pick("mask off", "关掉遮罩") : L.pick("mask on", "打开遮罩"),
        help: L.pick("restart from the base with the prompt's labels −100 (on) or the next token (off); the old curve stays, dimmed",
                     "从基座重新开始：提示的标签为 −100（打开）或下一个词元（关掉）；旧曲线变暗保留"),
        priority: 3, action: .maskPrompt),
    ]
  }

  /// `M`: the same run from the same base, with the other mask; the watch forgets the old run's place.
  mutating func restartWithMaskToggled() -> [Effect] {
    guard plan.run.objective == .sft else { return [] }
    (stage, pendingStage) = (nil, nil)
    return [.restartWithMask(session, !snapshot.configuration.maskPrompt)]
  }
}
