import Foundation
import Model

/// One answer in a take of the course quiz.
public struct QuizAnswer: Codable, Sendable, Equatable {
  /// 1-based question number.
  public var question: Int
  public var response: String
  public var isRight: Bool

  public init(question: Int, response: String, isRight: Bool) {
    self.question = question
    self.response = response
    self.isRight = isRight
  }
}

/// One finished take of the course quiz, with its date.
public struct QuizTake: Codable, Sendable, Equatable {
  public var date: Date
  public var form: Quiz.Form
  public var right: Int
  public var asked: Int
  public var answers: [QuizAnswer]

  public init(date: Date, form: Quiz.Form, answers: [QuizAnswer]) {
    self.date = date
    self.form = form
    self.answers = answers
    right = answers.filter(\.isRight).count
    asked = answers.count
  }
}

/// A learner's takes of the quiz in one language: the first is "before", the last "now".
public struct QuizHistory: Sendable, Equatable {
  public var takes: [QuizTake]

  public init(takes: [QuizTake] = []) {
    self.takes = takes
  }

  public var before: QuizTake? { takes.first }
  /// The latest take, once there are two.
  public var now: QuizTake? { takes.count > 1 ? takes.last : nil }
  /// The form the next take asks: the first form once, then the parallel one, alternating.
  public var nextForm: Quiz.Form { takes.count % 2 == 0 ? .first : .retake }
}

/// The quiz takes, kept in the state folder (`quiz.json`, one list per language, with dates).
///
/// Reading never writes. A file that cannot be read is reported in one line and never
/// replaced: the next save moves it aside (`quiz.json.unreadable-<time>`) and starts afresh.
public struct QuizRecords: Sendable {
  public static let fileName = "quiz.json"
  public let folders: UserFolders

  public init(folders: UserFolders) {
    self.folders = folders
  }

  /// The key of a language's takes.
  public static func key(_ language: Language) -> String { "course.\(language.rawValue)" }

  public var url: URL { folders.state.appendingPathComponent(Self.fileName) }

  /// The file's layout: a format number and the takes by key.
  private struct Envelope: Codable {
    var format: Int
    var kind: String
    var records: [String: [QuizTake]]
  }

  /// The takes by key; `.failure` with one line when the file exists but cannot be read.
  public func load() -> Result<[String: [QuizTake]], UserFoldersError> {
    switch FileKind.of(url.path) {
    case .missing:
      if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil {
        return .failure(UserFoldersError("\(url.path): a symlink to nothing"))
      }
      return .success([:])
    case .regular: break
    case .folder: return .failure(UserFoldersError("\(url.path): is a folder"))
    case .special(let what): return .failure(UserFoldersError("\(url.path): is \(what)"))
    }
    guard let data = try? Data(contentsOf: url) else { return .failure(UserFoldersError("\(url.path): cannot be read")) }
    guard data.count <= 16 << 20 else { return .failure(UserFoldersError("\(url.path): larger than 16 MB")) }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    guard let envelope = try? decoder.decode(Envelope.self, from: data) else {
      return .failure(UserFoldersError("\(url.path): not a NextToken quiz file"))
    }
    return .success(envelope.records)
  }

  /// The takes in `language`, and the one-line problem when the file could not be read.
  public func history(_ language: Language) -> (history: QuizHistory, problem: String?) {
    switch load() {
    case .success(let records): return (QuizHistory(takes: records[Self.key(language)] ?? []), nil)
    case .failure(let error): return (QuizHistory(), error.description)
    }
  }

  /// Adds `take` to `language`'s list; returns a note when an unreadable file had to be moved aside.
  @discardableResult
  public func append(_ take: QuizTake, language: Language) throws(UserFoldersError) -> String? {
    let target = try folders.stateFile(Self.fileName)
    var records: [String: [QuizTake]]
    var note: String?
    switch load() {
    case .success(let found):
      records = found
    case .failure(let problem):
      let aside = try moveAside(target)
      let reason = problem.description.components(separatedBy: ": ").last ?? "unreadable"
      note = "\(Self.fileName) could not be read (\(reason)): kept as \(aside.lastPathComponent), a new one started"
      records = [:]
    }
    records[Self.key(language), default: []].append(take)
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(Envelope(format: 1, kind: "quiz", records: records)) else {
      throw UserFoldersError("cannot encode the quiz results")
    }
    try UserFolders.write(data, to: target)
    return note
  }

  /// Renames an unreadable file to `quiz.json.unreadable-<UTC time>`; throws rather than replace it.
  private func moveAside(_ url: URL) throws(UserFoldersError) -> URL {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    let stem = "\(url.lastPathComponent).unreadable-\(formatter.string(from: Date()))"
    var aside = url.deletingLastPathComponent().appendingPathComponent(stem)
    var suffix = 2
    while FileKind.of(aside.path) != .missing {
      aside = url.deletingLastPathComponent().appendingPathComponent("\(stem)-\(suffix)")
      suffix += 1
    }
    guard rename(url.path, aside.path) == 0 else {
      throw UserFoldersError("\(url.path) could not be read, and not moved aside (\(String(cString: strerror(errno)))): nothing saved")
    }
    return aside
  }
}
