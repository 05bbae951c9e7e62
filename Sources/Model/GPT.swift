/// A tiny GPT-2 with its parameters, gradients and saved activations in flat buffers.
///
/// Architecture (exactly): learned token embedding `wte` (V×C) and position
/// embedding `wpe` (T×C); L pre-LayerNorm blocks, each
/// x += c_proj(attn(c_attn(ln_1(x)))) then x += mlp.c_proj(gelu(mlp.c_fc(ln_2(x))));
/// final `ln_f`; logits = x · wteᵀ (tied, no bias). LayerNorm ε = 1e-5, attention
/// scale 1/√(C/H), GELU tanh approximation. Weights use Hugging Face GPT-2 names
/// and Conv1D layout (y = x·W + b, W stored [in][out]).
///
/// One owner at a time (not Sendable). The training step is
/// `forward(…labels…)`, `zeroGradients()`, `backward()`, then an optimizer's
/// `step`; none of them allocates.
public final class GPT {
  /// The model's sizes.
  public let config: ModelConfig
  /// The largest batch `forward` accepts; activations are preallocated for it.
  public let maxBatch: Int
  /// Where each named tensor lives in `parameters` and `gradients`.
  public let layout: ParameterLayout

  let parameterStorage: UnsafeMutableBufferPointer<Float>
  let gradientStorage: UnsafeMutableBufferPointer<Float>
  private var trainingStorage: Activations?
  private var inferenceStorage: Activations?

  /// Batch size of the last training forward pass (0 before the first).
  public private(set) var lastBatch = 0
  /// Sequence length of the last training forward pass (0 before the first).
  public private(set) var lastLength = 0
  /// Whether the last training forward pass used the causal mask.
  public private(set) var lastCausal = true
  /// Mean loss of the last forward pass with labels; nil when it had none.
  public private(set) var lastLoss: Float?
  /// Number of labelled positions in the last forward pass.
  public private(set) var lastLabelledCount = 0

  /// Creates a model with GPT-2's initialisation, drawing from `generator`.
  ///
  /// Tensors are filled in `layout` order, each element in row-major order:
  /// matrices and embeddings N(0, 0.02), the residual projections
  /// (`attn.c_proj.weight`, `mlp.c_proj.weight`) N(0, 0.02/√(2L)), biases 0,
  /// LayerNorm gains 1. Each normal draw is `Float(generator.nextGaussian() · std)`.
  public init(config: ModelConfig, maxBatch: Int, generator: inout SeededGenerator) {
    precondition(maxBatch >= 1, "maxBatch must be at least 1")
    self.config = config
    self.maxBatch = maxBatch
    layout = ParameterLayout(config: config)
    parameterStorage = .allocate(capacity: layout.totalCount)
    parameterStorage.initialize(repeating: 0)
    gradientStorage = .allocate(capacity: layout.totalCount)
    gradientStorage.initialize(repeating: 0)
    let residualStd = 0.02 / (2 * Double(config.layers)).squareRoot()
    for tensor in layout.tensors {
      let values = parameterStorage[tensor.range]
      if tensor.shape.count == 1 {
        let isGain = tensor.name.hasSuffix(".weight")
        for i in values.indices { parameterStorage[i] = isGain ? 1 : 0 }
      } else {
        let isResidual = tensor.name.hasSuffix("attn.c_proj.weight") || tensor.name.hasSuffix("mlp.c_proj.weight")
        let std = isResidual ? residualStd : 0.02
        for i in values.indices { parameterStorage[i] = Float(generator.nextGaussian() * std) }
      }
    }
  }

  /// A model with the same config, batch limit, parameters and gradients as `source`.
  private init(copying source: GPT) {
    config = source.config
    maxBatch = source.maxBatch
    layout = source.layout
    parameterStorage = .allocate(capacity: layout.totalCount)
    _ = parameterStorage.initialize(from: source.parameterStorage)
    gradientStorage = .allocate(capacity: layout.totalCount)
    _ = gradientStorage.initialize(from: source.gradientStorage)
  }

  deinit {
    parameterStorage.deallocate()
    gradientStorage.deallocate()
  }

  /// An independent model with the same weights and gradients (activations are not copied).
  public func copy() -> GPT { GPT(copying: self) }

  // MARK: - Training step

