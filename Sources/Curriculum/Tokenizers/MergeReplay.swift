/// A BPE tokenizer's learned merges replayed in order on the text it learned them from.
///
/// The text is cut into the same chunks training used (`TextSegmentation.bpeChunks`), and
/// pairs are counted inside chunks only, as training counted them: after `applied` merges
/// the chunks hold exactly the tokens training saw at that point, so each merge's
/// recounted `count` equals the one the tokenizer logged. Applying a merge costs one pass
/// over the distinct chunks (not the whole text), and the replay never changes the tokenizer.
public struct MergeReplay: Sendable {
  /// The tokenizer whose merges are replayed.
  public let tokenizer: BPETokenizer
  /// The distinct chunks, as tokens after `applied` merges, and how often each occurs.
  private var words: [[Int32]]
  private let frequencies: [Int]
  /// The first chunks of the text, in order, as indices into `words`: the part a view shows.
  public let opening: [Int]
  /// Merges applied so far (0 = bytes only).
  public private(set) var applied = 0
  /// The text's length in tokens after `applied` merges.
  public private(set) var tokenCount: Int
  /// The text's length in bytes: its token count before any merge.
  public let byteCount: Int

  /// Prepares the replay of `tokenizer`'s merges on `text`; `openingBytes` bounds the part kept for showing.
  public init(tokenizer: BPETokenizer, text: String, openingBytes: Int = 4096) {
    self.tokenizer = tokenizer
    var index: [[UInt8]: Int] = [:]
    var words: [[Int32]] = []
    var frequencies: [Int] = []
    var opening: [Int] = []
    var shown = 0
    var total = 0
    for chunk in TextSegmentation.bpeChunks(text) {
      let id: Int
      if let known = index[chunk] {
        id = known
        frequencies[id] += 1
      } else {
        id = words.count
        index[chunk] = id
        words.append(chunk.map { Int32($0) })
        frequencies.append(1)
      }
      total += chunk.count
      if shown < openingBytes {
        opening.append(id)
        shown += chunk.count
      }
    }
    self.words = words
    self.frequencies = frequencies
    self.opening = opening
    self.tokenCount = total
    self.byteCount = total
  }

  /// The number of merges the tokenizer learned.
  public var mergeCount: Int { tokenizer.mergeLog.count }

  /// The merge applied last, if any.
  public var last: BPETokenizer.Merge? { applied > 0 ? tokenizer.mergeLog[applied - 1] : nil }

  /// The merge the next `advance()` applies, if any remain.
  public var next: BPETokenizer.Merge? { applied < mergeCount ? tokenizer.mergeLog[applied] : nil }

  /// The tokens of chunk `index` (an entry of `opening`) as they stand now.
  public func tokens(ofChunk index: Int) -> [Int32] { words[index] }

  /// How often `left` then `right` occur next to each other inside a chunk, over the whole text.
  public func count(left: Int32, right: Int32) -> Int {
    var total = 0
    for (word, frequency) in zip(words, frequencies) where word.count > 1 {
      var position = 0
      // Non-overlapping, left to right: the occurrences a merge joins.
      while position < word.count - 1 {
        if word[position] == left && word[position + 1] == right {
          total += frequency
          position += 2
        } else {
          position += 1
        }
      }
    }
    return total
  }

  /// Applies the next merge to every chunk; returns how many places it joined (0 when none remain).
  @discardableResult
  public mutating func advance() -> Int {
    guard let merge = next else { return 0 }
    var joined = 0
    for index in words.indices where words[index].count > 1 {
      let word = words[index]
      var out: [Int32] = []
      out.reserveCapacity(word.count)
      var position = 0
      var hits = 0
      while position < word.count {
        if position + 1 < word.count && word[position] == merge.left && word[position + 1] == merge.right {
          out.append(merge.merged)
          position += 2
          hits += 1
        } else {
          out.append(word[position])
          position += 1
        }
      }
      if hits > 0 {
        words[index] = out
        joined += hits * frequencies[index]
      }
    }
    tokenCount -= joined
    applied += 1
    return joined
  }

  /// Starts again from bytes and applies the first `count` merges.
  public mutating func rewind(to count: Int) {
    let target = max(0, min(count, mergeCount))
    if target < applied {
      words = words.map { word in word.flatMap { tokenizer.bytes(of: $0).map { Int32($0) } } }
      applied = 0
      tokenCount = byteCount
    }
    while applied < target { advance() }
  }

  /// One row per merge of the whole replay: the merge and the text's token count after it.
  public static func table(tokenizer: BPETokenizer, text: String) -> [(merge: BPETokenizer.Merge, tokensAfter: Int)] {
    var replay = MergeReplay(tokenizer: tokenizer, text: text, openingBytes: 0)
    var rows: [(merge: BPETokenizer.Merge, tokensAfter: Int)] = []
    while let merge = replay.next {
      replay.advance()
      rows.append((merge, replay.tokenCount))
    }
    return rows
  }
}
