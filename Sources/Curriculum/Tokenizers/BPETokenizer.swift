/// Byte-level byte-pair encoding, learned from the corpus.
///
/// The base vocabulary is the 256 byte values, so any text round-trips exactly, Chinese
/// and emoji included. Training pre-splits the text into chunks (`TextSegmentation.bpeChunks`:
/// words with their leading space, digit runs, symbol runs, whitespace) and never merges
/// across a chunk boundary, so merges form pieces of words (" the", "ing") rather than
/// bridging words. Each merge joins the adjacent pair that occurs most often over all
/// chunks; ties go to the pair with the smaller (left, right) ids. Training stops early
/// when no pair occurs twice. Merged tokens take ids 256, 257, … in merge order; `[MASK]`
/// comes last.
public struct BPETokenizer: Tokenizer, Equatable {
  /// The number of merges a lesson learns when it names none.
  public static let defaultMerges = 256

  /// One learned merge, for showing how the vocabulary grew.
  public struct Merge: Sendable, Equatable {
    /// Position in the merge order, from 0.
    public let rank: Int
    /// The left and right tokens that were joined.
    public let left: Int32
    public let right: Int32
    /// The id of the new token.
    public let merged: Int32
    /// How often the pair occurred in the training text when it was chosen.
    public let count: Int
    /// The display forms of the left, right and merged tokens.
    public let leftText: String
    public let rightText: String
    public let mergedText: String
  }

  /// The merges in the order they were learned: pair `merges[i]` became token `256 + i`.
  public let merges: [(Int32, Int32)]
  /// The merges with their pair texts and counts, in order.
  public let mergeLog: [Merge]
  private let tokenBytes: [[UInt8]]
  private let ranks: [UInt64: Int32]

  public var kind: TokenizerKind { .bpe }
  public var ordinaryCount: Int { tokenBytes.count }
  public var vocabSize: Int { tokenBytes.count + 1 }
  public var unknownID: Int32? { nil }
  public var maskID: Int32 { Int32(tokenBytes.count) }

  private init(merges: [(Int32, Int32)], counts: [Int]) {
    self.merges = merges
    var bytes = (0...255).map { [UInt8($0)] }
    var ranks: [UInt64: Int32] = [:]
    var log: [Merge] = []
    for (rank, (left, right)) in merges.enumerated() {
      let merged = Int32(bytes.count)
      bytes.append(bytes[Int(left)] + bytes[Int(right)])
      ranks[Self.pairKey(left, right)] = Int32(rank)
      log.append(
        Merge(
          rank: rank, left: left, right: right, merged: merged, count: counts[rank],
          leftText: TokenDisplay.visible(TokenDisplay.textWithByteEscapes(bytes[Int(left)])),
          rightText: TokenDisplay.visible(TokenDisplay.textWithByteEscapes(bytes[Int(right)])),
          mergedText: TokenDisplay.visible(TokenDisplay.textWithByteEscapes(bytes[Int(merged)]))))
    }
    self.tokenBytes = bytes
    self.ranks = ranks
    self.mergeLog = log
  }

