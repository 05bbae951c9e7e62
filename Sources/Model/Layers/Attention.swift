/// Rows per block when the causal mask lets attention skip work.
///
/// With the causal mask, rows in block i only see columns before the end of
/// that block, so products run block by block over the lower triangle: at
/// T = 128 this does 5/8 of the full T×T work, at T = 64 3/4. Smaller blocks
/// skip more but make BLAS calls too small to run at speed.
let causalBlock = 32

/// Multi-head self-attention over a fused qkv tensor.
///
/// qkv (B, T, 3C) holds q, k, v side by side in each row; head h uses columns
/// h·hs..<(h+1)·hs of each (hs = C/H). att (B, H, T, T) = softmax(q·kᵀ / √hs)
/// with, when `causal`, entries s > t set to exactly 0; out (B, T, C) = att · v,
/// heads concatenated. `block` is a test hook for the causal block size.
/// `split` runs whole (batch row, head) pairs on separate threads.
package func attentionForward(
  out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>,
  B: Int, T: Int, C: Int, H: Int, causal: Bool, block causalRows: Int = causalBlock, split: WorkSplit = .single
) {
  let hs = C / H
  let scale = Float(1 / Double(hs).squareRoot())
  let rowStride = 3 * C
  let block = causal ? causalRows : T
  out.update(repeating: 0, count: B * T * C)
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
      let headOut = out + b * T * C + h * hs
      for first in stride(from: 0, to: T, by: block) {
        let end = min(T, first + block)
        let columns = causal ? end : T
        for t in first..<end { (weights + t * T).update(repeating: 0, count: columns) }
        // scores[first..<end, 0..<columns] = scale · q[first..<end] · k[0..<columns]ᵀ
        sgemm(
          transposeA: false, transposeB: true, m: end - first, n: columns, k: hs,
          alpha: scale, a: q + first * rowStride, lda: rowStride, b: k, ldb: rowStride,
          beta: 1, c: weights + first * T, ldc: T)
        for t in first..<end {
          let row = weights + t * T
          let visible = causal ? t + 1 : T
          softmaxInPlace(row, visible)
          if visible < T { (row + visible).update(repeating: 0, count: T - visible) }
        }
        // out[first..<end] = att[first..<end, 0..<columns] · v[0..<columns]
        sgemm(
          transposeA: false, transposeB: false, m: end - first, n: hs, k: columns,
          alpha: 1, a: weights + first * T, lda: T, b: v, ldb: rowStride,
          beta: 1, c: headOut + first * C, ldc: C)
      }
    }
  }
}

/// Backward of `attentionForward`: dqkv (B, T, 3C) is overwritten.
///
/// Per head: datt = dout·vᵀ, dv = attᵀ·dout, dpre = att ⊙ (datt − rowsum(att ⊙ datt)),
/// dq = dpre·k / √hs, dk = dpreᵀ·q / √hs. Masked entries have att = 0, so
/// their dpre is 0, and blocks above the diagonal are skipped. scratch holds
/// one head's T×T at a time for each of `split.parts` threads (T·T·parts floats).
package func attentionBackward(
  dqkv: UnsafeMutablePointer<Float>, scratch scratchBase: UnsafeMutablePointer<Float>,
  dout: UnsafePointer<Float>, qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
  B: Int, T: Int, C: Int, H: Int, causal: Bool, block causalRows: Int = causalBlock, split: WorkSplit = .single
) {
  let hs = C / H
  let scale = Float(1 / Double(hs).squareRoot())
  let rowStride = 3 * C
  let block = causal ? causalRows : T
  dqkv.update(repeating: 0, count: B * T * rowStride)
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
      // Row blocks: datt = dout·vᵀ, the softmax backward, then dq = dpre·k.
      for first in stride(from: 0, to: T, by: block) {
        let end = min(T, first + block)
        let columns = causal ? end : T
        for t in first..<end { (scratch + t * T).update(repeating: 0, count: columns) }
        sgemm(
          transposeA: false, transposeB: true, m: end - first, n: columns, k: hs,
          alpha: 1, a: gradient + first * C, lda: C, b: v, ldb: rowStride, beta: 1, c: scratch + first * T, ldc: T)
        for t in first..<end {
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
          transposeA: false, transposeB: false, m: end - first, n: hs, k: columns,
          alpha: scale, a: scratch + first * T, lda: T, b: k, ldb: rowStride, beta: 1, c: dq + first * rowStride, ldc: rowStride)
      }
      // Column blocks: key/value position s only receives from queries t ≥ s when causal.
      for first in stride(from: 0, to: T, by: block) {
        let end = min(T, first + block)
        let rows = causal ? first : 0
        // dv[first..<end] = att[rows..<T, first..<end]ᵀ · dout[rows..<T]
        sgemm(
          transposeA: true, transposeB: false, m: end - first, n: hs, k: T - rows,
          alpha: 1, a: weights + rows * T + first, lda: T, b: gradient + rows * C, ldb: C,
          beta: 1, c: dv + first * rowStride, ldc: rowStride)
        // dk[first..<end] = scale · dpre[rows..<T, first..<end]ᵀ · q[rows..<T]
        sgemm(
          transposeA: true, transposeB: false, m: end - first, n: hs, k: T - rows,
          alpha: scale, a: scratch + rows * T + first, lda: T, b: q + rows * rowStride, ldb: rowStride,
          beta: 1, c: dk + first * rowStride, ldc: rowStride)
      }
    }
  }
}
