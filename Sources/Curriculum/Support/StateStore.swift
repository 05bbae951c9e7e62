import Foundation
import Model

/// One kind of record the app remembers in the state folder: exercise answers, games, scores.
///
/// Each kind has its own file, `<name>.json`, holding lists of records by a string key
/// (a lesson and language, "labels.en"). Declaring a kind is all a new feature needs:
///
/// ```swift
/// public enum QuizResults: StateKind {
///   public struct Record: Codable, Sendable { public var score: Int; public var date: Date }
///   public static let name = "quiz"
/// }
/// try StateStore(folders: folders).update(QuizResults.self) { $0.append(result, to: "course.en") }
/// let all = StateStore(folders: folders).records(QuizResults.self)["course.en"]
/// ```
///
/// Dates are stored as ISO 8601 text. A record this version cannot decode (one written by a
/// newer version, or edited by hand) is kept in the file as it was and never shown.
public protocol StateKind {
  associatedtype Record: Codable & Sendable
  /// The file's name without `.json`: letters, digits and dashes.
  static var name: String { get }
  /// The most records kept under one key; the oldest go first, so the file stays small.
  static var keptPerKey: Int { get }
  /// What earlier versions saved in other files, read while this kind has no file yet and
  /// moved aside (renamed `*.migrated`) by the first save.
  static func legacy(in folder: URL) -> StateLegacy
}

extension StateKind {
  public static var keptPerKey: Int { 1000 }
  public static func legacy(in folder: URL) -> StateLegacy { StateLegacy() }
}

/// Records an earlier version saved in its own files, as JSON values by key.
public struct StateLegacy: Sendable {
  /// Each key's records, oldest first, undecoded.
  public var records: [String: [StateValue]]
  /// The files read whole: renamed `*.migrated` once their records are in the store.
  public var files: [URL]
  /// One line per file that could not be read; such a file is left where it is.
  public var problems: [String]

  public init(records: [String: [StateValue]] = [:], files: [URL] = [], problems: [String] = []) {
    self.records = records
    self.files = files
    self.problems = problems
  }
}

/// The records of one kind, by key; entries this version cannot decode ride along unchanged.
public struct StateRecords<Record: Codable & Sendable>: Sendable {
  enum Entry: Sendable {
    case known(Record)
    case unknown(StateValue)
  }

  var entries: [String: [Entry]] = [:]
  /// Why what was saved could not be read, in one line; nil when it was read (or there was none).
  public internal(set) var problem: String?

  public init() {}

  /// The keys that hold records, sorted.
  public var keys: [String] { entries.filter { $0.value.contains { if case .known = $0 { true } else { false } } }.keys.sorted() }

  /// The records under `key`, oldest first.
  public subscript(key: String) -> [Record] {
    (entries[key] ?? []).compactMap { if case .known(let record) = $0 { record } else { nil } }
  }

  /// Every key's records.
  public var all: [String: [Record]] {
    Dictionary(uniqueKeysWithValues: keys.map { ($0, self[$0]) })
  }

  /// Adds `record` as the newest under `key`.
  public mutating func append(_ record: Record, to key: String) {
    entries[key, default: []].append(.known(record))
  }

  /// Replaces the records under `key` (entries this version cannot read are kept).
  public mutating func replace(_ key: String, with records: [Record]) {
    let unknown = (entries[key] ?? []).filter { if case .unknown = $0 { true } else { false } }
    entries[key] = unknown + records.map(Entry.known)
    if entries[key]?.isEmpty == true { entries[key] = nil }
  }

  mutating func trim(to limit: Int) {
    for (key, list) in entries where list.count > limit { entries[key] = Array(list.suffix(limit)) }
  }
}

/// The outcome of a save: where it went, and a note to show when an unreadable file was moved aside.
public struct StateSave: Sendable, Equatable {
  public let file: URL
  /// One line, e.g. "games.json could not be read (Permission denied): kept as games.json.unreadable-…".
  public let note: String?
}

/// What the app remembers between runs, in the learner's state folder, safe with two instances open.
///
/// Reading never writes. A save (`update`) takes an exclusive `flock` on `nexttoken.lock`
/// in the state folder (a separate file, since a save replaces the record file by rename),
/// reads the file again, applies the change to what is on disk, and replaces the file
/// atomically: two instances sharing the folder keep each other's records. A file that
/// cannot be read is never replaced: the save moves it aside (`<name>.json.unreadable-<time>`)
/// and says so in `StateSave.note`. A file from a newer format is left alone and the save fails.
///
/// Do the I/O from effects and commands only, never from a screen's update or render.
public struct StateStore: Sendable {
  public let folders: UserFolders
  /// The file format this version writes; a file with a higher one is not replaced.
  public static let format = 1
  public static let lockName = "nexttoken.lock"
  /// How long a save waits for another instance's save to finish.
  static let lockWait: Duration = .seconds(10)

