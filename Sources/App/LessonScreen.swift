import Curriculum
import Foundation
import Model
import Synchronization
import TermUI
import Training

/// Which view fills the lesson's main area.
enum Panel: Sendable {
  case stage, dashboard
}

/// A value handed from a session's queue to the main thread.
final class Inbox<Value: Sendable>: Sendable {
  private let slot = Mutex<Value?>(nil)

  func put(_ value: Value) { slot.withLock { $0 = value } }
  func take() -> Value? { slot.withLock { value in defer { value = nil }; return value } }
}

/// The prompt box: type a prompt, then step generation one sampled token per keypress.
struct PromptBox {
  var text: String
  var isEditing = true
  /// The tokens generation continues from (prompt + sampled tokens).
  var tokens: [Int32] = []
  var sampled: [Int32] = []
  var prediction: Prediction?
  var isWaiting = false
  var message: String?
}

/// One open lesson: its session, the stage the learner is on, and what the views focus on.
final class LessonScreen {
  let plan: LessonPlan
  let session: TrainingSession
  var stage: Stage?
  /// The stage to show once a newer trace than `awaitedAfter` arrives.
  var pendingStage: Stage?
  var awaitedAfter = 0
  var focus = Focus()
  var panel: Panel = .stage
  var prompt: PromptBox?
  let predictions = Inbox<Prediction>()
  var sampler: SeededGenerator
  var lastVersion = -1
  var lastTraceStep = 0
  /// True when the last frame could not show the whole narrative (tests check lessons fit).
  package var isNarrativeClipped = false

  init(plan: LessonPlan, corporaDirectory: URL?) {
    self.plan = plan
    self.session = TrainingSession(configuration: plan.run, prompt: plan.prompt, label: plan.id, corporaDirectory: corporaDirectory)
    self.sampler = SeededGenerator(seed: plan.run.seed &+ 99)
  }

  /// Takes a step and shows `stage` of it once its trace arrives.
  func stepThenShow(_ stage: Stage, snapshot: SessionSnapshot) {
    pendingStage = stage
    awaitedAfter = snapshot.trace?.step ?? 0
    session.step()
  }

  /// Moves to the pending stage when the awaited trace is there; true if anything changed.
  func absorb(_ snapshot: SessionSnapshot) -> Bool {
    var changed = snapshot.version != lastVersion
    lastVersion = snapshot.version
    if let pending = pendingStage, let trace = snapshot.trace, trace.step > awaitedAfter {
      stage = pending
      pendingStage = nil
      changed = true
    }
    if let trace = snapshot.trace, trace.step != lastTraceStep {
      lastTraceStep = trace.step
      focus.position = min(focus.position, trace.length - 1)
      // MLM labels only picked positions: keep the focus on one, so the views have a target.
      let labels = trace.batch.labels(row: focus.row)
      if trace.objective == .mlm, labels[labels.startIndex + focus.position] < 0,
        let picked = labels.firstIndex(where: { $0 >= 0 })
      {
        focus.position = picked - labels.startIndex
      }
      changed = true
    }
    if let prediction = predictions.take(), prompt != nil {
      prompt?.prediction = prediction
      prompt?.isWaiting = false
      changed = true
    }
    return changed
  }

  // MARK: - Keys

