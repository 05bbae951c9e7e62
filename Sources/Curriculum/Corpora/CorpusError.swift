import Model

/// Why a corpus cannot be used, as one line that names the file.
public enum CorpusError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No file at the path.
  case notFound(path: String)
  /// The path is a folder.
  case isDirectory(path: String)
  /// The file exists but could not be read.
  case unreadable(path: String, reason: String)
  /// A FIFO, device or socket (`kind`: "a FIFO"): reading it could block or never end.
  case notRegular(path: String, kind: String)
  /// Larger than `Corpus.largestFile` (`bytes` as stat or the read found it).
  case tooLarge(path: String, bytes: Int, limit: Int)
  /// The learner stopped the reading or tokenizing.
  case cancelled(path: String)
  /// The file holds nothing, or only whitespace.
  case empty(path: String, whitespaceOnly: Bool)
  /// The file holds a NUL or other control byte that no text file has.
  case binary(path: String, offset: Int, line: Int, column: Int, byte: UInt8)
  /// The file is not valid UTF-8: `problem` says which bytes (`UTF8Validation.Failure.problem`).
  case invalidUTF8(path: String, line: Int, column: Int, problem: String)
  /// Fewer tokens than one context window plus one.
  case tooShort(path: String, tokens: Int, tokenizer: TokenizerKind, context: Int)
  /// One of the 90/10 splits holds fewer than context + 1 tokens.
  case splitTooShort(path: String, split: CorpusSplit, splitTokens: Int, tokens: Int, needed: Int, tokenizer: TokenizerKind, context: Int)
  /// The corpora folder could not be found.
  case noCorporaDirectory(searched: [String])
  /// `NEXTTOKEN_CORPORA` names a folder that does not exist.
  case badCorporaVariable(value: String)
  /// A fine-tuning corpus that breaks its format, or an example that does not fit (file:line in the message).
  case invalidPairs(message: String)

  public var description: String {
    switch self {
    case .notFound(let path):
      return "\(path): corpus file not found"
    case .isDirectory(let path):
      return "\(path): is a folder, expected a UTF-8 text file"
    case .unreadable(let path, let reason):
      return "\(path): cannot read the corpus file (\(reason))"
    case .notRegular(let path, let kind):
      return "\(path): is not a regular file (it is \(kind)), expected a UTF-8 text file"
    case .tooLarge(let path, let bytes, let limit):
      return "\(path): the file holds \(SizeLimits.formatBytes(bytes)); a corpus may hold at most \(limit / 1_000_000) MB (\(limit) bytes), so train on a part of it"
    case .cancelled(let path):
      return "\(path): loading cancelled"
    case .empty(let path, let whitespaceOnly):
      return whitespaceOnly
        ? "\(path): the corpus holds only whitespace, expected UTF-8 text"
        : "\(path): the corpus is empty, expected UTF-8 text"
    case .binary(let path, let offset, let line, let column, let byte):
      return "\(path):\(line):\(column): binary data (byte \(TokenDisplay.byteEscape(byte)) at byte offset \(offset)), expected UTF-8 text"
    case .invalidUTF8(let path, let line, let column, let problem):
      return "\(path):\(line):\(column): \(problem), expected UTF-8 text"
    case .tooShort(let path, let tokens, let tokenizer, let context):
      return "\(path): the corpus has \(tokens) tokens with the \(tokenizer.rawValue) tokenizer; a context of \(context) needs at least \(context + 1)"
    case .splitTooShort(let path, let split, let splitTokens, let tokens, let needed, let tokenizer, let context):
      let part = split == .train ? "training split (first 90%)" : "validation split (last 10%)"
      return "\(path): the \(part) has \(splitTokens) tokens but a context of \(context) needs at least \(context + 1) in each split; the corpus has \(tokens) tokens with the \(tokenizer.rawValue) tokenizer and needs at least \(needed)"
    case .noCorporaDirectory(let searched):
      return "cannot find the Corpora folder: set NEXTTOKEN_CORPORA to it, or reinstall NextToken (looked in \(searched.joined(separator: ", ")))"
    case .badCorporaVariable(let value):
      return "NEXTTOKEN_CORPORA=\(value): no such folder"
    case .invalidPairs(let message):
      return message
    }
  }
}
