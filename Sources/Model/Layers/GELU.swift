/// √(2/π), the GELU tanh approximation's inner scale.
private let geluScale: Float = 0.797_884_560_802_865_4
/// The cubic coefficient of the GELU tanh approximation.
private let geluCubic: Float = 0.044_715
/// −2u = x·(a + b·x²) with these two constants, one multiply-add shorter.
private let minusTwoScale: Float = -2 * geluScale
private let minusTwoScaleCubic: Float = -2 * geluScale * geluCubic

/// GELU, tanh approximation: out = 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³).
///
/// out (count), sigmoid (count), inp (count). Computed as x·σ(2u), the same
/// function, since 0.5·(1 + tanh(u)) = σ(2u) and one vector exp is far
/// cheaper than tanhf; σ(2u) is kept so backward needs no second exp.
package func geluForward(
  out: UnsafeMutablePointer<Float>, sigmoid: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int,
  split: WorkSplit = .single
) {
  nonisolated(unsafe) let out = out
  nonisolated(unsafe) let sigmoid = sigmoid
  nonisolated(unsafe) let inp = inp
  split.forEach(count: count, work: 24 * count, alignment: 8) { range in
    geluForward(out: out, sigmoid: sigmoid, inp: inp, range: range)
  }
}

/// `geluForward` over the elements in `range`.
private func geluForward(
  out: UnsafeMutablePointer<Float>, sigmoid: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, range: Range<Int>
) {
  let count = range.upperBound
  var i = range.lowerBound
  while i + 8 <= count {
    let x = load8(inp + i)
    let s = 1 / (1 + exp8(x * (minusTwoScaleCubic * (x * x) + minusTwoScale)))
    store8(s, sigmoid + i)
    store8(x * s, out + i)
    i += 8
  }
  while i < count {
    let x = inp[i]
    let s = 1 / (1 + exp1(x * (minusTwoScaleCubic * (x * x) + minusTwoScale)))
    sigmoid[i] = s
    out[i] = x * s
    i += 1
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
    geluBackward(dinp: dinp, inp: inp, sigmoid: sigmoid, dout: dout, range: range)
  }
}

/// `geluBackward` over the elements in `range`.
private func geluBackward(
  dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, sigmoid: UnsafePointer<Float>,
  dout: UnsafePointer<Float>, range: Range<Int>
) {
  let count = range.upperBound
  var i = range.lowerBound
  while i + 8 <= count {
    let x = load8(inp + i)
    let s = load8(sigmoid + i)
    let du = geluScale * (1 + 3 * geluCubic * x * x)
    let slope = s + x * 2 * s * (1 - s) * du
    store8(slope * load8(dout + i), dinp + i)
    i += 8
  }
  while i < count {
    let x = inp[i]
    let s = sigmoid[i]
    let du = geluScale * (1 + 3 * geluCubic * x * x)
    dinp[i] = (s + x * 2 * s * (1 - s) * du) * dout[i]
    i += 1
  }
}
