/// Read-only copies of parameters, gradients and the last training pass's activations.
extension GPT {
  /// Every parameter, in `layout` order.
  public var parameters: [Float] { Array(parameterStorage) }

  /// Every gradient, in `layout` order.
  public var gradients: [Float] { Array(gradientStorage) }

  /// The values of the parameter tensor called `name` (row-major, `layout[name].shape`).
  public func tensor(named name: String) -> [Float] {
    Array(parameterStorage[spec(name).range])
  }

  /// The gradient of the parameter tensor called `name`.
  public func gradient(named name: String) -> [Float] {
    Array(gradientStorage[spec(name).range])
  }

  private func spec(_ name: String) -> TensorSpec {
    guard let spec = layout[name] else { preconditionFailure("the model has no tensor named \(name)") }
    return spec
  }

  /// Replaces every parameter; `values` must be in `layout` order.
  public func load(parameters values: [Float]) throws(ModelError) {
    guard values.count == layout.totalCount else {
      throw ModelError("parameters hold \(values.count) values, the model expects \(layout.totalCount)")
    }
    _ = parameterStorage.update(fromContentsOf: values)
  }

  /// Replaces one named tensor's values.
  public func load(tensor name: String, values: [Float]) throws(ModelError) {
    guard let spec = layout[name] else { throw ModelError("the model has no tensor named \(name)") }
    guard values.count == spec.count else {
      throw ModelError("\(name) holds \(values.count) values, expected \(spec.count) for shape \(spec.shape)")
    }
    for (i, value) in values.enumerated() { parameterStorage[spec.offset + i] = value }
  }

  /// Mutable access to the parameters next to the gradients, for optimizers.
  public func withParametersAndGradients<R, E: Error>(
    _ body: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) throws(E) -> R
  ) throws(E) -> R {
    try body(parameterStorage, UnsafeBufferPointer(gradientStorage))
  }

  /// The L2 norm of each parameter tensor's gradient, in `layout` order.
  public func gradientNorms() -> [(name: String, norm: Float)] {
    layout.tensors.map { spec in (spec.name, Float(sumOfSquares(gradientStorage, spec.range).squareRoot())) }
  }

  /// The L2 norm of all gradients together.
  public func gradientNorm() -> Float {
    Float(sumOfSquares(gradientStorage, 0..<layout.totalCount).squareRoot())
  }

  /// The L2 norm of each parameter tensor, in `layout` order.
  public func parameterNorms() -> [(name: String, norm: Float)] {
    layout.tensors.map { spec in (spec.name, Float(sumOfSquares(parameterStorage, spec.range).squareRoot())) }
  }

  private func sumOfSquares(_ buffer: UnsafeMutableBufferPointer<Float>, _ range: Range<Int>) -> Double {
    var total = 0.0
    for i in range { total += Double(buffer[i]) * Double(buffer[i]) }
    return total
  }

  // MARK: - The last training forward pass

  private var lastRows: Int { lastBatch * lastLength }

  /// `count` values from one recorded activation, or [] before the first forward pass.
  private func recordedValues<Element>(_ count: Int, _ tensor: (Activations) -> UnsafeMutablePointer<Element>) -> [Element] {
    guard let recorded else { return [] }
    return Array(UnsafeBufferPointer(start: tensor(recorded), count: count))
  }

  /// Input ids of the last forward pass (B, T).
  public var lastInputs: [Int32] { recordedValues(lastRows) { $0.inputs } }

  /// Labels of the last forward pass (B, T), −100 where ignored; empty if it had none.
  public var lastLabels: [Int32] { lastLoss == nil ? [] : recordedValues(lastRows) { $0.labels } }

  /// Attention weights of block `layer` after softmax (B, H, T, T); masked entries are exactly 0.
  public func attentionWeights(layer: Int) -> [Float] {
    precondition(layer >= 0 && layer < config.layers, "layer \(layer) must be in 0..<\(config.layers)")
    return recordedValues(lastBatch * config.heads * lastLength * lastLength) { $0.blocks[layer].att }
  }

  /// Logits (B, T, V).
  public var logits: [Float] { recordedValues(lastRows * config.vocabSize) { $0.logits } }

  /// Softmax of the logits (B, T, V).
  public var probabilities: [Float] { recordedValues(lastRows * config.vocabSize) { $0.probs } }

  /// Cross-entropy per position (B, T); 0 where the label is ignored.
  public var positionLosses: [Float] { recordedValues(lastRows) { $0.losses } }

  /// The output of block `layer`'s first LayerNorm (B, T, C): the x that c_attn multiplies.
  public func attentionInput(layer: Int) -> [Float] {
    precondition(layer >= 0 && layer < config.layers, "layer \(layer) must be in 0..<\(config.layers)")
    return recordedValues(lastRows * config.channels) { $0.blocks[layer].ln1 }
  }

  /// Block `layer`'s q, k and v side by side (B, T, 3C), each third holding the heads in order.
  public func queryKeyValues(layer: Int) -> [Float] {
    precondition(layer >= 0 && layer < config.layers, "layer \(layer) must be in 0..<\(config.layers)")
    return recordedValues(lastRows * 3 * config.channels) { $0.blocks[layer].qkv }
  }

  /// Block `layer`'s attention output before c_proj (B, T, C): Σ weight·v, heads side by side.
  public func attentionOutput(layer: Int) -> [Float] {
    precondition(layer >= 0 && layer < config.layers, "layer \(layer) must be in 0..<\(config.layers)")
    return recordedValues(lastRows * config.channels) { $0.blocks[layer].atty }
  }

  /// The final LayerNorm's output (B, T, C): the x whose dot products with wte are the logits.
  public var finalNormed: [Float] { recordedValues(lastRows * config.channels) { $0.lnf } }

  /// Token plus position embedding, the first block's input (B, T, C).
  public var inputEmbedding: [Float] { recordedValues(lastRows * config.channels) { $0.encoded } }

  /// Row `token` of `wte` (C values).
  public func tokenEmbedding(token: Int32) -> [Float] {
    precondition(token >= 0 && Int(token) < config.vocabSize, "token \(token) must be in 0..<\(config.vocabSize)")
    let start = layout.wte + Int(token) * config.channels
    return Array(parameterStorage[start..<(start + config.channels)])
  }

  /// Row `position` of `wpe` (C values).
  public func positionEmbedding(position: Int) -> [Float] {
    precondition(position >= 0 && position < config.contextLength, "position \(position) must be in 0..<\(config.contextLength)")
    let start = layout.wpe + position * config.channels
    return Array(parameterStorage[start..<(start + config.channels)])
  }
}

extension GPT {
  /// Replaces every gradient (a test hook for checking optimizers against hand-computed steps).
  package func load(gradients values: [Float]) {
    precondition(values.count == layout.totalCount, "gradients hold \(values.count) values, expected \(layout.totalCount)")
    _ = gradientStorage.update(fromContentsOf: values)
  }
}
