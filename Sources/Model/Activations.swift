/// One block's saved activations, each sized for the largest batch.
struct BlockActivations {
  /// (B, T, C) output of ln_1, with its mean and rstd (B, T).
  let ln1, ln1Mean, ln1Rstd: UnsafeMutablePointer<Float>
  /// (B, T, 3C) fused q, k, v.
  let qkv: UnsafeMutablePointer<Float>
  /// (B, H, T, T) attention weights after softmax.
  let att: UnsafeMutablePointer<Float>
  /// (B, T, C) attention output before the projection, heads concatenated.
  let atty: UnsafeMutablePointer<Float>
  /// (B, T, C) the residual stream after the attention branch.
  let residual2: UnsafeMutablePointer<Float>
  /// (B, T, C) output of ln_2, with its mean and rstd (B, T).
  let ln2, ln2Mean, ln2Rstd: UnsafeMutablePointer<Float>
  /// (B, T, 4C) MLP pre-activation, its GELU, and the GELU's σ(2u) for backward.
  let fch, fchGelu, fchSigmoid: UnsafeMutablePointer<Float>
  /// (B, T, C) the residual stream after the MLP branch: the block's output.
  let residual3: UnsafeMutablePointer<Float>
}

/// Every activation of a forward pass (and, for training, the backward scratch) in one allocation.
///
/// Sized once for `batch × contextLength` so a training step never allocates;
/// a pass with smaller B or T packs its tensors at the start of each region.
final class Activations {
  let batch: Int
  let inputs: UnsafeMutablePointer<Int32>
  let labels: UnsafeMutablePointer<Int32>
  /// (B, T, C) token + position embedding.
  let encoded: UnsafeMutablePointer<Float>
  let blocks: [BlockActivations]
  /// (B, T, C) final LayerNorm output, with mean and rstd (B, T).
  let lnf, lnfMean, lnfRstd: UnsafeMutablePointer<Float>
  /// (B, T, V) logits and their softmax.
  let logits, probs: UnsafeMutablePointer<Float>
  /// (B, T) per-position loss, 0 where ignored.
  let losses: UnsafeMutablePointer<Float>

  // Backward scratch, present only for training.
  /// Three (B, T, C) gradients of the residual stream: as a block's backward
  /// gets it, after its MLP's LayerNorm, and after its attention's LayerNorm,
  /// which is the next block's first (see `GPT.backward`).
  let dresiduals: [UnsafeMutablePointer<Float>]
  /// Two (B, T, C) gradients of LayerNorm outputs: ln_2's (and ln_f's), and ln_1's.
  let dlns: [UnsafeMutablePointer<Float>]
  /// (B, T, C) gradient of the attention output.
  let datty: UnsafeMutablePointer<Float>?
  /// (B, T, 3C) gradient of qkv.
  let dqkv: UnsafeMutablePointer<Float>?
  /// (blocks, T, T) one head's attention gradient for each block of the backward pass (`attentionScratchBlocks`).
  let datt: UnsafeMutablePointer<Float>?
  /// (B, T, 4C) gradient of the MLP activations.
  let dfch: UnsafeMutablePointer<Float>?
  /// (B, T, V) gradient of the logits.
  let dlogits: UnsafeMutablePointer<Float>?

  private let floats: UnsafeMutablePointer<Float>
  private let floatCount: Int

  init(config: ModelConfig, batch: Int, withBackwardScratch: Bool) {
    let c = config.channels, t = config.contextLength, v = config.vocabSize, h = config.heads
    let n = batch * t
    self.batch = batch
    var offsets: [Int] = []
    var total = 0
    func reserve(_ count: Int) -> Int {
      offsets.append(total)
      total += count
      return offsets.count - 1
    }
    let encodedSlot = reserve(n * c)
    var blockSlots: [[Int]] = []
    for _ in 0..<config.layers {
      blockSlots.append([
        reserve(n * c), reserve(n), reserve(n), reserve(n * 3 * c), reserve(batch * h * t * t),
        reserve(n * c), reserve(n * c), reserve(n * c), reserve(n), reserve(n),
        reserve(n * 4 * c), reserve(n * 4 * c), reserve(n * c), reserve(n * 4 * c),
      ])
    }
    let lnfSlots = [reserve(n * c), reserve(n), reserve(n)]
    let logitsSlot = reserve(n * v)
    let probsSlot = reserve(n * v)
    let lossesSlot = reserve(n)
    let scratchSlots = withBackwardScratch
      ? [
        reserve(n * c), reserve(n * c), reserve(n * c), reserve(n * 3 * c), reserve(attentionScratchBlocks(B: batch, H: h) * t * t),
        reserve(n * 4 * c), reserve(n * v), reserve(n * c), reserve(n * c), reserve(n * c),
      ]
      : []
    floatCount = total
    floats = .allocate(capacity: total)
    floats.initialize(repeating: 0, count: total)
    let base = floats
    func at(_ slot: Int) -> UnsafeMutablePointer<Float> { base + offsets[slot] }
    encoded = at(encodedSlot)
    blocks = blockSlots.map { s in
      BlockActivations(
        ln1: at(s[0]), ln1Mean: at(s[1]), ln1Rstd: at(s[2]), qkv: at(s[3]), att: at(s[4]),
        atty: at(s[5]), residual2: at(s[6]), ln2: at(s[7]), ln2Mean: at(s[8]), ln2Rstd: at(s[9]),
        fch: at(s[10]), fchGelu: at(s[11]), fchSigmoid: at(s[13]), residual3: at(s[12]))
    }
    lnf = at(lnfSlots[0])
    lnfMean = at(lnfSlots[1])
    lnfRstd = at(lnfSlots[2])
    logits = at(logitsSlot)
    probs = at(probsSlot)
    losses = at(lossesSlot)
    dresiduals = withBackwardScratch ? [at(scratchSlots[0]), at(scratchSlots[7]), at(scratchSlots[8])] : []
    dlns = withBackwardScratch ? [at(scratchSlots[1]), at(scratchSlots[9])] : []
    datty = withBackwardScratch ? at(scratchSlots[2]) : nil
    dqkv = withBackwardScratch ? at(scratchSlots[3]) : nil
    datt = withBackwardScratch ? at(scratchSlots[4]) : nil
    dfch = withBackwardScratch ? at(scratchSlots[5]) : nil
    dlogits = withBackwardScratch ? at(scratchSlots[6]) : nil
    inputs = .allocate(capacity: n)
    inputs.initialize(repeating: 0, count: n)
    labels = .allocate(capacity: n)
    labels.initialize(repeating: ignoredLabel, count: n)
  }

  deinit {
    floats.deinitialize(count: floatCount)
    floats.deallocate()
    inputs.deallocate()
    labels.deallocate()
  }
}
