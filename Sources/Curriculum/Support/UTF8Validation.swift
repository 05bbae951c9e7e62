/// Strict UTF-8 decoding that reports where the first bad byte is.
///
/// Foundation only says "not UTF-8"; authors need the byte offset and line to fix a file.
package enum UTF8Validation {
  /// Where a byte sequence stops being valid UTF-8.
  package struct Failure: Sendable, Equatable {
    /// Zero-based offset of the first byte that does not start or continue a valid sequence.
    package let offset: Int
    /// That byte.
    package let byte: UInt8
    /// One-based line of that byte (newlines before it, plus one).
    package let line: Int
  }

  /// The first invalid position in `bytes`, or nil when all of it is valid UTF-8.
  package static func firstFailure(in bytes: [UInt8]) -> Failure? {
    var index = 0
    var line = 1
    while index < bytes.count {
      let byte = bytes[index]
      if byte < 0x80 {
        if byte == 0x0A { line += 1 }
        index += 1
        continue
      }
      guard let (_, length) = decodeScalar(bytes, at: index) else {
        return Failure(offset: index, byte: byte, line: line)
      }
      index += length
    }
    return nil
  }

  /// Decodes one scalar at `index`, or nil when the bytes there are not a valid,
  /// shortest-form UTF-8 sequence (no surrogates, nothing above U+10FFFF).
  package static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
    let lead = bytes[index]
    let length: Int
    let minimum: UInt32
    var value: UInt32
    switch lead {
    case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
    case 0xC2...0xDF: length = 2; minimum = 0x80; value = UInt32(lead & 0x1F)
    case 0xE0...0xEF: length = 3; minimum = 0x800; value = UInt32(lead & 0x0F)
    case 0xF0...0xF4: length = 4; minimum = 0x10000; value = UInt32(lead & 0x07)
    default: return nil
    }
    guard index + length <= bytes.count else { return nil }
    for offset in 1..<length {
      let next = bytes[index + offset]
      guard next & 0xC0 == 0x80 else { return nil }
      value = value << 6 | UInt32(next & 0x3F)
    }
    guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
    return (scalar, length)
  }
}
