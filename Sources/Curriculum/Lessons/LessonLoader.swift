import Foundation
import Model
import Yams

/// Reads and validates lesson files (the format is described in `Lessons/README.md`).
public enum LessonLoader {
  /// How much of the lesson's corpus to check.
  package enum CorpusCheck: Sendable {
    /// Leave the corpus alone.
    case none
    /// No Corpora folder: a corpus beside the lesson, if there, must not lead outside its folder.
    case confined
    /// Check that the corpus file exists.
    case exists(corporaDirectory: URL?)
    /// Load, tokenise and split the corpus with the lesson's tokenizer and context.
    case full(corporaDirectory: URL?)
  }

  /// Loads one lesson, or throws its first problem as `file:line: message`.
  ///
  /// With `corporaDirectory`, the lesson's corpus must also exist.
  public static func load(url: URL, corporaDirectory: URL? = nil) throws(LessonError) -> Lesson {
    let check: CorpusCheck = corporaDirectory.map { .exists(corporaDirectory: $0) } ?? .confined
    let (lesson, diagnostics) = analyze(url: url, corpus: check)
    if let first = diagnostics.first { throw first }
    guard let lesson else {
      throw LessonDiagnostic(file: url.relativePath, line: 1, message: "the lesson could not be read")
    }
    return lesson
  }

  /// Every problem of one lesson file, in line order: format, fields, sections, and
  /// whether its corpus exists and is long enough for its context once tokenised.
  public static func check(url: URL, corporaDirectory: URL?) -> [LessonDiagnostic] {
    analyze(url: url, corpus: .full(corporaDirectory: corporaDirectory)).diagnostics
  }

  /// Parses and validates a lesson file, collecting every problem.
  package static func analyze(url: URL, corpus check: CorpusCheck) -> (lesson: Lesson?, diagnostics: [LessonDiagnostic]) {
    let file = url.relativePath
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      let exists = FileManager.default.fileExists(atPath: url.path)
      let message = exists ? "cannot read the lesson file" : "lesson file not found"
      return (nil, [LessonDiagnostic(file: file, line: 0, message: message)])
    }
    var parser = LessonParser(url: url, bytes: [UInt8](data))
    var lesson = parser.parse()
    parser.checkCorpus(check)
    let diagnostics = parser.sortedDiagnostics
    if !diagnostics.isEmpty { lesson = nil }
    return (lesson, diagnostics)
  }
}

/// One pass over a lesson file, collecting diagnostics as it goes.
struct LessonParser {
  static let requiredFields = [
    "id", "lang", "order", "title", "summary", "objective", "corpus", "tokenizer", "model", "seed",
    "optimizer", "learning_rate",
  ]
  static let optionalFields = ["bpe_merges", "warmup_steps", "stages", "prompt", "pace", "pause_at", "base_corpus", "base_steps"]
  static let modelFields = ["layers", "heads", "dim", "context", "batch"]
  static var sectionNames: [String] {
    ["intro"] + Stage.allCases.map(\.rawValue) + ["run", "check"] + MilestoneKind.allCases.map(\.sectionName)
      + AuthoredPrediction.sectionNames
  }
  static let maxBPEMerges = 4096

  let url: URL
  let bytes: [UInt8]
  var file: String { url.relativePath }
  private(set) var diagnostics: [LessonDiagnostic] = []
  /// What the corpus check needs, kept even when other fields are broken so that
  /// `check` can still report corpus problems.
  private(set) var corpusSettings: (name: String, line: Int, tokenizer: TokenizerKind?, bpeMerges: Int?, context: Int?)?

  init(url: URL, bytes: [UInt8]) {
    self.url = url
    self.bytes = bytes
  }

  /// Diagnostics by line (stable within a line), so the first is the first in the file.
  var sortedDiagnostics: [LessonDiagnostic] {
    diagnostics.enumerated().sorted { lhs, rhs in
      lhs.element.line != rhs.element.line ? lhs.element.line < rhs.element.line : lhs.offset < rhs.offset
    }.map(\.element)
  }

  mutating func report(_ line: Int, _ message: String) {
    diagnostics.append(LessonDiagnostic(file: file, line: line, message: message))
  }

  // MARK: - Whole file

