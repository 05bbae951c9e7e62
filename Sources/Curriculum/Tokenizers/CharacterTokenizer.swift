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
    var out = ""
    for id in ids { out += token(id) }
    return out
  }

  public func token(_ id: Int32) -> String {
    let index = Int(id)
    if index >= 0 && index < characters.count { return characters[index] }
    if index == characters.count { return SpecialToken.unknown }
    if index == characters.count + 1 { return SpecialToken.mask }
    return SpecialToken.unknown
  }

  private struct Stored: Codable {
    var kind: String
    var tokens: [String]
  }

  public func serialized() -> String {
    TokenizerJSON.encode(Stored(kind: kind.rawValue, tokens: characters))
  }

  /// Restores a tokenizer from `serialized()` output.
  public static func deserialize(json: String) throws(TokenizerError) -> CharacterTokenizer {
    let stored = try TokenizerJSON.decode(Stored.self, json: json, kind: .char)
    guard stored.kind == TokenizerKind.char.rawValue else {
      throw TokenizerError("char tokenizer JSON: field 'kind' is '\(stored.kind)', expected 'char'")
    }
    var keys: [TextKey] = []
    var seen = Set<TextKey>()
    for (index, token) in stored.tokens.enumerated() {
      guard token.count == 1 else {
        throw TokenizerError("char tokenizer JSON: field 'tokens.\(index)' must be one character, found \(token.count)")
      }
      let key = TextKey(token)
      guard seen.insert(key).inserted else {
        throw TokenizerError("char tokenizer JSON: field 'tokens.\(index)' repeats an earlier token")
      }
      keys.append(key)
    }
    return CharacterTokenizer(sortedKeys: keys)
  }

  public static func == (lhs: CharacterTokenizer, rhs: CharacterTokenizer) -> Bool {
    lhs.characters.map(TextKey.init) == rhs.characters.map(TextKey.init)
  }
}
