#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic random number generator: xoshiro256** seeded through splitmix64.
///
/// The same seed gives the same sequence on every platform: the integer core
/// is exact, `nextFloat()` uses the top 24 bits, and `nextGaussian()` uses
/// Double math (Box–Muller). Randomness is always passed in explicitly.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// Creates a generator whose four words of state are the first four splitmix64 outputs of `seed`.
  public init(seed: UInt64) {
    var mixer = seed
    s0 = Self.splitmix64(&mixer)
    s1 = Self.splitmix64(&mixer)
    s2 = Self.splitmix64(&mixer)
    s3 = Self.splitmix64(&mixer)
  }

  /// One splitmix64 step: advances `state` and returns the mixed output.
  package static func splitmix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @inline(__always)
  private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = Self.rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = Self.rotl(s3, 45)
    return result
  }

  /// A uniform Float in [0, 1): the top 24 bits of `next()` times 2⁻²⁴.
  public mutating func nextFloat() -> Float {
    Float(next() >> 40) * 0x1p-24
  }

  /// A uniform Double in [0, 1): the top 53 bits of `next()` times 2⁻⁵³.
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// A standard normal sample by Box–Muller in Double math; consumes exactly two `next()` values.
  ///
  /// z = sqrt(−2 ln(1 − u₁)) · cos(2π u₂) with u₁, u₂ from `nextDouble()`
  /// (1 − u₁ lies in (0, 1], so the logarithm is finite).
  public mutating func nextGaussian() -> Double {
    let u1 = nextDouble()
    let u2 = nextDouble()
    return (-2 * log(1 - u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// A uniform integer in 0..<bound by rejection (unbiased, platform independent).
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    let range = UInt64(bound)
    let limit = UInt64.max - UInt64.max % range
    while true {
      let value = next()
      if value < limit { return Int(value % range) }
    }
  }

  /// Splits off an independent child generator, advancing this one by one step.
  public mutating func split() -> SeededGenerator {
    SeededGenerator(seed: next())
  }

  /// A child generator for a numbered stream, derived from the current state without advancing it.
  ///
  /// The same state and stream number always give the same child; different
  /// stream numbers give unrelated sequences.
  public func derive(stream: UInt64) -> SeededGenerator {
    var mixer = s0 ^ Self.rotl(s1, 17) ^ Self.rotl(s2, 31) ^ Self.rotl(s3, 47)
    mixer ^= stream &* 0xD1B5_4A32_D192_ED03
    return SeededGenerator(seed: Self.splitmix64(&mixer))
  }
}
