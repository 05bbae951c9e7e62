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
    /// One-based column of that byte: characters (scalars) before it on its line, plus one.
    package let column: Int
    /// The UTF-16 surrogate (U+D800–U+DFFF) the bytes encode, when that is what is wrong.
    package let surrogate: UInt32?

    /// What is wrong, e.g. "not valid UTF-8 (byte <0xE9> at byte offset 14)".
    package var problem: String {
      if let surrogate {
        let bytes = [0xE0 | UInt8(surrogate >> 12), 0x80 | UInt8((surrogate >> 6) & 0x3F), 0x80 | UInt8(surrogate & 0x3F)]
        let hex = bytes.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
        return "not valid UTF-8 (bytes \(hex) at byte offset \(offset) encode the UTF-16 surrogate U+\(String(surrogate, radix: 16, uppercase: true)), which UTF-8 does not allow)"
      }
      return "not valid UTF-8 (byte \(TokenDisplay.byteEscape(byte)) at byte offset \(offset))"
    }
  }

  /// The first invalid position in `bytes`, or nil when all of it is valid UTF-8.
  package static func firstFailure(in bytes: [UInt8]) -> Failure? {
    var index = 0
    var line = 1
    var column = 1
    while index < bytes.count {
      let byte = bytes[index]
      if byte < 0x80 {
        if byte == 0x0A {
          line += 1
          column = 0
        }
        column += 1
        index += 1
        continue
      }
      guard let (_, length) = decodeScalar(bytes, at: index) else {
        return Failure(offset: index, byte: byte, line: line, column: column, surrogate: surrogate(bytes, at: index))
      }
      column += 1
      index += length
    }
    return nil
  }

  /// The surrogate code point encoded at `index` in the three bytes ED A0 80 – ED BF BF, if any.
  static func surrogate(_ bytes: [UInt8], at index: Int) -> UInt32? {
    guard index + 2 < bytes.count, bytes[index] == 0xED, (0xA0...0xBF).contains(bytes[index + 1]),
      bytes[index + 2] & 0xC0 == 0x80
    else { return nil }
    return 0xD000 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
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
