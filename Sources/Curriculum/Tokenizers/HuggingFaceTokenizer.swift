import Model
import Foundation

/// A tokenizer in the Hugging Face `tokenizers` format (`tokenizer.json`), cutting text as NextToken's does.
///
/// - char: the text is split into extended grapheme clusters (`\X`), each looked up in a
///   word-level vocabulary of the checkpoint's characters; anything else is `[UNK]`.
/// - word: a regular expression that reproduces `TextSegmentation.words` (a word keeps
///   its leading space; Han, kana and the like are a word per character), then the same
///   word-level lookup.
/// - bpe: the pre-split of `TextSegmentation.bpeChunks` as a regular expression, GPT-2's
///   byte-to-character mapping, and the merges in the order they were learned.
///
/// The expressions use Oniguruma's syntax, which the `tokenizers` library runs:
/// `\X` is a grapheme cluster, `\y` a grapheme boundary. Ids are NextToken's; the special
/// tokens keep theirs. Two things cannot match: transformers treats the literal text
/// "[UNK]" or "[MASK]" as the special token (NextToken cuts it like any other text), and
/// Unicode properties follow each library's own Unicode version.
public struct HuggingFaceTokenizer: Sendable {
  /// `tokenizer.json`.
  public let tokenizerJSON: Data
  /// `tokenizer_config.json`.
  public let configJSON: Data
  /// `special_tokens_map.json`.
  public let specialTokensMapJSON: Data
  /// Cases where the exported tokenizer cannot give NextToken's ids, one line each.
  public let caveats: [String]

  /// Characters of scripts written without spaces: a word each (see `TextSegmentation`).
  static let unspacedScripts =
    #"\p{Ideographic}\x{3040}-\x{30FF}\x{31F0}-\x{31FF}\x{FF66}-\x{FF9F}\x{0E00}-\x{0EFF}\x{1000}-\x{109F}\x{1780}-\x{17FF}"#

  /// `TextSegmentation.words` as one expression, over grapheme clusters as Swift's
  /// `Character` is: a word character is one whose first scalar is Alphabetic, numeric or
  /// "_" (`Character.isLetter`, `.isNumber`), outside the unspaced scripts.
  public static let wordPattern: String = {
    let wordCharacter = #"(?:(?=[\p{Alphabetic}\p{N}_])(?![\#(unspacedScripts)])\X)"#
    let apostrophe = #"(?:['’]\y(?=(?=\p{Alphabetic})(?![\#(unspacedScripts)])))"#
    let word = "\(wordCharacter)(?:\(wordCharacter)|\(apostrophe))*"
    let space = #"(?:(?=\p{White_Space})\X)"#
    // A word takes one plain space before it; a whitespace run gives that space up.
    return #"(?: \y)?\#(word)|\#(space)+(?= \y\#(wordCharacter))|\#(space)+|\X"#
  }()

  /// `TextSegmentation.bpeChunks` as one expression, over Unicode scalars.
  public static let bpePattern =
    #" ?[\p{L}\p{M}]+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{M}\p{N}]+|\p{White_Space}+(?= [^\p{White_Space}])|\p{White_Space}+"#

  /// One grapheme cluster, as Swift's `Character`.
  public static let characterPattern = #"\X"#

