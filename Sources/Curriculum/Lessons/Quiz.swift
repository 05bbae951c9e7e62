import Foundation

/// The course quiz: about ten questions on the whole course, in two parallel forms.
///
/// `Lessons/quiz.LANG.md` holds it in the lessons' Markdown: front matter (`lang`, `title`,
/// `summary`), an `## intro`, then for each question N a `## question N` (asked the first
/// time) and a `## retake N` (asked on later takes: the same idea on other cases and
/// numbers, so a retake measures learning, not memory). Each question has the fields of a
/// lesson's `## check`.
public struct Quiz: Sendable, Equatable {
  /// One question in its two forms.
  public struct Question: Sendable, Equatable {
    public let number: Int
    public let first: Exercise
    public let retake: Exercise

    public init(number: Int, first: Exercise, retake: Exercise) {
      self.number = number
      self.first = first
      self.retake = retake
    }
  }

  /// Which form a take asks.
  public enum Form: String, Sendable, Codable, CaseIterable {
    case first, retake
  }

  public let url: URL
  public let language: Language
  public let title: String
  public let summary: String
  public let intro: String
  public let questions: [Question]

  public init(url: URL, language: Language, title: String, summary: String, intro: String, questions: [Question]) {
    self.url = url
    self.language = language
    self.title = title
    self.summary = summary
    self.intro = intro
    self.questions = questions
  }

  /// The questions of `form`, in order.
  public func exercises(_ form: Form) -> [Exercise] {
    questions.map { form == .first ? $0.first : $0.retake }
  }

  /// The quiz file's name in `language`.
  public static func fileName(_ language: Language) -> String { "quiz.\(language.rawValue).md" }

  /// Whether `url` names a quiz file rather than a lesson (`quiz.LANG.md`).
  public static func isQuizFile(_ url: URL) -> Bool {
    let parts = url.lastPathComponent.split(separator: ".")
    return parts.count == 3 && parts[0] == "quiz" && parts[2] == "md"
  }

  /// The most questions a quiz may have (it is taken in one sitting).
  public static let maxQuestions = 20
}

/// Reads and validates quiz files: every problem as `file:line: message`.
public enum QuizLoader {
  static let fields = ["lang", "title", "summary"]

  /// Loads `url`, or throws its first problem.
  public static func load(url: URL) throws(LessonDiagnostic) -> Quiz {
    let (quiz, problems) = analyze(url: url)
    if let first = problems.first { throw first }
    guard let quiz else { throw LessonDiagnostic(file: url.relativePath, line: 1, message: "the quiz could not be read") }
    return quiz
  }

  /// Every problem of the quiz file at `url`, in line order.
  public static func check(url: URL) -> [LessonDiagnostic] {
    analyze(url: url).problems
  }

  /// The quiz in `language` from the lessons folder, falling back to English; nil when there is none.
  public static func find(in directory: URL, language: Language) -> Result<Quiz, LessonDiagnostic>? {
    for candidate in [language, .en] {
      let url = directory.appendingPathComponent(Quiz.fileName(candidate))
      guard FileManager.default.fileExists(atPath: url.path) else { continue }
      do {
        return .success(try load(url: url))
      } catch {
        if candidate == .en || !FileManager.default.fileExists(atPath: directory.appendingPathComponent(Quiz.fileName(.en)).path) {
          return .failure(error)
        }
      }
    }
    return nil
  }

