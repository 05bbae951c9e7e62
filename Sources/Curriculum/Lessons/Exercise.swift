import Foundation

/// A question at the end of a lesson that the app can mark: its `## check` section.
///
/// The section holds the question as ordinary paragraphs, then one field a line:
///
///     type: number            (number, choice or token)
///     answer: 5.15
///     tolerance: 0.05         (numbers only)
///     choices: CLM | MLM      (choices only; the answer is one of them)
///     wrong: 0.006 | That is p; the loss is −ln p.   (any number of them)
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

  /// What a response that is no answer of the question's kind lacked.
  public enum Unreadable: Sendable, Equatable {
    /// Not a number nor an expression the checker reads.
    case number
    /// Neither 1…count nor one of the choices.
    case choice(count: Int)
    /// Nothing typed.
    case token
  }

  /// How a response was marked.
  public enum Mark: Sendable, Equatable {
    case right
    case wrong
    /// The response is not an answer of the expected kind (no number, no listed choice).
    case unreadable(Unreadable)
  }

  /// A plausible wrong answer and the hint it earns: a `wrong: VALUE | hint` line.
  public struct WrongAnswer: Sendable, Equatable {
    /// As written in the lesson: a number (or expression), a choice or a token.
    public let value: String
    public let hint: String

    public init(value: String, hint: String) {
      self.value = value
      self.hint = hint
    }
  }

  /// The question, as lesson Markdown.
  public let question: String
  public let answer: Answer
  /// Shown once the learner answered right, used both tries, or gave up.
  public let explanation: String
  /// Hints for particular wrong answers, in file order.
  public let wrongAnswers: [WrongAnswer]

  public init(question: String, answer: Answer, explanation: String, wrongAnswers: [WrongAnswer] = []) {
    self.question = question
    self.answer = answer
    self.explanation = explanation
    self.wrongAnswers = wrongAnswers
  }

  /// The right answer as the learner would type it: a number with its tolerance when it has one.
  public var answerText: String {
    switch answer {
    case .number(let value, let tolerance): tolerance > 0 ? "\(Self.format(value)) ± \(Self.format(tolerance))" : Self.format(value)
    case .choice(let options, let correct): options[correct]
    case .token(let text): text
    }
  }

  /// Marks what the learner typed.
  public func mark(_ response: String) -> Mark {
    let typed = response.trimmingCharacters(in: .whitespacesAndNewlines)
    switch answer {
    case .number(let value, let tolerance):
      guard let number = NumberExpression.evaluate(typed) else { return .unreadable(.number) }
      return Self.isNear(number, value, tolerance: tolerance) ? .right : .wrong
    case .choice(let options, let correct):
      guard let index = Self.choiceIndex(typed, options: options) else { return .unreadable(.choice(count: options.count)) }
      return index == correct ? .right : .wrong
    case .token(let text):
      guard !typed.isEmpty else { return .unreadable(.token) }
      return Self.sameToken(typed, text) ? .right : .wrong
    }
  }

  /// The hint of the first `wrong:` line that `response` matches, if any (nil for a right answer).
  public func hint(for response: String) -> String? {
    guard mark(response) == .wrong else { return nil }
    let typed = response.trimmingCharacters(in: .whitespacesAndNewlines)
    return wrongAnswers.first { matches(typed, $0.value) }?.hint
  }

  /// Whether `typed` is the same answer as `value`, in this question's terms.
  func matches(_ typed: String, _ value: String) -> Bool {
    switch answer {
    case .number(_, let tolerance):
      guard let a = NumberExpression.evaluate(typed), let b = NumberExpression.evaluate(value) else { return false }
      return Self.isNear(a, b, tolerance: tolerance)
    case .choice(let options, _):
      guard let a = Self.choiceIndex(typed, options: options) else { return false }
      return a == Self.choiceIndex(value, options: options)
    case .token:
      return Self.sameToken(typed, value)
    }
  }

  /// Within `tolerance`, allowing for rounding (`1/8` is 0.125 exactly right, `ln 172` too).
  static func isNear(_ a: Double, _ b: Double, tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * (1 + 1e-9) + 1e-9 * max(1, abs(b))
  }

  /// The option `typed` names: its number (1-based) or its text, case ignored.
  static func choiceIndex(_ typed: String, options: [String]) -> Int? {
    let text = NumberExpression.normalize(typed)
    if let index = Int(text), (1...options.count).contains(index) { return index - 1 }
    return options.firstIndex { $0.caseInsensitiveCompare(typed.trimmingCharacters(in: .whitespaces)) == .orderedSame }
  }

  /// A leading space may be typed as ␣ or left out: "dog" answers "␣dog".
  static func sameToken(_ a: String, _ b: String) -> Bool {
    let strip = { (token: String) in token.hasPrefix("␣") ? String(token.dropFirst()) : token }
    return strip(a) == strip(b)
  }

  /// A number as learners type it: `5.15`, `5,15`, `-0.5`, `1e-3`, `1/8`, `ln 172`.
  static func number(_ text: String) -> Double? {
    NumberExpression.evaluate(text)
  }

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
  }
}

