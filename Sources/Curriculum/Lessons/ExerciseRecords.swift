import Foundation

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

/// The answers to the lessons' exercises, one JSON file in the learner's state folder.
///
/// Keyed by lesson id and language ("labels.en"), so the Chinese and English lessons are
/// remembered apart. A missing or unreadable file reads as no answers: losing what was
/// remembered is better than refusing to open a lesson.
public struct ExerciseRecords: Sendable {
  public static let fileName = "exercises.json"
  public let folders: UserFolders

  public init(folders: UserFolders) {
    self.folders = folders
  }

  /// The key of a lesson's answer.
  public static func key(lessonID: String, language: Language) -> String {
    "\(lessonID).\(language.rawValue)"
  }

  /// The key of a lesson's check number `index` (0-based): the first keeps the lesson's key.
  public static func key(base: String, index: Int) -> String {
    index == 0 ? base : "\(base).\(index + 1)"
  }

  /// Every remembered answer, by key.
  public func load() -> [String: ExerciseAnswer] {
    let url = folders.state.appendingPathComponent(Self.fileName)
    guard let data = try? Data(contentsOf: url) else { return [:] }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return (try? decoder.decode([String: ExerciseAnswer].self, from: data)) ?? [:]
  }

  /// The remembered answer for `key`, if any.
  public func answer(for key: String) -> ExerciseAnswer? {
    load()[key]
  }

  /// Remembers `answer` for `key`, keeping the others; the file is replaced atomically.
  public func save(_ answer: ExerciseAnswer, for key: String) throws(UserFoldersError) {
    var all = load()
    all[key] = answer
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let data: Data
    do {
      data = try encoder.encode(all)
    } catch {
      throw UserFoldersError("cannot encode the exercise answers: \(error)")
    }
    try UserFolders.write(data, to: folders.stateFile(Self.fileName))
  }
}
