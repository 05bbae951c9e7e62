import Foundation
import Glibc
import Model

/// The two parts of a corpus: the first 90% of its tokens train, the last 10% validate.
public enum CorpusSplit: String, Sendable, Codable, CaseIterable {
  case train
  case validation
}

/// A UTF-8 text file to train on, checked and loaded whole.
public struct Corpus: Sendable, Equatable {
  /// The path as the user or lesson gave it (used in messages).
  public let path: String
  /// The file's text (a leading byte-order mark removed).
  public let text: String

  /// The file name without its folder, for the screen.
  public var name: String { URL(fileURLWithPath: path).lastPathComponent }

  /// A corpus made from text in memory (for tests and generated data).
  public init(path: String, text: String) {
    self.path = path
    self.text = text
  }

  /// The largest corpus file read: 8 MB, checked before reading.
  ///
  /// Training holds the text several times over (the text, its tokens, the tokenizer's
  /// counts, the batches): measured over one step, an 8 MiB corpus peaks at about 110 MB
  /// resident with the char tokenizer and 200 MB with bpe or word, 32 MiB at 300 and 620 MB,
  /// and 200 MB at 1.9 and 5.3 GB. Twenty times the largest bundled corpus, and more than
  /// the complete works of Shakespeare (5.5 MB).
  public static let largestFile = 8_000_000

  /// Loads the file at `path`, checking that it is a regular file of at most `largestFile`
  /// bytes holding non-empty UTF-8 text.
  ///
  /// The path is checked before it is opened, and opened without blocking, so a FIFO or a
  /// device is refused by name rather than read (or waited on). `progress` hears how many
  /// bytes were read; answering false stops the read with `CorpusError.cancelled`.
  public static func load(path: String, progress: (CorpusProgress) -> Bool = { _ in true }) throws(CorpusError) -> Corpus {
    let bytes = try read(path: path, progress: progress)
    return try Corpus(path: path, bytes: bytes)
  }

