import Testing
@testable import Curriculum

@Suite("Byte-level BPE")
struct BPETests {
  @Test("round trip is exact for any UTF-8 text, trained or not", arguments: roundTripTexts + ["", "zzz 🦊 未见过的字"])
  func roundTrip(text: String) {
    let tokenizer = BPETokenizer.train(text: roundTripTexts.joined(separator: "\n"), merges: 60)
    #expect(Array(tokenizer.decode(tokenizer.encode(text)).utf8) == Array(text.utf8))
  }

  @Test("no merges means one token per byte")
  func bytesOnly() {
    let tokenizer = BPETokenizer.train(text: "hello", merges: 0)
    #expect(tokenizer.vocabSize == 257)
    #expect(tokenizer.maskID == 256)
    #expect(tokenizer.encode("中") == [0xE4, 0xB8, 0xAD])
  }

  @Test("merges follow pair frequency, ties broken by smaller ids")
  func mergeOrder() {
    // Chunks: "aaab" ×1, " aaab" ×2 (the space joins the word after it), " ab" ×1.
    // Pair counts: (a,a) 6, (a,b) 4, (␣,a) 3 → first merge (a,a). The words become
    // [aa,a,b], [␣,aa,a,b], [␣,a,b]: (a,b) 4, (aa,a) 3, (␣,aa) 2 → second merge (a,b).
    let tokenizer = BPETokenizer.train(text: "aaab aaab aaab ab", merges: 3)
    let a = Int32(UInt8(ascii: "a"))
    let b = Int32(UInt8(ascii: "b"))
    let space = Int32(UInt8(ascii: " "))
    #expect(tokenizer.merges.count == 3)
    #expect(tokenizer.merges[0] == (a, a))
    #expect(tokenizer.mergeLog[0].count == 6)
    #expect(tokenizer.merges[1] == (a, b))
    #expect(tokenizer.mergeLog[1].count == 4)
    #expect(tokenizer.mergeLog[1].mergedText == "ab")
    // Now "aaab" = [aa, ab]: (aa,ab) 3, (␣,aa) 2, (␣,ab) 1.
    #expect(tokenizer.merges[2] == (256, 257))
    #expect(tokenizer.mergeLog[2].mergedText == "aaab")
    #expect(tokenizer.encode(" aaab") == [space, 258])
  }

  @Test("ties go to the pair with smaller ids, and training is deterministic")
  func deterministicTies() {
    // Chunks "xy", " xy", " zw" ×2: (x,y), (␣,z) and (z,w) all occur twice; the smallest
    // ids win, so the first merge is (␣,z).
    let first = BPETokenizer.train(text: "xy xy zw zw", merges: 4)
    let second = BPETokenizer.train(text: "xy xy zw zw", merges: 4)
    #expect(first == second)
    #expect(first.mergeLog.map(\.mergedText) == second.mergeLog.map(\.mergedText))
    #expect(first.merges[0] == (Int32(UInt8(ascii: " ")), Int32(UInt8(ascii: "z"))))
    #expect(first.mergeLog[0].count == 2)
  }

  @Test("merges on English text are sensible: common words form whole tokens")
  func sensibleMerges() {
    let text = String(repeating: "the cat and the dog and the bird. ", count: 20)
    let tokenizer = BPETokenizer.train(text: text, merges: 30)
    let merged = tokenizer.mergeLog.map(\.mergedText)
    #expect(merged.contains("␣the"))
    #expect(merged.contains("␣and"))
    // Merges never cross a pre-split boundary, so no token holds a word and the next space.
    #expect(!merged.contains { $0.count > 1 && $0.hasSuffix("␣") && !$0.allSatisfy { $0 == "␣" } })
    #expect(tokenizer.encode(" the").count == 1)
    // Counts never increase along the merge order.
    let counts = tokenizer.mergeLog.map(\.count)
    #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 >= $1 })
  }

  @Test("training stops early when no pair occurs twice")
  func stopsEarly() {
    let tokenizer = BPETokenizer.train(text: "abcdef", merges: 50)
    #expect(tokenizer.merges.isEmpty)
  }

  @Test("Chinese merges join characters; partial bytes display as escapes")
  func chineseDisplay() {
    let text = String(repeating: "我们学习。我们学习机器。", count: 10)
    let tokenizer = BPETokenizer.train(text: text, merges: 20)
    let merged = tokenizer.mergeLog.map(\.mergedText)
    // Merges work on bytes, so some tokens hold parts of characters; frequent words
    // still end up whole.
    #expect(merged.contains("我们学习"))
    #expect(merged.contains { $0.contains("<0x") })
    #expect(tokenizer.token(0xE4) == "<0xE4>")
    #expect(tokenizer.displayToken(Int32(UInt8(ascii: " "))) == "␣")
    let ids = tokenizer.encode("我们学习")
    #expect(ids.count == 1)
    #expect(tokenizer.decode(ids) == "我们学习")
  }

  @Test("byte escapes keep the valid part of a token as text")
  func mixedEscapes() {
    #expect(TokenDisplay.textWithByteEscapes([0x61, 0xE4, 0xB8]) == "a<0xE4><0xB8>")
    #expect(TokenDisplay.textWithByteEscapes([0xE4, 0xB8, 0xAD]) == "中")
    #expect(TokenDisplay.textWithByteEscapes([0xFF]) == "<0xFF>")
  }
}
