import Curriculum
import Model
import TermUI
import Training

/// What the lesson's parts read of it: the run, the session, the latest snapshot, what the learner looks at.
struct LessonContext {
  let plan: LessonPlan
  let session: SessionID
  let snapshot: SessionSnapshot
  let stage: Stage?
  let focus: Focus
  /// The trace the stage views show: a recorded one while paging through history, else the live one.
  let shownTrace: StepTrace?

  var language: Language { plan.language }
  var isMasked: Bool { plan.run.objective == .mlm }
}

/// The prompt box: type a prompt, then step generation one sampled token per keypress.
struct PromptBox: ScreenPart {
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

  enum Action: Hashable, CaseIterable {
    case start, erase, keep, clear, sample, temperature, topK, edit, close, help
  }

  func keys(_ context: LessonContext) -> [KeyBinding<Action>] {
    let L = Localized(context.language)
    let close = KeyBinding<Action>(
      isEditing ? [.escape] : [.escape, .char("q")], shown: "esc", label: L.pick("close", "关闭"),
      help: L.pick("close the prompt box", "关闭提示词框"), priority: 9, action: .close)
    if isEditing {
      return [
        KeyBinding([.enter], shown: "enter", label: L.pick("start", "开始"), help: L.pick("encode the prompt and show the model's distribution", "把提示词编码，显示模型给出的分布"), priority: 10, action: .start),
        KeyBinding([.backspace, .delete], shown: "⌫", label: L.pick("erase", "删除"), help: L.pick("erase the last character", "删除最后一个字符"), priority: 5, action: .erase),
        KeyBinding([.right, .end], shown: "→", label: L.pick("keep", "保留"), help: L.pick("keep the selected prompt and type after it", "保留选中的提示词，在其后继续输入"), priority: isSelected ? 6 : nil, action: .keep),
        KeyBinding([.ctrl("u")], shown: "ctrl-u", label: L.pick("clear", "清空"), help: L.pick("clear the prompt", "清空提示词"), priority: 4, action: .clear),
        close,
      ]
    }
    return [
      KeyBinding([.char(" "), .enter], shown: "space", label: L.pick("sample", "采样"), help: L.pick("sample one token from the distribution shown", "从显示的分布中采样一个词元"), priority: 10, action: .sample),
      KeyBinding([.char("t")], shown: "t", label: L.pick("temperature", "温度"), help: L.pick("temperature: greedy, 0.5, 0.8, 1, 1.5 (the bars are softmax(z/T))", "温度：贪心、0.5、0.8、1、1.5（条形为 softmax(z/T)）"), priority: 7, action: .temperature),
      KeyBinding([.char("k")], shown: "k", label: "top-k", help: L.pick("top-k: all, 40, 10, 3 (the rest are cut, greyed)", "top-k：全部、40、10、3（其余被截去，显示为灰色）"), priority: 7, action: .topK),
      KeyBinding([.char("e")], shown: "e", label: L.pick("edit", "编辑"), help: L.pick("edit the text so far", "编辑目前的文本"), priority: 6, action: .edit),
      close,
      .help(L, priority: 7, action: .help),
    ]
  }

  /// Erasing or clearing an empty box, keeping what is not selected, sampling with no
  /// distribution yet (or a token on its way), anything that needs the tokenizer before it came.
  func isIdle(_ action: Action, _ context: LessonContext) -> Bool {
    switch action {
    case .erase, .clear: !isSelected && text.isEmpty && message == nil
    case .keep: !isSelected
    case .sample: prediction == nil || isWaiting
    case .start:
      // An empty prompt says so once.
      context.snapshot.tokenizer.map { $0.chat == nil && $0.encode(withMasks: text).isEmpty && message == Localized(context.language).promptEmpty } ?? true
    case .edit: context.snapshot.tokenizer == nil
    case .temperature, .topK, .close, .help: false
    }
  }

