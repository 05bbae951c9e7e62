/// One token per grapheme cluster: what a reader counts as one character.
///
/// CJK ideographs, emoji sequences (👩‍💻) and letters with combining marks are single
/// tokens. The vocabulary is the set of distinct characters of the training text sorted by
/// their UTF-8 bytes (code point order), followed by `[UNK]` (for characters the training
/// text never had) and `[MASK]`.
public struct CharacterTokenizer: Tokenizer, Equatable {
  /// The ordinary tokens, in id order.
  public let characters: [String]
  private let ids: [TextKey: Int32]

  public var kind: TokenizerKind { .char }
  public var ordinaryCount: Int { characters.count }
  public var vocabSize: Int { characters.count + 2 }
  public var unknownID: Int32? { Int32(characters.count) }
  public var maskID: Int32 { Int32(characters.count + 1) }

  /// Builds the vocabulary from every distinct character of `trainingText`.
  public init(trainingText: String) {
    var seen = Set<TextKey>()
    for character in trainingText {
      seen.insert(TextKey(String(character)))
    }
    self.init(sortedKeys: seen.sorted())
  }

  private init(sortedKeys: [TextKey]) {
    characters = sortedKeys.map(\.text)
    var ids: [TextKey: Int32] = [:]
    for (index, key) in sortedKeys.enumerated() {
      ids[key] = Int32(index)
    }
    self.ids = ids
  }

  public func encode(_ text: String) -> [Int32] {
    let unknown = Int32(characters.count)
    return text.map { ids[TextKey(String($0))] ?? unknown }
  }

  public func decode(_ ids: [Int32]) -> String {
    ids.map(token).joined()
  }

  public func token(_ id: Int32) -> String {
    Vocabulary.token(id, in: characters)
  }

  public func serialized() -> String {
    Vocabulary.serialized(kind: kind, tokens: characters)
  }

  /// Restores a tokenizer from `serialized()` output.
  public static func deserialize(json: String) throws(TokenizerError) -> CharacterTokenizer {
    let keys = try Vocabulary.deserialize(json: json, kind: .char) { token in
      token.count == 1 ? nil : "must be one character, found \(token.count)"
    }
    return CharacterTokenizer(sortedKeys: keys)
  }

  public static func == (lhs: CharacterTokenizer, rhs: CharacterTokenizer) -> Bool {
    lhs.characters.map(TextKey.init) == rhs.characters.map(TextKey.init)
  }
}
