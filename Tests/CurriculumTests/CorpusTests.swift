import Foundation
import Testing
import TestSupport
@testable import Curriculum

@Suite("Corpora")
struct CorpusTests {
  @Test("a UTF-8 file loads, a leading byte-order mark dropped")
  func loads() throws {
    let folder = try TemporaryDirectory()
    let url = try folder.write("bom.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("héllo 世界\n".utf8))
    let corpus = try Corpus.load(path: url.path)
    #expect(corpus.text == "héllo 世界\n")
    #expect(corpus.name == "bom.txt")
  }

  @Test("a FIFO, a device or a socket is refused by kind before it is opened, so nothing blocks")
  func specialFiles() throws {
    let folder = try TemporaryDirectory()
    let fifo = folder.url.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    // Opening a FIFO with no writer would block: this returning at all is part of the test.
    #expect(throws: CorpusError.notRegular(path: fifo, kind: "a FIFO")) { try Corpus.load(path: fifo) }
    #expect(CorpusError.notRegular(path: fifo, kind: "a FIFO").description == "\(fifo): is not a regular file (it is a FIFO), expected a UTF-8 text file")
    #expect(throws: CorpusError.notRegular(path: "/dev/zero", kind: "a device")) { try Corpus.load(path: "/dev/zero") }
    // Through a symlink, too.
    let link = folder.url.appendingPathComponent("link.txt").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fifo)
    #expect(throws: CorpusError.notRegular(path: link, kind: "a FIFO")) { try Corpus.load(path: link) }
    #expect(throws: CorpusError.isDirectory(path: folder.url.path)) { try Corpus.load(path: folder.url.path) }
  }

