import Foundation

/// The three ways a lesson can cut text into tokens.
public enum TokenizerKind: String, Sendable, Codable, CaseIterable {
  /// One token per grapheme cluster (what a reader sees as one character).
  case char
  /// Words, punctuation marks and whitespace runs.
  case word
  /// Byte-level byte-pair encoding learned from the corpus.
  case bpe
}

/// Turns text into token ids and back, and names every token for the screen.
///
/// Ids `0..<ordinaryCount` are ordinary tokens learned from text; the special tokens
/// (`[UNK]` where the tokenizer has one, then `[MASK]`) follow them, so
/// `maskID == vocabSize - 1` for every tokenizer but `ChatTokenizer`, whose role tokens come after it.
public protocol Tokenizer: Sendable {
  /// Which kind of tokenizer this is (stored in checkpoints beside `serialized()`).
  var kind: TokenizerKind { get }
  /// Number of ids, special tokens included: the model's V.
  var vocabSize: Int { get }
  /// Number of ordinary (non-special) tokens; they take the ids `0..<ordinaryCount`.
  var ordinaryCount: Int { get }
  /// The `[MASK]` token the masked objective puts in place of hidden tokens.
  var maskID: Int32 { get }
  /// The `[UNK]` token that stands for text outside the vocabulary, if this tokenizer needs one.
  var unknownID: Int32? { get }
  /// The token ids of `text`.
  func encode(_ text: String) -> [Int32]
  /// The text of `ids`, special tokens written as their names (`[MASK]`).
  func decode(_ ids: [Int32]) -> String
  /// The raw text of one token (bytes that are not valid UTF-8 written as `<0xAB>`).
  func token(_ id: Int32) -> String
  /// JSON that `deserializeTokenizer(kind:json:)` turns back into an equal tokenizer.
  func serialized() -> String
}

extension Tokenizer {
  /// The token as the screen shows it: whitespace and control characters made visible.
  ///
  /// Space → "␣", newline → "⏎", tab → "⇥", carriage return → "␍", other control and
  /// format characters → `<U+XXXX>`; a token that starts with a combining mark gets a
  /// dotted circle to sit on.
  public func displayToken(_ id: Int32) -> String {
    if isSpecial(id) { return token(id) }
    return TokenDisplay.visible(token(id))
  }

  /// Encodes text in which the literal `[MASK]` stands for the mask token (prompts for MLM).
  public func encode(withMasks text: String) -> [Int32] {
    var ids: [Int32] = []
    for (index, piece) in text.components(separatedBy: SpecialToken.mask).enumerated() {
      if index > 0 { ids.append(maskID) }
      ids += encode(piece)
    }
    return ids
  }

  /// Whether `id` is a special token (`[UNK]`, `[MASK]`) rather than one learned from text.
  public func isSpecial(_ id: Int32) -> Bool {
    Int(id) >= ordinaryCount && Int(id) < vocabSize
  }

  /// Whether `id` names a token of this vocabulary.
  public func contains(_ id: Int32) -> Bool {
    id >= 0 && Int(id) < vocabSize
  }

  /// The display form of every token of `ids`, in order.
  public func displayTokens(_ ids: [Int32]) -> [String] {
    ids.map { displayToken($0) }
  }
}

/// Names of the special tokens, shared by every tokenizer.
public enum SpecialToken {
  /// The masked objective's placeholder.
  public static let mask = "[MASK]"
  /// Stands for text outside the vocabulary.
  public static let unknown = "[UNK]"
}

/// Why a serialised tokenizer could not be restored.
public struct TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What was wrong, naming the field and what was expected.
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}

/// Builds a tokenizer of `kind` from a lesson's training text.
///
/// `bpeMerges` is the number of merges a BPE tokenizer learns (ignored by the others);
/// `wordMaxVocab` keeps only that many most frequent words (the rest become `[UNK]`).
public func makeTokenizer(
  kind: TokenizerKind, trainingText: String, bpeMerges: Int = BPETokenizer.defaultMerges,
  wordMaxVocab: Int? = nil
) -> any Tokenizer {
  switch kind {
  case .char: return CharacterTokenizer(trainingText: trainingText)
  case .word: return WordTokenizer(trainingText: trainingText, maxVocab: wordMaxVocab)
  case .bpe: return BPETokenizer.train(text: trainingText, merges: bpeMerges)
  }
}

/// Restores a tokenizer from its `serialized()` JSON (as stored in checkpoint metadata).
public func deserializeTokenizer(kind: TokenizerKind, json: String) throws(TokenizerError) -> any Tokenizer {
  switch kind {
  case .char: return try CharacterTokenizer.deserialize(json: json)
  case .word: return try WordTokenizer.deserialize(json: json)
  case .bpe: return try BPETokenizer.deserialize(json: json)
  }
}

