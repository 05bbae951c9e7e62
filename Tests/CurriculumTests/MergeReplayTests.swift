import Curriculum
import Testing

/// The BPE view's replay: it recounts exactly what training counted, inside chunks, in order.
@Suite struct MergeReplayTests {
  let text = """
    The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs 123 times!
    敏捷的棕色狐狸跳过了那只懒狗。狗在睡觉，狐狸在跑。
    The end, the end, the end.
    """

  @Test func eachMergeJoinsAsManyPairsAsTrainingCountedAndTheTotalFallsByAsMany() {
    let tokenizer = BPETokenizer.train(text: text, merges: 40)
    var replay = MergeReplay(tokenizer: tokenizer, text: text)
    #expect(replay.tokenCount == text.utf8.count && replay.byteCount == text.utf8.count)
    #expect(replay.mergeCount == tokenizer.mergeLog.count && replay.mergeCount > 10)
    while let next = replay.next {
      #expect(replay.count(left: next.left, right: next.right) == next.count, "merge \(next.rank)")
      let before = replay.tokenCount
      #expect(replay.advance() == next.count)
      #expect(replay.tokenCount == before - next.count)
    }
    // The vocabulary it ends with is the tokenizer's: the text comes out as the tokenizer encodes it.
    #expect(replay.tokenCount == tokenizer.encode(text).count)
    var encoded: [Int32] = []
    for chunk in replay.opening { encoded += replay.tokens(ofChunk: chunk) }
    #expect(encoded == tokenizer.encode(text))
  }

  @Test func rewindingReplaysTheSameStates() {
    let tokenizer = BPETokenizer.train(text: text, merges: 30)
    var replay = MergeReplay(tokenizer: tokenizer, text: text)
    for _ in 0..<12 { replay.advance() }
    let counted = replay.tokenCount
    let chunks = replay.opening.map { replay.tokens(ofChunk: $0) }
    replay.rewind(to: Int.max)
    #expect(replay.applied == replay.mergeCount && replay.next == nil)
    replay.rewind(to: 12)
    #expect(replay.applied == 12 && replay.tokenCount == counted)
    #expect(replay.opening.map { replay.tokens(ofChunk: $0) } == chunks)
    replay.rewind(to: 0)
    #expect(replay.tokenCount == replay.byteCount && replay.last == nil)
  }

  @Test func noTokenSpansAChunkBreak() {
    let tokenizer = BPETokenizer.train(text: text, merges: 60)
    var replay = MergeReplay(tokenizer: tokenizer, text: text)
    replay.rewind(to: Int.max)
    let chunks = TextSegmentation.bpeChunks(text)
    #expect(replay.opening.count == chunks.count)
    for (index, chunk) in zip(replay.opening, chunks) {
      #expect(replay.tokens(ofChunk: index).flatMap { tokenizer.bytes(of: $0) } == chunk)
    }
  }

  @Test func theTableListsEveryMergeWithTheTokensLeftAfterIt() {
    let tokenizer = BPETokenizer.train(text: text, merges: 25)
    let table = MergeReplay.table(tokenizer: tokenizer, text: text)
    #expect(table.map(\.merge) == tokenizer.mergeLog)
    #expect(table.first?.tokensAfter == text.utf8.count - tokenizer.mergeLog[0].count)
    #expect(table.last?.tokensAfter == tokenizer.encode(text).count)
  }
}
