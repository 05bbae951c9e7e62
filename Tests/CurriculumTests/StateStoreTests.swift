import Dispatch
import Foundation
import Model
import Testing
import TestSupport
@testable import Curriculum

/// A record kind as another feature would declare one.
private enum Scores: StateKind {
  struct Record: Codable, Sendable, Equatable {
    var bits: Double
    var date: Date
  }
  static let name = "test-scores"
  static var keptPerKey: Int { 5 }
  static func legacy(in folder: URL) -> StateLegacy {
    StateLegacy.jsonLines(in: folder, prefix: "score-", suffix: ".jsonl", keyField: "lesson")
  }
}

@Suite("State store")
struct StateStoreTests {
  let folder: TemporaryDirectory
  let folders: UserFolders
  let store: StateStore

  init() throws {
    folder = try TemporaryDirectory()
    folders = UserFolders(environment: ["HOME": folder.url.path, "XDG_STATE_HOME": folder.url.path])
    store = StateStore(folders: folders)
  }

  func answer(_ response: String, _ seconds: TimeInterval = 0) -> ExerciseAnswer {
    ExerciseAnswer(response: response, isRight: response == "right", date: Date(timeIntervalSince1970: 1_800_000_000 + seconds))
  }

  func files() throws -> Set<String> { Set(try FileManager.default.contentsOfDirectory(atPath: folders.state.path)) }

  @Test("records are kept per key, oldest first, with their dates; the oldest go past the limit")
  func appendAndRead() throws {
    #expect(store.records(Scores.self).keys.isEmpty)
    for index in 0..<7 {
      try store.update(Scores.self) { $0.append(Scores.Record(bits: Double(index), date: Date(timeIntervalSince1970: 0)), to: "labels.en") }
    }
    try store.update(Scores.self) { $0.append(Scores.Record(bits: 9, date: Date(timeIntervalSince1970: 0)), to: "labels.zh") }
    let records = store.records(Scores.self)
    #expect(records.keys == ["labels.en", "labels.zh"])
    #expect(records["labels.en"].map(\.bits) == [2, 3, 4, 5, 6])
    #expect(records.problem == nil)
    let text = try String(contentsOf: store.file(of: Scores.self), encoding: .utf8)
    #expect(text.contains("\"date\" : \"1970-01-01T00:00:00Z\""))
    #expect(text.contains("\"format\" : 1"))
    var info = stat()
    #expect(stat(store.file(of: Scores.self).path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    #expect(try files() == ["test-scores.json", StateStore.lockName])
  }

  @Test("one answer this version cannot read does not wipe the others: it is kept, and the old file migrated")
  func oneBadExerciseEntryKeepsTheRest() throws {
    try folder.write("nexttoken/exercises.json", """
      {"labels.en": {"response": "2", "isRight": false, "date": "2026-01-02T03:04:05Z"},
       "loss.en": {"response": "from the future", "confidence": 0.5},
       "labels.zh": {"response": "5.15", "isRight": true, "date": "2026-01-02T03:04:05Z"}}
      """)
    let records = ExerciseRecords(folders: folders)
    #expect(records.answer(for: "labels.zh")?.response == "5.15")
    let save = try records.save(answer("right"), for: "tokens.en")
    #expect(save.note == nil)
    let all = records.load()
    #expect(Set(all.keys) == ["labels.en", "labels.zh", "tokens.en"])
    #expect(all["labels.en"]?.response == "2")
    let text = try String(contentsOf: save.file, encoding: .utf8)
    #expect(text.contains("from the future") && text.contains("\"confidence\" : 0.5"))
    #expect(try files() == ["answers.json", "exercises.json.migrated", StateStore.lockName])
    // The same holds in the new file: a second save keeps the entry it cannot read.
    try records.save(answer("wrong", 1), for: "tokens.en")
    #expect(try String(contentsOf: save.file, encoding: .utf8).contains("from the future"))
    #expect(records.store.records(ExerciseAnswers.self)["tokens.en"].map(\.response) == ["right", "wrong"])
  }

  @Test("a file that cannot be read is never replaced: it is moved aside with a one-line note")
  func unreadableFileMovedAside() throws {
    let garbage = Array("{\"format\": 1, \"records\": {\"labels.en\": [ truncated".utf8)
    let url = try folder.write("nexttoken/test-scores.json", bytes: garbage)
    #expect(store.records(Scores.self).problem == "\(url.path): not a NextToken state file")
    let save = try store.update(Scores.self) { $0.append(Scores.Record(bits: 1, date: Date()), to: "labels.en") }
    let aside = try #require(try files().first { $0.hasPrefix("test-scores.json.unreadable-") })
    #expect(save.note == "test-scores.json could not be read (not a NextToken state file): kept as \(aside), a new one started")
    #expect(try Data(contentsOf: folders.state.appendingPathComponent(aside)) == Data(garbage))
    #expect(store.records(Scores.self)["labels.en"].count == 1)

    // A folder where the file should be is moved aside the same way, never removed.
    try FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(at: url.appendingPathComponent("inside"), withIntermediateDirectories: true)
    let second = try store.update(Scores.self) { $0.append(Scores.Record(bits: 2, date: Date()), to: "labels.en") }
    #expect(second.note?.hasPrefix("test-scores.json could not be read (is a folder): kept as test-scores.json.unreadable-") == true)
    #expect(try files().filter { $0.hasPrefix("test-scores.json.unreadable-") }.count == 2)
  }

