import Foundation

/// A question at the end of a lesson that the app can mark: its `## check` section.
///
/// The section holds the question as ordinary paragraphs, then one field a line:
///
///     type: number            (number, choice or token)
///     answer: 5.15
///     tolerance: 0.05         (numbers only)
///     choices: CLM | MLM      (choices only; the answer is one of them)
///     explain: A fresh model guesses uniformly … (may run on to the section's end)
public struct Exercise: Sendable, Equatable {
  /// What counts as right.
  public enum Answer: Sendable, Equatable {
    /// A number within `tolerance` of `value`.
    case number(Double, tolerance: Double)
    /// One of `options`; `correct` indexes the right one.
    case choice(options: [String], correct: Int)
    /// A token's text, as the tokenizer shows it (`␣` for a leading space).
    case token(String)
  }

  /// How a response was marked.
  public enum Mark: Sendable, Equatable {
    case right
    case wrong
    /// The response is not an answer of the expected kind (no number, no listed choice).
    case unreadable(String)
  }

  /// The question, as lesson Markdown.
  public let question: String
  public let answer: Answer
  /// Shown after the learner answers, right or wrong.
  public let explanation: String

  public init(question: String, answer: Answer, explanation: String) {
    self.question = question
    self.answer = answer
    self.explanation = explanation
  }

  /// The right answer as the learner would type it.
  public var answerText: String {
    switch answer {
    case .number(let value, let tolerance): "\(Self.format(value)) ± \(Self.format(tolerance))"
    case .choice(let options, let correct): options[correct]
    case .token(let text): text
    }
  }

  /// Marks what the learner typed.
  public func mark(_ response: String) -> Mark {
    let typed = response.trimmingCharacters(in: .whitespacesAndNewlines)
    switch answer {
    case .number(let value, let tolerance):
      guard let number = Self.number(typed) else { return .unreadable("type a number, e.g. 1.5") }
      return abs(number - value) <= tolerance * (1 + 1e-9) ? .right : .wrong
    case .choice(let options, let correct):
      if let index = Int(typed), (1...options.count).contains(index) {
        return index - 1 == correct ? .right : .wrong
      }
      guard let index = options.firstIndex(where: { $0.caseInsensitiveCompare(typed) == .orderedSame }) else {
        return .unreadable("type 1–\(options.count) or one of the choices")
      }
      return index == correct ? .right : .wrong
    case .token(let text):
      guard !typed.isEmpty else { return .unreadable("type a token") }
      // A leading space may be typed as ␣ or left out: "dog" answers "␣dog".
      let strip = { (token: String) in token.hasPrefix("␣") ? String(token.dropFirst()) : token }
      return strip(typed) == strip(text) ? .right : .wrong
    }
  }

  /// A number as learners type it: `5.15`, `5,15`, `-0.5`, `1e-3`.
  static func number(_ text: String) -> Double? {
    let normalized = text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "−", with: "-")
    guard let value = Double(normalized), value.isFinite else { return nil }
    return value
  }

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
  }
}

extension Exercise {
  /// The names of the fields a `## check` section may hold.
  static let fieldNames = ["type", "answer", "tolerance", "choices", "explain"]

  /// Reads a `## check` section; on failure, every problem with its 1-based line.
  public static func parse(_ section: LessonSection) -> Result<Exercise, ExerciseProblems> {
    var problems: [(line: Int, message: String)] = []
    var question: [String] = []
    var fields: [String: (line: Int, value: String)] = [:]
    var explanation: [String] = []
    var isInExplanation = false
    for (offset, raw) in section.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = section.bodyLine + offset
      let text = String(raw)
      if let colon = text.firstIndex(of: ":"), case let key = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
        fieldNames.contains(key), !text.hasPrefix(" ")
      {
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if fields[key] != nil {
          problems.append((line, "'\(key):' appears twice in '## check'"))
        }
        fields[key] = (line, value)
        isInExplanation = key == "explain"
        if isInExplanation { explanation = [value] }
        continue
      }
      if isInExplanation {
        explanation.append(text)
      } else if fields.isEmpty {
        question.append(text)
      } else if !text.trimmingCharacters(in: .whitespaces).isEmpty {
        problems.append((line, "text after the fields of '## check'; put the question before 'type:', or the explanation after 'explain:'"))
      }
    }
    let questionText = question.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    let explanationText = explanation.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    if questionText.isEmpty {
      problems.append((section.bodyLine, "'## check' needs a question before its fields"))
    }
    if explanationText.isEmpty {
      problems.append((fields["explain"]?.line ?? section.line, "'## check' needs 'explain:' with the explanation shown after the answer"))
    }
    var answer: Answer?
    if let type = fields["type"] {
      answer = readAnswer(type: type, fields: fields, section: section, problems: &problems)
    } else {
      problems.append((section.line, "'## check' needs 'type:' (number, choice or token)"))
    }
    guard problems.isEmpty, let answer else { return .failure(ExerciseProblems(problems: problems)) }
    return .success(Exercise(question: questionText, answer: answer, explanation: explanationText))
  }

  private static func readAnswer(
    type: (line: Int, value: String), fields: [String: (line: Int, value: String)], section: LessonSection,
    problems: inout [(line: Int, message: String)]
  ) -> Answer? {
    guard let answer = fields["answer"], !answer.value.isEmpty else {
      problems.append((fields["answer"]?.line ?? type.line, "'## check' needs 'answer:'"))
      return nil
    }
    func unused(_ key: String, _ kind: String) {
      if let field = fields[key] { problems.append((field.line, "'\(key):' does not apply to a \(kind) question")) }
    }
    switch type.value.lowercased() {
    case "number":
      unused("choices", "number")
      guard let value = number(answer.value) else {
        problems.append((answer.line, "answer '\(answer.value)' is not a number"))
        return nil
      }
      guard let field = fields["tolerance"] else {
        problems.append((type.line, "a number question needs 'tolerance:' (how far from \(answer.value) still counts as right)"))
        return nil
      }
      guard let tolerance = number(field.value), tolerance >= 0 else {
        problems.append((field.line, "tolerance '\(field.value)' is not a number ≥ 0"))
        return nil
      }
      return .number(value, tolerance: tolerance)
    case "choice":
      unused("tolerance", "choice")
      guard let field = fields["choices"] else {
        problems.append((type.line, "a choice question needs 'choices:' (options separated by |)"))
        return nil
      }
      let options = field.value.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard options.count >= 2, !options.contains(where: \.isEmpty) else {
        problems.append((field.line, "'choices:' needs at least two non-empty options separated by |"))
        return nil
      }
      guard let correct = options.firstIndex(where: { $0.caseInsensitiveCompare(answer.value) == .orderedSame }) else {
        problems.append((answer.line, "answer '\(answer.value)' is not one of the choices: \(options.joined(separator: ", "))"))
        return nil
      }
      return .choice(options: options, correct: correct)
    case "token":
      unused("tolerance", "token")
      unused("choices", "token")
      return .token(answer.value)
    default:
      problems.append((type.line, "type '\(type.value)' is not one of: number, choice, token"))
      return nil
    }
  }
}

/// What is wrong with a `## check` section, line by line.
public struct ExerciseProblems: Error, Sendable, Equatable {
  public let problems: [(line: Int, message: String)]

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.problems.map(\.line) == rhs.problems.map(\.line) && lhs.problems.map(\.message) == rhs.problems.map(\.message)
  }
}

extension Lesson {
  /// The lesson's closing question, when it has a valid `## check` section.
  public var exercise: Exercise? {
    guard let section = section(named: "check") else { return nil }
    return try? Exercise.parse(section).get()
  }
}
