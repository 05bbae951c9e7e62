import Curriculum
import TermUI
import Training

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

extension LessonScreen {
  /// How many of the likeliest tokens the prompt box samples among.
  static let promptTopK = 20

  func promptKeys(_ box: PromptBox) -> [KeyBinding<Action>] {
    let L = Localized(language)
    let close = KeyBinding<Action>(
      box.isEditing ? [.escape] : [.escape, .char("q")], shown: "esc", label: L.pick("close", "关闭"),
      help: L.pick("close the prompt box", "关闭提示词框"), priority: 9, action: .promptClose)
    if box.isEditing {
      return [
        KeyBinding([.enter], shown: "enter", label: L.pick("start", "开始"), help: L.pick("encode the prompt and show the model's distribution", "把提示词编码，显示模型给出的分布"), priority: 10, action: .promptStart),
        KeyBinding([.backspace, .delete], shown: "⌫", label: L.pick("erase", "删除"), help: L.pick("erase the last character", "删除最后一个字符"), priority: 5, action: .promptErase),
        KeyBinding([.ctrl("u")], shown: "ctrl-u", label: L.pick("clear", "清空"), help: L.pick("clear the prompt", "清空提示词"), priority: 4, action: .promptClear),
        close,
      ]
    }
    return [
      KeyBinding([.char(" "), .enter], shown: "space", label: L.pick("sample", "采样"), help: L.pick("sample one token from the distribution shown", "从显示的分布中采样一个词元"), priority: 10, action: .promptSample),
      KeyBinding([.char("e")], shown: "e", label: L.pick("edit", "编辑"), help: L.pick("edit the text so far", "编辑目前的文本"), priority: 8, action: .promptEdit),
      close,
    ]
  }

  mutating func performPrompt(_ action: Action, key: Key) -> [Effect] {
    guard var box = prompt else { return [] }
    if action == .promptClose {
      prompt = nil
      return []
    }
    defer { prompt = box }
    let masked = plan.run.objective == .mlm
    switch action {
    case .promptStart:
      guard let tokenizer = snapshot.tokenizer else { return [] }
      let ids = tokenizer.encode(withMasks: box.text)
      guard !ids.isEmpty else {
        box.message = Localized(language).promptEmpty
        return []
      }
      box.message = nil
      box.isEditing = false
      box.tokens = masked ? Array(ids.prefix(plan.run.context)) : ids
      box.sampled = []
      return request(&box)
    case .promptErase:
      if !box.text.isEmpty { box.text.removeLast() }
      box.message = nil
    case .promptClear:
      box.text = ""
      box.message = nil
    case .promptSample:
      guard let prediction = box.prediction, !box.isWaiting else { return [] }
      box.isWaiting = true
      return [.sample(session, probabilities: prediction.probabilities, topK: Self.promptTopK)]
    case .promptEdit:
      guard let tokenizer = snapshot.tokenizer else { return [] }
      box.isEditing = true
      box.text = tokenizer.decode(box.tokens).replacingOccurrences(of: tokenizer.token(tokenizer.maskID), with: SpecialToken.mask)
    default:
      break
    }
    return []
  }

  /// Puts a sampled token in place (after the text, or into the first mask) and asks for the next distribution.
  mutating func appendSampled(_ token: Int32) -> [Effect] {
    guard var box = prompt, let prediction = box.prediction, !box.isEditing else { return [] }
    defer { prompt = box }
    if plan.run.objective == .mlm {
      box.tokens[prediction.position] = token
    } else {
      box.tokens.append(token)
    }
    box.sampled.append(token)
    return request(&box)
  }

  /// The effect that computes the box's next distribution, or a note when no mask is left to fill.
  private func request(_ box: inout PromptBox) -> [Effect] {
    if plan.run.objective == .mlm, let mask = snapshot.tokenizer?.maskID, !box.tokens.contains(mask) {
      box.prediction = nil
      box.isWaiting = false
      box.message = Localized(language).allMasksFilled
      return []
    }
    box.isWaiting = true
    return [.predict(session, tokens: box.tokens)]
  }
}
