/// Words, punctuation marks and whitespace runs as tokens.
///
/// The text is cut as `TextSegmentation.words` describes, so `decode(encode(x)) == x`
/// whenever every piece of `x` is in the vocabulary. The vocabulary holds the pieces of
/// the training text, most frequent first (ties in UTF-8 byte order), optionally only the
/// `maxVocab` most frequent; then `[UNK]`, which stands for every other piece, and `[MASK]`.
public struct WordTokenizer: Tokenizer, Equatable {
  /// The ordinary tokens, in id order.
  public let words: [String]
  private let ids: [TextKey: Int32]

  public var kind: TokenizerKind { .word }
  public var ordinaryCount: Int { words.count }
  public var vocabSize: Int { words.count + 2 }
  public var unknownID: Int32? { Int32(words.count) }
  public var maskID: Int32 { Int32(words.count + 1) }

  /// Builds the vocabulary from `trainingText`, keeping at most `maxVocab` ordinary tokens.
  public init(trainingText: String, maxVocab: Int? = nil) {
    var counts: [TextKey: Int] = [:]
    for piece in TextSegmentation.words(trainingText) {
      counts[TextKey(piece), default: 0] += 1
    }
    var ranked = counts.sorted { lhs, rhs in
      lhs.value != rhs.value ? lhs.value > rhs.value : lhs.key < rhs.key
    }.map(\.key)
    if let maxVocab, ranked.count > max(0, maxVocab) {
      ranked.removeLast(ranked.count - max(0, maxVocab))
    }
    self.init(keys: ranked)
  }

  private init(keys: [TextKey]) {
    words = keys.map(\.text)
    var ids: [TextKey: Int32] = [:]
    for (index, key) in keys.enumerated() {
      ids[key] = Int32(index)
    }
    self.ids = ids
  }

  public func encode(_ text: String) -> [Int32] {
    let unknown = Int32(words.count)
    return TextSegmentation.words(text).map { ids[TextKey($0)] ?? unknown }
  }

  public func decode(_ ids: [Int32]) -> String {
    ids.map(token).joined()
  }

  public func token(_ id: Int32) -> String {
    Vocabulary.token(id, in: words)
  }

  public func serialized() -> String {
    Vocabulary.serialized(kind: kind, tokens: words)
  }

  /// Restores a tokenizer from `serialized()` output.
  public static func deserialize(json: String) throws(TokenizerError) -> WordTokenizer {
    WordTokenizer(keys: try Vocabulary.deserialize(json: json, kind: .word))
  }

  public static func == (lhs: WordTokenizer, rhs: WordTokenizer) -> Bool {
    lhs.words.map(TextKey.init) == rhs.words.map(TextKey.init)
  }
}
