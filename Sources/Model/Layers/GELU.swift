/// √(2/π), the GELU tanh approximation's inner scale.
private let geluScale: Float = 0.797_884_560_802_865_4
/// The cubic coefficient of the GELU tanh approximation.
private let geluCubic: Float = 0.044_715

/// GELU, tanh approximation: out = 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³).
///
/// out (count), inp (count). Computed as x·σ(2u), the same function, since
/// 0.5·(1 + tanh(u)) = σ(2u) and one vector exp is far cheaper than tanhf.
package func geluForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
  var i = 0
  while i + 8 <= count {
    let x = load8(inp + i)
    let u = geluScale * (x + geluCubic * x * x * x)
    store8(x / (1 + exp8(-2 * u)), out + i)
    i += 8
  }
  while i < count {
    let x = inp[i]
    let u = geluScale * (x + geluCubic * x * x * x)
    out[i] = x / (1 + exp1(-2 * u))
    i += 1
  }
}

/// Backward of `geluForward`: dinp = dout · gelu′(inp), overwritten; `dinp` may alias `dout`.
///
/// With s = σ(2u): gelu′(x) = s + x · 2s(1 − s) · √(2/π)·(1 + 3·0.044715·x²).
package func geluBackward(dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>, count: Int) {
  var i = 0
  while i + 8 <= count {
    let x = load8(inp + i)
    let x2 = x * x
    let u = geluScale * (x + geluCubic * x2 * x)
    let s = 1 / (1 + exp8(-2 * u))
    let du = geluScale * (1 + 3 * geluCubic * x2)
    let slope = s + x * 2 * s * (1 - s) * du
    store8(slope * load8(dout + i), dinp + i)
    i += 8
  }
  while i < count {
    let x = inp[i]
    let x2 = x * x
    let u = geluScale * (x + geluCubic * x2 * x)
    let s = 1 / (1 + exp1(-2 * u))
    let du = geluScale * (1 + 3 * geluCubic * x2)
    dinp[i] = (s + x * 2 * s * (1 - s) * du) * dout[i]
    i += 1
  }
}
