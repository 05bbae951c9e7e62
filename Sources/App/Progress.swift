import Curriculum
import Foundation
import TermUI

/// What a learner did in one lesson: predictions, checks, games.
public struct LessonProgress: Encodable, Equatable, Sendable {
  /// Right out of answered; nil when nothing was asked.
  public struct Tally: Encodable, Equatable, Sendable {
    public var right: Int
    public var asked: Int
  }

  /// The guessing game's best, over every game played in the lesson.
  public struct GameBest: Encodable, Equatable, Sendable {
    public var games: Int
    /// The best share of characters guessed at the first try.
    public var top1: Double
    /// The lowest upper bound on the learner's entropy, in bits per character.
    public var upperBits: Double

    enum CodingKeys: String, CodingKey { case games, top1, upperBits = "upper_bits" }
  }

  public var number: Int
  public var lesson: String
  public var language: Language
  public var title: String
  public var predictions: Tally?
  /// Checks answered right (at the first or second try), of the checks answered.
  public var checks: Tally?
  /// How many checks the lesson has.
  public var checkCount: Int
  public var game: GameBest?

  enum CodingKeys: String, CodingKey {
    case kind, number, lesson, language, title, predictions, checks, checkCount = "check_count", game
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode("lesson", forKey: .kind)
    try container.encode(number, forKey: .number)
    try container.encode(lesson, forKey: .lesson)
    try container.encode(language, forKey: .language)
    try container.encode(title, forKey: .title)
    // Encoded as null rather than left out: every line has the same keys.
    try container.encode(predictions, forKey: .predictions)
    try container.encode(checks, forKey: .checks)
    try container.encode(checkCount, forKey: .checkCount)
    try container.encode(game, forKey: .game)
  }
}

/// The course quiz's first and latest takes in one language.
public struct QuizProgress: Encodable, Equatable, Sendable {
  public struct Score: Encodable, Equatable, Sendable {
    public var right: Int
    public var asked: Int
    public var date: Date
  }

  public var language: Language
  public var takes: Int
  public var before: Score?
  public var now: Score?

  enum CodingKeys: String, CodingKey { case kind, language, takes, before, now }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode("quiz", forKey: .kind)
    try container.encode(language, forKey: .language)
    try container.encode(takes, forKey: .takes)
    try container.encode(before, forKey: .before)
    try container.encode(now, forKey: .now)
  }
}

/// A learner's progress through the course, read from the state folder (`nexttoken progress`).
public struct ProgressReport: Sendable {
  public var lessons: [LessonProgress]
  public var quiz: QuizProgress
  /// One line per state file that could not be read (its records count as none).
  public var problems: [String]

  /// The prediction scores the lessons keep (`predictions.json`), read for the report only.
  enum PredictionTallies: StateKind {
    struct Record: Codable, Sendable {
      var right: Int
      var answered: Int
    }
    static let name = "predictions"
  }

  /// Reads what is saved about `lessons` in `language`. Never writes.
  public init(lessons: [LessonPlan], language: Language, folders: UserFolders) {
    let store = StateStore(folders: folders)
    let answers = store.records(ExerciseAnswers.self)
    let games = store.records(GameRecords.self)
    let predictions = store.records(PredictionTallies.self)
    let quizRecords = store.records(QuizResults.self)
    problems = [answers.problem, games.problem, predictions.problem, quizRecords.problem].compactMap { $0 }
    self.lessons = lessons.enumerated().map { index, plan in
      let key = ExerciseRecords.key(lessonID: plan.id, language: language)
      let given = plan.exercises.indices.compactMap { answers[ExerciseRecords.key(base: key, index: $0)].last }
      let played = games[plan.id].filter { $0.isPlayed(in: language) }
      let predicted = predictions[key].last
      return LessonProgress(
        number: index + 1, lesson: plan.id, language: language, title: plan.title,
        predictions: predicted.flatMap { $0.answered > 0 ? LessonProgress.Tally(right: $0.right, asked: $0.answered) : nil },
        checks: given.isEmpty ? nil : LessonProgress.Tally(right: given.filter(\.isRight).count, asked: given.count),
        checkCount: plan.exercises.count,
        game: played.isEmpty ? nil : LessonProgress.GameBest(
          games: played.count, top1: played.map(\.youTop1).max() ?? 0, upperBits: played.map(\.youUpperBits).min() ?? 0))
    }
    let takes = quizRecords[QuizRecords.key(language)]
    let history = QuizHistory(takes: takes)
    func score(_ take: QuizTake?) -> QuizProgress.Score? { take.map { .init(right: $0.right, asked: $0.asked, date: $0.date) } }
    quiz = QuizProgress(language: language, takes: takes.count, before: score(history.before), now: score(history.now))
  }

  /// One JSON object a line: each lesson, then the quiz.
  public var jsonLines: [String] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    let objects: [any Encodable] = lessons + [quiz]
    return objects.compactMap { (try? encoder.encode($0)).map { String(decoding: $0, as: UTF8.self) } }
  }

  /// A table for people: one row per lesson, then the quiz.
  public func table(language: Language) -> [String] {
    let L = Localized(language)
    let titleWidth = min(36, lessons.map { displayWidth(of: $0.title) }.max() ?? 10)
    func pad(_ text: String, _ width: Int) -> String {
      var text = text
      while displayWidth(of: text) > width { text.removeLast() }
      return text + String(repeating: " ", count: max(0, width - displayWidth(of: text)))
    }
    var lines = [pad("", 4) + pad(L.progressLesson, titleWidth + 2) + pad(L.progressPredictions, 12) + pad(L.progressChecks, 10) + L.progressGame]
    for lesson in lessons {
      let predicted = lesson.predictions.map { "\($0.right)/\($0.asked)" } ?? "–"
      let checks = lesson.checkCount == 0 ? "" : lesson.checks.map { "\($0.right)/\(lesson.checkCount)" } ?? "–/\(lesson.checkCount)"
      let game = lesson.game.map { L.progressGameBest(top1: $0.top1, bits: $0.upperBits, games: $0.games) } ?? "–"
      lines.append(pad("\(lesson.number).", 4) + pad(lesson.title, titleWidth + 2) + pad(predicted, 12) + pad(checks, 10) + game)
    }
    let scores = [quiz.before.map { L.pick("before \($0.right)/\($0.asked)", "之前 \($0.right)/\($0.asked)") },
                  quiz.now.map { L.pick("now \($0.right)/\($0.asked)", "现在 \($0.right)/\($0.asked)") }].compactMap { $0 }
    lines.append("")
    lines.append(L.quizEntry + L.pick(": ", "：") + (scores.isEmpty ? L.pick("not taken yet", "还没做过") : scores.joined(separator: " · ")))
    return lines
  }
}