  private static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
  }

  private static func pair(of key: UInt64) -> (Int32, Int32) {
    (Int32(bitPattern: UInt32(key >> 32)), Int32(bitPattern: UInt32(key & 0xFFFF_FFFF)))
  }

  /// Learns up to `merges` merges from `text` (fewer when no pair occurs twice any more).
  public static func train(text: String, merges: Int) -> BPETokenizer {
    // Never stopped, so never nil.
    train(text: text, merges: merges) { _ in true } ?? BPETokenizer(merges: [], counts: [])
  }

  /// As `train(text:merges:)`, telling `progress` the merges learned so far before each one;
  /// nil when it answers false (the learner stopped the loading).
  static func train(text: String, merges: Int, progress: (Int) -> Bool) -> BPETokenizer? {
    var chunkCounts: [[UInt8]: Int] = [:]
    for chunk in TextSegmentation.bpeChunks(text) {
      chunkCounts[chunk, default: 0] += 1
    }
    // Sorted so that the training state, and with it every tie, is the same on every run.
    let sortedChunks = chunkCounts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    var words = sortedChunks.map { $0.key.map { Int32($0) } }
    let frequencies = sortedChunks.map(\.value)

    var pairCounts: [UInt64: Int] = [:]
    var pairWords: [UInt64: Set<Int>] = [:]
    for (index, word) in words.enumerated() where word.count > 1 {
      for position in 0..<(word.count - 1) {
        let key = pairKey(word[position], word[position + 1])
        pairCounts[key, default: 0] += frequencies[index]
        pairWords[key, default: []].insert(index)
      }
    }

    var learned: [(Int32, Int32)] = []
    var counts: [Int] = []
    while learned.count < max(0, merges) {
      guard progress(learned.count) else { return nil }
      var bestKey: UInt64 = 0
      var bestCount = 0
      for (key, count) in pairCounts where count > bestCount || (count == bestCount && count > 0 && key < bestKey) {
        bestKey = key
        bestCount = count
      }
      guard bestCount >= 2 else { break }
      let (left, right) = pair(of: bestKey)
      let merged = Int32(256 + learned.count)
      learned.append((left, right))
      counts.append(bestCount)

      let affected = (pairWords[bestKey] ?? []).sorted()
      for index in affected {
        let old = words[index]
        let frequency = frequencies[index]
        for position in 0..<(old.count - 1) {
          let key = pairKey(old[position], old[position + 1])
          pairCounts[key, default: 0] -= frequency
          if pairCounts[key] == 0 { pairCounts[key] = nil }
        }
        let new = Self.apply(left: left, right: right, merged: merged, to: old)
        words[index] = new
        for position in 0..<max(0, old.count - 1) {
          let key = pairKey(old[position], old[position + 1])
          if pairCounts[key] == nil { pairWords[key] = nil }
        }
        if new.count > 1 {
          for position in 0..<(new.count - 1) {
            let key = pairKey(new[position], new[position + 1])
            pairCounts[key, default: 0] += frequency
            pairWords[key, default: []].insert(index)
          }
        }
      }
      // A word may keep a stale entry in `pairWords` for a pair it no longer holds. That is
      // harmless: visiting it subtracts and re-adds its actual pairs, a net change of zero.
      pairWords[bestKey] = nil
    }
    return BPETokenizer(merges: learned, counts: counts)
  }

  /// `word` with every non-overlapping (left, right) pair, scanned left to right, joined.
  private static func apply(left: Int32, right: Int32, merged: Int32, to word: [Int32]) -> [Int32] {
    var out: [Int32] = []
    out.reserveCapacity(word.count)
    var position = 0
    while position < word.count {
      if position + 1 < word.count && word[position] == left && word[position + 1] == right {
        out.append(merged)
        position += 2
      } else {
        out.append(word[position])
        position += 1
      }
    }
    return out
  }

  public func encode(_ text: String) -> [Int32] {
    var cache: [[UInt8]: [Int32]] = [:]
    var out: [Int32] = []
    for chunk in TextSegmentation.bpeChunks(text) {
      if let known = cache[chunk] {
        out += known
        continue
      }
      let ids = encodeChunk(chunk)
      cache[chunk] = ids
      out += ids
    }
    return out
  }

  /// Applies the merges to one chunk, earliest-learned pair first, as training did.
  private func encodeChunk(_ chunk: [UInt8]) -> [Int32] {
    var word = chunk.map { Int32($0) }
    while word.count > 1 {
      var bestRank = Int32.max
      for position in 0..<(word.count - 1) {
        if let rank = ranks[Self.pairKey(word[position], word[position + 1])], rank < bestRank {
          bestRank = rank
        }
      }
      guard bestRank != Int32.max else { break }
      let (left, right) = merges[Int(bestRank)]
      word = Self.apply(left: left, right: right, merged: 256 + bestRank, to: word)
    }
    return word
  }

  /// The UTF-8 bytes of one token (the name's bytes for `[MASK]`).
  public func bytes(of id: Int32) -> [UInt8] {
    let index = Int(id)
    if index >= 0 && index < tokenBytes.count { return tokenBytes[index] }
    return Array(SpecialToken.mask.utf8)
  }

  public func decode(_ ids: [Int32]) -> String {
    var bytes: [UInt8] = []
    for id in ids { bytes += self.bytes(of: id) }
    // A model's sample may end inside a multi-byte character; such bytes become U+FFFD.
    return String(decoding: bytes, as: UTF8.self)
  }

  public func token(_ id: Int32) -> String {
    let index = Int(id)
    if index >= 0 && index < tokenBytes.count { return TokenDisplay.textWithByteEscapes(tokenBytes[index]) }
    return SpecialToken.mask
  }

  private struct Stored: Codable {
    var kind: String
    var merges: [[Int32]]
    var counts: [Int]?
  }

  public func serialized() -> String {
    TokenizerJSON.encode(
      Stored(kind: kind.rawValue, merges: merges.map { [$0.0, $0.1] }, counts: mergeLog.map(\.count)))
  }

  /// Restores a tokenizer from `serialized()` output.
  public static func deserialize(json: String) throws(TokenizerError) -> BPETokenizer {
    let stored = try TokenizerJSON.decode(Stored.self, json: json, kind: .bpe)
    guard stored.kind == TokenizerKind.bpe.rawValue else {
      throw TokenizerError("bpe tokenizer JSON: field 'kind' is '\(stored.kind)', expected 'bpe'")
    }
    var merges: [(Int32, Int32)] = []
    for (index, pair) in stored.merges.enumerated() {
      let known = 256 + index
      guard pair.count == 2, pair.allSatisfy({ $0 >= 0 && Int($0) < known }) else {
        throw TokenizerError(
          "bpe tokenizer JSON: field 'merges.\(index)' must be two ids below \(known), found \(pair)")
      }
      merges.append((pair[0], pair[1]))
    }
    var counts = stored.counts ?? []
    if counts.count != merges.count { counts = Array(repeating: 0, count: merges.count) }
    return BPETokenizer(merges: merges, counts: counts)
  }

  public static func == (lhs: BPETokenizer, rhs: BPETokenizer) -> Bool {
    lhs.merges.elementsEqual(rhs.merges, by: ==)
  }
}
