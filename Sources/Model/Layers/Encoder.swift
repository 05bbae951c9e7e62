/// Token plus position embedding.
///
/// out (B, T, C) = wte[inputs[b, t]] + wpe[t]; inputs (B, T) ids in 0..<V,
/// wte (V, C), wpe (contextLength, C).
package func encoderForward(
  out: UnsafeMutablePointer<Float>, inputs: UnsafePointer<Int32>,
  wte: UnsafePointer<Float>, wpe: UnsafePointer<Float>, B: Int, T: Int, C: Int
) {
  for b in 0..<B {
    for t in 0..<T {
      let row = out + (b * T + t) * C
      let token = wte + Int(inputs[b * T + t]) * C
      let position = wpe + t * C
      var i = 0
      while i + 8 <= C {
        store8(load8(token + i) + load8(position + i), row + i)
        i += 8
      }
      while i < C {
        row[i] = token[i] + position[i]
        i += 1
      }
    }
  }
}

/// Backward of `encoderForward`: dwte[inputs[b, t]] += dout[b, t] and dwpe[t] += dout[b, t] (both accumulate).
package func encoderBackward(
  dwte: UnsafeMutablePointer<Float>, dwpe: UnsafeMutablePointer<Float>,
  dout: UnsafePointer<Float>, inputs: UnsafePointer<Int32>, B: Int, T: Int, C: Int
) {
  for b in 0..<B {
    for t in 0..<T {
      let gradient = dout + (b * T + t) * C
      addInPlace(dwte + Int(inputs[b * T + t]) * C, gradient, C)
      addInPlace(dwpe + t * C, gradient, C)
    }
  }
}
