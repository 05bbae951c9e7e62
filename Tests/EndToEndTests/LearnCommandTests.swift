import Foundation
import Testing
import Training
@testable import nexttoken

/// `learn`'s own-text flags: the same definition as `train`'s, and train's errors before any screen.
struct LearnCommandTests {
  static let runFlags = [
    "--objective", "mlm", "--tokenizer", "word", "--bpe-merges", "12", "--layers", "3", "--heads", "2", "--dim", "48",
    "--context", "24", "--batch", "4", "--optimizer", "sgd", "--lr", "0.02", "--warmup", "7", "--seed", "99",
  ]

  @Test func learnAndTrainParseTheSameRunFlagsIntoTheSameRun() throws {
    let train = try TrainCommand.parse(["--corpus", "notes.txt"] + Self.runFlags)
    let learn = try LearnCommand.parse(["--corpus", "notes.txt"] + Self.runFlags)
    let run = RunConfiguration(
      corpus: "notes.txt", objective: .mlm, tokenizer: .word, bpeMerges: 12, layers: 3, heads: 2, dim: 48, context: 24,
      batch: 4, optimizer: .sgd, learningRate: 0.02, warmupSteps: 7, seed: 99)
    #expect(train.options.configuration == run)
    #expect(learn.options.configuration(defaultCorpus: "unused") == run)
    #expect(learn.options.givenRunFlags.count == 12)
  }

  @Test func withoutFlagsBothUseTheDocumentedDefaults() throws {
    let train = try TrainCommand.parse([])
    #expect(train.options.configuration == RunConfiguration(corpus: "sentences.en.txt"))
    #expect(train.options.givenRunFlags.isEmpty)
    let learn = try LearnCommand.parse(["--corpus", "a.txt"])
    #expect(learn.options.configuration(defaultCorpus: "b.txt") == RunConfiguration(corpus: "a.txt"))
  }

  @Test func learnRejectsConflictingSourcesInOneLine() {
    let cases: [([String], String)] = [
      (["labels", "--corpus", "a.txt"], "give a lesson (labels) or --corpus, not both"),
      ([], "give a lesson id"),
      (["labels", "--layers", "3", "--lr", "0.1"], "--layers, --lr only apply with --corpus"),
    ]
    for (arguments, expected) in cases {
      do {
        _ = try LearnCommand.parse(arguments)
        Issue.record("\(arguments) parsed")
      } catch {
        let message = LearnCommand.fullMessage(for: error)
        #expect(message.contains(expected), "\(arguments): \(message)")
        #expect(!message.contains("\n"), "\(arguments): more than one line: \(message)")
      }
    }
  }

  @Test func aBadCorpusGetsTrainsErrorWithoutATerminal() throws {
    try #require(FileManager.default.isExecutableFile(atPath: TmuxSession.binaryPath), "build the binary first")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-learn-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let short = folder.appendingPathComponent("short.txt")
    try Data("tiny".utf8).write(to: short)
    for corpus in ["/nonexistent/missing.txt", short.path, folder.path] {
      let learn = try runWithoutTerminal(["learn", "--corpus", corpus])
      let train = try runWithoutTerminal(["train", "--corpus", corpus, "--steps", "1"])
      #expect(learn.status != 0 && learn.status == train.status, "\(corpus): \(learn.status) vs \(train.status)")
      #expect(learn.stderr == train.stderr, "\(corpus): learn said \(learn.stderr), train \(train.stderr)")
      #expect(learn.stderr.split(separator: "\n").count == 1, "\(corpus): \(learn.stderr)")
      #expect(!learn.stderr.contains("terminal"), "\(corpus) reached the terminal check: \(learn.stderr)")
    }
  }
}
