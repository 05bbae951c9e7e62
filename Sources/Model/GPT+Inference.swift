import CKernels

/// Next-token distributions and sampling, for generation.
extension GPT {
  /// The distribution of the token after `context` (the last `contextLength` ids are used).
  ///
  /// softmax(logits / temperature) at the last position; a temperature ≤ 0
  /// gives all mass to the largest logit (greedy). Uses its own activations,
  /// so the views of the last training step stay intact.
  public func nextTokenProbabilities(context: [Int32], causal: Bool = true, temperature: Float = 1) -> [Float] {
    precondition(!context.isEmpty, "context must hold at least one token")
    let window = Array(context.suffix(config.contextLength))
    return tokenProbabilities(context: window, position: window.count - 1, causal: causal, temperature: temperature)
  }

  /// The logits z and softmax(z) at `position` of `context`, from one forward pass of its own activations.
  public func tokenLogits(context: [Int32], position: Int, causal: Bool) -> (logits: [Float], probabilities: [Float]) {
    let T = context.count
    precondition(T >= 1 && T <= config.contextLength, "context length \(T) must be in 1...\(config.contextLength)")
    precondition(position >= 0 && position < T, "position \(position) must be in 0..<\(T)")
    let V = config.vocabSize
    let a = inference
    for (i, id) in context.enumerated() {
      precondition(id >= 0 && Int(id) < V, "context id \(id) is outside 0..<\(V)")
      a.inputs[i] = id
    }
    _ = run(a, batch: 1, length: T, causal: causal, hasLabels: false)
    return (
      Array(UnsafeBufferPointer(start: a.logits + position * V, count: V)),
      Array(UnsafeBufferPointer(start: a.probs + position * V, count: V))
    )
  }

  /// The distribution the model predicts at `position` of `context` (for MLM, the position of a [MASK]).
  public func tokenProbabilities(context: [Int32], position: Int, causal: Bool, temperature: Float = 1) -> [Float] {
    let (logits, probabilities) = tokenLogits(context: context, position: position, causal: causal)
    let V = config.vocabSize
    if temperature <= 0 {
      var best = 0
      for i in 1..<V where logits[i] > logits[best] { best = i }
      var result = [Float](repeating: 0, count: V)
      result[best] = 1
      return result
    }
    if temperature == 1 { return probabilities }
    // Shifting by the largest logit first keeps a tiny temperature from overflowing to ∞ − ∞:
    // the largest logit scales to 0 and the rest towards −∞, so the mass goes to the most likely token.
    let largest = logits.max() ?? 0
    var scaled = logits.map { ($0 - largest) / temperature }
    scaled.withUnsafeMutableBufferPointer { row in
      var shift: Float = 0, total: Float = 0
      nt_softmax(row.baseAddress!, row.baseAddress!, V, &shift, &total)
    }
    return scaled
  }

  /// Draws a token id from `probabilities`, optionally from only the `topK` most likely.
  ///
  /// Ties in top-k keep the lower id. One `nextDouble()` draw u picks the
  /// first candidate whose running total exceeds u · Σ candidates.
  public static func sample(probabilities: [Float], topK: Int? = nil, generator: inout SeededGenerator) -> Int32 {
    precondition(!probabilities.isEmpty, "probabilities must not be empty")
    // NaN or negative mass (a diverged model) counts as zero, so sampling never traps.
    let weights = probabilities.map { $0.isNaN ? 0 : max(Double($0), 0) }
    var candidates = Array(weights.indices)
    if let topK, topK > 0, topK < weights.count {
      candidates.sort { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) }
      candidates.removeSubrange(topK...)
    }
    let total = candidates.reduce(0.0) { $0 + weights[$1] }
    let target = generator.nextDouble() * total
    var running = 0.0
    for index in candidates {
      running += weights[index]
      if running > target { return Int32(index) }
    }
    return Int32(candidates.last { weights[$0] > 0 } ?? candidates[0])
  }

  /// Draws a token id from `probabilities`; see `GPT.sample(probabilities:topK:generator:)`.
  public func sample(probabilities: [Float], topK: Int? = nil, generator: inout SeededGenerator) -> Int32 {
    Self.sample(probabilities: probabilities, topK: topK, generator: &generator)
  }
}
