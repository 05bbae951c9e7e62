import Foundation
import Model

/// The learner's last answer to one lesson's `## check`.
public struct ExerciseAnswer: Codable, Sendable, Equatable {
  /// What the learner typed.
  public var response: String
  public var isRight: Bool
  public var date: Date

  public init(response: String, isRight: Bool, date: Date) {
    self.response = response
    self.isRight = isRight
    self.date = date
  }
}

/// The answers to the lessons' exercises, kept in the state store (`answers.json`).
///
/// Keyed by lesson id and language ("labels.en"), so the Chinese and English lessons are
/// remembered apart; each key keeps its answers oldest first, with their dates. Earlier
/// versions kept only the last answer per key in `exercises.json`: it is read while
/// `answers.json` does not exist and renamed `exercises.json.migrated` by the first save.
public enum ExerciseAnswers: StateKind {
  public typealias Record = ExerciseAnswer
  public static let name = "answers"
  public static let legacyFileName = "exercises.json"
  public static var keptPerKey: Int { 100 }

  public static func legacy(in folder: URL) -> StateLegacy {
    let url = folder.appendingPathComponent(legacyFileName)
    guard FileKind.of(url.path) != .missing else { return StateLegacy() }
    guard let data = try? Data(contentsOf: url), data.count <= StateStore.largestFile,
      let answers = try? JSONDecoder().decode([String: StateValue].self, from: data)
    else {
      return StateLegacy(problems: ["\(url.path): could not be read"])
    }
    return StateLegacy(records: answers.mapValues { [$0] }, files: [url])
  }
}

/// The learner's answers to the lessons' checks: the last one per lesson and language.
public struct ExerciseRecords: Sendable {
  public let store: StateStore

  public init(folders: UserFolders) {
    store = StateStore(folders: folders)
  }

  /// The key of a lesson's answer.
  public static func key(lessonID: String, language: Language) -> String {
    "\(lessonID).\(language.rawValue)"
  }

  /// The key of a lesson's check number `index` (0-based): the first keeps the lesson's key.
  public static func key(base: String, index: Int) -> String {
    index == 0 ? base : "\(base).\(index + 1)"
  }

  /// The last answer under every key.
  public func load() -> [String: ExerciseAnswer] {
    store.records(ExerciseAnswers.self).all.compactMapValues(\.last)
  }

  /// The remembered answer for `key`, if any.
  public func answer(for key: String) -> ExerciseAnswer? {
    store.records(ExerciseAnswers.self)[key].last
  }

  /// Remembers `answer` for `key`, keeping every other answer, also another instance's.
  @discardableResult
  public func save(_ answer: ExerciseAnswer, for key: String) throws(UserFoldersError) -> StateSave {
    try store.update(ExerciseAnswers.self) { $0.append(answer, to: key) }
  }
}
