/// How the word tokenizer and BPE's pre-split cut text before looking anything up.
package enum TextSegmentation {
  /// Words, single punctuation marks and whitespace runs, covering `text` exactly.
  ///
  /// A word is a run of letters, digits, marks and underscores, with an apostrophe kept
  /// inside it when letters follow (`don't`). As in GPT-2, the single space before a word
  /// belongs to the word (" quick"), so "The quick brown" is three tokens and every
  /// target of the shift-by-one labels is a word. Han ideographs, kana and other
  /// characters of scripts written without spaces are a word each, since a run of them is
  /// a whole clause rather than a word. Every other character (punctuation, symbols,
  /// emoji) is its own token; every other maximal run of whitespace is one token.
  package static func words(_ text: String) -> [Substring] {
    var pieces: [Substring] = []
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      var end = text.index(after: index)
      if character.isWhitespace {
        while end < text.endIndex && text[end].isWhitespace { end = text.index(after: end) }
        let last = text.index(before: end)
        if end < text.endIndex, text[last] == " ", startsSpacedWord(text[end]) {
          if last > index { pieces.append(text[index..<last]) }
          index = last
          end = wordEnd(in: text, from: text.index(after: end))
        }
      } else if startsSpacedWord(character) {
        end = wordEnd(in: text, from: end)
      }
      pieces.append(text[index..<end])
      index = end
    }
    return pieces
  }

  private static func startsSpacedWord(_ character: Character) -> Bool {
    isWordCharacter(character) && !isUnspacedScript(character)
  }

  /// The end of the word whose second character is at `start`.
  private static func wordEnd(in text: String, from start: String.Index) -> String.Index {
    var end = start
    while end < text.endIndex {
      let next = text[end]
      if startsSpacedWord(next) {
        end = text.index(after: end)
      } else if isApostrophe(next), text.index(after: end) < text.endIndex,
        text[text.index(after: end)].isLetter, !isUnspacedScript(text[text.index(after: end)])
      {
        end = text.index(after: end)
      } else {
        break
      }
    }
    return end
  }

  private static func isWordCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || character == "_"
  }

  private static func isApostrophe(_ character: Character) -> Bool {
    character == "'" || character == "\u{2019}"
  }

  /// Han, kana and the like, whose words are not separated by spaces.
  private static func isUnspacedScript(_ character: Character) -> Bool {
    guard let scalar = character.unicodeScalars.first else { return false }
    if scalar.properties.isIdeographic { return true }
    switch scalar.value {
    case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return true  // kana
    case 0x0E00...0x0EFF, 0x1000...0x109F, 0x1780...0x17FF: return true  // Thai, Lao, Myanmar, Khmer
    default: return false
    }
  }

  /// Character classes of BPE's pre-split.
  private enum ScalarClass: Equatable {
    case letter, number, whitespace, other
  }

  private static func scalarClass(_ scalar: Unicode.Scalar) -> ScalarClass {
    let properties = scalar.properties
    if properties.isWhitespace { return .whitespace }
    switch properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark:
      return .letter
    case .decimalNumber, .letterNumber, .otherNumber:
      return .number
    default:
      return .other
    }
  }

  /// BPE's pre-split: the chunks that merges never cross, as UTF-8 byte arrays.
  ///
  /// The GPT-2 scheme on Unicode scalars: a run of letters (any script, so a Chinese
  /// clause is one chunk and merges can join its characters), a run of digits or a run of
  /// other symbols, each taking one leading space with it (" quick"); whitespace runs are
  /// chunks of their own, leaving their last space to the word that follows.
  package static func bpeChunks(_ text: String) -> [[UInt8]] {
    let scalars = Array(text.unicodeScalars)
    let classes = scalars.map(scalarClass)
    var chunks: [[UInt8]] = []
    func emit(_ range: Range<Int>) {
      var bytes: [UInt8] = []
      bytes.reserveCapacity(range.count)
      for scalar in scalars[range] { bytes.append(contentsOf: String(scalar).utf8) }
      chunks.append(bytes)
    }
    func runEnd(from start: Int) -> Int {
      var end = start + 1
      while end < scalars.count && classes[end] == classes[start] { end += 1 }
      return end
    }
    var index = 0
    while index < scalars.count {
      if classes[index] != .whitespace {
        let end = runEnd(from: index)
        emit(index..<end)
        index = end
        continue
      }
      let end = runEnd(from: index)
      let followedByText = end < scalars.count
      if followedByText && scalars[end - 1] == " " {
        if end - 1 > index {
          emit(index..<(end - 1))
        }
        let wordEnd = runEnd(from: end)
        emit((end - 1)..<wordEnd)
        index = wordEnd
      } else {
        emit(index..<end)
        index = end
      }
    }
    return chunks
  }
}
