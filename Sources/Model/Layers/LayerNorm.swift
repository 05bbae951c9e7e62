import CKernels

/// The ε added to the variance, as in GPT-2.
package let layerNormEpsilon: Float = 1e-5

/// LayerNorm over the last dimension, with gain and bias.
///
/// out (N, C) = (inp − mean) · rstd · weight + bias, with the biased variance
/// and rstd = 1/√(var + 1e-5); mean (N) and rstd (N) are kept for backward.
/// The row loop is `nt_layernorm_forward`, built for AVX2 + FMA where present.
package func layerNormForward(
  out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
  inp: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, rows N: Int, channels C: Int,
  split: WorkSplit = .single
) {
  nonisolated(unsafe) let out = out
  nonisolated(unsafe) let mean = mean
  nonisolated(unsafe) let rstd = rstd
  nonisolated(unsafe) let inp = inp
  nonisolated(unsafe) let weight = weight
  nonisolated(unsafe) let bias = bias
  split.forEach(count: N, work: layerNormWork(rows: N, channels: C)) { rows in
    let first = rows.lowerBound
    nt_layernorm_forward(
      out + first * C, mean + first, rstd + first, inp + first * C, weight, bias, rows.count, C, layerNormEpsilon)
  }
}

/// Backward of `layerNormForward`; dinp, dweight and dbias all accumulate.
///
/// With norm = (x − mean)·rstd and g = weight·dout:
/// dinp += rstd · (g − mean(g) − norm · mean(g · norm)), dweight += norm · dout, dbias += dout.
/// On several threads dinp runs in row blocks and dweight and dbias, which
/// sum over every row, in column blocks of whole vector lanes, each column
/// summing its rows in order; on one, a single pass does all three. Each
/// element's arithmetic is the same either way, so every thread count gives
/// the same bits.
package func layerNormBackward(
  dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
  dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
  mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, rows N: Int, channels C: Int, split: WorkSplit = .single
) {
  nonisolated(unsafe) let dinp = dinp, dweight = dweight, dbias = dbias, dout = dout, inp = inp, weight = weight
  nonisolated(unsafe) let mean = mean, rstd = rstd
  // About half as costly again as the forward pass: two passes over each row, three outputs.
  let work = 3 * layerNormWork(rows: N, channels: C) / 2
  let rowBlocks = split.blocks(count: N, work: work)
  // The gain and bias pass is about a third of the whole; a column block holds at least one vector.
  let columnBlocks = Swift.max(1, Swift.min((rowBlocks + 1) / 2, C / 8))
  guard split.threads > 1, rowBlocks > 1 else {
    // One thread: the one-pass kernel, which reads each row once (the same bits as the cut one).
    nt_layernorm_backward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C)
    return
  }
  split.run(blocks: rowBlocks + columnBlocks, work: work) { block in
    if block < rowBlocks {
      let rows = WorkSplit.bounds(block, of: rowBlocks, count: N, alignment: 1)
      let first = rows.lowerBound
      nt_layernorm_backward_input(
        dinp + first * C, dout + first * C, inp + first * C, weight, mean + first, rstd + first, rows.count, C)
    } else {
      let columns = WorkSplit.bounds(block - rowBlocks, of: columnBlocks, count: C, alignment: 8)
      nt_layernorm_backward_parameters(
        dweight, dbias, dout, inp, mean, rstd, N, C, columns.lowerBound, columns.upperBound)
    }
  }
}

/// What a LayerNorm pass over (rows × channels) costs, in the split's units of work.
///
/// It streams its rows from memory at a few operations per value, so it takes
/// about eight times as long as its arithmetic alone would suggest (measured at
/// the M size: 45 µs a pass on one core, where a block of work is about 50 µs).
func layerNormWork(rows N: Int, channels C: Int) -> Int { 64 * N * C }
