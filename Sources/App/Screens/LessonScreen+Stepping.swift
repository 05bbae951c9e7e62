import Curriculum
import Foundation
import TermUI
import Training

/// The lesson's own actions: stepping through the stages, running, saving, opening parts and child screens.
extension LessonScreen {
  /// Steps trained in this screen after which closing it asks whether to save.
  static let stepsWorthKeeping = 100

  /// True when closing would lose a run trained for a while and not saved since.
  var shouldAskToSave: Bool {
    snapshot.step - snapshot.firstStep >= Self.stepsWorthKeeping && savedStep != snapshot.step
  }

  mutating func performLesson(_ action: LessonAction) -> [Effect] {
    // While an iteration is being computed, stepping keys wait for it rather than queue more.
    if pendingStage != nil, action.steps { return [] }
    defer { afterStepping(action) }
    // Stepping or running returns from history to the live run; moving between the
    // recorded step's stages does not. Space past the last stage first shows the live step.
    if watch.historyStep != nil, leavesHistory(action) {
      watch.historyStep = nil
      if action == .next { return refreshParts() }
    }
    let trace = snapshot.trace
    switch action {
    case .next:
      if case .diverged = snapshot.state { return [] }
      if let check = offerCheckAfter(stage) { return check }
      if snapshot.state.isRunning, let stage {
        self.stage = stage.next ?? Stage.first
      } else if let stage, let next = stage.next, trace != nil {
        self.stage = next
      } else {
        return stepThenShow(Stage.first)
      }
    case .finish:
      if trace == nil || stage == Stage.last { return stepThenShow(Stage.last) }
      stage = Stage.last
    case .jump(let target):
      if trace == nil { return stepThenShow(target) }
      stage = target
    case .step:
      return stepThenShow(stage ?? Stage.first)
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
        if askBeforeRun() { return [] }
        return startRun()
      }
    case .back:
      if shouldAskToSave {
        mode = .confirmingQuit(QuitConfirmation())
        return []
      }
      return [.pop]
    case .save:
      savedStep = snapshot.step
      note = Localized(language).pick("saving…", "保存中…")
      return [.saveCheckpoint(session, name: plan.saveName)]
    case .help:
      return [.showHelp]
    case .panel:
      panel = panel == .stage ? .dashboard : .stage
    case .rate(let direction):
      return [.setLearningRate(session, LearningRateKeys.adjusted(snapshot.learningRate, direction))]
    case .prompt:
      mode = .prompt(PromptBox(text: plan.prompt, isSelected: !plan.prompt.isEmpty))
    case .child(let child):
      return open(child)
    case .formula:
      mode = .formula(FormulaView())
    case .maskPrompt:
      return restartWithMaskToggled()
    }
    return refreshParts()
  }

  /// Whether `action` takes or runs steps (and so leaves history) rather than move between stages.
  private func leavesHistory(_ action: LessonAction) -> Bool {
    switch action {
    case .step, .run: return true
    case .next: return stage?.next == nil
    case .finish: return stage == nil || stage == Stage.last
    case .maskPrompt: return true
    case .child(let child): return child.type.leavesHistory
    case .jump, .back, .help, .panel, .rate, .prompt, .save, .formula: return false
    }
  }

  /// Takes a step and shows `stage` of it once its trace arrives.
  private mutating func stepThenShow(_ stage: Stage) -> [Effect] {
    pendingStage = stage
    awaitedAfter = snapshot.trace?.step ?? 0
    return [.step(session)]
  }

  /// True once the lesson's check was opened, by `e` or offered at the end of its stages (it is offered once).
  var hasOfferedCheck: Bool { opened.contains(LessonChild(ExerciseScreen.self)) }

  /// Moving on from the last stage the lesson dwells on opens its check, once, while stepping by hand.
  mutating func offerCheckAfter(_ stage: Stage?) -> [Effect]? {
    guard !hasOfferedCheck, !plan.exercises.isEmpty, !snapshot.state.isRunning, let stage,
      stage == plan.focusStages.max()
    else { return nil }
    return open(LessonChild(ExerciseScreen.self))
  }

  /// Shows where the checkpoint went, or why it could not be written.
  mutating func noteSaved(_ result: Result<URL, CheckpointSaveError>) {
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

extension LessonAction {
  /// The actions that take a step (or show a stage of the next one): they wait while one is computed.
  var steps: Bool {
    switch self {
    case .next, .finish, .jump, .step: true
    case .child(let child): child.type.waitsForStep
    case .run, .back, .help, .panel, .rate, .prompt, .save, .formula, .maskPrompt: false
    }
  }
}
