import Curriculum
import Foundation
import TermUI

/// One question asked before a picture: its text, the answers it takes, the truth and why.
///
/// A question is made once, from one trace, and carries its own truth, so it stays right
/// however far the run moves on before the learner answers it.
struct StageQuestion: Sendable, Equatable {
  typealias Place = AuthoredPrediction.Place

  /// What the question takes, and what is right.
  enum Answer: Sendable, Equatable {
    /// One of 2–4 options, answered by its number (and `y`/`n` when the options are yes and no).
    case choice([String], correct: Int)
    /// A number typed on one line, right within `tolerance`.
    case number(Double, tolerance: Double)
    /// Before the run: the step (~10, ~100, …) at which validation will pass the bigram line,
    /// marked when it does (the option of the nearest order of magnitude is right).
    case bigramStep([Int])
  }

  let place: Place
  /// The step of the trace the question was made from (0 before the run).
  let step: Int
  let text: String
  let answer: Answer
  /// One line saying why the truth is what it is (shown with the mark).
  let why: String
  /// True when the status line's loss would give the answer away while the question waits.
  var hidesLoss = false

  /// The options as shown, for choice questions.
  var options: [String] {
    switch answer {
    case .choice(let options, _): options
    case .bigramStep(let steps): steps.map { "~" + Self.grouped($0) }
    case .number: []
    }
  }

  /// True for a question whose options are yes and no, in either language: y and n answer it.
  var isYesNo: Bool {
    let lowered = options.map { $0.lowercased() }
    return lowered == ["yes", "no"] || lowered == ["是", "否"] || lowered == ["no", "yes"] || lowered == ["否", "是"]
  }

  /// The option `y` (true) or `n` (false) stands for.
  func option(yes: Bool) -> Int? {
    guard isYesNo else { return nil }
    let yesIndex = ["yes", "是"].contains(options[0].lowercased()) ? 0 : 1
    return yes ? yesIndex : 1 - yesIndex
  }

  /// Marks a chosen option; nil for a run question, which the milestone marks later.
  func mark(option: Int) -> Bool? {
    if case .choice(_, let correct) = answer { return option == correct }
    return nil
  }

  /// Marks a typed number.
  func mark(number: Double) -> Bool? {
    guard case .number(let value, let tolerance) = answer else { return nil }
    return abs(number - value) <= tolerance * (1 + 1e-9)
  }

  /// The right answer as shown beside a wrong one.
  var truthText: String {
    switch answer {
    case .choice(let options, let correct): options[correct]
    case .number(let value, let tolerance): "\(Self.plain(value)) ± \(Self.plain(tolerance))"
    case .bigramStep: ""
    }
  }

  /// The option of a run question closest, in orders of magnitude, to the step the milestone came at.
  static func nearestOption(_ steps: [Int], to step: Int) -> Int {
    let target = log10(Double(max(1, step)))
    return steps.indices.min { abs(log10(Double(steps[$0])) - target) < abs(log10(Double(steps[$1])) - target) } ?? 0
  }

  /// A number as a lesson writes it: 5.15, 2, not 5.150000.
  static func plain(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
  }

  /// 1,000 with a thousands comma.
  static func grouped(_ value: Int) -> String {
    let digits = String(value)
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return out
  }
}

/// How a question ended.
enum QuestionOutcome: Sendable, Equatable {
  case right, wrong, skipped
  /// A run question answered, waiting for its milestone.
  case pending

  /// How it counts in the score; nil while pending.
  var counted: PredictionOutcome? {
    switch self {
    case .right: .right
    case .wrong: .wrong
    case .skipped: .skipped
    case .pending: nil
    }
  }
}

/// An answered question, shown beside its picture until the next question.
struct QuestionResult: Sendable, Equatable {
  let question: StageQuestion
  /// The learner's answer as shown ("␣brown", "5.2"); nil when skipped.
  let response: String?
  let outcome: QuestionOutcome
}

extension StageQuestion {
  /// A lesson's own question, asked at `step`.
  init(authored: AuthoredPrediction, step: Int) {
    let answer: Answer = switch authored.answer {
    case .choice(let options, let correct): .choice(options, correct: correct)
    case .number(let value, let tolerance): .number(value, tolerance: tolerance)
    // Not accepted by `lessons check`: a token question has no one-key answer.
    case .token(let text): .choice([text], correct: 0)
    }
    self.init(place: authored.place, step: step, text: LessonText.paragraphs(authored.question).joined(separator: " "),
              answer: answer, why: LessonText.paragraphs(authored.explanation).joined(separator: " "),
              hidesLoss: authored.place == .stage(.loss))
  }
}
