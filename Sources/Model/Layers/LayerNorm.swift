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
  split.forEach(count: N, work: 8 * N * C) { rows in
    let first = rows.lowerBound
    nt_layernorm_forward(
      out + first * C, mean + first, rstd + first, inp + first * C, weight, bias, rows.count, C, layerNormEpsilon)
  }
}

/// Backward of `layerNormForward`; dinp, dweight and dbias all accumulate.
///
/// With norm = (x − mean)·rstd and g = weight·dout:
/// dinp += rstd · (g − mean(g) − norm · mean(g · norm)), dweight += norm · dout, dbias += dout.
/// One pass over the rows (`nt_layernorm_backward`); the training step on
/// several threads runs the same arithmetic cut two ways instead, rows for
/// dinp (`nt_layernorm_backward_input`) and columns for the gain and bias
/// (`layerNormParameterBlock`), which give the same bits.
package func layerNormBackward(
  dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
  dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
  mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, rows N: Int, channels C: Int
) {
  nt_layernorm_backward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C)
}

/// How many column blocks a LayerNorm's gain and bias gradients take in a job of parameter gradients.
///
/// A column block holds at least 32 channels (four vectors); each column sums its rows in order, so any cut gives the
/// same bits.
func layerNormParameterBlocks(channels C: Int) -> Int {
  Swift.max(1, Swift.min(4, C / 32))
}

/// Column block `block` of `blocks` of a LayerNorm's parameter gradients: dweight += norm · dout and dbias += dout
/// over all N rows.
@inline(__always)
func layerNormParameterBlock(
  _ block: Int, of blocks: Int, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
  dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
  rows N: Int, channels C: Int
) {
  let columns = WorkSplit.bounds(block, of: blocks, count: C, alignment: 8)
  nt_layernorm_backward_parameters(dweight, dbias, dout, inp, mean, rstd, N, C, columns.lowerBound, columns.upperBound)
}
