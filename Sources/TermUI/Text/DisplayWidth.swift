/// How many terminal columns a grapheme covers: 0, 1 or 2.
///
/// Computed from Unicode properties in pure Swift so that layout never depends
/// on the C library's locale tables: East Asian Wide and Fullwidth ranges and
/// emoji presentation are 2, combining marks, joiners and variation selectors
/// add nothing, control characters are 0.
public func displayWidth(of character: Character) -> Int {
  measure(character).width
}

/// A grapheme's width and, when it is a single scalar, that scalar's value (0 otherwise).
///
/// The scalar value lets cells compare with one integer test instead of a
/// Unicode-aware string comparison; one pass over the scalars yields both.
@inline(__always)
func measure(_ character: Character) -> (width: Int, scalar: UInt32) {
  let scalars = character.unicodeScalars
  var iterator = scalars.makeIterator()
  let first = iterator.next()!
  guard let second = iterator.next() else {
    let v = first.value
    // Fast path: printable ASCII is the overwhelming majority of what is drawn.
    if v < 0x7F { return (v >= 0x20 ? 1 : 0, v) }
    return (scalarWidth(first), v)
  }
  if first.value == 0x0D && second.value == 0x0A { return (0, 0) }
  var width = scalarWidth(first)
  var isRegionalPair = false
  var next: Unicode.Scalar? = second
  while let scalar = next {
    switch scalar.value {
    case 0xFE0F:
      // Emoji presentation selector: a text-default emoji becomes wide.
      if first.properties.isEmoji { width = 2 }
    case 0x200D:
      // A joined emoji sequence renders as a single wide glyph.
      if first.properties.isEmoji && first.value > 0xFF { width = 2 }
    case 0x1F1E6...0x1F1FF:
      isRegionalPair = true
    default:
      // Skin tone modifiers and combining marks ride on the base's width.
      break
    }
    next = iterator.next()
  }
  if isRegionalPair { width = 2 }
  return (width, 0)
}

/// The display width of a string: the sum of its graphemes' widths.
public func displayWidth<S: StringProtocol>(of text: S) -> Int {
  var total = 0
  for character in text { total += displayWidth(of: character) }
  return total
}

/// The width of a single scalar standing alone.
func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
  let v = scalar.value
  if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
  if v < 0x300 { return 1 }
  // Box drawing, block elements and braille: drawn constantly, always narrow.
  if (0x2500...0x259F).contains(v) || (0x2800...0x28FF).contains(v) { return 1 }
  switch v {
  case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0xFE00...0xFE0F, 0xFEFF,
    0xE0100...0xE01EF, 0x1160...0x11FF:
    return 0
  default:
    break
  }
  switch scalar.properties.generalCategory {
  case .nonspacingMark, .enclosingMark, .format:
    return 0
  default:
    break
  }
  if isEastAsianWide(v) || scalar.properties.isEmojiPresentation { return 2 }
  return 1
}

/// East Asian Wide (W) and Fullwidth (F) ranges, from Unicode's EastAsianWidth.txt.
func isEastAsianWide(_ v: UInt32) -> Bool {
  if v < 0x1100 { return false }
  switch v {
  case 0x1100...0x115F,  // Hangul Jamo initial consonants
    0x2329...0x232A,
    0x2E80...0x303E,  // CJK radicals, Kangxi, CJK symbols and punctuation
    0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, compatibility
    0x3400...0x4DBF,  // CJK extension A
    0x4E00...0x9FFF,  // CJK unified ideographs
    0xA000...0xA4CF,  // Yi
    0xA960...0xA97F,  // Hangul Jamo extended A
    0xAC00...0xD7A3,  // Hangul syllables
    0xF900...0xFAFF,  // CJK compatibility ideographs
    0xFE10...0xFE19,  // vertical forms
    0xFE30...0xFE6F,  // CJK compatibility forms, small form variants
    0xFF00...0xFF60,  // fullwidth forms
    0xFFE0...0xFFE6,
    0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF,  // Tangut, Kana supplement
    0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
    0x1F260...0x1F265,
    0x20000...0x2FFFD, 0x30000...0x3FFFD:  // CJK extensions B and beyond
    return true
  default:
    return false
  }
}