  @Test("a file over the bound is refused by its size before it is read; one at the bound is read")
  func sizeBound() throws {
    let folder = try TemporaryDirectory()
    // Sparse: large on paper, so nothing of it may be read to refuse it.
    let large = try folder.write("large.txt", "x")
    #expect(truncate(large.path, off_t(Corpus.largestFile + 1)) == 0)
    var reads = 0
    #expect(throws: CorpusError.tooLarge(path: large.path, bytes: Corpus.largestFile + 1, limit: Corpus.largestFile)) {
      try Corpus.load(path: large.path) { _ in reads += 1; return true }
    }
    #expect(reads == 0)
    #expect(
      CorpusError.tooLarge(path: "big.txt", bytes: 200 << 20, limit: Corpus.largestFile).description
        == "big.txt: the file holds 210 MB; a corpus may hold at most 8 MB (8000000 bytes), so train on a part of it")
    // At the bound it is read (and then refused for its NUL bytes, at the first one).
    #expect(truncate(large.path, off_t(Corpus.largestFile)) == 0)
    #expect(throws: CorpusError.binary(path: large.path, offset: 1, line: 1, column: 2, byte: 0)) { try Corpus.load(path: large.path) }
  }

  @Test("reading reports its bytes as it goes and stops when told to")
  func readingProgressAndCancel() throws {
    let folder = try TemporaryDirectory()
    let text = String(repeating: "the quick brown fox. ", count: 150_000)  // 3.15 MB: several slices
    let url = try folder.write("fox.txt", text)
    var seen: [CorpusProgress] = []
    let corpus = try Corpus.load(path: url.path) { seen.append($0); return true }
    #expect(corpus.text == text)
    #expect(seen.first == CorpusProgress(phase: .reading, name: "fox.txt", done: 0, total: text.utf8.count))
    #expect(seen.last == CorpusProgress(phase: .reading, name: "fox.txt", done: text.utf8.count, total: text.utf8.count))
    #expect(seen.count > 3 && zip(seen, seen.dropFirst()).allSatisfy { $0.done <= $1.done })
    var calls = 0
    #expect(throws: CorpusError.cancelled(path: url.path)) {
      try Corpus.load(path: url.path) { _ in calls += 1; return calls < 2 }
    }
    #expect(calls == 2)

    // Tokenizing reports its parts and stops too; the fraction only grows.
    var phases: [CorpusProgress] = []
    _ = try TrainingData(corpus: corpus, tokenizer: .char, context: 8) { phases.append($0); return true }
    #expect(phases.map(\.phase) == [.tokenizing, .tokenizing, .counting, .counting])
    #expect(zip(phases, phases.dropFirst()).allSatisfy { $0.fraction < $1.fraction } && phases.last?.fraction == 1)
    #expect(throws: CorpusError.cancelled(path: url.path)) {
      try TrainingData(corpus: corpus, tokenizer: .char, context: 8) { $0.phase != .counting }
    }
    // BPE reports each merge learned, and stops between two.
    var merges: [Int] = []
    #expect(throws: CorpusError.cancelled(path: url.path)) {
      try TrainingData(corpus: corpus, tokenizer: .bpe, bpeMerges: 20, context: 8) { progress in
        if progress.phase == .tokenizing { merges.append(progress.done) }
        return progress.done < 5
      }
    }
    #expect(merges == [0, 0, 1, 2, 3, 4, 5])
  }

  @Test("a bare name is looked up in the corpora folder; a path is used as it is")
  func loadNamed() throws {
    let folder = try TemporaryDirectory()
    let corpora = try folder.makeFolder("Corpora")
    try folder.write("Corpora/tiny.txt", CurriculumFixtures.tinyCorpus)
    let corpus = try Corpus.load(named: "tiny.txt", in: corpora)
    #expect(corpus.text == CurriculumFixtures.tinyCorpus)
    #expect(Corpus.resolve(name: "/abs/x.txt", in: corpora) == "/abs/x.txt")
    #expect(Corpus.resolve(name: "sub/x.txt", in: corpora) == "sub/x.txt")
  }

  @Test("a missing file names the path")
  func missing() throws {
    let folder = try TemporaryDirectory()
    let path = folder.url.appendingPathComponent("nope.txt").path
    #expect(throws: CorpusError.notFound(path: path)) { try Corpus.load(path: path) }
    #expect(CorpusError.notFound(path: path).description == "\(path): corpus file not found")
  }

  @Test("a folder is not a corpus")
  func folderIsNotACorpus() throws {
    let folder = try TemporaryDirectory()
    #expect(throws: CorpusError.isDirectory(path: folder.url.path)) { try Corpus.load(path: folder.url.path) }
  }

  @Test("empty and whitespace-only files are rejected")
  func empty() throws {
    let folder = try TemporaryDirectory()
    let empty = try folder.write("empty.txt", "").path
    let blank = try folder.write("blank.txt", "  \n\t\n").path
    #expect(throws: CorpusError.empty(path: empty, whitespaceOnly: false)) { try Corpus.load(path: empty) }
    #expect(throws: CorpusError.empty(path: blank, whitespaceOnly: true)) { try Corpus.load(path: blank) }
    #expect(CorpusError.empty(path: "a.txt", whitespaceOnly: false).description == "a.txt: the corpus is empty, expected UTF-8 text")
    #expect(CorpusError.empty(path: "a.txt", whitespaceOnly: true).description == "a.txt: the corpus holds only whitespace, expected UTF-8 text")
  }

  @Test("binary data is reported with its line and byte offset")
  func binary() throws {
    let folder = try TemporaryDirectory()
    let path = try folder.write("image.bin", bytes: Array("ok\nstill ok\n".utf8) + [0x41, 0x00, 0x42]).path
    do {
      _ = try Corpus.load(path: path)
      Issue.record("expected an error")
    } catch {
      #expect(error == .binary(path: path, offset: 13, line: 3, column: 2, byte: 0))
      #expect(error.description == "\(path):3:2: binary data (byte <0x00> at byte offset 13), expected UTF-8 text")
    }
  }

  @Test("invalid UTF-8 is reported with its line and byte offset")
  func invalidUTF8() throws {
    let folder = try TemporaryDirectory()
    // Latin-1 "café" on line 2.
    let path = try folder.write("latin1.txt", bytes: Array("first line\ncaf".utf8) + [0xE9, 0x0A]).path
    do {
      _ = try Corpus.load(path: path)
      Issue.record("expected an error")
    } catch {
      #expect(error.description == "\(path):2:4: not valid UTF-8 (byte <0xE9> at byte offset 14), expected UTF-8 text")
    }
  }

  @Test("a surrogate code point written in UTF-8 is refused with its line and column")
  func surrogates() throws {
    let folder = try TemporaryDirectory()
    for (bytes, name) in [([0xED, 0xA0, 0x80], "D800"), ([0xED, 0xBF, 0xBF], "DFFF")] as [([UInt8], String)] {
      let path = try folder.write("s\(name).txt", bytes: Array("line one\nsé ".utf8) + bytes + Array("x\n".utf8)).path
      #expect(throws: CorpusError.invalidUTF8(path: path, line: 2, column: 4, problem:
        "not valid UTF-8 (bytes \(bytes.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")) at byte offset 13 encode the UTF-16 surrogate U+\(name), which UTF-8 does not allow)")) {
        try Corpus.load(path: path)
      }
    }
  }

  @Test("a leading byte-order mark is stripped; one inside the text is kept")
  func byteOrderMark() throws {
    let corpus = try Corpus(path: "bom.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("ab\u{FEFF}c".utf8))
    #expect(Array(corpus.text.unicodeScalars) == ["a", "b", "\u{FEFF}", "c"])
  }

  @Test("overlong forms, surrogates and truncated sequences are invalid UTF-8")
  func strictUTF8() {
    #expect(UTF8Validation.firstFailure(in: [0xC0, 0xAF])?.offset == 0)
    #expect(UTF8Validation.firstFailure(in: [0x61, 0xED, 0xA0, 0x80])?.offset == 1)
    #expect(UTF8Validation.firstFailure(in: [0x61, 0x62, 0xE4, 0xB8])?.offset == 2)
    #expect(UTF8Validation.firstFailure(in: [0xF4, 0x90, 0x80, 0x80])?.offset == 0)
    #expect(UTF8Validation.firstFailure(in: Array("中文 🦊".utf8)) == nil)
  }

  @Test("a corpus shorter than one window plus one token is rejected once tokenised")
  func tooShort() throws {
    // Word tokens: "the", " cat", " sat", " on", " mats".
    let corpus = Corpus(path: "short.txt", text: "the cat sat on mats")
    let tokenizer = WordTokenizer(trainingText: corpus.text)
    #expect(throws: CorpusError.tooShort(path: "short.txt", tokens: 5, tokenizer: .word, context: 8)) {
      try corpus.check(tokenizer: tokenizer, context: 8)
    }
    #expect(
      CorpusError.tooShort(path: "short.txt", tokens: 5, tokenizer: .word, context: 8).description
        == "short.txt: the corpus has 5 tokens with the word tokenizer; a context of 8 needs at least 9")
    #expect(try corpus.check(tokenizer: tokenizer, context: 4).count == 5)
  }

  @Test("90/10 split by position; each split needs context + 1 tokens")
  func split() throws {
    let text = String(repeating: "ab", count: 50)  // 100 characters
    let corpus = Corpus(path: "ab.txt", text: text)
    let tokenizer = CharacterTokenizer(trainingText: text)
    let split = try TokenizedCorpus(corpus: corpus, tokenizer: tokenizer, context: 8)
    #expect(split.train.count == 90)
    #expect(split.validation.count == 10)
    #expect(split.train + split.validation == split.tokens)
    #expect(split.validationOffset == 90)
    do {
      _ = try TokenizedCorpus(corpus: corpus, tokenizer: tokenizer, context: 12)
      Issue.record("expected an error")
    } catch {
      #expect(error == .splitTooShort(path: "ab.txt", split: .validation, splitTokens: 10, tokens: 100, needed: 121, tokenizer: .char, context: 12))
      #expect(error.description == "ab.txt: the validation split (last 10%) has 10 tokens but a context of 12 needs at least 13 in each split; the corpus has 100 tokens with the char tokenizer and needs at least 121")
    }
    #expect(TokenizedCorpus.minimumTokens(context: 8) == 81)
    let minimal = Corpus(path: "m.txt", text: String(repeating: "a", count: 81))
    let tokenized = try TokenizedCorpus(corpus: minimal, tokenizer: CharacterTokenizer(trainingText: "a"), context: 8)
    #expect(tokenized.validation.count == 9)
  }

  @Test("entropies are counted on the training split and measured on the validation split")
  func entropies() {
    // Train a b a b a: add-one unigram p(a) = 4/7, p(b) = 3/7. Pairs ab, ba, ab, ba: after b
    // always a (c(b) = 2, one kind of follower), so P(a | b) = (2 + 1·4/7) / (2 + 1) = 6/7.
    let statistics = CorpusStatistics(train: [0, 1, 0, 1, 0], validation: [1, 0], vocabSize: 2)
    #expect(abs(statistics.uniformEntropy - log(2)) < 1e-12)
    #expect(abs(statistics.unigramEntropy - -(log(3.0 / 7) + log(4.0 / 7)) / 2) < 1e-12)
    #expect(abs(statistics.bigramEntropy - -log(6.0 / 7)) < 1e-12)
    #expect(statistics.tokenCount == 7)
    #expect(statistics.distinctTokens == 2)

    // A token never seen first in training falls back to the unigram model: P(a | c) = P(a) = 4/8.
    let unseen = CorpusStatistics(train: [0, 1, 0, 1, 0], validation: [2, 0], vocabSize: 3)
    #expect(abs(unseen.bigramEntropy - -log(4.0 / 8)) < 1e-12)
    #expect(unseen.distinctTokens == 3)
  }

  @Test("a text without structure scores near ln V however sparse its pairs, a periodic one near 0")
  func entropiesOnSparseText() {
    // 3,000 uniform draws over 200 tokens: most of the 40,000 pairs occur at most once, so
    // counting and scoring the same text would report a bigram entropy near ln 15 ≈ 2.7.
    var generator = SplitMixTestGenerator(seed: 7)
    let noise = (0..<3_300).map { _ in Int32.random(in: 0..<200, using: &generator) }
    let sparse = CorpusStatistics(train: Array(noise[..<3_000]), validation: Array(noise[3_000...]), vocabSize: 200)
    #expect(sparse.bigramEntropy > log(200) - 0.15)
    #expect(sparse.unigramEntropy > log(200) - 0.15)

    let periodic = (0..<1_000).map { Int32($0 % 5) }
    let pattern = CorpusStatistics(train: Array(periodic[..<900]), validation: Array(periodic[900...]), vocabSize: 5)
    #expect(abs(pattern.unigramEntropy - log(5)) < 0.01)
    #expect(pattern.bigramEntropy < 0.01)
  }

  @Test("the corpora folder comes from the variable, the binary's checkout, or a checkout in the current folder (with a note)")
  func defaultDirectory() throws {
    let folder = try TemporaryDirectory()
    let repo = try folder.makeFolder("repo")
    let corpora = try folder.makeFolder("repo/Corpora")
    try folder.write("repo/Package.swift", "// swift-tools-version:6.0")
    try folder.makeFolder("repo/Sources/nexttoken")
    let release = try folder.makeFolder("repo/.build/release")
    let elsewhere = try folder.makeFolder("elsewhere")
    let binary = release.appendingPathComponent("nexttoken")
    var notes: [String] = []
    func find(_ environment: [String: String] = [:], in current: URL, binary: URL?) throws(CorpusError) -> URL {
      try Corpus.defaultDirectory(environment: environment, currentDirectory: current, executable: binary) { notes.append($0) }
    }

    let fromVariable = try find(["NEXTTOKEN_CORPORA": corpora.path], in: elsewhere, binary: nil)
    #expect(fromVariable.standardizedFileURL.path == corpora.standardizedFileURL.path)
    let fromBinary = try find(in: elsewhere, binary: binary)
    #expect(fromBinary.standardizedFileURL.path == corpora.standardizedFileURL.path)
    #expect(notes.isEmpty)
    // A checkout in the current folder is used only when nothing else was found, and says so.
    let stray = elsewhere.appendingPathComponent("bin/nexttoken")
    let fromCurrent = try find(in: repo, binary: stray)
    #expect(fromCurrent.standardizedFileURL.path == corpora.standardizedFileURL.path)
    #expect(notes == ["note: using \(corpora.standardizedFileURL.path) from the source checkout in the current folder (no installed Corpora folder was found beside the program); set NEXTTOKEN_CORPORA to choose another"])

    let missing = elsewhere.appendingPathComponent("none").path
    #expect(throws: CorpusError.badCorporaVariable(value: missing)) {
      try find(["NEXTTOKEN_CORPORA": missing], in: elsewhere, binary: nil)
    }
    do {
      // An executable outside any checkout: this test binary itself sits below the repo's Corpora.
      _ = try find(in: elsewhere, binary: stray)
      Issue.record("expected an error")
    } catch {
      #expect(error.description.hasPrefix("cannot find the Corpora folder: set NEXTTOKEN_CORPORA"))
      #expect(error.description.contains("\(elsewhere.path)/share/nexttoken/Corpora, \(elsewhere.path)/Corpora (not used: the current folder is no source checkout)"), "\(error)")
    }
  }

  @Test("a Corpora folder that is not in a source checkout is never used: not in the current folder, not above the binary")
  func strayCorporaAreIgnored() throws {
    let folder = try TemporaryDirectory()
    // A hostile folder: Corpora/ but no checkout around it (Package.swift alone is not one).
    try folder.write("hostile/Corpora/sentences.en.txt", "evil")
    try folder.write("hostile/Package.swift", "")
    let hostile = folder.url.appendingPathComponent("hostile")
    // An installed program whose share/nexttoken/Corpora is missing, under a folder holding Corpora/.
    try folder.makeFolder("prefix/bin")
    try folder.makeFolder("Corpora")
    let binary = folder.url.appendingPathComponent("prefix/bin/nexttoken")
    #expect(throws: CorpusError.self) {
      try Corpus.defaultDirectory(environment: [:], currentDirectory: hostile, executable: binary) { _ in }
    }
    #expect(!ResourceLocator.isCheckout(hostile))
    try folder.makeFolder("hostile/Sources/nexttoken")
    #expect(ResourceLocator.isCheckout(hostile))
    // Lessons follow the same rule.
    try folder.makeFolder("elsewhere/Lessons")
    #expect(throws: LessonLibraryError.self) {
      try LessonLibrary.defaultDirectory(
        environment: [:], currentDirectory: folder.url.appendingPathComponent("elsewhere"), executable: binary) { _ in }
    }
  }

  @Test("an installed binary finds PREFIX/share/nexttoken/Corpora before the current folder's")
  func installedDirectory() throws {
    let folder = try TemporaryDirectory()
    let installed = try folder.makeFolder("prefix/share/nexttoken/Corpora")
    try folder.makeFolder("prefix/bin")
    let checkout = try folder.makeFolder("checkout")
    try folder.makeFolder("checkout/Corpora")
    let binary = folder.url.appendingPathComponent("prefix/bin/nexttoken")
    let found = try Corpus.defaultDirectory(environment: [:], currentDirectory: checkout, executable: binary)
    #expect(found.path == installed.standardizedFileURL.path)

    // Started through a symlink elsewhere on PATH, the binary still finds its own data.
    try folder.makeFolder("path/bin")
    let link = folder.url.appendingPathComponent("path/bin/nexttoken")
    try Data().write(to: binary)
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: binary)
    let viaLink = try Corpus.defaultDirectory(environment: [:], currentDirectory: checkout, executable: link)
    #expect(viaLink.path == installed.standardizedFileURL.path)
  }
}