  mutating func parse() -> Lesson? {
    if let failure = UTF8Validation.firstFailure(in: bytes) {
      report(failure.line, "\(failure.problem) at column \(failure.column); lessons must be UTF-8 text")
      return nil
    }
    // NUL, escape and other control bytes: corpora refuse them, and on screen they would
    // garble the terminal or hide text. Tab, newline and carriage return are text.
    var line = 1
    var lineStart = 0
    for (offset, byte) in bytes.enumerated() {
      if byte == 0x0A {
        line += 1
        lineStart = offset + 1
      } else if (byte < 0x20 && byte != 0x09 && byte != 0x0D) || byte == 0x7F {
        let column = bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count + 1
        report(line, "control byte \(TokenDisplay.byteEscape(byte)) at column \(column); lessons hold text only (tab and newline are the only controls)")
        return nil
      }
    }
    // Split on the byte 0x0A rather than on Characters: "\r\n" is one Character in Swift.
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    let lines = body.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> String in
      String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
    }
    guard let first = lines.first, first.trimmingWhitespace() == "---" else {
      report(1, "expected '---' on the first line to open the front matter")
      return nil
    }
    guard let closeIndex = lines.indices.dropFirst().first(where: { lines[$0].trimmingWhitespace() == "---" }) else {
      report(1, "the front matter opened on line 1 is never closed: expected a '---' line")
      return nil
    }
    let closeLine = closeIndex + 1
    let frontLines = Array(lines[1..<closeIndex])
    let sections = parseSections(lines: lines, firstIndex: closeIndex + 1)
    guard let fields = parseFrontMatter(lines: frontLines, closeLine: closeLine) else { return nil }
    return validate(fields: fields, sections: sections, closeLine: closeLine)
  }

  // MARK: - Front matter

  /// The top-level keys with their key line and value node.
  struct Fields {
    var entries: [String: (line: Int, value: Node)] = [:]
  }

  /// File line of a node: the front matter starts on the file's line 2.
  func line(of node: Node?, fallback: Int) -> Int {
    guard let mark = node?.mark else { return fallback }
    return mark.line + 1
  }

  mutating func parseFrontMatter(lines: [String], closeLine: Int) -> Fields? {
    let yaml = lines.joined(separator: "\n")
    // Yams hashes a mapping key in full, aliases expanded: an alias bomb would take hours.
    if let alias = YAMLAliasScan.firstAlias(in: yaml) {
      report(alias.line + 2, "YAML aliases (*\(alias.name)) are not allowed in the front matter; write the value out in full")
      return nil
    }
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      reportYAML(error, lines: lines)
      return nil
    } catch {
      report(2, "YAML syntax error: \(error)")
      return nil
    }
    var fields = Fields()
    guard let root else { return fields }
    guard case .mapping(let mapping) = root else {
      report(line(of: root, fallback: 2), "the front matter must be 'key: value' lines, found \(kindName(root))")
      return nil
    }
    for (keyNode, value) in mapping {
      let keyLine = line(of: keyNode, fallback: 2)
      guard let key = keyNode.scalar?.string else {
        report(keyLine, "front matter keys must be plain names, found \(kindName(keyNode))")
        continue
      }
      guard Self.requiredFields.contains(key) || Self.optionalFields.contains(key) else {
        report(keyLine, "unknown field '\(key)'; expected one of: \((Self.requiredFields + Self.optionalFields).joined(separator: ", "))")
        continue
      }
      fields.entries[key] = (keyLine, value)
    }
    return fields
  }

  /// Reports a Yams error at its file line (front-matter line + 1).
  mutating func reportYAML(_ error: YamlError, lines: [String]) {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      var message = "YAML syntax error: \(problem)"
      if let context { message += " (\(context.text) on line \(context.mark.line + 1))" }
      report(mark.line + 1, message)
    case .duplicatedKeysInMapping(let duplicates, let context):
      // Yams marks the mapping; the line to fix is the key's second appearance.
      for key in duplicates.sorted() {
        let uses = lines.indices.filter { lines[$0].trimmingWhitespace().hasPrefix(key + ":") }
        let line = uses.count >= 2 ? uses[1] + 2 : context.mark.line + 1
        let first = uses.first.map { " (first on line \($0 + 2))" } ?? ""
        report(line, "field '\(key)' appears more than once\(first)")
      }
    case .reader(let problem, let offset, _, let yaml):
      var line = 2
      if let offset { line += yaml.utf8.prefix(offset).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
      report(line, "YAML error: \(problem)")
    default:
      report(2, "YAML error: \(error)")
    }
  }

  func kindName(_ node: Node) -> String {
    switch node {
    case .scalar(let scalar): return "'\(scalar.string)'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
  }

  // MARK: - Typed values

  func isNull(_ scalar: Node.Scalar) -> Bool {
    scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
  }

  /// A non-empty text value, or nil after reporting why not.
  mutating func text(_ key: String, _ entry: (line: Int, value: Node)) -> String? {
    guard case .scalar(let scalar) = entry.value else {
      report(line(of: entry.value, fallback: entry.line), "field '\(key)' must be text, found \(kindName(entry.value))")
      return nil
    }
    let value = scalar.string.trimmingWhitespace()
    if isNull(scalar) || value.isEmpty {
      report(entry.line, "field '\(key)' is empty; expected text")
      return nil
    }
    return value
  }

  /// An integer within `range`, or nil after reporting why not.
  mutating func integer(_ key: String, _ entry: (line: Int, value: Node), in range: ClosedRange<Int>) -> Int? {
    let valueLine = line(of: entry.value, fallback: entry.line)
    guard case .scalar(let scalar) = entry.value, scalar.style == .plain, let value = Int(scalar.string) else {
      report(valueLine, "field '\(key)' must be a whole number, found \(kindName(entry.value))")
      return nil
    }
    guard range.contains(value) else {
      let bound = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
      report(valueLine, "field '\(key)' must be \(bound), found \(value)")
      return nil
    }
    return value
  }

  /// One of an enum's raw values, or nil after reporting the allowed ones.
  mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ entry: (line: Int, value: Node), as type: T.Type) -> T?
  where T.RawValue == String {
    let allowed = T.allCases.map(\.rawValue).joined(separator: " | ")
    guard case .scalar(let scalar) = entry.value, !isNull(scalar) else {
      report(line(of: entry.value, fallback: entry.line), "field '\(key)' must be one of \(allowed), found \(kindName(entry.value))")
      return nil
    }
    guard let value = T(rawValue: scalar.string.trimmingWhitespace()) else {
      report(line(of: entry.value, fallback: entry.line), "unknown \(key) '\(scalar.string)'; expected one of \(allowed)")
      return nil
    }
    return value
  }

  // MARK: - Validation

  mutating func validate(fields: Fields, sections: [LessonSection], closeLine: Int) -> Lesson? {
    let entries = fields.entries
    for key in Self.requiredFields where entries[key] == nil {
      report(closeLine, "missing required field '\(key)'")
    }
    let id = entries["id"].flatMap { text("id", $0) }
    let language = entries["lang"].flatMap { choice("lang", $0, as: Language.self) }
    if let language, let entry = entries["lang"], let named = languageFromFileName(), named != language {
      report(entry.line, "field 'lang' is '\(language.rawValue)' but the file name says '\(named.rawValue)'")
    }
    let order = entries["order"].flatMap { integer("order", $0, in: 0...Int.max) }
    let title = entries["title"].flatMap { text("title", $0) }
    let summary = entries["summary"].flatMap { text("summary", $0) }
    if let summary, summary.contains("\n"), let entry = entries["summary"] {
      report(entry.line, "field 'summary' must be one line")
    }
    let objective = entries["objective"].flatMap { choice("objective", $0, as: LessonObjective.self) }
    var corpus = entries["corpus"].flatMap { text("corpus", $0) }
    if let name = corpus, let entry = entries["corpus"], let problem = Lesson.corpusPathProblem(name) {
      report(entry.line, problem)
      corpus = nil
    }
    let tokenizer = entries["tokenizer"].flatMap { choice("tokenizer", $0, as: TokenizerKind.self) }
    var bpeMerges: Int? = BPETokenizer.defaultMerges
    if let entry = entries["bpe_merges"] {
      bpeMerges = integer("bpe_merges", entry, in: 0...Self.maxBPEMerges)
    }
    let model = entries["model"].flatMap { modelSize($0) }
    if let corpus, let entry = entries["corpus"] {
      corpusSettings = (corpus, entry.line, tokenizer, bpeMerges, model?.context)
    }
    var seed: UInt64?
    if let entry = entries["seed"] {
      if case .scalar(let scalar) = entry.value, scalar.style == .plain, let value = UInt64(scalar.string) {
        seed = value
      } else {
        report(line(of: entry.value, fallback: entry.line), "field 'seed' must be a whole number ≥ 0, found \(kindName(entry.value))")
      }
    }
    let optimizer = entries["optimizer"].flatMap { choice("optimizer", $0, as: LessonOptimizer.self) }
    let learningRate = entries["learning_rate"].flatMap { rate($0) }
    var warmup: Int? = 0
    if let entry = entries["warmup_steps"] {
      warmup = integer("warmup_steps", entry, in: 0...Int.max)
    }
    var stages: [(stage: Stage, line: Int)]? = Stage.allCases.map { ($0, closeLine) }
    if let entry = entries["stages"] {
      stages = stageList(entry)
    }
    var prompt: String?
    if let entry = entries["prompt"] {
      if case .scalar(let scalar) = entry.value {
        prompt = isNull(scalar) ? nil : scalar.string
      } else {
        report(line(of: entry.value, fallback: entry.line), "field 'prompt' must be text, found \(kindName(entry.value))")
      }
    }

    var pace: Pace? = .max
    if let entry = entries["pace"] {
      pace = self.pace(entry)
    }
    var pauseAt: [(milestone: MilestoneKind, line: Int)]? = []
    if let entry = entries["pause_at"] {
      pauseAt = milestoneList(entry)
    }

    let baseCorpus = entries["base_corpus"].flatMap { text("base_corpus", $0) }
    let baseSteps = entries["base_steps"].flatMap { integer("base_steps", $0, in: 1...100_000) }
    if objective == .sft, baseCorpus == nil || baseSteps == nil {
      report(entries["objective"]?.line ?? closeLine, "an sft lesson needs base_corpus and base_steps: the base model it pre-trains before fine-tuning")
    }
    if objective != nil, objective != .sft, let entry = entries["base_corpus"] ?? entries["base_steps"] {
      report(entry.line, "base_corpus and base_steps apply to objective sft only")
    }
    checkSections(sections, stages: stages ?? [], language: language ?? languageFromFileName() ?? .en, closeLine: closeLine)
    if let pauseAt { checkMilestoneSections(sections, pauseAt: pauseAt) }

    guard let id, let language, let order, let title, let summary, let objective, let corpus,
      let tokenizer, let bpeMerges, let model, let seed, let optimizer, let learningRate, let warmup,
      let stages, let pace, let pauseAt
    else { return nil }
    var lesson = Lesson(
      url: url, id: id, language: language, order: order, title: title, summary: summary,
      objective: objective, corpus: corpus, tokenizer: tokenizer, bpeMerges: bpeMerges, model: model,
      seed: seed, optimizer: optimizer, learningRate: learningRate, warmupSteps: warmup,
      stages: stages.map(\.stage), prompt: prompt, pace: pace, pauseAt: pauseAt.map(\.milestone), sections: sections,
      fieldLines: entries.mapValues(\.line))
    lesson.baseCorpus = baseCorpus
    lesson.baseSteps = baseSteps
    return lesson
  }

  /// The language of a file named `NN-slug.LANG.md`, if its name has one.
  func languageFromFileName() -> Language? {
    let parts = url.lastPathComponent.split(separator: ".")
    guard parts.count >= 3, parts.last == "md" else { return nil }
    return Language(rawValue: String(parts[parts.count - 2]))
  }

  mutating func rate(_ entry: (line: Int, value: Node)) -> Double? {
    let valueLine = line(of: entry.value, fallback: entry.line)
    guard case .scalar(let scalar) = entry.value, scalar.style == .plain, let value = Double(scalar.string) else {
      report(valueLine, "field 'learning_rate' must be a number, found \(kindName(entry.value))")
      return nil
    }
    guard value.isFinite, value > 0, value <= 10 else {
      report(valueLine, "field 'learning_rate' must be greater than 0 and at most 10, found \(scalar.string)")
      return nil
    }
    return value
  }

  mutating func modelSize(_ entry: (line: Int, value: Node)) -> LessonModelSize? {
    guard case .mapping(let mapping) = entry.value else {
      report(line(of: entry.value, fallback: entry.line), "field 'model' must be a mapping with \(Self.modelFields.joined(separator: ", ")), found \(kindName(entry.value))")
      return nil
    }
    var values: [String: Int] = [:]
    var lines: [String: Int] = [:]
    var isComplete = true
    for (keyNode, value) in mapping {
      let keyLine = line(of: keyNode, fallback: entry.line)
      guard let key = keyNode.scalar?.string, Self.modelFields.contains(key) else {
        report(keyLine, "unknown field 'model.\(keyNode.scalar?.string ?? "?")'; expected \(Self.modelFields.joined(separator: ", "))")
        isComplete = false
        continue
      }
      lines[key] = keyLine
      guard case .scalar(let scalar) = value, scalar.style == .plain, let number = Int(scalar.string) else {
        report(line(of: value, fallback: keyLine), "field 'model.\(key)' must be a whole number, found \(kindName(value))")
        isComplete = false
        continue
      }
      values[key] = number
    }
    for key in Self.modelFields where lines[key] == nil {
      report(entry.line, "missing field 'model.\(key)'")
      isComplete = false
    }
    guard isComplete, let layers = values["layers"], let heads = values["heads"], let dim = values["dim"],
      let context = values["context"], let batch = values["batch"]
    else { return nil }
    let size = LessonModelSize(layers: layers, heads: heads, dim: dim, context: context, batch: batch)
    let problems = size.problems
    for problem in problems {
      report(lines[problem.field] ?? entry.line, problem.message)
    }
    return problems.isEmpty ? size : nil
  }

  mutating func stageList(_ entry: (line: Int, value: Node)) -> [(stage: Stage, line: Int)]? {
    let allowed = Stage.allCases.map(\.rawValue).joined(separator: ", ")
    guard case .sequence(let sequence) = entry.value else {
      report(line(of: entry.value, fallback: entry.line), "field 'stages' must be a list like [tokenize, labels], found \(kindName(entry.value))")
      return nil
    }
    var stages: [(stage: Stage, line: Int)] = []
    var isValid = true
    for item in sequence {
      let itemLine = line(of: item, fallback: entry.line)
      guard case .scalar(let scalar) = item, let stage = Stage(rawValue: scalar.string.trimmingWhitespace()) else {
        report(itemLine, "unknown stage \(kindName(item)); expected one of \(allowed)")
        isValid = false
        continue
      }
      if let earlier = stages.last(where: { $0.stage >= stage }) {
        let problem = earlier.stage == stage ? "is listed twice" : "comes after '\(earlier.stage.rawValue)'"
        report(itemLine, "stage '\(stage.rawValue)' \(problem); list stages once each, in iteration order (\(allowed))")
        isValid = false
        continue
      }
      stages.append((stage, itemLine))
    }
    if sequence.isEmpty {
      report(entry.line, "field 'stages' is empty; list at least one of \(allowed)")
      isValid = false
    }
    return isValid ? stages : nil
  }

  // MARK: - Sections

  mutating func parseSections(lines: [String], firstIndex: Int) -> [LessonSection] {
    var sections: [LessonSection] = []
    var current: (name: String, line: Int, body: [(Int, String)])?
    var isInFence = false
    func finish(_ section: (name: String, line: Int, body: [(Int, String)])?) -> LessonSection? {
      guard let section else { return nil }
      var body = section.body
      while let first = body.first, first.1.trimmingWhitespace().isEmpty { body.removeFirst() }
      while let last = body.last, last.1.trimmingWhitespace().isEmpty { body.removeLast() }
      let text = body.map { $0.1.trimmingTrailingWhitespace() }.joined(separator: "\n")
      return LessonSection(name: section.name, text: text, line: section.line, bodyLine: body.first?.0 ?? section.line)
    }
    var seen: [String: Int] = [:]
    var hasHeading = false
    for index in firstIndex..<lines.count {
      let lineNumber = index + 1
      let line = lines[index]
      let trimmed = line.trimmingWhitespace()
      if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
        if !isInFence { report(lineNumber, "code blocks are not supported in lesson text; use `inline code`") }
        isInFence.toggle()
        continue
      }
      if let level = headingLevel(line) {
        let name = String(line.dropFirst(level)).trimmingWhitespace()
        guard level == 2 else {
          report(lineNumber, "only '## section' headings are allowed, found a level-\(level) heading '\(trimmed)'")
          continue
        }
        if let section = finish(current) { sections.append(section) }
        current = nil
        hasHeading = true
        let key = name.lowercased()
        guard Self.sectionNames.contains(key) else {
          report(lineNumber, "unknown section '## \(name)'; expected one of: \(Self.sectionNamesShown)")
          continue
        }
        // A lesson may ask several checks, in order.
        if let earlier = seen[key], key != "check" {
          report(lineNumber, "section '## \(key)' appears twice (first on line \(earlier))")
          continue
        }
        seen[key] = lineNumber
        current = (key, lineNumber, [])
        continue
      }
      if trimmed.hasPrefix("|") {
        report(lineNumber, "tables are not supported in lesson text")
      } else if trimmed.contains("![") {
        report(lineNumber, "images are not supported in lesson text")
      }
      if current == nil {
        if !trimmed.isEmpty && !hasHeading {
          report(lineNumber, "text before the first '## ' section heading")
        }
        continue
      }
      current?.body.append((lineNumber, line))
    }
    if let section = finish(current) { sections.append(section) }
    return sections
  }

  /// The number of `#` of an ATX heading line, or nil when the line is no heading.
  func headingLevel(_ line: String) -> Int? {
    let hashes = line.prefix { $0 == "#" }.count
    guard hashes > 0 else { return nil }
    let rest = line.dropFirst(hashes)
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    return hashes
  }

  mutating func checkSections(_ sections: [LessonSection], stages: [(stage: Stage, line: Int)], language: Language, closeLine: Int) {
    let byName = Dictionary(sections.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    if byName["intro"] == nil {
      report(closeLine, "missing section '## intro'")
    }
    for (stage, line) in stages where byName[stage.rawValue] == nil {
      report(line, "stage '\(stage.rawValue)' is listed in 'stages' but has no '## \(stage.rawValue)' section")
    }
    for section in sections {
      if section.text.isEmpty {
        report(section.line, "section '## \(section.name)' is empty")
        continue
      }
      if section.name == "check" {
        checkExercise(section, language: language)
        continue
      }
      if section.name.hasPrefix("predict ") {
        checkPrediction(section, language: language)
        continue
      }
      // Stage text sits beside a stage view; intro, run and milestone text have the panel to themselves.
      let limit = section.stage == nil ? language.introSectionLimit : language.stageSectionLimit
      let length = section.displayLength
      if length > limit {
        report(section.line, "section '## \(section.name)' is \(length) characters long; the limit is \(limit) in \(language.englishName) (shorten it by \(length - limit))")
      }
    }
  }

  /// Reports a `## check` section's problems; its question and explanation each get a stage's length limit.
  mutating func checkExercise(_ section: LessonSection, language: Language) {
    switch Exercise.parse(section) {
    case .failure(let failure):
      for problem in failure.problems { report(problem.line, problem.message) }
    case .success(let exercise):
      let limit = language.stageSectionLimit
      for (part, text) in [("question", exercise.question), ("explanation", exercise.explanation)] {
        let length = LessonText.displayLength(text)
        if length > limit {
          report(section.line, "the '## check' \(part) is \(length) characters long; the limit is \(limit) in \(language.englishName) (shorten it by \(length - limit))")
        }
      }
    }
  }

  // MARK: - Corpus

  mutating func checkCorpus(_ check: LessonLoader.CorpusCheck) {
    let directory: URL?
    let isFull: Bool
    switch check {
    case .none: return
    case .confined: directory = nil; isFull = false
    case .exists(let corpora): directory = corpora; isFull = false
    case .full(let corpora): directory = corpora; isFull = true
    }
    guard let settings = corpusSettings else { return }
    let candidates = Lesson.corpusCandidates(settings.name, lessonURL: url, corporaDirectory: directory)
    guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
      // Without a Corpora folder only what is there can be checked; the run reports a missing file.
      if case .confined = check { return }
      report(settings.line, "corpus '\(settings.name)' not found (looked for \(candidates.joined(separator: " and ")))")
      return
    }
    if case .folder = FileKind.of(path) {
      report(settings.line, "corpus '\(settings.name)' is a folder (\(path)), expected a text file in Corpora/ or the lesson's folder")
      return
    }
    guard Lesson.corpusIsConfined(path, lessonURL: url, corporaDirectory: directory) else {
      let folders = directory == nil ? "the lesson's folder" : "Corpora/ and the lesson's folder"
      report(settings.line, "corpus '\(settings.name)' leads outside \(folders) (through a symlink); copy the file there instead")
      return
    }
    guard isFull else { return }
    do {
      let corpus = try Corpus.load(path: path)
      // The length check needs the tokenizer and context; without them the file checks still ran.
      guard let kind = settings.tokenizer, let merges = settings.bpeMerges, let context = settings.context else { return }
      let tokenizer = makeTokenizer(kind: kind, trainingText: corpus.text, bpeMerges: merges)
      _ = try TokenizedCorpus(corpus: corpus, tokenizer: tokenizer, context: context)
    } catch {
      report(settings.line, "corpus '\(settings.name)' cannot be used: \(error.description)")
    }
  }
}

extension StringProtocol {
  func trimmingTrailingWhitespace() -> String {
    var text = Substring(self)
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    return String(text)
  }
}
