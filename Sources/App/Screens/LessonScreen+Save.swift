import Foundation
import TermUI
import Training

/// Keeping what was trained: `w` saves a checkpoint; quitting after a real run asks once.
extension LessonScreen {
  /// Steps trained in this screen after which closing it asks whether to save.
  static let stepsWorthKeeping = 100

  /// True when closing would lose a run trained for a while and not saved since.
  var shouldAskToSave: Bool {
    snapshot.step - snapshot.firstStep >= Self.stepsWorthKeeping && savedStep != snapshot.step
  }

  var confirmKeys: [KeyBinding<Action>] {
    let L = Localized(language)
    return [
      KeyBinding([.char("y"), .char("w")], shown: "y", label: L.pick("save and close", "保存并关闭"), help: L.pick("save the model, then close the lesson", "保存模型，然后关闭课程"), priority: 10, action: .confirmSave),
      KeyBinding([.char("n"), .char("q")], shown: "n", label: L.pick("close without saving", "不保存，关闭"), help: L.pick("close the lesson; the model is lost", "关闭课程；模型不保留"), priority: 9, action: .confirmDiscard),
      KeyBinding([.escape], shown: "esc", label: L.pick("stay", "留下"), help: L.pick("stay in the lesson", "留在课程中"), priority: 8, action: .confirmStay),
      .help(L, priority: 1, action: .help),
    ]
  }

  mutating func performSave(_ action: Action) -> [Effect] {
    switch action {
    case .save:
      savedStep = snapshot.step
      note = Localized(language).pick("saving…", "保存中…")
      return [.saveCheckpoint(session, name: plan.saveName)]
    case .confirmSave:
      // The session's queue saves before it stops, so the file is complete when the screen is gone.
      isConfirmingQuit = false
      return [.saveCheckpoint(session, name: plan.saveName), .pop]
    case .confirmDiscard:
      isConfirmingQuit = false
      return [.pop]
    default:
      isConfirmingQuit = false
      return []
    }
  }

  /// Shows where the checkpoint went, or why it could not be written.
  mutating func noteSaved(_ result: Result<URL, any Error>) {
    let L = Localized(language)
    switch result {
    case .success(let url):
      note = L.pick("saved ", "已保存到 ") + url.path + L.pick(" (open it with learn --checkpoint)", "（用 learn --checkpoint 打开）")
    case .failure(let error):
      savedStep = nil
      note = L.pick("not saved: ", "未保存：") + "\(error)"
    }
  }
}
