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

  /// The forward pass over the ids already copied into `a.inputs` (and `a.labels`).
  func run(_ a: Activations, batch B: Int, length T: Int, causal: Bool, hasLabels: Bool) -> (total: Double, count: Int) {
    run(a, batch: B, length: T, causal: causal, hasLabels: hasLabels, split: WorkSplit.current)
  }

  /// The body of `run`, with the kernels split as `split` says.
  ///
  /// Every pass of the forward is local to a row, or to a sequence (attention),
  /// so the whole pass is one job over blocks of whole sequences: a block takes
  /// its rows through every layer, the final LayerNorm, the logits and the
  /// softmax while they are still in cache, and the threads meet once per
  /// forward pass instead of once per kernel. Blocks are cut by the shape alone
  /// (`forwardSequencesPerBlock`), and no kernel's arithmetic for a row depends
  /// on the rows around it, so every thread count gives the same bits.
  func run(
    _ a: Activations, batch B: Int, length T: Int, causal: Bool, hasLabels: Bool, split: WorkSplit
  ) -> (total: Double, count: Int) {
    let N = B * T
    let perBlock = forwardSequencesPerBlock(batch: B, length: T, blockRows: split.blockRows)
    let blocks = (B + perBlock - 1) / perBlock
    nonisolated(unsafe) let model = self, activations = a
    split.run(blocks: blocks, work: forwardWork(rows: N, length: T)) { block in
      let first = block * perBlock
      model.forward(activations, sequences: first..<Swift.min(B, first + perBlock), length: T, causal: causal, hasLabels: hasLabels)
    }
    return crossEntropyTotal(losses: a.losses, labels: hasLabels ? UnsafePointer(a.labels) : nil, rows: N)
  }

  /// Sequences in a block of the forward pass: at least `blockRows` rows (OpenBLAS packs the weights again for
  /// every block), and at most `WorkSplit.maximumBlocks` blocks.
  func forwardSequencesPerBlock(batch B: Int, length T: Int, blockRows: Int) -> Int {
    let atLeastRows = (blockRows + T - 1) / T
    let atMostBlocks = (B + WorkSplit.maximumBlocks - 1) / WorkSplit.maximumBlocks
    return Swift.max(1, atLeastRows, atMostBlocks)
  }

  /// The forward pass's floating-point operations for `rows` rows: the products and attention's.
  func forwardWork(rows N: Int, length T: Int) -> Int {
    let C = config.channels
    return 2 * N * (config.layers * (12 * C * C + 2 * T * C) + C * config.vocabSize)
  }

  /// The forward pass of the sequences `sequences`, on the calling thread.
  private func forward(_ a: Activations, sequences: Range<Int>, length T: Int, causal: Bool, hasLabels: Bool) {
    let C = config.channels, V = config.vocabSize, H = config.heads
    let r = sequences.lowerBound * T, n = sequences.count * T
    let p = parameterStorage.baseAddress!
    encoderForward(
      out: a.encoded + r * C, inputs: a.inputs + r, wte: p + layout.wte, wpe: p + layout.wpe, B: sequences.count, T: T,
      C: C)
    var x = a.encoded + r * C
    for (l, w) in layout.blocks.enumerated() {
      let s = a.blocks[l]
      layerNormForward(
        out: s.ln1 + r * C, mean: s.ln1Mean + r, rstd: s.ln1Rstd + r, inp: x, weight: p + w.ln1Weight,
        bias: p + w.ln1Bias, rows: n, channels: C)
      matmulForward(
        out: s.qkv + r * 3 * C, inp: s.ln1 + r * C, weight: p + w.qkvWeight, bias: p + w.qkvBias, rows: n,
        inChannels: C, outChannels: 3 * C)
      attentionForward(
        out: s.atty + r * C, att: s.att + sequences.lowerBound * H * T * T, qkv: s.qkv + r * 3 * C,
        B: sequences.count, T: T, C: C, H: H, causal: causal)
      matmulForward(
        out: s.residual2 + r * C, inp: s.atty + r * C, weight: p + w.attnProjWeight, bias: p + w.attnProjBias,
        rows: n, inChannels: C, outChannels: C, residual: x)
      layerNormForward(
        out: s.ln2 + r * C, mean: s.ln2Mean + r, rstd: s.ln2Rstd + r, inp: s.residual2 + r * C,
        weight: p + w.ln2Weight, bias: p + w.ln2Bias, rows: n, channels: C)
      matmulForward(
        out: s.fch + r * 4 * C, inp: s.ln2 + r * C, weight: p + w.fcWeight, bias: p + w.fcBias, rows: n,
        inChannels: C, outChannels: 4 * C)
      geluForward(out: s.fchGelu + r * 4 * C, sigmoid: s.fchSigmoid + r * 4 * C, inp: s.fch + r * 4 * C, count: n * 4 * C)
      matmulForward(
        out: s.residual3 + r * C, inp: s.fchGelu + r * 4 * C, weight: p + w.fcProjWeight, bias: p + w.fcProjBias,
        rows: n, inChannels: 4 * C, outChannels: C, residual: s.residual2 + r * C)
      x = s.residual3 + r * C
    }
    layerNormForward(
      out: a.lnf + r * C, mean: a.lnfMean + r, rstd: a.lnfRstd + r, inp: x, weight: p + layout.lnfWeight,
      bias: p + layout.lnfBias, rows: n, channels: C)
    logitsForward(logits: a.logits + r * V, inp: a.lnf + r * C, wte: p + layout.wte, rows: n, channels: C, vocab: V)
    crossEntropyRows(
      probs: a.probs + r * V, losses: a.losses + r, logits: a.logits + r * V,
      labels: hasLabels ? UnsafePointer(a.labels + r) : nil, rows: n, vocab: V)
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