  public init(folders: UserFolders) {
    self.folders = folders
  }

  /// The file of `kind`.
  public func file<Kind: StateKind>(of kind: Kind.Type) -> URL {
    folders.state.appendingPathComponent("\(Kind.name).json")
  }

  /// What is saved of `kind`; empty (with `problem` set) when the file cannot be read.
  public func records<Kind: StateKind>(_ kind: Kind.Type) -> StateRecords<Kind.Record> {
    switch load(kind) {
    case .missing(let legacy):
      var records = Self.decode(legacy.records, as: Kind.Record.self)
      records.problem = legacy.problems.first
      return records
    case .read(let records, _): return records
    case .unreadable(let reason):
      var records = StateRecords<Kind.Record>()
      records.problem = "\(file(of: kind).path): \(reason)"
      return records
    }
  }

  /// Applies `change` to what is saved of `kind`, read again under the lock, and saves it.
  @discardableResult
  public func update<Kind: StateKind>(
    _ kind: Kind.Type, _ change: (inout StateRecords<Kind.Record>) -> Void
  ) throws(UserFoldersError) -> StateSave {
    let url = try folders.stateFile("\(Kind.name).json")
    return try withLock { () throws(UserFoldersError) -> StateSave in
      var records: StateRecords<Kind.Record>
      var retired: [URL] = []
      var note: String?
      switch load(kind) {
      case .missing(let legacy):
        records = Self.decode(legacy.records, as: Kind.Record.self)
        retired = legacy.files
        note = legacy.problems.first.map { "\($0): left as it is" }
      case .read(let found, let format):
        guard format <= Self.format else {
          throw UserFoldersError("\(url.path): written by a newer version of NextToken (format \(format)); left as it is")
        }
        records = found
      case .unreadable(let reason):
        let aside = try moveAside(url)
        records = StateRecords()
        note = "\(url.lastPathComponent) could not be read (\(reason)): kept as \(aside.lastPathComponent), a new one started"
      }
      change(&records)
      records.trim(to: Kind.keptPerKey)
      try UserFolders.write(try Self.encode(records, kind: Kind.name), to: url, mode: 0o600)
      for old in retired {
        _ = rename(old.path, old.path + ".migrated")
      }
      return StateSave(file: url, note: note)
    }
  }

  // MARK: - Reading

  enum Loaded<Record: Codable & Sendable> {
    case missing(StateLegacy)
    case read(StateRecords<Record>, format: Int)
    case unreadable(String)
  }

  private struct Envelope<Record: Codable & Sendable>: Decodable {
    var format: Int
    var records: [String: [LenientEntry<Record>]]
  }

  private struct LenientEntry<Record: Codable & Sendable>: Decodable {
    let entry: StateRecords<Record>.Entry
    init(from decoder: any Decoder) throws {
      if let record = try? Record(from: decoder) {
        entry = .known(record)
      } else {
        entry = .unknown(try StateValue(from: decoder))
      }
    }
  }

  /// Bigger state files are not read: they were not written by NextToken.
  static let largestFile = 64 << 20

  func load<Kind: StateKind>(_ kind: Kind.Type) -> Loaded<Kind.Record> {
    let url = file(of: kind)
    switch FileKind.of(url.path) {
    case .missing:
      // A dangling symlink is missing to `stat` but must not be replaced as if it were nothing.
      if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil {
        return .unreadable("a symlink to nothing")
      }
      return .missing(Kind.legacy(in: folders.state))
    case .regular: break
    case .folder: return .unreadable("is a folder")
    case .special(let what): return .unreadable("is \(what)")
    }
    let data: Data
    do {
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      data = try handle.read(upToCount: Self.largestFile + 1) ?? Data()
    } catch {
      return .unreadable(FileKind.reason(error))
    }
    guard data.count <= Self.largestFile else { return .unreadable("larger than \(Self.largestFile >> 20) MB") }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    do {
      let envelope = try decoder.decode(Envelope<Kind.Record>.self, from: data)
      var records = StateRecords<Kind.Record>()
      records.entries = envelope.records.mapValues { $0.map(\.entry) }.filter { !$0.value.isEmpty }
      return .read(records, format: envelope.format)
    } catch {
      return .unreadable("not a NextToken state file")
    }
  }

