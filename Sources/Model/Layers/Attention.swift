/// Multi-head self-attention over a fused qkv tensor.
///
/// qkv (B, T, 3C) holds q, k, v side by side in each row; head h uses columns
/// h·hs..<(h+1)·hs of each (hs = C/H). att (B, H, T, T) = softmax(q·kᵀ / √hs)
/// with, when `causal`, entries s > t set to exactly 0; out (B, T, C) = att · v,
/// heads concatenated.
package func attentionForward(
  out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>,
  B: Int, T: Int, C: Int, H: Int, causal: Bool
) {
  let hs = C / H
  let scale = Float(1 / Double(hs).squareRoot())
  let rowStride = 3 * C
  out.update(repeating: 0, count: B * T * C)
  for b in 0..<B {
    for h in 0..<H {
      let q = qkv + b * T * rowStride + h * hs
      let k = q + C
      let v = q + 2 * C
      let weights = att + (b * H + h) * T * T
      weights.update(repeating: 0, count: T * T)
      sgemm(
        transposeA: false, transposeB: true, m: T, n: T, k: hs,
        alpha: scale, a: q, lda: rowStride, b: k, ldb: rowStride, beta: 1, c: weights, ldc: T)
      for t in 0..<T {
        let row = weights + t * T
        let visible = causal ? t + 1 : T
        softmaxInPlace(row, visible)
        if visible < T { (row + visible).update(repeating: 0, count: T - visible) }
      }
      sgemm(
        transposeA: false, transposeB: false, m: T, n: hs, k: T,
        alpha: 1, a: weights, lda: T, b: v, ldb: rowStride, beta: 1, c: out + b * T * C + h * hs, ldc: C)
    }
  }
}

/// Backward of `attentionForward`: dqkv (B, T, 3C) is overwritten.
///
/// Per head: datt = dout·vᵀ, dv = attᵀ·dout, dpre = att ⊙ (datt − rowsum(att ⊙ datt)),
/// dq = dpre·k / √hs, dk = dpreᵀ·q / √hs. Masked entries have att = 0, so
/// their dpre is 0. scratch holds one head's T×T at a time.
package func attentionBackward(
  dqkv: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
  dout: UnsafePointer<Float>, qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
  B: Int, T: Int, C: Int, H: Int, causal: Bool
) {
  let hs = C / H
  let scale = Float(1 / Double(hs).squareRoot())
  let rowStride = 3 * C
  dqkv.update(repeating: 0, count: B * T * rowStride)
  for b in 0..<B {
    for h in 0..<H {
      let q = qkv + b * T * rowStride + h * hs
      let k = q + C
      let v = q + 2 * C
      let dq = dqkv + b * T * rowStride + h * hs
      let dk = dq + C
      let dv = dq + 2 * C
      let weights = att + (b * H + h) * T * T
      let gradient = dout + b * T * C + h * hs
      scratch.update(repeating: 0, count: T * T)
      sgemm(
        transposeA: false, transposeB: true, m: T, n: T, k: hs,
        alpha: 1, a: gradient, lda: C, b: v, ldb: rowStride, beta: 1, c: scratch, ldc: T)
      sgemm(
        transposeA: true, transposeB: false, m: T, n: hs, k: T,
        alpha: 1, a: weights, lda: T, b: gradient, ldb: C, beta: 1, c: dv, ldc: rowStride)
      for t in 0..<T {
        let a = weights + t * T
        let d = scratch + t * T
        let visible = causal ? t + 1 : T
        let weighted = dot(a, d, visible)
        var s = 0
        while s + 8 <= visible {
          store8(load8(a + s) * (load8(d + s) - weighted), d + s)
          s += 8
        }
        while s < visible {
          d[s] = a[s] * (d[s] - weighted)
          s += 1
        }
        if visible < T { (d + visible).update(repeating: 0, count: T - visible) }
      }
      sgemm(
        transposeA: false, transposeB: false, m: T, n: hs, k: T,
        alpha: scale, a: scratch, lda: T, b: k, ldb: rowStride, beta: 1, c: dq, ldc: rowStride)
      sgemm(
        transposeA: true, transposeB: false, m: T, n: hs, k: T,
        alpha: scale, a: scratch, lda: T, b: q, ldb: rowStride, beta: 1, c: dk, ldc: rowStride)
    }
  }
}