  /// The files for `tokenizer`, for a model of context `contextLength`.
  public init(_ tokenizer: any Tokenizer, contextLength: Int) {
    var specials: [(name: String, id: Int32)] = []
    if let unknown = tokenizer.unknownID { specials.append((SpecialToken.unknown, unknown)) }
    specials.append((SpecialToken.mask, tokenizer.maskID))
    let chat = tokenizer.chat
    if let chat {
      for (offset, role) in ChatTemplate.roles.enumerated() { specials.append((role, chat.userID + Int32(offset))) }
    }
    let addedTokens = JSONValue.array(
      specials.map { special in
        .object([
          ("id", .int(Int(special.id))), ("content", .string(special.name)), ("single_word", .bool(false)),
          ("lstrip", .bool(false)), ("rstrip", .bool(false)), ("normalized", .bool(false)), ("special", .bool(true)),
        ])
      })
    var caveats: [String] = []
    let model: JSONValue
    let preTokenizer: JSONValue
    let decoder: JSONValue
    switch tokenizer.kind {
    case .char, .word:
      // Ids in order; NextToken's vocabularies hold distinct byte strings, so no key repeats.
      let vocabulary = (0..<tokenizer.vocabSize).map { (tokenizer.token(Int32($0)), JSONValue.int($0)) }
      model = .object([("type", .string("WordLevel")), ("vocab", .object(vocabulary)), ("unk_token", .string(SpecialToken.unknown))])
      preTokenizer = Self.split(tokenizer.kind == .char ? Self.characterPattern : Self.wordPattern)
      decoder = .object([("type", .string("Fuse"))])
    case .bpe:
      guard let bpe = (chat?.base ?? tokenizer) as? BPETokenizer else { preconditionFailure("a bpe tokenizer is a BPETokenizer") }
      var vocabulary: [(String, JSONValue)] = []
      var seen: [[UInt8]: Int] = [:]
      for id in 0..<bpe.ordinaryCount {
        let bytes = bpe.bytes(of: Int32(id))
        if let earlier = seen[bytes] {
          caveats.append(
            "bpe tokens \(earlier) and \(id) are the same bytes \(bpe.displayToken(Int32(id))); the exported tokenizer gives \(earlier) for both")
        } else {
          seen[bytes] = id
          vocabulary.append((Self.byteLevel(bytes), .int(id)))
        }
      }
      vocabulary.append((SpecialToken.mask, .int(Int(bpe.maskID))))
      if let chat {
        for (offset, role) in ChatTemplate.roles.enumerated() { vocabulary.append((role, .int(Int(chat.userID) + offset))) }
      }
      let merges = bpe.merges.map {
        JSONValue.string(Self.byteLevel(bpe.bytes(of: $0.0)) + " " + Self.byteLevel(bpe.bytes(of: $0.1)))
      }
      model = .object([
        ("type", .string("BPE")), ("dropout", .null), ("unk_token", .null), ("continuing_subword_prefix", .null),
        ("end_of_word_suffix", .null), ("fuse_unk", .bool(false)), ("byte_fallback", .bool(false)),
        ("ignore_merges", .bool(false)), ("vocab", .object(vocabulary)), ("merges", .array(merges)),
      ])
      let byteLevel = JSONValue.object([
        ("type", .string("ByteLevel")), ("add_prefix_space", .bool(false)), ("trim_offsets", .bool(false)),
        ("use_regex", .bool(false)),
      ])
      preTokenizer = .object([("type", .string("Sequence")), ("pretokenizers", .array([Self.split(Self.bpePattern), byteLevel]))])
      decoder = byteLevel
    }
    let document = JSONValue.object([
      ("version", .string("1.0")), ("truncation", .null), ("padding", .null), ("added_tokens", addedTokens),
      ("normalizer", .null), ("pre_tokenizer", preTokenizer), ("post_processor", .null), ("decoder", decoder),
      ("model", model),
    ])
    // A CLM has no end-of-text token: [MASK], which never occurs in its text, stands in.
    // A fine-tuned model ends its answers with <|end|>.
    let eos = chat == nil ? SpecialToken.mask : ChatTemplate.end
    var map: [(String, JSONValue)] = [
      ("eos_token", .string(eos)), ("mask_token", .string(SpecialToken.mask)),
      ("pad_token", .string(SpecialToken.mask)),
    ]
    if tokenizer.unknownID != nil { map.append(("unk_token", .string(SpecialToken.unknown))) }
    if chat != nil {
      map.append(("additional_special_tokens", .array(ChatTemplate.roles.map { .string($0) })))
    }
    let template: [(String, JSONValue)] = chat == nil ? [] : [("chat_template", .string(ChatTemplate.jinja))]
    let config = map + template + [
      ("tokenizer_class", .string("PreTrainedTokenizerFast")), ("model_max_length", .int(contextLength)),
      ("clean_up_tokenization_spaces", .bool(false)), ("add_bos_token", .bool(false)), ("add_eos_token", .bool(false)),
    ]
    tokenizerJSON = Data(document.serialized().utf8)
    configJSON = Data(JSONValue.object(config).serialized().utf8)
    specialTokensMapJSON = Data(JSONValue.object(map).serialized().utf8)
    self.caveats = caveats
  }

  private static func split(_ pattern: String) -> JSONValue {
    .object([
      ("type", .string("Split")), ("pattern", .object([("Regex", .string(pattern))])), ("behavior", .string("Isolated")),
      ("invert", .bool(false)),
    ])
  }

  /// GPT-2's byte-to-character mapping: printable Latin-1 bytes stand for themselves, the
  /// other 68 bytes for U+0100 onwards, in byte order; so every byte string is printable text.
  public static let byteCharacters: [Character] = {
    var table = [Character](repeating: " ", count: 256)
    var next: UInt32 = 256
    for byte in 0..<256 {
      let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
      if printable {
        table[byte] = Character(Unicode.Scalar(UInt32(byte))!)
      } else {
        table[byte] = Character(Unicode.Scalar(next)!)
        next += 1
      }
    }
    return table
  }()

  /// A token's bytes written with `byteCharacters`.
  public static func byteLevel(_ bytes: [UInt8]) -> String {
    String(bytes.map { byteCharacters[Int($0)] })
  }
}