  static func decode<Record: Codable & Sendable>(_ values: [String: [StateValue]], as: Record.Type) -> StateRecords<Record> {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    var records = StateRecords<Record>()
    for (key, list) in values where !list.isEmpty {
      records.entries[key] = list.map { value in
        if let data = try? JSONEncoder().encode(value), let record = try? decoder.decode(Record.self, from: data) {
          return .known(record)
        }
        return .unknown(value)
      }
    }
    return records
  }

  // MARK: - Writing

  private struct Output<Record: Codable & Sendable>: Encodable {
    var format: Int
    var kind: String
    var records: [String: [StateRecords<Record>.Entry]]
  }

  static func encode<Record>(_ records: StateRecords<Record>, kind: String) throws(UserFoldersError) -> Data {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return try encoder.encode(Output(format: format, kind: kind, records: records.entries))
    } catch {
      throw UserFoldersError("cannot encode the \(kind) records: \(error)")
    }
  }

  /// Renames `url` to `<name>.unreadable-<UTC time>` beside it; throws when it cannot.
  private func moveAside(_ url: URL) throws(UserFoldersError) -> URL {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    var aside = url.deletingLastPathComponent().appendingPathComponent("\(url.lastPathComponent).unreadable-\(formatter.string(from: Date()))")
    var suffix = 2
    while FileManager.default.fileExists(atPath: aside.path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: aside.path)) != nil {
      aside = url.deletingLastPathComponent().appendingPathComponent("\(url.lastPathComponent).unreadable-\(formatter.string(from: Date()))-\(suffix)")
      suffix += 1
    }
    guard rename(url.path, aside.path) == 0 else {
      throw UserFoldersError("\(url.path) could not be read, and not moved aside (\(String(cString: strerror(errno)))): nothing saved")
    }
    return aside
  }

  /// Runs `body` holding the state folder's lock.
  private func withLock<T>(_ body: () throws(UserFoldersError) -> T) throws(UserFoldersError) -> T {
    let path = folders.state.appendingPathComponent(Self.lockName).path
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw UserFoldersError("\(path): cannot open the lock file: \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: Self.lockWait)
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      // File systems without flock: the rename alone still keeps each file whole.
      guard errno == EWOULDBLOCK || errno == EINTR else { break }
      guard clock.now < deadline else {
        throw UserFoldersError("\(path): another NextToken has held the state folder for 10 s; nothing saved")
      }
      usleep(20_000)
    }
    defer { flock(descriptor, LOCK_UN) }
    return try body()
  }
}

extension StateRecords.Entry: Encodable {
  func encode(to encoder: any Encoder) throws {
    switch self {
    case .known(let record): try record.encode(to: encoder)
    case .unknown(let value): try value.encode(to: encoder)
    }
  }
}

/// Any JSON value, kept as it was read: what a newer version saved and this one cannot decode.
public enum StateValue: Codable, Sendable, Equatable {
  case null
  case bool(Bool)
  case integer(Int)
  case number(Double)
  case string(String)
  case array([StateValue])
  case object([String: StateValue])

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([StateValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: StateValue].self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .integer(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }
}

extension StateLegacy {
  /// The records of JSON-lines files named `<prefix>…<suffix>` in `folder`, keyed by each
  /// line's `keyField` (else by the name between prefix and suffix). A line that is not
  /// JSON is kept as a string; an unreadable file is left where it is.
  public static func jsonLines(in folder: URL, prefix: String, suffix: String, keyField: String) -> StateLegacy {
    var legacy = StateLegacy()
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names.sorted() where name.hasPrefix(prefix) && name.hasSuffix(suffix) && name.count > prefix.count + suffix.count {
      let url = folder.appendingPathComponent(name)
      let stem = String(name.dropFirst(prefix.count).dropLast(suffix.count))
      guard FileKind.of(url.path) == .regular, let data = try? Data(contentsOf: url), data.count <= StateStore.largestFile else {
        legacy.problems.append("\(url.path): could not be read")
        continue
      }
      for line in data.split(separator: UInt8(ascii: "\n")) where !line.allSatisfy({ $0 == 32 || $0 == 13 }) {
        let value = (try? JSONDecoder().decode(StateValue.self, from: Data(line))) ?? .string(String(decoding: line, as: UTF8.self))
        var key = stem
        if case .object(let fields) = value, case .string(let field)? = fields[keyField], !field.isEmpty { key = field }
        legacy.records[key, default: []].append(value)
      }
      legacy.files.append(url)
    }
    return legacy
  }
}