  @Test("a results file without read permission is moved aside, not replaced, and keeps its mode")
  func unreadablePermissions() throws {
    let url = try folder.write("nexttoken/test-scores.json", "{\"format\": 1, \"records\": {}}")
    chmod(url.path, 0o200)
    let save = try store.update(Scores.self) { $0.append(Scores.Record(bits: 1, date: Date()), to: "labels.en") }
    var info = stat()
    if geteuid() == 0 {
      // Root reads it anyway: merged, and the mode it had is kept.
      #expect(save.note == nil)
      #expect(stat(url.path, &info) == 0 && info.st_mode & 0o777 == 0o200)
    } else {
      #expect(save.note?.contains("could not be read (Permission denied)") == true)
      let aside = try #require(try files().first { $0.hasPrefix("test-scores.json.unreadable-") })
      #expect(stat(folders.state.appendingPathComponent(aside).path, &info) == 0 && info.st_mode & 0o777 == 0o200)
    }
  }

  @Test("a file from a newer format is left alone and the save fails in one line")
  func newerFormatRefused() throws {
    let url = try folder.write("nexttoken/test-scores.json", "{\"format\": 2, \"records\": {}}")
    #expect(throws: UserFoldersError("\(url.path): written by a newer version of NextToken (format 2); left as it is")) {
      try store.update(Scores.self) { $0.append(Scores.Record(bits: 1, date: Date()), to: "x") }
    }
    #expect(try String(contentsOf: url, encoding: .utf8) == "{\"format\": 2, \"records\": {}}")
  }

  @Test("two instances saving at once keep every record: the save re-reads under the folder's lock")
  func concurrentSavesMerge() throws {
    // Each store opens the lock file itself, as a second process would: flock locks conflict between them.
    let stores = (0..<4).map { _ in StateStore(folders: folders) }
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: 40) { index in
      do {
        try stores[index % 4].update(ExerciseAnswers.self) {
          $0.append(ExerciseAnswer(response: "\(index)", isRight: true, date: Date()), to: "key\(index % 3)")
        }
      } catch {
        failures.add("\(error)")
      }
    }
    #expect(failures.all.isEmpty)
    let records = store.records(ExerciseAnswers.self)
    #expect(Set(records.all.values.flatMap { $0.map(\.response) }) == Set((0..<40).map(String.init)))
    // A store that read before another saved still merges at save time.
    let stale = ExerciseRecords(folders: folders)
    _ = stale.load()
    try ExerciseRecords(folders: folders).save(answer("first"), for: "shared")
    try stale.save(answer("second"), for: "shared")
    #expect(stale.store.records(ExerciseAnswers.self)["shared"].map(\.response) == ["first", "second"])
  }

  @Test("old JSON-lines files are migrated by key field, bad lines kept, unreadable files left in place")
  func jsonLinesMigration() throws {
    try folder.write("nexttoken/score-labels.jsonl", """
      {"lesson": "labels", "bits": 1.5, "date": "2026-01-02T03:04:05Z"}
      not json at all
      {"lesson": "labels", "bits": 2.5, "date": "2026-01-02T03:04:06Z"}

      """)
    try folder.write("nexttoken/score-x.jsonl", "{\"bits\": 3, \"date\": \"2026-01-02T03:04:05Z\"}\n")
    try FileManager.default.createDirectory(at: folders.state.appendingPathComponent("score-dir.jsonl"), withIntermediateDirectories: true)
    #expect(store.records(Scores.self)["labels"].map(\.bits) == [1.5, 2.5])
    let save = try store.update(Scores.self) { $0.append(Scores.Record(bits: 4, date: Date()), to: "x") }
    #expect(save.note == "\(folders.state.path)/score-dir.jsonl: could not be read: left as it is")
    let records = store.records(Scores.self)
    #expect(records["labels"].map(\.bits) == [1.5, 2.5])
    #expect(records["x"].map(\.bits) == [3, 4])
    #expect(try String(contentsOf: save.file, encoding: .utf8).contains("not json at all"))
    #expect(try files() == ["test-scores.json", "score-labels.jsonl.migrated", "score-x.jsonl.migrated", "score-dir.jsonl", StateStore.lockName])
  }
}

private final class Failures: Sendable {
  private let list = Locked<[String]>([])
  func add(_ failure: String) { list.withLock { $0.append(failure) } }
  var all: [String] { list.withLock { $0 } }
}
