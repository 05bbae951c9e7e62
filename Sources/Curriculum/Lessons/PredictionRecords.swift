import Foundation

/// How well the learner predicted the stages of one lesson in one language.
public struct PredictionScore: Codable, Sendable, Equatable {
  /// Answers that matched the trace.
  public var right = 0
  /// Answers given (right or wrong); skips are not answers.
  public var answered = 0
  /// Questions passed with `0`.
  public var skipped = 0
  /// When the score last changed.
  public var date: Date?

  public init(right: Int = 0, answered: Int = 0, skipped: Int = 0, date: Date? = nil) {
    self.right = right
    self.answered = answered
    self.skipped = skipped
    self.date = date
  }

  /// "7/9": right of answered.
  public var fraction: String { "\(right)/\(answered)" }

  /// The score after one more question.
  public func adding(_ outcome: PredictionOutcome) -> PredictionScore {
    var next = self
    switch outcome {
    case .right: next.right += 1; next.answered += 1
    case .wrong: next.answered += 1
    case .skipped: next.skipped += 1
    }
    return next
  }
}

/// How one question ended, as it counts in the score.
public enum PredictionOutcome: String, Codable, Sendable {
  case right, wrong, skipped
}

/// Each lesson's prediction score, in the state store (`predictions.json`), keyed "labels.en".
///
/// One record per key, the running total: `nexttoken progress` reads
/// `StateStore(folders:).records(PredictionScores.self)[key].last`.
public enum PredictionScores: StateKind {
  public typealias Record = PredictionScore
  public static let name = "predictions"
  public static var keptPerKey: Int { 1 }
}

/// Whether questions are asked: the learner's last choice with `P` (`questions.json`, key "enabled").
public enum PredictionChoice: StateKind {
  public struct Record: Codable, Sendable, Equatable {
    public var enabled: Bool
    public var date: Date
  }
  public static let name = "questions"
  public static let key = "enabled"
  public static var keptPerKey: Int { 1 }
}

/// Everything remembered about predictions: whether questions are on, and each lesson's score.
public struct PredictionBook: Sendable, Equatable {
  /// The learner's last choice with `P`.
  public var enabled = true
  /// By lesson id and language, as `ExerciseRecords.key` makes it ("labels.en").
  public var scores: [String: PredictionScore] = [:]

  public init(enabled: Bool = true, scores: [String: PredictionScore] = [:]) {
    self.enabled = enabled
    self.scores = scores
  }
}

/// The prediction scores and the `P` choice, read and saved through the state store.
///
/// A score is saved as a change (one more right, wrong or skipped) applied to what is on
/// disk under the store's lock, so two copies of the app open on the same lesson both count.
/// A file that cannot be read is never overwritten: the store moves it aside at the next save.
public struct PredictionRecords: Sendable {
  public let store: StateStore

  public init(folders: UserFolders) {
    store = StateStore(folders: folders)
  }

  /// The book, and one line when a file could not be read (its scores start afresh).
  public func load() -> (book: PredictionBook, problem: String?) {
    let scores = store.records(PredictionScores.self)
    let choice = store.records(PredictionChoice.self)
    let book = PredictionBook(
      enabled: choice[PredictionChoice.key].last?.enabled ?? true, scores: scores.all.compactMapValues(\.last))
    // The file's name first: the folder is long, and a one-line note is cut at the screen's edge.
    let folder = store.folders.state.path + "/"
    let problem = [scores.problem, choice.problem].compactMap { $0 }.first.map { problem in
      let named = problem.hasPrefix(folder) ? String(problem.dropFirst(folder.count)) : problem
      return "\(named); scores start afresh (the file is moved aside at the next save, never overwritten; in \(store.folders.state.path))"
    }
    return (book, problem)
  }

  /// Counts one more question for `key`.
  @discardableResult
  public func record(_ outcome: PredictionOutcome, for key: String, date: Date = Date()) throws(UserFoldersError) -> StateSave {
    try store.update(PredictionScores.self) { records in
      var score = (records[key].last ?? PredictionScore()).adding(outcome)
      score.date = date
      records.replace(key, with: [score])
    }
  }

  /// Remembers whether questions are asked.
  @discardableResult
  public func setEnabled(_ enabled: Bool, date: Date = Date()) throws(UserFoldersError) -> StateSave {
    try store.update(PredictionChoice.self) { $0.replace(PredictionChoice.key, with: [PredictionChoice.Record(enabled: enabled, date: date)]) }
  }
}
