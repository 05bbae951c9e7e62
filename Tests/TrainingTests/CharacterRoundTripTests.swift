import Curriculum
import Foundation
import Model
import Testing
@testable import Training

/// Every character a tokenizer accepts comes back from its checkpoint: train → save → load.
@Suite struct CharacterRoundTripTests {
  /// One of each class that once broke a round trip or may: controls, combining marks, ZWJ
  /// sequences, U+FEFF at the start of a token and inside one, private use, and more.
  static let awkward: [String] = [
    "\u{FEFF}", "a\u{FEFF}b", "\u{7F}", "\u{1B}", "\u{85}", "\u{200B}", "\u{200D}", "\u{2028}", "\r\n", "\r",
    "e\u{301}", "\u{301}", "é", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}", "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}",
    "\u{E000}", "\u{F8FF}", "\u{F0000}", "\u{10FFFD}", "\u{FFFD}", "\u{FFFF}", "\\u0000", "\"", "\\",
    "中文", "\u{1F1EF}\u{1F1F5}",
  ]

  @Test(arguments: TokenizerKind.allCases)
  func everyCharacterClassSurvivesTheCheckpoint(kind: TokenizerKind) throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    var text = ""
    for round in 0..<30 {
      text += "the fox \(round % 7) jumps over the dog. "
      // As words and glued to words, so every tokenizer makes tokens of them.
      for piece in Self.awkward { text += "\(piece) x\(piece)y " }
      text += "\n"
    }
    let corpus = scratch.file("awkward.txt")
    try Data(text.utf8).write(to: corpus)
    var run = tinyRun(corpus)
    run.tokenizer = kind
    let trainer = try Trainer(configuration: run, evaluationInterval: 0)
    _ = trainer.step(recordTrace: false)
    let url = scratch.file("awkward.safetensors")
    try Checkpoint.save(trainer, to: url)
    let loaded = try Checkpoint.loadModel(from: url)
    #expect(loaded.tokenizer.vocabSize == trainer.tokenizer.vocabSize)
    for id in 0..<Int32(trainer.tokenizer.vocabSize) {
      #expect(Array(loaded.tokenizer.token(id).utf8) == Array(trainer.tokenizer.token(id).utf8), "\(kind) token \(id)")
    }
    for piece in Self.awkward {
      let sample = "\(piece) x\(piece)y "
      #expect(loaded.tokenizer.encode(sample) == trainer.tokenizer.encode(sample), "\(kind): \(piece.unicodeScalars.map { String($0.value, radix: 16) })")
    }
    // The checkpoint resumes, too.
    _ = try Checkpoint.load(from: url)
  }
}
