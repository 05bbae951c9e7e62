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

/// The quiz takes in the state store (`quiz.json`, one list per language, each take with its date).
public enum QuizResults: StateKind {
  public typealias Record = QuizTake
  public static let name = "quiz"
}

/// The learner's takes of the course quiz.
///
/// Reading never writes. A file that cannot be read is reported in one line and never
/// replaced: the next save moves it aside (`quiz.json.unreadable-<time>`) and starts afresh.
public struct QuizRecords: Sendable {
  public let store: StateStore

  public init(folders: UserFolders) {
    store = StateStore(folders: folders)
  }

  /// The key of a language's takes.
  public static func key(_ language: Language) -> String { "course.\(language.rawValue)" }

  public var url: URL { store.file(of: QuizResults.self) }

  /// The takes in `language`, and the one-line problem when the file could not be read.
  public func history(_ language: Language) -> (history: QuizHistory, problem: String?) {
    let records = store.records(QuizResults.self)
    return (QuizHistory(takes: records[Self.key(language)]), records.problem)
  }

  /// Adds `take` to `language`'s list; returns a note when an unreadable file had to be moved aside.
  @discardableResult
  public func append(_ take: QuizTake, language: Language) throws(UserFoldersError) -> String? {
    try store.update(QuizResults.self) { $0.append(take, to: Self.key(language)) }.note
  }
}
