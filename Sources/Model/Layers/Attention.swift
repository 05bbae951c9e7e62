import CKernels

/// Multi-head self-attention over a fused qkv tensor.
///
/// qkv (B, T, 3C) holds q, k, v side by side in each row; head h uses columns
/// h·hs..<(h+1)·hs of each (hs = C/H). att (B, H, T, T) = softmax(q·kᵀ / √hs)
/// with, when `causal`, entries s > t set to exactly 0; out (B, T, C) = att · v,
/// heads concatenated. Each head's two products are single calls of the small
/// kernel, which skips the blocks the causal mask zeroes. `split` runs whole
/// (batch row, head) pairs on separate threads; `kernel` is a test hook.
package func attentionForward(
  out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>,
  B: Int, T: Int, C: Int, H: Int, causal: Bool, split: WorkSplit = .single, kernel: SmallProductKernel = .fastest
) {
  let hs = C / H
  let scale = Float(1 / Double(hs).squareRoot())
  let rowStride = 3 * C
  nonisolated(unsafe) let out = out
  nonisolated(unsafe) let att = att
  nonisolated(unsafe) let qkv = qkv
  split.forEach(count: B * H, work: 4 * B * H * T * T * hs) { pairs in
    for pair in pairs {
      let b = pair / H, h = pair % H
      let q = qkv + b * T * rowStride + h * hs
      let k = q + C
      let v = q + 2 * C
      let weights = att + (b * H + h) * T * T
      // scores = scale · q · kᵀ (lower triangle only when causal)
      smallSgemm(
        transposeA: false, transposeB: true, m: T, n: T, k: hs,
        alpha: scale, a: q, lda: rowStride, b: k, ldb: rowStride,
        beta: 0, c: weights, ldc: T, triangle: causal ? .lowerC : .none, kernel: kernel)
      nt_attention_softmax(weights, T, causal ? 1 : 0)
      // out = att · v
      smallSgemm(
        transposeA: false, transposeB: false, m: T, n: hs, k: T,
        alpha: 1, a: weights, lda: T, b: v, ldb: rowStride,
        beta: 0, c: out + b * T * C + h * hs, ldc: C, triangle: causal ? .lowerA : .none, kernel: kernel)
    }
  }
}

/// Backward of `attentionForward`: dqkv (B, T, 3C) is overwritten.
///
/// Per head: datt = dout·vᵀ, dv = attᵀ·dout, dpre = att ⊙ (datt − rowsum(att ⊙ datt)),
/// dq = dpre·k / √hs, dk = dpreᵀ·q / √hs. Masked entries have att = 0, so
/// their dpre is 0, and the kernel skips them. scratch holds one head's T×T
/// at a time for each of `split.parts` threads (T·T·parts floats).
package func attentionBackward(
  dqkv: UnsafeMutablePointer<Float>, scratch scratchBase: UnsafeMutablePointer<Float>,
  dout: UnsafePointer<Float>, qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
  B: Int, T: Int, C: Int, H: Int, causal: Bool, split: WorkSplit = .single, kernel: SmallProductKernel = .fastest
) {
  let hs = C / H
  let scale = Float(1 / Double(hs).squareRoot())
  let rowStride = 3 * C
  nonisolated(unsafe) let dqkv = dqkv
  nonisolated(unsafe) let scratchBase = scratchBase
  nonisolated(unsafe) let dout = dout
  nonisolated(unsafe) let qkv = qkv
  nonisolated(unsafe) let att = att
  split.forEachPart(count: B * H, work: 8 * B * H * T * T * hs) { part, pairs in
    let scratch = scratchBase + part * T * T
    for pair in pairs {
      let b = pair / H, h = pair % H
      let q = qkv + b * T * rowStride + h * hs
      let k = q + C
      let v = q + 2 * C
      let dq = dqkv + b * T * rowStride + h * hs
      let dk = dq + C
      let dv = dq + 2 * C
      let weights = att + (b * H + h) * T * T
      let gradient = dout + b * T * C + h * hs
      // datt = dout · vᵀ, then the softmax backward in place.
      smallSgemm(
        transposeA: false, transposeB: true, m: T, n: T, k: hs,
        alpha: 1, a: gradient, lda: C, b: v, ldb: rowStride, beta: 0, c: scratch, ldc: T,
        triangle: causal ? .lowerC : .none, kernel: kernel)
      nt_attention_softmax_backward(scratch, weights, T, causal ? 1 : 0)
      // dq = scale · dpre · k
      smallSgemm(
        transposeA: false, transposeB: false, m: T, n: hs, k: T,
        alpha: scale, a: scratch, lda: T, b: k, ldb: rowStride, beta: 0, c: dq, ldc: rowStride,
        triangle: causal ? .lowerA : .none, kernel: kernel)
      // dv = attᵀ · dout: key position s only receives from queries t ≥ s when causal.
      smallSgemm(
        transposeA: true, transposeB: false, m: T, n: hs, k: T,
        alpha: 1, a: weights, lda: T, b: gradient, ldb: C, beta: 0, c: dv, ldc: rowStride,
        triangle: causal ? .upperA : .none, kernel: kernel)
      // dk = scale · dpreᵀ · q
      smallSgemm(
        transposeA: true, transposeB: false, m: T, n: hs, k: T,
        alpha: scale, a: scratch, lda: T, b: q, ldb: rowStride, beta: 0, c: dk, ldc: rowStride,
        triangle: causal ? .upperA : .none, kernel: kernel)
    }
  }
}
