import Curriculum
import Model
import TermUI
import Training

/// The prompt box: type a prompt, then step generation one sampled token per keypress.
struct PromptBox {
  var text: String
  var isEditing = true
  /// The lesson's prompt, shown selected when the box opens: typing replaces it, enter keeps it.
  var isSelected = false
  /// Temperature and top-k (`t`, `k`), applied to the distribution shown and sampled from.
  var controls = SamplingControls()
  /// How surprising the generated tokens were to the model.
  var perplexity = PerplexityMeter()
  /// The tokens generation continues from (prompt + sampled tokens).
  var tokens: [Int32] = []
  var sampled: [Int32] = []
  var prediction: Prediction?
  var isWaiting = false
  var message: String?
}

extension LessonScreen {
  func promptKeys(_ box: PromptBox) -> [KeyBinding<Action>] {
    let L = Localized(language)
    let close = KeyBinding<Action>(
      box.isEditing ? [.escape] : [.escape, .char("q")], shown: "esc", label: L.pick("close", "关闭"),
      help: L.pick("close the prompt box", "关闭提示词框"), priority: 9, action: .promptClose)
    if box.isEditing {
      return [
        KeyBinding([.enter], shown: "enter", label: L.pick("start", "开始"), help: L.pick("encode the prompt and show the model's distribution", "把提示词编码，显示模型给出的分布"), priority: 10, action: .promptStart),
        KeyBinding([.backspace, .delete], shown: "⌫", label: L.pick("erase", "删除"), help: L.pick("erase the last character", "删除最后一个字符"), priority: 5, action: .promptErase),
        KeyBinding([.right, .end], shown: "→", label: L.pick("keep", "保留"), help: L.pick("keep the selected prompt and type after it", "保留选中的提示词，在其后继续输入"), priority: box.isSelected ? 6 : nil, action: .promptKeep),
        KeyBinding([.ctrl("u")], shown: "ctrl-u", label: L.pick("clear", "清空"), help: L.pick("clear the prompt", "清空提示词"), priority: 4, action: .promptClear),
        close,
      ]
    }
    return [
      KeyBinding([.char(" "), .enter], shown: "space", label: L.pick("sample", "采样"), help: L.pick("sample one token from the distribution shown", "从显示的分布中采样一个词元"), priority: 10, action: .promptSample),
      KeyBinding([.char("t")], shown: "t", label: L.pick("temperature", "温度"), help: L.pick("temperature: greedy, 0.5, 0.8, 1, 1.5 (the bars are softmax(z/T))", "温度：贪心、0.5、0.8、1、1.5（条形为 softmax(z/T)）"), priority: 7, action: .promptTemperature),
      KeyBinding([.char("k")], shown: "k", label: "top-k", help: L.pick("top-k: all, 40, 10, 3 (the rest are cut, greyed)", "top-k：全部、40、10、3（其余被截去，显示为灰色）"), priority: 7, action: .promptTopK),
      KeyBinding([.char("e")], shown: "e", label: L.pick("edit", "编辑"), help: L.pick("edit the text so far", "编辑目前的文本"), priority: 6, action: .promptEdit),
      close,
      .help(L, priority: 7, action: .help),
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
      box.isSelected = false
      box.tokens = masked ? Array(ids.prefix(plan.run.context)) : ids
      box.sampled = []
      box.perplexity = PerplexityMeter()
      return request(&box)
    case .promptErase:
      if box.isSelected { box.text = "" } else if !box.text.isEmpty { box.text.removeLast() }
      box.isSelected = false
      box.message = nil
    case .promptKeep:
      box.isSelected = false
    case .promptClear:
      box.text = ""
      box.isSelected = false
      box.message = nil
    case .promptSample:
      guard let prediction = box.prediction, !box.isWaiting else { return [] }
      box.isWaiting = true
      return [.sample(session, logits: prediction.logits, controls: box.controls)]
    case .promptTemperature:
      box.controls.cycleTemperature()
    case .promptTopK:
      box.controls.cycleTopK()
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
    box.perplexity.add(probability: prediction.probabilities[Int(token)])
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
