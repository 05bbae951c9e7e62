import Foundation

/// A question a lesson asks before a stage's picture or before its run: a `## predict …` section.
///
/// It has the fields of `## check`, limited to what one key can answer:
///
///     ## predict loss
///     Is this first step's loss above or below ln V?
///
///     type: choice            (choice or number)
///     choices: above | below  (2–4 options; `yes | no` is answered with y/n too)
///     answer: above
///     explain: A fresh model guesses almost uniformly … (one or two lines)
///
/// The question is at most 160 characters in English or 80 in Chinese, so it fits above
/// the stage at 80×24; so is the explanation, shown beside the mark.
public struct AuthoredPrediction: Sendable, Equatable {
  /// Where the question is asked: before a stage's picture, or before the run (`r`).
  public enum Place: Sendable, Hashable {
    case stage(Stage)
    case run
  }

  public let place: Place
  public let question: String
  /// `.choice` with 2–4 options, or `.number`.
  public let answer: Exercise.Answer
  public let explanation: String

  public init(place: Place, question: String, answer: Exercise.Answer, explanation: String) {
    self.place = place
    self.question = question
    self.answer = answer
    self.explanation = explanation
  }

  /// The section heading's name for a place: `predict loss`, `predict run`.
  public static func sectionName(_ place: Place) -> String {
    switch place {
    case .stage(let stage): "predict \(stage.rawValue)"
    case .run: "predict run"
    }
  }

  /// Every heading a lesson may use for a prediction.
  public static var sectionNames: [String] {
    Stage.allCases.map { sectionName(.stage($0)) } + [sectionName(.run)]
  }

  /// The place a section name stands for, if it is a prediction section.
  static func place(ofSection name: String) -> Place? {
    if name == sectionName(.run) { return .run }
    return Stage.allCases.first { sectionName(.stage($0)) == name }.map(Place.stage)
  }

  /// The most choices one key answers (1–4).
  public static let maxChoices = 4

  /// The longest a question or explanation may be, in displayed characters.
  public static func lengthLimit(_ language: Language) -> Int { language == .en ? 160 : 80 }

  /// Reads a `## predict …` section; on failure, every problem with its 1-based line.
  public static func parse(_ section: LessonSection, language: Language) -> Result<AuthoredPrediction, ExerciseProblems> {
    guard let place = place(ofSection: section.name) else {
      return .failure(ExerciseProblems(problems: [(section.line, "'## \(section.name)' is not a prediction section")]))
    }
    let heading = "'## \(section.name)'"
    // The fields are those of `## check`: its parser reads them, this one adds the limits.
    let parsed = Exercise.parse(section).mapError { failure in
      ExerciseProblems(problems: failure.problems.map { ($0.line, $0.message.replacingOccurrences(of: "'## check'", with: heading)) })
    }
    let exercise: Exercise
    switch parsed {
    case .failure(let failure): return .failure(failure)
    case .success(let value): exercise = value
    }
    var problems: [(line: Int, message: String)] = []
    let fieldLine = { (name: String) -> Int in Self.line(of: name, in: section) ?? section.line }
    switch exercise.answer {
    case .token:
      problems.append((fieldLine("type"), "\(heading) is answered with one key or a number: type must be choice or number, not token"))
    case .choice(let options, _) where options.count > maxChoices:
      problems.append((fieldLine("choices"), "\(heading) has \(options.count) choices; one key answers at most \(maxChoices)"))
    default:
      break
    }
    let limit = lengthLimit(language)
    for (part, text, line) in [("question", exercise.question, section.bodyLine), ("explanation", exercise.explanation, fieldLine("explain"))] {
      let length = LessonText.displayLength(text)
      if length > limit {
        problems.append((line, "the \(heading) \(part) is \(length) characters long; the limit is \(limit) in \(language.englishName) so it fits above the stage at 80×24 (shorten it by \(length - limit))"))
      }
    }
    guard problems.isEmpty else { return .failure(ExerciseProblems(problems: problems)) }
    return .success(AuthoredPrediction(place: place, question: exercise.question, answer: exercise.answer, explanation: exercise.explanation))
  }

  /// The 1-based line of a field (`choices:`) in a section, if it has one.
  private static func line(of field: String, in section: LessonSection) -> Int? {
    let lines = section.text.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.firstIndex { $0.lowercased().hasPrefix(field + ":") }.map { section.bodyLine + $0 }
  }
}

extension Lesson {
  /// The lesson's own questions, by place; sections that do not parse are left out (`lessons check` reports them).
  public var predictions: [AuthoredPrediction.Place: AuthoredPrediction] {
    var found: [AuthoredPrediction.Place: AuthoredPrediction] = [:]
    for section in sections where section.name.hasPrefix("predict ") {
      if let prediction = try? AuthoredPrediction.parse(section, language: language).get() { found[prediction.place] = prediction }
    }
    return found
  }
}

extension LessonParser {
  /// The allowed headings as a message lists them: the prediction sections as one pattern.
  static var sectionNamesShown: String {
    (sectionNames.filter { !$0.hasPrefix("predict ") } + ["predict STAGE", "predict run"]).joined(separator: ", ")
  }

  /// Reports a `## predict …` section's problems.
  mutating func checkPrediction(_ section: LessonSection, language: Language) {
    if case .failure(let failure) = AuthoredPrediction.parse(section, language: language) {
      for problem in failure.problems { report(problem.line, problem.message) }
    }
  }
}