  mutating func perform(_ action: Action, _ context: LessonContext) -> PartOutcome {
    switch action {
    case .close:
      return PartOutcome(closes: true)
    case .help:
      return PartOutcome(effects: [.showHelp])
    case .start:
      guard let tokenizer = context.snapshot.tokenizer else { return .none }
      if let chat = tokenizer.chat { return PartOutcome(effects: startChat(chat, context)) }
      let ids = tokenizer.encode(withMasks: text)
      guard !ids.isEmpty else {
        message = Localized(context.language).promptEmpty
        return .none
      }
      message = nil
      isEditing = false
      isSelected = false
      tokens = context.isMasked ? Array(ids.prefix(context.plan.run.context)) : ids
      sampled = []
      perplexity = PerplexityMeter()
      return PartOutcome(effects: request(context))
    case .erase:
      if isSelected { text = "" } else if !text.isEmpty { text.removeLast() }
      isSelected = false
      message = nil
    case .keep:
      isSelected = false
    case .clear:
      text = ""
      isSelected = false
      message = nil
    case .sample:
      guard let prediction, !isWaiting else { return .none }
      isWaiting = true
      return PartOutcome(effects: [.sample(context.session, logits: prediction.logits, controls: controls)])
    case .temperature:
      controls.cycleTemperature()
    case .topK:
      controls.cycleTopK()
    case .edit:
      guard let tokenizer = context.snapshot.tokenizer else { return .none }
      isEditing = true
      // A chat is asked again from its question, not from the template around it.
      if tokenizer.chat != nil {
        message = nil
        return .none
      }
      text = tokenizer.decode(tokens).replacingOccurrences(of: tokenizer.token(tokenizer.maskID), with: SpecialToken.mask)
    }
    return .none
  }

  /// A typed character: the lesson's prompt opens selected, so the first key typed replaces it.
  mutating func type(_ character: Character) {
    guard isEditing else { return }
    if isSelected { text = "" }
    isSelected = false
    text.append(character)
    message = nil
  }

  /// The distribution the box asked for arrived.
  mutating func receive(_ prediction: Prediction) {
    self.prediction = prediction
    isWaiting = false
  }

  /// Puts a sampled token in place (after the text, or into the first mask) and asks for the next distribution.
  mutating func appendSampled(_ token: Int32, _ context: LessonContext) -> [Effect] {
    guard let prediction, !isEditing else { return [] }
    if context.isMasked {
      tokens[prediction.position] = token
    } else {
      tokens.append(token)
    }
    sampled.append(token)
    perplexity.add(probability: prediction.probabilities[Int(token)])
    // A chat answer ends at <|end|>, or when the context is full.
    if let chat = context.snapshot.tokenizer?.chat, token == chat.endID || tokens.count >= context.plan.run.context {
      self.prediction = nil
      isWaiting = false
      message = token == chat.endID ? Localized(context.language).answerDone : Localized(context.language).answerFull
      return []
    }
    return request(context)
  }

  /// Starts a chat answer: the question in the template, `<|user|>` question `<|assistant|>`.
  private mutating func startChat(_ chat: ChatTokenizer, _ context: LessonContext) -> [Effect] {
    let L = Localized(context.language)
    let question = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if question.isEmpty {
      message = L.chatQuestionEmpty
      return []
    }
    if let role = ChatTemplate.roleToken(in: question) {
      message = L.roleTokenRefused(role)
      return []
    }
    let ids = chat.template(prompt: question, response: nil).ids
    guard ids.count < context.plan.run.context else {
      message = L.questionTooLong(ids.count, context: context.plan.run.context)
      return []
    }
    message = nil
    isEditing = false
    isSelected = false
    tokens = ids
    sampled = []
    perplexity = PerplexityMeter()
    return request(context)
  }

  /// The effect that computes the box's next distribution, or a note when no mask is left to fill.
  private mutating func request(_ context: LessonContext) -> [Effect] {
    if context.isMasked, let mask = context.snapshot.tokenizer?.maskID, !tokens.contains(mask) {
      prediction = nil
      isWaiting = false
      message = Localized(context.language).allMasksFilled
      return []
    }
    isWaiting = true
    return [.predict(context.session, tokens: tokens)]
  }
}