extension Exercise {
  /// The names of the fields a `## check` section may hold.
  static let fieldNames = ["type", "answer", "tolerance", "choices", "wrong", "explain"]

  /// Reads a `## check` section; on failure, every problem with its 1-based line.
  public static func parse(_ section: LessonSection) -> Result<Exercise, ExerciseProblems> {
    var problems: [(line: Int, message: String)] = []
    var question: [String] = []
    var fields: [String: (line: Int, value: String)] = [:]
    var explanation: [String] = []
    var wrongLines: [(line: Int, value: String)] = []
    var isInExplanation = false
    for (offset, raw) in section.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = section.bodyLine + offset
      let text = String(raw)
      if let colon = text.firstIndex(of: ":"), case let key = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
        fieldNames.contains(key), !text.hasPrefix(" ")
      {
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if key == "wrong" {
          // Several allowed; they do not end an explanation's run-on lines' field list.
          wrongLines.append((line, value))
          isInExplanation = false
          continue
        }
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
    var wrongAnswers: [WrongAnswer] = []
    if let answer {
      let probe = Exercise(question: questionText, answer: answer, explanation: explanationText)
      wrongAnswers = readWrongAnswers(wrongLines, probe: probe, problems: &problems)
    }
    guard problems.isEmpty, let answer else { return .failure(ExerciseProblems(problems: problems)) }
    return .success(Exercise(question: questionText, answer: answer, explanation: explanationText, wrongAnswers: wrongAnswers))
  }

  /// Reads `wrong: VALUE | hint` lines: each needs both parts, a value of the question's
  /// kind, and a value the question would mark wrong.
  private static func readWrongAnswers(
    _ lines: [(line: Int, value: String)], probe: Exercise, problems: inout [(line: Int, message: String)]
  ) -> [WrongAnswer] {
    var found: [WrongAnswer] = []
    for (line, text) in lines {
      guard let bar = text.firstIndex(of: "|") else {
        problems.append((line, "'wrong:' needs a value and its hint separated by |, e.g. 'wrong: 0.006 | That is p; the loss is −ln p.'"))
        continue
      }
      let value = text[..<bar].trimmingCharacters(in: .whitespaces)
      let hint = text[text.index(after: bar)...].trimmingCharacters(in: .whitespaces)
      if value.isEmpty || hint.isEmpty {
        problems.append((line, "'wrong:' needs a value before | and a hint after it"))
        continue
      }
      switch probe.mark(value) {
      case .right:
        problems.append((line, "wrong value '\(value)' would be marked right (the answer is \(probe.answerText))"))
      case .unreadable:
        let kind: String
        switch probe.answer {
        case .number: kind = "a number or an expression such as 1/8 or ln 172"
        case .choice(let options, _): kind = "one of the choices: \(options.joined(separator: ", "))"
        case .token: kind = "a token"
        }
        problems.append((line, "wrong value '\(value)' is not \(kind)"))
      case .wrong:
        if found.contains(where: { probe.matches(value, $0.value) }) {
          problems.append((line, "wrong value '\(value)' repeats an earlier 'wrong:' line"))
        } else {
          found.append(WrongAnswer(value: value, hint: hint))
        }
      }
    }
    return found
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
  /// The lesson's closing questions, in file order: one per valid `## check` section.
  public var exercises: [Exercise] {
    sections.filter { $0.name == "check" }.compactMap { try? Exercise.parse($0).get() }
  }

  /// The lesson's first closing question, if it has one.
  public var exercise: Exercise? { exercises.first }
}