/// The corpora the project ships: clean text, each described in the folder's README.
@Suite("Bundled corpora")
struct BundledCorpusTests {
  static let folder = packageRoot().appendingPathComponent("Corpora")
  static let names: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".txt") }.sorted()
  }()

  @Test func thereAreCorporaInBothLanguages() {
    #expect(Self.names.contains { $0.hasSuffix(".en.txt") })
    #expect(Self.names.contains { $0.hasSuffix(".zh.txt") })
  }

  @Test(arguments: names)
  func isCleanTextTheReadmeDescribes(name: String) throws {
    let bytes = try Data(contentsOf: Self.folder.appendingPathComponent(name))
    let text = try #require(String(data: bytes, encoding: .utf8), "\(name) is not UTF-8")
    #expect(!text.contains("\r"), "\(name) has CR line endings")
    #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"), "\(name) must end in exactly one newline")
    #expect(!text.contains("\n\n\n"), "\(name) has more than one blank line in a row")
    let readme = try String(contentsOf: Self.folder.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(readme.contains("| `\(name)` |"), "Corpora/README.md has no row for \(name)")
    let corpus = try Corpus.load(path: Self.folder.appendingPathComponent(name).path)
    let tokenized = try TokenizedCorpus(corpus: corpus, tokenizer: CharacterTokenizer(trainingText: corpus.text), context: 64)
    #expect(tokenized.validation.count > 64)
  }
}