  static func analyze(url: URL) -> (quiz: Quiz?, problems: [LessonDiagnostic]) {
    let file = url.relativePath
    var problems: [(Int, String)] = []
    func done(_ quiz: Quiz?) -> (Quiz?, [LessonDiagnostic]) {
      let sorted = problems.enumerated().sorted { $0.element.0 != $1.element.0 ? $0.element.0 < $1.element.0 : $0.offset < $1.offset }
      let diagnostics = sorted.map { LessonDiagnostic(file: file, line: $0.element.0, message: $0.element.1) }
      return (diagnostics.isEmpty ? quiz : nil, diagnostics)
    }
    guard let data = try? Data(contentsOf: url), data.count <= 1 << 20 else {
      let exists = FileManager.default.fileExists(atPath: url.path)
      problems.append((0, exists ? "cannot read the quiz file (or it is over 1 MB)" : "quiz file not found"))
      return done(nil)
    }
    let bytes = [UInt8](data)
    if let failure = UTF8Validation.firstFailure(in: bytes) {
      problems.append((failure.line, "not valid UTF-8 (byte offset \(failure.offset)); quizzes must be UTF-8 text"))
      return done(nil)
    }
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    let lines = body.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
      String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
    }
    guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
      let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" })
    else {
      problems.append((1, "expected front matter between '---' lines, with \(fields.joined(separator: ", "))"))
      return done(nil)
    }
    // The front matter: plain `key: value` lines.
    var values: [String: (line: Int, value: String)] = [:]
    for index in 1..<close {
      let line = lines[index]
      guard !line.trimmingCharacters(in: .whitespaces).isEmpty, !line.hasPrefix("#") else { continue }
      guard let colon = line.firstIndex(of: ":") else {
        problems.append((index + 1, "expected 'key: value' in the front matter"))
        continue
      }
      let key = line[..<colon].trimmingCharacters(in: .whitespaces)
      var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
      guard fields.contains(key) else {
        problems.append((index + 1, "unknown field '\(key)'; a quiz has \(fields.joined(separator: ", "))"))
        continue
      }
      if values[key] != nil { problems.append((index + 1, "field '\(key)' appears twice")) }
      values[key] = (index + 1, value)
    }
    for key in fields where values[key]?.value.isEmpty ?? true {
      problems.append((close + 1, "missing field '\(key)'"))
    }
    let language = values["lang"].flatMap { Language(rawValue: $0.value) }
    if let entry = values["lang"], language == nil {
      problems.append((entry.line, "field 'lang' must be one of: \(Language.allCases.map(\.rawValue).joined(separator: ", ")), found '\(entry.value)'"))
    }
    let named = url.lastPathComponent.split(separator: ".").dropLast().last.flatMap { Language(rawValue: String($0)) }
    if let language, let named, language != named, let entry = values["lang"] {
      problems.append((entry.line, "field 'lang' is '\(language.rawValue)' but the file name says '\(named.rawValue)'"))
    }
    let sections = splitSections(lines, from: close + 1, problems: &problems)
    let limit = (language ?? named ?? .en).stageSectionLimit
    var intro: String?
    var forms: [Int: [Quiz.Form: (line: Int, exercise: Exercise)]] = [:]
    /// Every form's section line, parsed or not: a broken section is not also a missing one.
    var present: [Int: [Quiz.Form: Int]] = [:]
    for section in sections {
      let words = section.name.split(separator: " ")
      if section.name == "intro" {
        if intro != nil { problems.append((section.line, "section '## intro' appears twice")) }
        intro = section.text
        if section.text.isEmpty { problems.append((section.line, "section '## intro' is empty")) }
        continue
      }
      guard words.count == 2, let form = Quiz.Form(rawValue: words[0] == "question" ? "first" : String(words[0])),
        words[0] != "first", let number = Int(words[1]), number >= 1
      else {
        problems.append((section.line, "unknown section '## \(section.name)'; expected '## intro', '## question N' or '## retake N'"))
        continue
      }
      if present[number]?[form] != nil {
        problems.append((section.line, "section '## \(section.name)' appears twice"))
        continue
      }
      present[number, default: [:]][form] = section.line
      switch Exercise.parse(LessonSection(name: "check", text: section.text, line: section.line, bodyLine: section.bodyLine)) {
      case .failure(let failure):
        for problem in failure.problems {
          problems.append((problem.line, problem.message.replacingOccurrences(of: "'## check'", with: "'## \(section.name)'")))
        }
      case .success(let exercise):
        for (part, text) in [("question", exercise.question), ("explanation", exercise.explanation)] {
          let length = LessonText.displayLength(text)
          if length > limit {
            problems.append((section.line, "the '## \(section.name)' \(part) is \(length) characters long; the limit is \(limit) (shorten it by \(length - limit))"))
          }
        }
        forms[number, default: [:]][form] = (section.line, exercise)
      }
    }
    if intro == nil { problems.append((close + 1, "missing section '## intro'")) }
    let count = present.keys.max() ?? 0
    if count == 0 { problems.append((close + 1, "a quiz needs at least one '## question 1' with its '## retake 1'")) }
    if count > Quiz.maxQuestions { problems.append((close + 1, "a quiz has at most \(Quiz.maxQuestions) questions, found \(count)")) }
    var questions: [Quiz.Question] = []
    for number in 1...max(1, count) where count > 0 {
      let line = present[number]?.values.min() ?? close + 1
      if present[number]?[.first] == nil {
        problems.append((line, "question \(number) has no '## question \(number)' section"))
      }
      if present[number]?[.retake] == nil {
        problems.append((line, "question \(number) has no '## retake \(number)' section: a retake asks a parallel form"))
      }
      if let first = forms[number]?[.first]?.exercise, let retake = forms[number]?[.retake]?.exercise {
        questions.append(Quiz.Question(number: number, first: first, retake: retake))
      }
    }
    guard let language, let title = values["title"]?.value, let summary = values["summary"]?.value, let intro else { return done(nil) }
    return done(Quiz(url: url, language: language, title: title, summary: summary, intro: intro, questions: questions))
  }

  /// The `## ` sections after the front matter, their text trimmed of blank lines.
  static func splitSections(_ lines: [String], from start: Int, problems: inout [(Int, String)]) -> [LessonSection] {
    var sections: [LessonSection] = []
    var current: (name: String, line: Int, body: [(Int, String)])?
    func finish() {
      guard var section = current else { return }
      while let first = section.body.first, first.1.trimmingCharacters(in: .whitespaces).isEmpty { section.body.removeFirst() }
      while let last = section.body.last, last.1.trimmingCharacters(in: .whitespaces).isEmpty { section.body.removeLast() }
      let text = section.body.map { $0.1.trimmingTrailingWhitespace() }.joined(separator: "\n")
      sections.append(LessonSection(name: section.name, text: text, line: section.line, bodyLine: section.body.first?.0 ?? section.line))
    }
    for index in start..<lines.count {
      let line = lines[index]
      if line.hasPrefix("## ") {
        finish()
        current = (line.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased(), index + 1, [])
      } else if line.hasPrefix("#") {
        problems.append((index + 1, "only '## section' headings are allowed in a quiz"))
      } else if current != nil {
        current?.body.append((index + 1, line))
      } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
        problems.append((index + 1, "text before the first '## ' section heading"))
      }
    }
    finish()
    return sections
  }
}
