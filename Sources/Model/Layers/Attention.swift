import CKernels

/// Multi-head self-attention over a fused qkv tensor.
///
/// qkv (B, T, 3C) holds q, k, v side by side in each row; head h uses columns
/// h·hs..<(h+1)·hs of each (hs = C/H). att (B, H, T, T) = softmax(q·kᵀ / √hs)
/// with, when `causal`, entries s > t set to exactly 0; out (B, T, C) = att · v,
/// heads concatenated. Each head's two products are single calls of the small
/// kernel, which skips the blocks the causal mask zeroes. `split` runs blocks
/// of whole (batch row, head) pairs on its threads; `kernel` is a test hook.
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
  let prefetches = attentionPrefetches(B: B, T: T, H: H)
  split.forEachBlock(count: B * H, work: 4 * B * H * T * T * hs) { _, pairs in
    var ahead = RowsAhead()
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
      // The next pair's q, k and v, and the weights and output it writes, come in while this softmax runs.
      ahead.removeAll()
      if prefetches, pair + 1 < pairs.upperBound {
        let nb = (pair + 1) / H, nh = (pair + 1) % H
        let nq = qkv + nb * T * rowStride + nh * hs
        for part in 0..<3 { ahead.append(nq + part * C, stride: rowStride, floats: hs) }
        ahead.append(att + (pair + 1) * T * T, stride: T, floats: T, write: true)
        ahead.append(out + nb * T * C + nh * hs, stride: C, floats: hs, write: true)
      }
      ahead.withRows { rows, count in nt_attention_softmax(weights, T, causal ? 1 : 0, rows, count) }
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
/// at a time for each block of pairs: `attentionScratchBlocks(B:H:)`·T·T floats.
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
  let prefetches = attentionPrefetches(B: B, T: T, H: H)
  split.forEachBlock(
    count: B * H, work: 8 * B * H * T * T * hs, maximumBlocks: attentionScratchBlocks(B: B, H: H)
  ) { block, pairs in
    let scratch = scratchBase + block * T * T
    var ahead = RowsAhead()
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
      // Everything the next pair reads and writes comes in while this softmax runs.
      ahead.removeAll()
      if prefetches, pair + 1 < pairs.upperBound {
        let nb = (pair + 1) / H, nh = (pair + 1) % H
        let nq = qkv + nb * T * rowStride + nh * hs, ndq = dqkv + nb * T * rowStride + nh * hs
        ahead.append(att + (pair + 1) * T * T, stride: T, floats: T, lower: causal)
        ahead.append(dout + nb * T * C + nh * hs, stride: C, floats: hs)
        for part in 0..<3 {
          ahead.append(nq + part * C, stride: rowStride, floats: hs)
          ahead.append(ndq + part * C, stride: rowStride, floats: hs, write: true)
        }
      }
      ahead.withRows { rows, count in nt_attention_softmax_backward(scratch, weights, T, causal ? 1 : 0, rows, count) }
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

/// The T×T scratch areas `attentionBackward` needs for B·H (batch row, head) pairs: one per block of pairs.
///
/// At most 16 blocks, so the scratch stays small beside the attention weights themselves.
package func attentionScratchBlocks(B: Int, H: Int) -> Int {
  Swift.min(B * H, 16)
}

/// Whether attention's kernels prefetch the next pair's rows: only when its weights alone outgrow the cache.
///
/// Small heads stay in cache from one pass to the next, and there the
/// prefetches themselves cost more than they save (S lost 2%).
func attentionPrefetches(B: Int, T: Int, H: Int) -> Bool {
  B * H * T * T * MemoryLayout<Float>.size >= 1 << 18
}

/// Up to eight matrices whose rows a softmax kernel prefetches for the next (batch row, head) pair (`nt_rows_ahead`).
///
/// Prefetching only asks the caches for memory, so the results are the same
/// with or without it; it saves the next pair the misses on its q, k, v and
/// weights, whose 64-byte slices of wide rows the hardware does not foresee.
struct RowsAhead {
  private var rows = (
    nt_rows_ahead(), nt_rows_ahead(), nt_rows_ahead(), nt_rows_ahead(), nt_rows_ahead(), nt_rows_ahead(),
    nt_rows_ahead(), nt_rows_ahead())
  private var count = 0

  mutating func removeAll() { count = 0 }

  /// Adds a matrix: row t starts at start + t·stride, and the next pair uses `floats` of it (t + 1 when `lower`).
  mutating func append(_ start: UnsafePointer<Float>, stride: Int, floats: Int, write: Bool = false, lower: Bool = false) {
    precondition(count < 8, "at most eight matrices ahead")
    let entry = nt_rows_ahead(start: start, stride: stride, floats: floats, write: write ? 1 : 0, lower: lower ? 1 : 0)
    withUnsafeMutableBytes(of: &rows) { $0.bindMemory(to: nt_rows_ahead.self)[count] = entry }
    count += 1
  }

  /// Calls `body` with the matrices as a C array and their count.
  mutating func withRows<R>(_ body: (UnsafePointer<nt_rows_ahead>, Int32) -> R) -> R {
    let count = Int32(self.count)
    return withUnsafeMutableBytes(of: &rows) { body($0.bindMemory(to: nt_rows_ahead.self).baseAddress!, count) }
  }
}
