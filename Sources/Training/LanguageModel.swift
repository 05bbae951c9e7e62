import Curriculum
import Model

/// A network and its tokenizer, asked for predictions: a run in training, or one loaded to generate.
public protocol LanguageModel: AnyObject {
  var model: GPT { get }
  var tokenizer: any Tokenizer { get }
  /// CLM (true) predicts the next token; MLM fills `[MASK]`s.
  var isCausal: Bool { get }
  /// The longest sequence the model reads.
  var contextLength: Int { get }
}

extension LanguageModel {
  /// The distribution over the next token after `tokens` (CLM), or at the first [MASK] (MLM).
  public func predict(tokens: [Int32]) -> Prediction? {
    guard !tokens.isEmpty else { return nil }
    if isCausal {
      let window = Array(tokens.suffix(contextLength))
      let (logits, probs) = model.tokenLogits(context: window, position: window.count - 1, causal: true)
      return Prediction(tokens: window, position: window.count - 1, logits: logits, probabilities: probs)
    }
    let window = Array(tokens.prefix(contextLength))
    guard let position = window.firstIndex(of: tokenizer.maskID) else { return nil }
    let (logits, probs) = model.tokenLogits(context: window, position: position, causal: false)
    return Prediction(tokens: window, position: position, logits: logits, probabilities: probs)
  }

  /// Samples one token to follow `ids` (CLM), from the last `contextLength` tokens.
  public func sampleNext(after ids: [Int32], temperature: Float, topK: Int?, generator: inout SeededGenerator) -> Int32 {
    let window = Array(ids.suffix(contextLength))
    let probs = model.nextTokenProbabilities(context: window, causal: true, temperature: temperature)
    return GPT.sample(probabilities: tokenizer.onlyOrdinaryTokens(probs), topK: topK, generator: &generator)
  }

  /// Samples one token of a chat answer: ordinary tokens and `<|end|>`, never another role token.
  public func sampleAnswerToken(after ids: [Int32], temperature: Float, topK: Int?, generator: inout SeededGenerator) -> Int32 {
    let window = Array(ids.suffix(contextLength))
    var probs = model.nextTokenProbabilities(context: window, causal: true, temperature: temperature)
    let end = tokenizer.chat.map { Int($0.endID) } ?? -1
    for id in probs.indices where tokenizer.isSpecial(Int32(id)) && id != end { probs[id] = 0 }
    return GPT.sample(probabilities: probs, topK: topK, generator: &generator)
  }

  /// The ids a chat answer to `question` starts from: `<|user|>` question `<|assistant|>`.
  ///
  /// Throws a one-line error for an empty question, one that types a role token, or one
  /// longer than the context leaves room for.
  public func chatPrompt(_ question: String) throws(ChatError) -> [Int32] {
    guard let chat = tokenizer.chat else { throw ChatError("the model is not fine-tuned for chat (no role tokens); train it with --objective sft") }
    let text = question.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty else { throw ChatError("the question is empty; type a question for the model to answer") }
    if let role = ChatTemplate.roleToken(in: text) {
      throw ChatError("'\(role)' is a role token of the chat template and cannot be typed in a question (refused, not escaped)")
    }
    let ids = chat.template(prompt: text, response: nil).ids
    guard ids.count < contextLength else {
      throw ChatError("the question is \(ids.count) tokens in the chat template; this model reads \(contextLength), so it has no room to answer")
    }
    return ids
  }

  /// Answers `question` token by token until `<|end|>` (not included) or the context is full;
  /// `each` sees every new token's text as it comes. Top-k 1 is greedy.
  public func chatAnswer(
    to question: String, temperature: Float, topK: Int?, generator: inout SeededGenerator, each: (String) -> Void = { _ in }
  ) throws(ChatError) -> (answer: String, ended: Bool) {
    var ids = try chatPrompt(question)
    guard let chat = tokenizer.chat else { return ("", false) }
    var answer: [Int32] = []
    var pending: [Int32] = []
    while ids.count < contextLength {
      let next = sampleAnswerToken(after: ids, temperature: temperature, topK: topK, generator: &generator)
      if next == chat.endID {
        if !pending.isEmpty { each(tokenizer.decode(pending)) }
        return (tokenizer.decode(answer), true)
      }
      ids.append(next)
      answer.append(next)
      pending.append(next)
      let text = tokenizer.decode(pending)
      if !text.contains("\u{FFFD}") {
        each(text)
        pending.removeAll()
      }
    }
    if !pending.isEmpty { each(tokenizer.decode(pending)) }
    return (tokenizer.decode(answer), false)
  }

  /// Replaces every `[MASK]` in `text` with the model's sample, left to right
  /// (within the first `contextLength` tokens).
  public func fillMasks(in text: String, temperature: Float, topK: Int?, generator: inout SeededGenerator) -> String {
    var ids = Array(tokenizer.encode(withMasks: text).prefix(contextLength))
    while let position = ids.firstIndex(of: tokenizer.maskID) {
      let probs = model.tokenProbabilities(context: ids, position: position, causal: false, temperature: temperature)
      ids[position] = GPT.sample(probabilities: tokenizer.onlyOrdinaryTokens(probs), topK: topK, generator: &generator)
    }
    return tokenizer.decode(ids)
  }
}

/// A trained network loaded from a checkpoint, for generating and scoring text (no corpus, no optimizer).
public final class TrainedModel: LanguageModel {
  /// What the checkpoint held.
  public let saved: SavedRun
  public let model: GPT

  public init(_ saved: SavedRun) {
    self.saved = saved
    self.model = saved.model()
  }

  public var tokenizer: any Tokenizer { saved.tokenizer }
  public var isCausal: Bool { saved.run.objective.isCausal }
  public var contextLength: Int { saved.config.contextLength }
  public var configuration: RunConfiguration { saved.run }
}

/// A question a chat model cannot answer, in one line.
public struct ChatError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
