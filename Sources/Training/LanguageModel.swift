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
  public var isCausal: Bool { saved.run.objective == .clm }
  public var contextLength: Int { saved.config.contextLength }
  public var configuration: RunConfiguration { saved.run }
}
