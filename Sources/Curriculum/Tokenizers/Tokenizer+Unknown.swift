/// Finding the text a tokenizer has no token for.
extension Tokenizer {
  /// The first piece of `text` outside the vocabulary (it would become `[UNK]`), with where it is.
  ///
  /// Char and word tokenizers cut the text as `encode` does and look each piece up; byte-level
  /// BPE covers every text, so it never finds one.
  public func firstUnknownPiece(in text: String) -> UnknownPiece? {
    guard let unknown = unknownID else { return nil }
    let pieces: [Substring]
    switch kind {
    case .char: pieces = text.indices.map { text[$0...$0] }
    case .word: pieces = TextSegmentation.words(text)
    case .bpe: return nil
    }
    var line = 1, column = 1
    for piece in pieces {
      if encode(String(piece)) == [unknown] {
        return UnknownPiece(text: String(piece), line: line, column: column)
      }
      for character in piece {
        if character == "\n" || character == "\r\n" {
          line += 1
          column = 1
        } else {
          column += 1
        }
      }
    }
    return nil
  }
}

/// A piece of text that is not in a tokenizer's vocabulary, and its 1-based line and column (in characters).
public struct UnknownPiece: Sendable, Equatable {
  public let text: String
  public let line: Int
  public let column: Int
}