  /// The bytes of the regular file at `path`, read in slices so `progress` can follow and stop it.
  private static func read(path: String, progress: (CorpusProgress) -> Bool) throws(CorpusError) -> [UInt8] {
    let name = URL(fileURLWithPath: path).lastPathComponent
    func check(_ info: stat) throws(CorpusError) {
      switch info.st_mode & S_IFMT {
      case S_IFREG: break
      case S_IFDIR: throw .isDirectory(path: path)
      default: throw .notRegular(path: path, kind: FileKind.describe(mode: info.st_mode))
      }
      if Int(info.st_size) > largestFile { throw .tooLarge(path: path, bytes: Int(info.st_size), limit: largestFile) }
    }
    var info = stat()
    guard stat(path, &info) == 0 else {
      if errno == ENOENT || errno == ENOTDIR { throw .notFound(path: path) }
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    try check(info)
    // Without O_NONBLOCK, a FIFO put in the file's place since stat would block the open.
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    guard fstat(descriptor, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    try check(info)
    let size = Int(info.st_size)
    guard progress(CorpusProgress(phase: .reading, name: name, done: 0, total: size)) else { throw .cancelled(path: path) }
    // One byte more than allowed: a file that grew since fstat is refused, never read whole.
    var bytes = [UInt8](repeating: 0, count: min(size, largestFile) + 1)
    var count = 0
    let slice = 1 << 20
    while count < bytes.count {
      let read = bytes.withUnsafeMutableBytes { buffer in
        Glibc.read(descriptor, buffer.baseAddress! + count, min(slice, buffer.count - count))
      }
      if read < 0 {
        if errno == EINTR { continue }
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      if read == 0 { break }
      count += read
      guard progress(CorpusProgress(phase: .reading, name: name, done: min(count, size), total: size)) else {
        throw .cancelled(path: path)
      }
    }
    if count > largestFile { throw .tooLarge(path: path, bytes: count, limit: largestFile) }
    bytes.removeSubrange(count...)
    return bytes
  }

  /// Loads a corpus by name: a bare file name is looked up in `directory`; a name with
  /// a folder in it (or an absolute path) is used as a path.
  public static func load(named name: String, in directory: URL) throws(CorpusError) -> Corpus {
    try load(path: resolve(name: name, in: directory))
  }

  /// The path `load(named:in:)` reads for `name`.
  public static func resolve(name: String, in directory: URL) -> String {
    if name.hasPrefix("/") || name.contains("/") { return name }
    return directory.appendingPathComponent(name).path
  }

  /// Checks raw file bytes: UTF-8, no binary control bytes, not blank.
  package init(path: String, bytes: [UInt8]) throws(CorpusError) {
    var bytes = bytes
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    if bytes.isEmpty { throw .empty(path: path, whitespaceOnly: false) }
    var line = 1
    var lineStart = 0
    for (offset, byte) in bytes.enumerated() {
      if byte == 0x0A {
        line += 1
        lineStart = offset + 1
      }
      if Self.isBinaryControl(byte) {
        // A UTF-8 error earlier in the file is the first thing wrong; report that instead.
        if let failure = UTF8Validation.firstFailure(in: Array(bytes[..<offset])) {
          throw .invalidUTF8(path: path, line: failure.line, column: failure.column, problem: failure.problem)
        }
        // Characters before it on its line (valid UTF-8 up to here): bytes that start one.
        let column = bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count + 1
        throw .binary(path: path, offset: offset, line: line, column: column, byte: byte)
      }
    }
    if let failure = UTF8Validation.firstFailure(in: bytes) {
      throw .invalidUTF8(path: path, line: failure.line, column: failure.column, problem: failure.problem)
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if text.allSatisfy(\.isWhitespace) { throw .empty(path: path, whitespaceOnly: true) }
    self.init(path: path, text: text)
  }

  /// C0 control bytes other than tab, newline, vertical tab, form feed, carriage return
  /// and escape: no text file holds them, every binary format does.
  private static func isBinaryControl(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x00...0x08, 0x0E...0x1A, 0x1C...0x1F: return true
    default: return false
    }
  }

  /// Tokenises the corpus and checks it holds at least one context window plus one token.
  ///
  /// Returns the tokens, so callers need not encode the text twice.
  @discardableResult
  public func check(tokenizer: some Tokenizer, context: Int) throws(CorpusError) -> [Int32] {
    let tokens = tokenizer.encode(text)
    guard tokens.count >= context + 1 else {
      throw .tooShort(path: path, tokens: tokens.count, tokenizer: tokenizer.kind, context: context)
    }
    return tokens
  }

  /// Finds the `Corpora` folder: `NEXTTOKEN_CORPORA` if set, else the installed one beside the
  /// executable (`../share/nexttoken/Corpora`), else the source checkout's (see `ResourceLocator`).
  ///
  /// A folder taken from the current folder is announced through `note` (by default on standard error, once).
  public static func defaultDirectory(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: URL? = nil, executable: URL? = nil, note: ((String) -> Void)? = nil
  ) throws(CorpusError) -> URL {
    let location = try locateDirectory(environment: environment, currentDirectory: currentDirectory, executable: executable)
    if let line = location.note(folder: "Corpora", variable: "NEXTTOKEN_CORPORA") { (note ?? ResourceLocator.writeOnce)(line) }
    return location.url
  }

  /// Where the `Corpora` folder is and why it was chosen (`lessons list` shows it).
  package static func locateDirectory(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: URL? = nil, executable: URL? = nil
  ) throws(CorpusError) -> ResourceLocator.Location {
    do {
      return try ResourceLocator.locate(
        folder: "Corpora", variable: "NEXTTOKEN_CORPORA", environment: environment,
        currentDirectory: currentDirectory ?? ResourceLocator.currentDirectory,
        executable: executable ?? ResourceLocator.currentExecutable)
    } catch {
      if let value = error.badVariableValue { throw .badCorporaVariable(value: value) }
      throw .noCorporaDirectory(searched: error.searched)
    }
  }
}

/// A corpus cut into tokens and split 90/10 by position.
public struct TokenizedCorpus: Sendable {
  /// The corpus the tokens came from.
  public let corpus: Corpus
  /// Every token of the corpus, in order.
  public let tokens: [Int32]
  /// The first 90% of the tokens.
  public let train: [Int32]
  /// The last 10% of the tokens.
  public let validation: [Int32]
  /// Where the validation split starts in `tokens`.
  public var validationOffset: Int { train.count }

  /// Tokenises `corpus` and splits it; each split must hold at least `context + 1` tokens.
  public init(corpus: Corpus, tokenizer: some Tokenizer, context: Int) throws(CorpusError) {
    let tokens = try corpus.check(tokenizer: tokenizer, context: context)
    try self.init(corpus: corpus, tokens: tokens, tokenizer: tokenizer.kind, context: context)
  }

  /// Splits already encoded `tokens` of `corpus`.
  public init(corpus: Corpus, tokens: [Int32], tokenizer: TokenizerKind, context: Int) throws(CorpusError) {
    guard tokens.count >= context + 1 else {
      throw .tooShort(path: corpus.path, tokens: tokens.count, tokenizer: tokenizer, context: context)
    }
    let trainCount = Self.trainCount(of: tokens.count)
    let validationCount = tokens.count - trainCount
    let needed = Self.minimumTokens(context: context)
    if trainCount < context + 1 || validationCount < context + 1 {
      let split: CorpusSplit = trainCount < context + 1 ? .train : .validation
      throw .splitTooShort(
        path: corpus.path, split: split, splitTokens: split == .train ? trainCount : validationCount,
        tokens: tokens.count, needed: needed, tokenizer: tokenizer, context: context)
    }
    self.corpus = corpus
    self.tokens = tokens
    self.train = Array(tokens[..<trainCount])
    self.validation = Array(tokens[trainCount...])
  }

  /// A corpus whose splits were chosen by the caller (SFT splits by example, not by token).
  public init(corpus: Corpus, train: [Int32], validation: [Int32]) {
    self.corpus = corpus
    self.tokens = train + validation
    self.train = train
    self.validation = validation
  }

  /// The tokens of one split.
  public func tokens(of split: CorpusSplit) -> [Int32] {
    split == .train ? train : validation
  }

  /// The size of the training split for a corpus of `count` tokens: 90%, rounded down.
  public static func trainCount(of count: Int) -> Int {
    count * 9 / 10
  }

  /// The fewest tokens whose 90/10 split leaves `context + 1` tokens in each part.
  public static func minimumTokens(context: Int) -> Int {
    var count = 10 * (context + 1) - 9
    while count - trainCount(of: count) < context + 1 || trainCount(of: count) < context + 1 {
      count += 1
    }
    return count
  }

  /// Reference entropies for the loss plot: counted on the training split, measured on the validation split.
  public func statistics(vocabSize: Int) -> CorpusStatistics {
    CorpusStatistics(train: train, validation: validation, vocabSize: vocabSize)
  }
}
