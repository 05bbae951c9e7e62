/// One named parameter tensor inside the flat parameter buffer.
public struct TensorSpec: Sendable, Equatable, Hashable {
  /// The Hugging Face GPT-2 name, e.g. "h.0.attn.c_attn.weight".
  public let name: String
  /// Row-major shape, e.g. [C, 3C] for a Conv1D weight stored [in][out].
  public let shape: [Int]
  /// Index of the first element in the flat buffer.
  public let offset: Int
  /// Number of elements (the product of `shape`).
  public let count: Int

  /// Whether AdamW's decoupled weight decay applies: matrices (≥ 2 dims), not biases or LayerNorm.
  public var isDecayed: Bool { shape.count >= 2 }

  /// The element range inside the flat buffer.
  public var range: Range<Int> { offset..<(offset + count) }
}

/// Where every parameter tensor lives in the flat buffers, in Hugging Face GPT-2 order.
///
/// Order: `wte.weight`, `wpe.weight`, then per block `ln_1`, `attn.c_attn`,
/// `attn.c_proj`, `ln_2`, `mlp.c_fc`, `mlp.c_proj` (weight before bias), then
/// `ln_f.weight`, `ln_f.bias`. Gradients and optimizer state use the same layout.
public struct ParameterLayout: Sendable, Equatable {
  /// The tensors in buffer order.
  public let tensors: [TensorSpec]
  /// The total number of scalars.
  public let totalCount: Int
  private let indexByName: [String: Int]
  /// Offsets of each block's tensors, for the kernels.
  let blocks: [BlockOffsets]
  let wte: Int
  let wpe: Int
  let lnfWeight: Int
  let lnfBias: Int

  /// Lays out the tensors of `config`.
  public init(config: ModelConfig) {
    let v = config.vocabSize, t = config.contextLength, c = config.channels
    var tensors: [TensorSpec] = []
    var cursor = 0
    func add(_ name: String, _ shape: [Int]) -> Int {
      let count = shape.reduce(1, *)
      tensors.append(TensorSpec(name: name, shape: shape, offset: cursor, count: count))
      defer { cursor += count }
      return cursor
    }
    wte = add("wte.weight", [v, c])
    wpe = add("wpe.weight", [t, c])
    var blocks: [BlockOffsets] = []
    for i in 0..<config.layers {
      let p = "h.\(i)."
      let ln1w = add(p + "ln_1.weight", [c])
      let ln1b = add(p + "ln_1.bias", [c])
      let qkvw = add(p + "attn.c_attn.weight", [c, 3 * c])
      let qkvb = add(p + "attn.c_attn.bias", [3 * c])
      let attprojw = add(p + "attn.c_proj.weight", [c, c])
      let attprojb = add(p + "attn.c_proj.bias", [c])
      let ln2w = add(p + "ln_2.weight", [c])
      let ln2b = add(p + "ln_2.bias", [c])
      let fcw = add(p + "mlp.c_fc.weight", [c, 4 * c])
      let fcb = add(p + "mlp.c_fc.bias", [4 * c])
      let fcprojw = add(p + "mlp.c_proj.weight", [4 * c, c])
      let fcprojb = add(p + "mlp.c_proj.bias", [c])
      blocks.append(BlockOffsets(
        ln1Weight: ln1w, ln1Bias: ln1b, qkvWeight: qkvw, qkvBias: qkvb,
        attnProjWeight: attprojw, attnProjBias: attprojb, ln2Weight: ln2w, ln2Bias: ln2b,
        fcWeight: fcw, fcBias: fcb, fcProjWeight: fcprojw, fcProjBias: fcprojb))
    }
    lnfWeight = add("ln_f.weight", [c])
    lnfBias = add("ln_f.bias", [c])
    self.blocks = blocks
    self.tensors = tensors
    self.totalCount = cursor
    var index: [String: Int] = [:]
    for (i, tensor) in tensors.enumerated() { index[tensor.name] = i }
    self.indexByName = index
  }

  /// The token embedding table `wte.weight`, [V, C]: row i is token i's vector (and the output projection).
  public var tokenEmbedding: TensorSpec { tensors[0] }

  /// The position embedding table `wpe.weight`, [T, C]: row p is added at position p.
  public var positionEmbedding: TensorSpec { tensors[1] }

  /// The tensor called `name`, or nil when the model has none by that name.
  public subscript(name: String) -> TensorSpec? {
    indexByName[name].map { tensors[$0] }
  }
}

/// Offsets of one transformer block's tensors in the flat buffer.
struct BlockOffsets: Sendable, Equatable {
  let ln1Weight, ln1Bias, qkvWeight, qkvBias, attnProjWeight, attnProjBias: Int
  let ln2Weight, ln2Bias, fcWeight, fcBias, fcProjWeight, fcProjBias: Int
}
