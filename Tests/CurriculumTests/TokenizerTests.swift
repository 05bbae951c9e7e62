import Testing
@testable import Curriculum

/// Texts every tokenizer must round-trip: ASCII, CJK, emoji sequences, combining marks.
let roundTripTexts = [
  "The quick brown fox jumps over the lazy dog.",
  "机器学习很有趣。我们一起学习吧！",
  "Emoji: 👩‍💻 and 🇫🇷 and 👍🏽 in a row.",
  "Combining: e\u{301}le\u{300}ve, cafe\u{301}, and precomposed caf\u{E9} differ.",
  "Mixed 中文 and English, tabs\tand\nnew lines\r\nand  double  spaces.",
  "Hangul 한국어 and kana ひらがな カタカナ.",
]

@Suite("Tokenizers")
struct TokenizerTests {
  @Test("character tokenizer round-trips every text it was built from", arguments: roundTripTexts)
  func characterRoundTrip(text: String) {
    let tokenizer = CharacterTokenizer(trainingText: roundTripTexts.joined())
    let ids = tokenizer.encode(text)
    #expect(Array(tokenizer.decode(ids).utf8) == Array(text.utf8))
    #expect(ids.count == text.count)
    #expect(!ids.contains(tokenizer.unknownID!))
  }

  @Test("character tokens are grapheme clusters in code point order")
  func characterVocabulary() {
    let tokenizer = CharacterTokenizer(trainingText: "ba👩‍💻e\u{301}中a")
    #expect(tokenizer.characters == ["a", "b", "e\u{301}", "中", "👩‍💻"])
    #expect(tokenizer.vocabSize == 7)
    #expect(tokenizer.ordinaryCount == 5)
    #expect(tokenizer.token(tokenizer.maskID) == "[MASK]")
    #expect(tokenizer.token(tokenizer.unknownID!) == "[UNK]")
    #expect(tokenizer.encode("z") == [tokenizer.unknownID!])
  }

  @Test("canonically equivalent characters stay distinct tokens")
  func canonicalEquivalents() {
    let tokenizer = CharacterTokenizer(trainingText: "caf\u{E9} cafe\u{301}")
    // " ", "a", "c", "f", precomposed "é", decomposed "é"
    #expect(tokenizer.ordinaryCount == 6)
    let text = "cafe\u{301}"
    #expect(Array(tokenizer.decode(tokenizer.encode(text)).utf8) == Array(text.utf8))
  }

  @Test("word tokenizer round-trips in-vocabulary text", arguments: roundTripTexts)
  func wordRoundTrip(text: String) {
    let tokenizer = WordTokenizer(trainingText: roundTripTexts.joined(separator: "\n"))
    let ids = tokenizer.encode(text)
    #expect(Array(tokenizer.decode(ids).utf8) == Array(text.utf8))
    #expect(!ids.contains(tokenizer.unknownID!))
  }

  @Test("words carry their leading space; punctuation and other whitespace runs are separate tokens")
  func wordSegmentation() {
    let pieces = TextSegmentation.words("Don't stop,  the fox's 42 dogs!\n学习很好 ok")
    #expect(pieces == ["Don't", " stop", ",", " ", " the", " fox's", " 42", " dogs", "!", "\n", "学", "习", "很", "好", " ok"])
    #expect(TextSegmentation.words("The quick brown fox") == ["The", " quick", " brown", " fox"])
  }

  @Test("unknown words become [UNK]; max vocab keeps the most frequent words")
  func wordUnknownAndMaxVocab() {
    // Counts: " a" ×2, " b" ×2, " c" ×1, "a" ×1 (ties in byte order).
    let tokenizer = WordTokenizer(trainingText: "a a a b b c", maxVocab: 3)
    #expect(tokenizer.words == [" a", " b", " c"])
    let unknown = tokenizer.unknownID!
    #expect(tokenizer.encode("c a") == [unknown, 0])
    #expect(tokenizer.decode(tokenizer.encode("c")) == "[UNK]")
    #expect(tokenizer.maskID == Int32(tokenizer.vocabSize - 1))
  }

  @Test("word vocabulary is ordered by frequency, ties in byte order")
  func wordOrder() {
    let tokenizer = WordTokenizer(trainingText: "b b a c c")
    #expect(tokenizer.words == [" c", " a", " b", "b"])
  }

  @Test("display forms make whitespace and control characters visible")
  func displayForms() {
    let tokenizer = CharacterTokenizer(trainingText: " \n\t\r\u{7}\u{200B}x中")
    func shown(_ text: String) -> String { tokenizer.displayToken(tokenizer.encode(text)[0]) }
    #expect(shown(" ") == "␣")
    #expect(shown("\n") == "⏎")
    #expect(shown("\t") == "⇥")
    #expect(shown("\r") == "␍")
    #expect(shown("\u{7}") == "<0x07>")
    #expect(shown("\u{200B}") == "<U+200B>")
    #expect(shown("中") == "中")
    #expect(tokenizer.displayToken(tokenizer.maskID) == "[MASK]")
    let words = WordTokenizer(trainingText: "a  b\n\n")
    #expect(words.displayTokens(words.encode("a  b\n\n")) == ["a", "␣", "␣b", "⏎⏎"])
  }

  @Test("a lone combining mark gets a dotted circle to sit on")
  func combiningDisplay() {
    #expect(TokenDisplay.visible("\u{301}") == "◌\u{301}")
  }

  @Test("every tokenizer survives serialisation", arguments: TokenizerKind.allCases)
  func serialisation(kind: TokenizerKind) throws {
    let text = roundTripTexts.joined(separator: "\n")
    let tokenizer = makeTokenizer(kind: kind, trainingText: text, bpeMerges: 40)
    let restored = try deserializeTokenizer(kind: kind, json: tokenizer.serialized())
    #expect(restored.kind == kind)
    #expect(restored.vocabSize == tokenizer.vocabSize)
    #expect(restored.encode(text) == tokenizer.encode(text))
    #expect(restored.serialized() == tokenizer.serialized())
  }

  @Test("bad tokenizer JSON is a one-line error naming the field")
  func badJSON() {
    #expect(throws: TokenizerError("char tokenizer JSON: missing field 'tokens' at top level")) {
      try deserializeTokenizer(kind: .char, json: #"{"kind":"char"}"#)
    }
    #expect(throws: TokenizerError("bpe tokenizer JSON: field 'merges.1' must be two ids below 257, found [300, 1]")) {
      try deserializeTokenizer(kind: .bpe, json: #"{"kind":"bpe","merges":[[1,2],[300,1]]}"#)
    }
    #expect(throws: TokenizerError("word tokenizer JSON: field 'kind' is 'char', expected 'word'")) {
      try deserializeTokenizer(kind: .word, json: #"{"kind":"char","tokens":["a"]}"#)
    }
  }
}
