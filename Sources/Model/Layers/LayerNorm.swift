/// The ε added to the variance, as in GPT-2.
package let layerNormEpsilon: Float = 1e-5

/// LayerNorm over the last dimension, with gain and bias.
///
/// out (N, C) = (inp − mean) · rstd · weight + bias, with the biased variance
/// and rstd = 1/√(var + 1e-5); mean (N) and rstd (N) are kept for backward.
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
    layerNormForward(out: out, mean: mean, rstd: rstd, inp: inp, weight: weight, bias: bias, rows: rows, channels: C)
  }
}

/// `layerNormForward` over the rows in `rows`.
private func layerNormForward(
  out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
  inp: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, rows: Range<Int>, channels C: Int
) {
  let inverseC = 1 / Float(C)
  for row in rows {
    let x = inp + row * C
    let y = out + row * C
    let m = sum(x, C) * inverseC
    var acc = SIMD8<Float>()
    var i = 0
    while i + 8 <= C {
      let d = load8(x + i) - m
      acc += d * d
      i += 8
    }
    var variance = acc.sum()
    while i < C {
      let d = x[i] - m
      variance += d * d
      i += 1
    }
    variance *= inverseC
    let s = 1 / (variance + layerNormEpsilon).magnitude.squareRoot()
    i = 0
    while i + 8 <= C {
      store8((load8(x + i) - m) * s * load8(weight + i) + load8(bias + i), y + i)
      i += 8
    }
    while i < C {
      y[i] = (x[i] - m) * s * weight[i] + bias[i]
      i += 1
    }
    mean[row] = m
    rstd[row] = s
  }
}

/// Backward of `layerNormForward`; dinp, dweight and dbias all accumulate.
///
/// With norm = (x − mean)·rstd and g = weight·dout:
/// dinp += rstd · (g − mean(g) − norm · mean(g · norm)), dweight += norm · dout, dbias += dout.
package func layerNormBackward(
  dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
  dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
  mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, rows N: Int, channels C: Int
) {
  let inverseC = 1 / Float(C)
  for row in 0..<N {
    let x = inp + row * C
    let g = dout + row * C
    let dx = dinp + row * C
    let m = mean[row]
    let s = rstd[row]
    var accMean = SIMD8<Float>()
    var accNorm = SIMD8<Float>()
    var i = 0
    while i + 8 <= C {
      let norm = (load8(x + i) - m) * s
      let dnorm = load8(weight + i) * load8(g + i)
      accMean += dnorm
      accNorm += dnorm * norm
      i += 8
    }
    var dnormMean = accMean.sum()
    var dnormNormMean = accNorm.sum()
    while i < C {
      let norm = (x[i] - m) * s
      let dnorm = weight[i] * g[i]
      dnormMean += dnorm
      dnormNormMean += dnorm * norm
      i += 1
    }
    dnormMean *= inverseC
    dnormNormMean *= inverseC
    i = 0
    while i + 8 <= C {
      let norm = (load8(x + i) - m) * s
      let go = load8(g + i)
      let dnorm = load8(weight + i) * go
      store8(load8(dbias + i) + go, dbias + i)
      store8(load8(dweight + i) + norm * go, dweight + i)
      store8(load8(dx + i) + (dnorm - dnormMean - norm * dnormNormMean) * s, dx + i)
      i += 8
    }
    while i < C {
      let norm = (x[i] - m) * s
      let dnorm = weight[i] * g[i]
      dbias[i] += g[i]
      dweight[i] += norm * g[i]
      dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s
      i += 1
    }
  }
}
