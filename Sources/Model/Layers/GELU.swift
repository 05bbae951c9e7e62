import CKernels

/// GELU, tanh approximation: out = 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³).
///
/// out (count), sigmoid (count), inp (count). Computed as x·σ(2u), the same
/// function, since 0.5·(1 + tanh(u)) = σ(2u) and one vector exp is far
/// cheaper than tanhf; σ(2u) is kept so backward needs no second exp. The
/// loop is `nt_gelu_forward`, built for AVX2 + FMA where the CPU has them.
package func geluForward(
  out: UnsafeMutablePointer<Float>, sigmoid: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int,
  split: WorkSplit = .single
) {
  nonisolated(unsafe) let out = out
  nonisolated(unsafe) let sigmoid = sigmoid
  nonisolated(unsafe) let inp = inp
  split.forEach(count: count, work: 24 * count, alignment: 8) { range in
    let start = range.lowerBound
    nt_gelu_forward(out + start, sigmoid + start, inp + start, range.count)
  }
}

/// Backward of `geluForward`: dinp = dout · gelu′(inp), overwritten; `dinp` may alias `dout`.
///
/// With s = σ(2u) from the forward pass:
/// gelu′(x) = s + x · 2s(1 − s) · √(2/π)·(1 + 3·0.044715·x²).
package func geluBackward(
  dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, sigmoid: UnsafePointer<Float>,
  dout: UnsafePointer<Float>, count: Int, split: WorkSplit = .single
) {
  nonisolated(unsafe) let dinp = dinp
  nonisolated(unsafe) let inp = inp
  nonisolated(unsafe) let sigmoid = sigmoid
  nonisolated(unsafe) let dout = dout
  split.forEach(count: count, work: 12 * count, alignment: 8) { range in
    let start = range.lowerBound
    nt_gelu_backward(dinp + start, inp + start, sigmoid + start, dout + start, range.count)
  }
}