  /// Runs the model on a batch and, with labels, computes the mean cross-entropy.
  ///
  /// inputs and labels are (B, T) row-major token ids; a label of −100 marks a
  /// position that carries no loss. `causal` selects the causal mask (CLM)
  /// or full attention (MLM). Returns the mean loss over labelled positions
  /// (0 if none is labelled), or nil without labels. Keeps every activation
  /// for `backward()` and the views.
  @discardableResult
  public func forward(inputs: [Int32], labels: [Int32]?, batch B: Int, length T: Int, causal: Bool) -> Float? {
    precondition(B >= 1 && B <= maxBatch, "batch \(B) must be in 1...\(maxBatch)")
    precondition(T >= 1 && T <= config.contextLength, "length \(T) must be in 1...\(config.contextLength)")
    precondition(inputs.count == B * T, "inputs hold \(inputs.count) ids, expected B·T = \(B * T)")
    let vocab = Int32(config.vocabSize)
    inputs.withUnsafeBufferPointer { ids in
      for i in 0..<(B * T) {
        let id = ids[i]
        precondition(id >= 0 && id < vocab, "input id \(id) at \(i) is outside 0..<\(vocab)")
        training.inputs[i] = id
      }
    }
    if let labels {
      precondition(labels.count == B * T, "labels hold \(labels.count) ids, expected B·T = \(B * T)")
      labels.withUnsafeBufferPointer { ids in
        for i in 0..<(B * T) {
          let id = ids[i]
          precondition(id == ignoredLabel || (id >= 0 && id < vocab), "label \(id) at \(i) is neither −100 nor in 0..<\(vocab)")
          training.labels[i] = id
        }
      }
    }
    let result = run(training, batch: B, length: T, causal: causal, hasLabels: labels != nil)
    lastBatch = B
    lastLength = T
    lastCausal = causal
    lastLabelledCount = result.count
    if labels != nil {
      lastLoss = result.count > 0 ? Float(result.total / Double(result.count)) : 0
    } else {
      lastLoss = nil
    }
    return lastLoss
  }

  /// Sets every gradient to 0; `backward()` adds to what is there.
  public func zeroGradients() {
    gradientStorage.update(repeating: 0)
  }

  /// Adds the gradient of the last forward pass's mean loss to `gradients`.
  ///
  /// Precondition: the last training forward pass had labels. With no
  /// labelled position the loss is the constant 0 and nothing is added.
  public func backward() {
    precondition(lastLoss != nil, "backward() needs a forward pass with labels first")
    guard lastLabelledCount > 0 else { return }
    backward(split: WorkSplit.current)
  }

  /// The body of `backward()`, with the kernels split as `split` says.
  private func backward(split: WorkSplit) {
    let a = training
    let B = lastBatch, T = lastLength, N = B * T
    let C = config.channels, V = config.vocabSize, H = config.heads, L = config.layers
    let p = parameterStorage.baseAddress!
    let g = gradientStorage.baseAddress!
    let dres = a.dresidual!, dln = a.dln!, datty = a.datty!, dqkv = a.dqkv!
    let datt = a.datt!, dfch = a.dfch!, dlogits = a.dlogits!

    crossEntropyBackward(
      dlogits: dlogits, probs: a.probs, labels: a.labels, rows: N, vocab: V, scale: 1 / Float(lastLabelledCount), split: split)
    logitsBackward(
      dinp: dln, dwte: g + layout.wte, dlogits: dlogits, inp: a.lnf, wte: p + layout.wte, rows: N, channels: C, vocab: V, split: split)
    dres.update(repeating: 0, count: N * C)
    layerNormBackward(
      dinp: dres, dweight: g + layout.lnfWeight, dbias: g + layout.lnfBias, dout: dln, inp: a.blocks[L - 1].residual3,
      weight: p + layout.lnfWeight, mean: a.lnfMean, rstd: a.lnfRstd, rows: N, channels: C)
    // dres now holds dL/d(residual stream); each LayerNorm backward adds its
    // branch's contribution to it, which is the residual connection's backward.
    for l in stride(from: L - 1, through: 0, by: -1) {
      let s = a.blocks[l]
      let w = layout.blocks[l]
      let blockInput = l == 0 ? a.encoded : a.blocks[l - 1].residual3
      matmulBackward(
        dinp: dfch, dweight: g + w.fcProjWeight, dbias: g + w.fcProjBias, dout: dres, inp: s.fchGelu,
        weight: p + w.fcProjWeight, rows: N, inChannels: 4 * C, outChannels: C, split: split)
      geluBackward(dinp: dfch, inp: s.fch, sigmoid: s.fchSigmoid, dout: dfch, count: N * 4 * C, split: split)
      matmulBackward(
        dinp: dln, dweight: g + w.fcWeight, dbias: g + w.fcBias, dout: dfch, inp: s.ln2,
        weight: p + w.fcWeight, rows: N, inChannels: C, outChannels: 4 * C, split: split)
      layerNormBackward(
        dinp: dres, dweight: g + w.ln2Weight, dbias: g + w.ln2Bias, dout: dln, inp: s.residual2,
        weight: p + w.ln2Weight, mean: s.ln2Mean, rstd: s.ln2Rstd, rows: N, channels: C)
      matmulBackward(
        dinp: datty, dweight: g + w.attnProjWeight, dbias: g + w.attnProjBias, dout: dres, inp: s.atty,
        weight: p + w.attnProjWeight, rows: N, inChannels: C, outChannels: C, split: split)
      attentionBackward(
        dqkv: dqkv, scratch: datt, dout: datty, qkv: s.qkv, att: s.att, B: B, T: T, C: C, H: H, causal: lastCausal,
        split: split)
      matmulBackward(
        dinp: dln, dweight: g + w.qkvWeight, dbias: g + w.qkvBias, dout: dqkv, inp: s.ln1,
        weight: p + w.qkvWeight, rows: N, inChannels: C, outChannels: 3 * C, split: split)
      layerNormBackward(
        dinp: dres, dweight: g + w.ln1Weight, dbias: g + w.ln1Bias, dout: dln, inp: blockInput,
        weight: p + w.ln1Weight, mean: s.ln1Mean, rstd: s.ln1Rstd, rows: N, channels: C)
    }
    encoderBackward(dwte: g + layout.wte, dwpe: g + layout.wpe, dout: dres, inputs: a.inputs, B: B, T: T, C: C)
  }