/// Turning tokens into visible text.
package enum TokenDisplay {
  /// `text` with whitespace and invisible characters replaced by visible symbols.
  package static func visible(_ text: String) -> String {
    var out = ""
    var isFirst = true
    for scalar in text.unicodeScalars {
      defer { isFirst = false }
      switch scalar {
      case " ": out += "␣"
      case "\n": out += "⏎"
      case "\t": out += "⇥"
      case "\r": out += "␍"
      default:
        let category = scalar.properties.generalCategory
        switch category {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned,
          .privateUse:
          out += escape(scalar)
        case .nonspacingMark, .enclosingMark, .spacingMark:
          // A mark with nothing before it would fuse with the neighbouring cell on screen.
          if isFirst { out += "◌" }
          out.unicodeScalars.append(scalar)
        default:
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// `<0x07>` for ASCII controls, `<U+200B>` for the rest.
  package static func escape(_ scalar: Unicode.Scalar) -> String {
    if scalar.value < 0x80 { return byteEscape(UInt8(scalar.value)) }
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
  }

  /// `<0xAB>`: how a byte that is not valid UTF-8 on its own is written.
  package static func byteEscape(_ byte: UInt8) -> String {
    let hex = String(byte, radix: 16, uppercase: true)
    return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
  }

  /// The UTF-8 text of `bytes`, with every byte that is not part of a valid sequence
  /// written as `<0xAB>`.
  package static func textWithByteEscapes(_ bytes: [UInt8]) -> String {
    var out = ""
    var index = 0
    while index < bytes.count {
      if let (scalar, length) = UTF8Validation.decodeScalar(bytes, at: index) {
        out.unicodeScalars.append(scalar)
        index += length
      } else {
        out += byteEscape(bytes[index])
        index += 1
      }
    }
    return out
  }
}

/// Byte keys that keep canonically equivalent but differently encoded text apart.
///
/// Swift's `String` and `Character` compare and hash by canonical equivalence, so "é"
/// (one scalar) and "e" + U+0301 would share a vocabulary entry and decoding would not
/// give back the bytes that went in. Keying by UTF-8 bytes keeps round trips exact.
struct TextKey: Hashable, Comparable, Sendable {
  let bytes: [UInt8]

  init(_ text: some StringProtocol) {
    bytes = Array(text.utf8)
  }

  var text: String { String(decoding: bytes, as: UTF8.self) }

  /// Byte order, which for UTF-8 is code point order: the same on every platform.
  static func < (lhs: TextKey, rhs: TextKey) -> Bool {
    lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
  }
}

/// JSON encoding and decoding shared by the tokenizers' serialisation.
extension Tokenizer {
  /// `probabilities` with [MASK] and [UNK] set to 0, so sampling (which renormalises)
  /// never puts a special token into generated text.
  public func onlyOrdinaryTokens(_ probabilities: [Float]) -> [Float] {
    var result = probabilities
    for id in result.indices where isSpecial(Int32(id)) { result[id] = 0 }
    return result
  }

  /// True for every ordinary token id, false for [UNK] and [MASK]: what generation may draw.
  public var ordinaryTokenMask: [Bool] {
    (0..<vocabSize).map { !isSpecial(Int32($0)) }
  }

  /// What the prompt box may draw: the ordinary tokens, and `<|end|>` for a chat model, whose answer ends there.
  public var generationMask: [Bool] {
    let end = chat.map { Int($0.endID) }
    return (0..<vocabSize).map { !isSpecial(Int32($0)) || $0 == end }
  }
}

/// What the character and word tokenizers share: ordinary tokens by id, then [UNK], then [MASK].
enum Vocabulary {
  /// The token of `id` in a vocabulary of `tokens` followed by [UNK] and [MASK].
  static func token(_ id: Int32, in tokens: [String]) -> String {
    let index = Int(id)
    if index >= 0 && index < tokens.count { return tokens[index] }
    if index == tokens.count + 1 { return SpecialToken.mask }
    return SpecialToken.unknown
  }

  /// The JSON both store in checkpoints: their kind and ordinary tokens in id order.
  private struct Stored: Codable {
    var kind: String
    var tokens: [String]
  }

  static func serialized(kind: TokenizerKind, tokens: [String]) -> String {
    TokenizerJSON.encode(Stored(kind: kind.rawValue, tokens: tokens))
  }

  /// Reads `serialized` output of `kind`; every token must be non-empty, distinct and pass `check`.
  static func deserialize(
    json: String, kind: TokenizerKind, check: (String) -> String? = { _ in nil }
  ) throws(TokenizerError) -> [TextKey] {
    let stored = try TokenizerJSON.decode(Stored.self, json: json, kind: kind)
    guard stored.kind == kind.rawValue else {
      throw TokenizerError("\(kind.rawValue) tokenizer JSON: field 'kind' is '\(stored.kind)', expected '\(kind.rawValue)'")
    }
    var keys: [TextKey] = []
    var seen = Set<TextKey>()
    for (index, token) in stored.tokens.enumerated() {
      if let problem = check(token) {
        throw TokenizerError("\(kind.rawValue) tokenizer JSON: field 'tokens.\(index)' \(problem)")
      }
      let key = TextKey(token)
      guard !token.isEmpty, seen.insert(key).inserted else {
        throw TokenizerError("\(kind.rawValue) tokenizer JSON: field 'tokens.\(index)' is empty or repeats an earlier token")
      }
      keys.append(key)
    }
    return keys
  }
}

enum TokenizerJSON {
  static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding plain arrays of strings and ints cannot fail.
    guard let data = try? encoder.encode(value) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }

  static func decode<T: Decodable>(_ type: T.Type, json: String, kind: TokenizerKind) throws(TokenizerError) -> T {
    do {
      return try JSONDecoder().decode(type, from: Data(json.utf8))
    } catch let error as DecodingError {
      throw TokenizerError("\(kind.rawValue) tokenizer JSON: \(describe(error))")
    } catch {
      throw TokenizerError("\(kind.rawValue) tokenizer JSON: \(error)")
    }
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
      return keys.isEmpty ? "top level" : "field '\(keys.joined(separator: "."))'"
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "missing field '\(key.stringValue)' at \(path(context))"
    case .typeMismatch(let type, let context):
      return "\(path(context)): expected \(type)"
    case .valueNotFound(let type, let context):
      return "\(path(context)): expected \(type), found null"
    case .dataCorrupted(let context):
      return "\(path(context)): \(context.debugDescription)"
    @unknown default:
      return "\(error)"
    }
  }
}
