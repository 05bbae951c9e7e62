/// Deterministic random operations that do not depend on the standard library's algorithms.
///
/// `Double.random(in:using:)` and `Int.random(in:using:)` may change between Swift
/// releases; a batch must be the same on every platform and toolchain, so the few
/// operations needed are spelled out here.
package enum Randomness {
  /// A uniform double in [0, 1) from the top 53 bits of one draw.
  @inline(__always)
  package static func unit(_ generator: inout some RandomNumberGenerator) -> Double {
    Double(generator.next() >> 11) * 0x1.0p-53
  }

  /// A uniform integer in 0..<bound (bound > 0), by Lemire's multiply-and-reject method.
  package static func below(_ bound: Int, _ generator: inout some RandomNumberGenerator) -> Int {
    precondition(bound > 0, "bound must be positive")
    let range = UInt64(bound)
    var product = generator.next().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold {
        product = generator.next().multipliedFullWidth(by: range)
      }
    }
    return Int(product.high)
  }

  /// Fisher–Yates shuffle, last index first.
  package static func shuffle<T>(_ values: inout [T], _ generator: inout some RandomNumberGenerator) {
    guard values.count > 1 else { return }
    for index in stride(from: values.count - 1, to: 0, by: -1) {
      let other = below(index + 1, &generator)
      if other != index { values.swapAt(index, other) }
    }
  }

  /// Mixes several values into one well-spread seed (SplitMix64's finaliser per value).
  package static func mix(_ values: UInt64...) -> UInt64 {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for value in values {
      state = SplitMix64.finalise((state ^ value) &+ 0x9E37_79B9_7F4A_7C15)
    }
    return state
  }
}

/// SplitMix64: a tiny, well-mixed generator for deriving per-epoch and per-batch streams
/// from one seed, so any batch can be rebuilt from its position alone.
package struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  package init(seed: UInt64) {
    state = seed
  }

  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return Self.finalise(state)
  }

  @inline(__always)
  package static func finalise(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
