/// Scoring a text token by token: how the model ranks each true next token.
extension GPT {
  /// How the model ranks `token` as the one after `context` (the last T ids of it are used).
  public func prediction(of token: Int32, after context: [Int32]) -> TokenPrediction {
    precondition(!context.isEmpty, "context must hold at least one token")
    precondition(token >= 0 && Int(token) < config.vocabSize, "token \(token) is outside 0..<\(config.vocabSize)")
    let window = Array(context.suffix(config.contextLength))
    forwardInference(window)
    return score(token: token, row: window.count - 1)
  }

  /// The model's prediction of every token of `ids` after the first, in order.
  ///
  /// Token i is predicted from the up-to-T tokens before it, ids[max(0, i−T)..<i]: a
  /// sliding window of the model's context. One pass over the first T tokens scores
  /// tokens 1…T (the causal mask keeps each row to what precedes it); every later
  /// token gets a pass over its own window. `progress` hears the count done after each pass.
  public func predictions(of ids: [Int32], progress: (_ done: Int) -> Void = { _ in }) -> [TokenPrediction] {
    guard ids.count >= 2 else { return [] }
    let T = config.contextLength
    var result: [TokenPrediction] = []
    result.reserveCapacity(ids.count - 1)
    let first = Array(ids.prefix(T))
    forwardInference(first)
    for position in 0..<min(T, ids.count - 1) {
      result.append(score(token: ids[position + 1], row: position))
    }
    if ids.count > T + 1 {
      for index in (T + 1)..<ids.count {
        forwardInference(Array(ids[(index - T)..<index]))
        result.append(score(token: ids[index], row: T - 1))
        progress(result.count)
      }
    }
    return result
  }

  /// A causal inference pass over `window` (1…T ids), leaving its logits in `inference`.
  private func forwardInference(_ window: [Int32]) {
    let V = config.vocabSize
    let a = inference
    for (i, id) in window.enumerated() {
      precondition(id >= 0 && Int(id) < V, "context id \(id) is outside 0..<\(V)")
      a.inputs[i] = id
    }
    _ = run(a, batch: 1, length: window.count, causal: true, hasLabels: false)
  }

  private func score(token: Int32, row: Int) -> TokenPrediction {
    let V = config.vocabSize
    return TokenPrediction.score(token: token, logits: UnsafeBufferPointer(start: inference.logits + row * V, count: V))
  }
}
