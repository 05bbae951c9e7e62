// Vector helpers for the Swift kernels: eight Float lanes at a time, with scalar tails.
//
// Plain multiply-add is used instead of `addingProduct`, which becomes a
// library call per lane on baseline x86-64. The heaviest elementwise loops
// (GELU, LayerNorm, softmaxes) live in CKernels instead, where they can be
// built for AVX2 + FMA and picked at run time.

@inline(__always)
func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
  UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
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