  /// The forward pass over the ids already copied into `a.inputs` (and `a.labels`).
  func run(_ a: Activations, batch B: Int, length T: Int, causal: Bool, hasLabels: Bool) -> (total: Double, count: Int) {
    run(a, batch: B, length: T, causal: causal, hasLabels: hasLabels, split: WorkSplit.current)
  }

  /// The body of `run`, with the kernels split as `split` says.
  private func run(
    _ a: Activations, batch B: Int, length T: Int, causal: Bool, hasLabels: Bool, split: WorkSplit
  ) -> (total: Double, count: Int) {
    let C = config.channels, V = config.vocabSize, H = config.heads, N = B * T
    let p = parameterStorage.baseAddress!
    encoderForward(out: a.encoded, inputs: a.inputs, wte: p + layout.wte, wpe: p + layout.wpe, B: B, T: T, C: C)
    var x = a.encoded
    for (l, w) in layout.blocks.enumerated() {
      let s = a.blocks[l]
      layerNormForward(
        out: s.ln1, mean: s.ln1Mean, rstd: s.ln1Rstd, inp: x, weight: p + w.ln1Weight, bias: p + w.ln1Bias,
        rows: N, channels: C, split: split)
      matmulForward(
        out: s.qkv, inp: s.ln1, weight: p + w.qkvWeight, bias: p + w.qkvBias, rows: N, inChannels: C, outChannels: 3 * C, split: split)
      attentionForward(out: s.atty, att: s.att, qkv: s.qkv, B: B, T: T, C: C, H: H, causal: causal, split: split)
      matmulForward(
        out: s.residual2, inp: s.atty, weight: p + w.attnProjWeight, bias: p + w.attnProjBias,
        rows: N, inChannels: C, outChannels: C, residual: x, split: split)
      layerNormForward(
        out: s.ln2, mean: s.ln2Mean, rstd: s.ln2Rstd, inp: s.residual2, weight: p + w.ln2Weight, bias: p + w.ln2Bias,
        rows: N, channels: C, split: split)
      matmulForward(
        out: s.fch, inp: s.ln2, weight: p + w.fcWeight, bias: p + w.fcBias, rows: N, inChannels: C, outChannels: 4 * C, split: split)
      geluForward(out: s.fchGelu, sigmoid: s.fchSigmoid, inp: s.fch, count: N * 4 * C, split: split)
      matmulForward(
        out: s.residual3, inp: s.fchGelu, weight: p + w.fcProjWeight, bias: p + w.fcProjBias,
        rows: N, inChannels: 4 * C, outChannels: C, residual: s.residual2, split: split)
      x = s.residual3
    }
    layerNormForward(
      out: a.lnf, mean: a.lnfMean, rstd: a.lnfRstd, inp: x, weight: p + layout.lnfWeight, bias: p + layout.lnfBias,
      rows: N, channels: C, split: split)
    logitsForward(logits: a.logits, inp: a.lnf, wte: p + layout.wte, rows: N, channels: C, vocab: V, split: split)
    return crossEntropyForward(
      probs: a.probs, losses: a.losses, logits: a.logits, labels: hasLabels ? UnsafePointer(a.labels) : nil, rows: N, vocab: V,
      split: split)
  }

  /// Activations of training passes, allocated by the first forward pass so
  /// that copies made only for their weights stay small.
  var training: Activations {
    if let trainingStorage { return trainingStorage }
    let created = Activations(config: config, batch: maxBatch, withBackwardScratch: true)
    trainingStorage = created
    return created
  }

  /// The training activations, or nil before the first forward pass.
  var recorded: Activations? { trainingStorage }

  /// Activations for single-sequence inference, kept apart so sampling never
  /// overwrites what the last training step recorded.
  var inference: Activations {
    if let inferenceStorage { return inferenceStorage }
    let created = Activations(config: config, batch: 1, withBackwardScratch: false)
    inferenceStorage = created
    return created
  }
}
