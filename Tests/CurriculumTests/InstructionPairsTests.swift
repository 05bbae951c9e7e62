import Foundation
import Testing
@testable import Curriculum

@Suite("Fine-tuning pairs")
struct InstructionPairsTests {
  static let text = """
    ### user
    What does the hen lay?
    ### assistant
    The hen lays an egg.

    ### user
    Where does
    the fish live?
    ### assistant
    In the pond.
    """

  @Test("blocks of ### user / ### assistant give pairs with the line of their header")
  func parses() throws {
    let pairs = try InstructionPairs.parse(Self.text, path: "qa.txt")
    #expect(pairs == [
      InstructionPair(prompt: "What does the hen lay?", response: "The hen lays an egg.", line: 1),
      InstructionPair(prompt: "Where does\nthe fish live?", response: "In the pond.", line: 6),
    ])
    #expect(InstructionPairs.looksLikePairs(Self.text))
    #expect(!InstructionPairs.looksLikePairs("The cat sat.\n### user\n"))
  }

  @Test("bad input is refused in one line naming the file and line", arguments: [
    ("### user\nHello?\n", "qa.txt:1: the example has no response: expected '### assistant' and the answer after its prompt"),
    ("### user\n\n### assistant\nYes.\n", "qa.txt:1: the prompt is empty: expected the user's text after '### user'"),
    ("### user\nHi\n### assistant\n\n", "qa.txt:1: the response is empty: expected the answer after '### assistant'"),
    ("### user\nSay <|end|> now\n### assistant\nNo.\n",
     "qa.txt:2: '<|end|>' is a role token of the chat template; it cannot be typed inside a prompt or response (refused, not escaped)"),
    ("### assistant\nYes.\n", "qa.txt:1: '### assistant' without a '### user' before it"),
    ("Hello\n", "qa.txt:1: text outside an example, expected '### user' to start one"),
    ("### user\nHi\n### system\nBe nice.\n", "qa.txt:3: unknown header '### system', expected '### user' or '### assistant'"),
    ("### user\nA\n### assistant\nB\n### assistant\nC\n", "qa.txt:5: a second '### assistant' in one example; start the next with '### user'"),
  ])
  func refuses(text: String, message: String) {
    #expect(throws: InstructionPairsError(message)) { try InstructionPairs.parse(text, path: "qa.txt") }
  }

  @Test("the chat tokenizer appends three role tokens after the base's ids and round-trips them")
  func chatTokenizer() {
    let base = CharacterTokenizer(trainingText: "abc ")
    let chat = ChatTokenizer(base: base)
    #expect(chat.vocabSize == base.vocabSize + 3)
    #expect((chat.userID, chat.assistantID, chat.endID) == (Int32(base.vocabSize), Int32(base.vocabSize + 1), Int32(base.vocabSize + 2)))
    #expect(chat.maskID == base.maskID && chat.ordinaryCount == base.ordinaryCount)
    let (ids, start) = chat.template(prompt: "ab", response: "c")
    #expect(ids == [chat.userID] + base.encode("ab") + [chat.assistantID] + base.encode("c") + [chat.endID])
    #expect(start == 4)
    #expect(chat.decode(ids) == "<|user|>ab<|assistant|>c<|end|>")
    #expect(chat.encode("<|user|>ab<|assistant|>c<|end|>") == ids)
    #expect(chat.isSpecial(chat.endID) && !chat.isSpecial(0))
    #expect(ChatTokenizer(base: chat).vocabSize == chat.vocabSize)
  }

  @Test("labels: −100 on template, prompt and padding; the response and <|end|> are targets; mask off labels every next token")
  func labels() {
    let example = SFTExample(tokens: [90, 1, 2, 91, 3, 4, 92], responseStart: 4, line: 1)
    let ignored = Batch.ignoredLabel
    #expect(example.labels(length: 10, maskPrompt: true) == [ignored, ignored, ignored, 3, 4, 92, ignored, ignored, ignored, ignored])
    #expect(example.labels(length: 10, maskPrompt: false) == [1, 2, 91, 3, 4, 92, ignored, ignored, ignored, ignored])
  }

  @Test("an SFT batch holds one example per row, padded by position, labels matching each example")
  func batches() throws {
    let base = CharacterTokenizer(trainingText: InstructionPairs.plainText(try InstructionPairs.parse(Self.text, path: "qa")))
    let chat = ChatTokenizer(base: base)
    let examples = try InstructionPairs.examples(try InstructionPairs.parse(Self.text, path: "qa"), tokenizer: chat, context: 48, path: "qa")
    var stream = BatchStream(
      examples: examples, split: .train, batchSize: 3, length: 48, maskPrompt: true, padID: chat.endID,
      maskID: chat.maskID, ordinaryCount: chat.ordinaryCount, seed: 5)
    let batch = stream.next()
    #expect(batch.objective == .sft && batch.exampleLengths.count == 3)
    for row in 0..<3 {
      let example = examples[batch.windowStarts[row]]
      let n = example.tokens.count
      #expect(batch.exampleLengths[row] == n)
      #expect(Array(batch.inputs(row: row).prefix(n)) == example.tokens)
      #expect(Array(batch.labels(row: row)) == example.labels(length: 48, maskPrompt: true))
      #expect(batch.labels(row: row).suffix(48 - n + 1).allSatisfy { $0 == Batch.ignoredLabel })
      #expect(batch.isPadding(row: row, position: n) && !batch.isPadding(row: row, position: n - 1))
    }
    #expect(batch.labelledCount > 0 && batch.labelledCount < batch.labels.count)
  }

  @Test("examples longer than the context and text the base does not know are refused with their line")
  func examplesRefused() throws {
    let pairs = try InstructionPairs.parse(Self.text, path: "qa.txt")
    let chat = ChatTokenizer(base: CharacterTokenizer(trainingText: InstructionPairs.plainText(pairs)))
    #expect(throws: InstructionPairsError(
      "qa.txt:1: the example is 45 tokens in the chat template, longer than the context of 40 (refused, not truncated); shorten it or use a longer --context"
    )) { try InstructionPairs.examples(pairs, tokenizer: chat, context: 40, path: "qa.txt") }
    let small = ChatTokenizer(base: CharacterTokenizer(trainingText: "What does the hen lay?"))
    #expect(throws: InstructionPairsError(
      "qa.txt:1: the response has the character 'T', which the base model's vocabulary lacks (refused; pairs may use only what the base was trained on)"
    )) { try InstructionPairs.examples(pairs, tokenizer: small, context: 64, path: "qa.txt") }
  }

  @Test("the bundled pairs parse, fit a context of 64 and hold a few hundred examples in each language")
  func bundled() throws {
    for (name, base) in [("chat.en.txt", "prose.en.txt"), ("chat.zh.txt", "stories.zh.txt")] {
      let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpora")
      let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      let baseText = try String(contentsOf: folder.appendingPathComponent(base), encoding: .utf8)
      let pairs = try InstructionPairs.parse(text, path: name)
      #expect(pairs.count >= 250)
      let chat = ChatTokenizer(base: CharacterTokenizer(trainingText: baseText))
      let examples = try InstructionPairs.examples(pairs, tokenizer: chat, context: 64, path: name)
      #expect(examples.count == pairs.count)
    }
  }
}