  func handle(_ key: Key, snapshot: SessionSnapshot) -> LoopControl {
    if prompt != nil { return handlePrompt(key, snapshot: snapshot) }
    // While an iteration is being computed, stepping keys wait for it rather than queue more.
    if pendingStage != nil, [.char(" "), .enter, .char("s")].contains(key) || ("1"..."8").contains(key.character ?? "x") {
      return .idle
    }
    let trace = snapshot.trace
    switch key {
    case .char(" "):
      if case .diverged = snapshot.state { return .idle }
      if snapshot.state.isRunning, let stage {
        self.stage = stage.next ?? .tokenize
      } else if let stage, let next = stage.next, trace != nil {
        self.stage = next
      } else {
        stepThenShow(.tokenize, snapshot: snapshot)
      }
    case .enter:
      if trace == nil || stage == .update { stepThenShow(.update, snapshot: snapshot) } else { stage = .update }
    case .char(let c) where ("1"..."8").contains(c):
      let target = Stage(index: Int(String(c))! - 1)!
      if trace == nil { stepThenShow(target, snapshot: snapshot) } else { stage = target }
    case .char("s"):
      stepThenShow(stage ?? .tokenize, snapshot: snapshot)
    case .char("r"):
      switch snapshot.state {
      case .diverged:
        session.reset()
        stage = nil
      case .failed: break
      default:
        session.toggleRunning()
        if stage == nil, !snapshot.state.isRunning { stage = .tokenize; pendingStage = nil }
      }
    case .left, .right:
      focus.stepPosition(by: key == .left ? -1 : 1, length: trace?.length ?? plan.run.context)
    case .up, .down:
      focus.stepHead(by: key == .down ? 1 : -1, layers: plan.run.layers, heads: plan.run.heads)
    case .tab:
      panel = panel == .stage ? .dashboard : .stage
    case .char("+"), .char("="):
      session.setLearningRate(min(1, snapshot.learningRate * 2))
    case .char("-"), .char("_"):
      session.setLearningRate(max(1e-6, snapshot.learningRate / 2))
    case .char("p"):
      prompt = PromptBox(text: plan.prompt)
    default:
      return .idle
    }
    return .redraw
  }

  private func handlePrompt(_ key: Key, snapshot: SessionSnapshot) -> LoopControl {
    guard var box = prompt else { return .idle }
    if key == .escape || (key == .char("q") && !box.isEditing) {
      prompt = nil
      return .redraw
    }
    defer { prompt = box }
    guard let tokenizer = snapshot.tokenizer else { return .idle }
    if box.isEditing {
      switch key {
      case .enter:
        let ids = encodePrompt(box.text, tokenizer: tokenizer)
        guard !ids.isEmpty else { box.message = Localized(plan.language).promptEmpty; return .redraw }
        box.isEditing = false
        box.tokens = plan.run.objective == .mlm ? Array(ids.prefix(plan.run.context)) : ids
        box.sampled = []
        request(&box)
      case .backspace, .delete:
        if !box.text.isEmpty { box.text.removeLast() }
      case .ctrl("u"):
        box.text = ""
      case .char(let c):
        box.text.append(c)
      default:
        return .idle
      }
      box.message = nil
      return .redraw
    }
    switch key {
    case .char(" "), .enter:
      guard let prediction = box.prediction, !box.isWaiting else { return .idle }
      // Sample among ordinary tokens: generated text never holds [MASK] or [UNK].
      let next = GPT.sample(probabilities: tokenizer.onlyOrdinaryTokens(prediction.probabilities), topK: 20, generator: &sampler)
      if plan.run.objective == .mlm {
        box.tokens[prediction.position] = next
      } else {
        box.tokens.append(next)
      }
      box.sampled.append(next)
      request(&box)
    case .char("e"):
      box.isEditing = true
      box.text = tokenizer.decode(box.tokens).replacingOccurrences(of: tokenizer.token(tokenizer.maskID), with: "[MASK]")
    default:
      return .idle
    }
    return .redraw
  }

  private func encodePrompt(_ text: String, tokenizer: any Tokenizer) -> [Int32] {
    let pieces = text.components(separatedBy: "[MASK]")
    var ids: [Int32] = []
    for (i, piece) in pieces.enumerated() {
      if i > 0 { ids.append(tokenizer.maskID) }
      ids += tokenizer.encode(piece)
    }
    return ids
  }

  private func request(_ box: inout PromptBox) {
    if plan.run.objective == .mlm, !box.tokens.contains(tokenizerMask(box)) {
      box.prediction = nil
      box.isWaiting = false
      box.message = Localized(plan.language).allMasksFilled
      return
    }
    box.isWaiting = true
    let inbox = predictions
    session.predict(tokens: box.tokens) { prediction in
      if let prediction { inbox.put(prediction) }
    }
  }

  private func tokenizerMask(_ box: PromptBox) -> Int32 {
    session.snapshot.tokenizer?.maskID ?? -1
  }
}
