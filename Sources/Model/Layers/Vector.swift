// Vector helpers for the kernels: eight Float lanes at a time, with scalar tails.
//
// Swift does not vectorise Float reductions itself (that would reorder the
// additions), and glibc's expf/tanhf are scalar calls, so the hot loops use
// SIMD8<Float> explicitly. Plain multiply-add is used instead of
// `addingProduct`, which becomes a library call per lane on baseline x86-64.

@inline(__always)
func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
  UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
}

/// Lanes of `x` clamped to [lower, upper].
@inline(__always)
func clamp8(_ x: SIMD8<Float>, _ lower: Float, _ upper: Float) -> SIMD8<Float> {
  var y = x.replacing(with: upper, where: x .> upper)
  y = y.replacing(with: lower, where: y .< lower)
  return y
}

/// e^x per lane, within about 2 ulp for x in [−87, 88]; inputs outside are clamped.
///
/// Cephes' method: x = n·ln2 + r with |r| ≤ ln2/2, e^r by Cephes' degree-7
/// polynomial, 2^n built in the exponent bits. n is rounded with the
/// 1.5·2²³ trick, since SIMD rounding is a library call on baseline x86-64.
/// The polynomial is evaluated in Estrin's form: the loops that call this
/// are bound by the latency of one long chain of multiply-adds, and Estrin's
/// tree halves that chain.
@inline(__always)
func exp8(_ input: SIMD8<Float>) -> SIMD8<Float> {
  let x = clamp8(input, -87, 88)
  let magic = SIMD8<Float>(repeating: 12_582_912)  // 1.5·2²³
  let shifted = x * 1.442_695_04 + magic
  let n = shifted - magic
  let r = (x - n * 0.693_359_375) - n * -2.121_944_4e-4
  let r2 = r * r
  let r4 = r2 * r2
  // e^r ≈ 1 + r + c2·r² + c3·r³ + … + c7·r⁷
  let low = (r + 1) + r2 * (r * 1.666_666_55e-1 + 5.000_000_12e-1)
  let high = (r * 8.333_451_9e-3 + 4.166_579_59e-2) + r2 * (r * 1.987_569_15e-4 + 1.398_199_95e-3)
  let er = low + r4 * high
  let exponent = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
  let scale = unsafeBitCast((exponent &+ 127) &<< 23, to: SIMD8<Float>.self)
  return er * scale
}

/// √x per lane, exactly rounded, for x ≥ 0 (or −0).
///
/// Taking the magnitude first lets the compiler prove the input non-negative,
/// so it emits the vector square-root instruction instead of one libm call
/// per lane (kept for errno on negative input).
@inline(__always)
func squareRoot8(_ x: SIMD8<Float>) -> SIMD8<Float> {
  var root = SIMD8<Float>()
  for lane in 0..<8 { root[lane] = x[lane].magnitude.squareRoot() }
  return root
}

/// e^x for one value by the same method as `exp8`, so tails round like the vector body.
@inline(__always)
func exp1(_ x: Float) -> Float {
  exp8(SIMD8(repeating: x))[0]
}

/// Σ x[i] over `count` elements, accumulated in eight lanes.
@inline(__always)
func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
  var acc = SIMD8<Float>()
  var i = 0
  while i + 8 <= count {
    acc += load8(x + i)
    i += 8
  }
  var total = acc.sum()
  while i < count {
    total += x[i]
    i += 1
  }
  return total
}

/// Σ a[i]·b[i] over `count` elements, accumulated in eight lanes.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
  var acc = SIMD8<Float>()
  var i = 0
  while i + 8 <= count {
    acc += load8(a + i) * load8(b + i)
    i += 8
  }
  var total = acc.sum()
  while i < count {
    total += a[i] * b[i]
    i += 1
  }
  return total
}

/// The largest of `count` ≥ 1 elements.
@inline(__always)
func maximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
  var i = 0
  var best = x[0]
  if count >= 8 {
    var acc = load8(x)
    i = 8
    while i + 8 <= count {
      let v = load8(x + i)
      acc = acc.replacing(with: v, where: v .> acc)
      i += 8
    }
    let half = acc.lowHalf.replacing(with: acc.highHalf, where: acc.highHalf .> acc.lowHalf)
    best = Swift.max(Swift.max(half[0], half[1]), Swift.max(half[2], half[3]))
  }
  while i < count {
    if x[i] > best { best = x[i] }
    i += 1
  }
  return best
}

/// y[i] += x[i] for `count` elements.
@inline(__always)
func addInPlace(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int) {
  var i = 0
  while i + 8 <= count {
    store8(load8(y + i) + load8(x + i), y + i)
    i += 8
  }
  while i < count {
    y[i] += x[i]
    i += 1
  }
}

/// out[i] = a[i] + b[i] for `count` elements.
@inline(__always)
func add(_ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) {
  var i = 0
  while i + 8 <= count {
    store8(load8(a + i) + load8(b + i), out + i)
    i += 8
  }
  while i < count {
    out[i] = a[i] + b[i]
    i += 1
  }
}

/// x[i] *= factor for `count` elements.
@inline(__always)
func scaleInPlace(_ x: UnsafeMutablePointer<Float>, _ factor: Float, _ count: Int) {
  var i = 0
  while i + 8 <= count {
    store8(load8(x + i) * factor, x + i)
    i += 8
  }
  while i < count {
    x[i] *= factor
    i += 1
  }
}

/// out[i] = e^(x[i] − shift); returns Σ out[i]. `out` may alias `x`.
@inline(__always)
func expShifted(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ shift: Float, _ count: Int) -> Float {
  var acc = SIMD8<Float>()
  var i = 0
  while i + 8 <= count {
    let e = exp8(load8(x + i) - shift)
    store8(e, out + i)
    acc += e
    i += 8
  }
  var total = acc.sum()
  while i < count {
    let e = exp1(x[i] - shift)
    out[i] = e
    total += e
    i += 1
  }
  return total
}

/// Softmax of a row in place: x ← e^(x − max) / Σ e^(x − max).
@inline(__always)
func softmaxInPlace(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
  let shift = maximum(x, count)
  let total = expShifted(x, x, shift, count)
  scaleInPlace(x, 1 / total, count)
}
