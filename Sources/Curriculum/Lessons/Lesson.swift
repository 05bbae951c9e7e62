import Foundation
import Model

/// The languages lessons are written in.
public enum Language: String, Sendable, Codable, CaseIterable {
  case en
  case zh

  /// The user's language from the locale variables: the first non-empty of `LC_ALL`,
  /// `LC_MESSAGES`, `LANG` decides; `zh…` means Chinese, anything else English.
  public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Language {
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
      guard let value = environment[name], !value.isEmpty else { continue }
      return value.lowercased().hasPrefix("zh") ? .zh : .en
    }
    return .en
  }

  /// The longest a stage section may be, in displayed characters.
  public var stageSectionLimit: Int { self == .en ? 420 : 200 }
  /// The longest the intro and run sections may be, in displayed characters.
  public var introSectionLimit: Int { self == .en ? 700 : 330 }
  /// The language's name in English, for messages.
  public var englishName: String { self == .en ? "English" : "Chinese" }
}

/// The stages of one training iteration, in the order the step-through shows them.
public enum Stage: String, Sendable, Codable, CaseIterable, Comparable {
  case tokenize, labels, embed, attention, logits, loss, backward, update

  /// 1-based position in the iteration.
  public var number: Int { (Self.allCases.firstIndex(of: self) ?? 0) + 1 }

  public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.number < rhs.number }
}

/// What a lesson trains: one objective, or both side by side.
public enum LessonObjective: String, Sendable, Codable, CaseIterable {
  case clm, mlm
  /// CLM and MLM on the same network and corpus, side by side.
  case compare
  /// Supervised fine-tuning on (prompt, response) pairs, from a base pre-trained first.
  case sft

  /// The objectives the lesson trains, CLM first.
  public var objectives: [Objective] {
    switch self {
    case .clm: return [.clm]
    case .mlm: return [.mlm]
    case .compare: return [.clm, .mlm]
    case .sft: return [.sft]
    }
  }
}

/// The optimizer a lesson trains with.
public enum LessonOptimizer: String, Sendable, Codable, CaseIterable {
  case adamw, sgd
}

/// The size of a lesson's model and batch.
public struct LessonModelSize: Sendable, Equatable, Codable {
  /// Largest sizes a lesson may ask for, so it trains live on a laptop.
  public static let maxLayers = 4
  public static let maxDim = 128
  public static let maxContext = 128

  public var layers: Int
  public var heads: Int
  public var dim: Int
  public var context: Int
  public var batch: Int

  public init(layers: Int, heads: Int, dim: Int, context: Int, batch: Int) {
    self.layers = layers
    self.heads = heads
    self.dim = dim
    self.context = context
    self.batch = batch
  }

  /// A problem with one of the sizes.
  public struct Problem: Sendable, Equatable, CustomStringConvertible {
    /// The field at fault: layers, heads, dim, context or batch.
    public let field: String
    public let message: String
    public var description: String { message }
  }

  /// Everything wrong with these sizes (empty when valid).
  public var problems: [Problem] {
    var found: [Problem] = []
    for (field, value) in [("layers", layers), ("heads", heads), ("dim", dim), ("context", context), ("batch", batch)]
    where value <= 0 {
      found.append(Problem(field: field, message: "model.\(field) must be greater than 0, found \(value)"))
    }
    if heads > 0 && dim > 0 && dim % heads != 0 {
      found.append(Problem(field: "heads", message: "model.heads (\(heads)) must divide model.dim (\(dim))"))
    }
    if context == 1 {
      found.append(Problem(field: "context", message: "model.context must be at least 2, found 1"))
    }
    if layers > Self.maxLayers {
      found.append(Problem(field: "layers", message: "model.layers must be at most \(Self.maxLayers) so the lesson trains live, found \(layers)"))
    }
    if dim > Self.maxDim {
      found.append(Problem(field: "dim", message: "model.dim must be at most \(Self.maxDim) so the lesson trains live, found \(dim)"))
    }
    if context > Self.maxContext {
      found.append(Problem(field: "context", message: "model.context must be at most \(Self.maxContext) so the lesson trains live, found \(context)"))
    }
    for (setting, value) in [(SizeSetting.heads, heads), (.batch, batch)] where value > SizeLimits.range(setting).upperBound {
      found.append(Problem(field: setting.rawValue, message: "model.\(setting.rawValue) must be at most \(SizeLimits.range(setting).upperBound), found \(value)"))
    }
    // The sizes are each in bounds: the memory they need together is checked before allocating.
    if found.isEmpty {
      do {
        try SizeLimits.checkRun(layers: layers, heads: heads, dim: dim, context: context, batch: batch, vocabulary: nil)
      } catch {
        found.append(Problem(field: "batch", message: error.message { "model.\($0.rawValue)" }))
      }
    }
    return found
  }

  /// Whether the sizes make a model that can be built and trained.
  public var isValid: Bool { problems.isEmpty }
}

/// One `## name` section of a lesson.
public struct LessonSection: Sendable, Equatable {
  /// The heading's name (`intro`, `run`, a stage name or `at` and a milestone), lower-case.
  public let name: String
  /// The section's Markdown, without leading and trailing blank lines.
  public let text: String
  /// 1-based line of the `## ` heading.
  public let line: Int
  /// 1-based line of the first line of text.
  public let bodyLine: Int

  public init(name: String, text: String, line: Int, bodyLine: Int) {
    self.name = name
    self.text = text
    self.line = line
    self.bodyLine = bodyLine
  }

  /// The stage this section narrates, if it is a stage section.
  public var stage: Stage? { Stage(rawValue: name) }

  /// The milestone this section narrates, if it is an `## at …` section.
  public var milestone: MilestoneKind? { MilestoneKind.allCases.first { $0.sectionName == name } }

  /// The paragraphs, each reflowed onto one line.
  public var paragraphs: [String] { LessonText.paragraphs(text) }

  /// How many characters the section shows on screen: markup (`**`, `` ` ``) removed,
  /// each paragraph reflowed, paragraph breaks counted as one character.
  public var displayLength: Int { LessonText.displayLength(text) }
}

/// A lesson: its settings from the front matter and its narrative sections.
public struct Lesson: Sendable, Equatable {
  /// The file the lesson was read from.
  public let url: URL
  public let id: String
  public let language: Language
  public let order: Int
  public let title: String
  /// One line for the lesson browser.
  public let summary: String
  public let objective: LessonObjective
  /// A file name under `Corpora/`, or a path relative to the lesson file.
  public let corpus: String
  public let tokenizer: TokenizerKind
  /// The merges a BPE tokenizer learns (the default when the file names none).
  public let bpeMerges: Int
  public let model: LessonModelSize
  public let seed: UInt64
  public let optimizer: LessonOptimizer
  public let learningRate: Double
  public let warmupSteps: Int
  /// The stages the lesson dwells on, in iteration order.
  public let stages: [Stage]
  /// The generation prompt shown in the prompt box, if any.
  public let prompt: String?
  /// How fast the run steps when the learner lets it run (`max` when the file names none).
  public let pace: Pace
  /// The milestones at which the run pauses by itself and shows their `## at …` section.
  public let pauseAt: [MilestoneKind]
  /// The sections in file order.
  public let sections: [LessonSection]
  /// 1-based line of each front-matter field, by key (for messages about values).
  public let fieldLines: [String: Int]
  /// SFT: the corpus the base model is pre-trained on (CLM) before fine-tuning, and for how many steps.
  public var baseCorpus: String?
  public var baseSteps: Int?

  public init(
    url: URL, id: String, language: Language, order: Int, title: String, summary: String,
    objective: LessonObjective, corpus: String, tokenizer: TokenizerKind, bpeMerges: Int,
    model: LessonModelSize, seed: UInt64, optimizer: LessonOptimizer, learningRate: Double,
    warmupSteps: Int, stages: [Stage], prompt: String?, pace: Pace = .max, pauseAt: [MilestoneKind] = [],
    sections: [LessonSection], fieldLines: [String: Int] = [:]
  ) {
    self.url = url
    self.id = id
    self.language = language
    self.order = order
    self.title = title
    self.summary = summary
    self.objective = objective
    self.corpus = corpus
    self.tokenizer = tokenizer
    self.bpeMerges = bpeMerges
    self.model = model
    self.seed = seed
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.warmupSteps = warmupSteps
    self.stages = stages
    self.prompt = prompt
    self.pace = pace
    self.pauseAt = pauseAt
    self.sections = sections
    self.fieldLines = fieldLines
  }

  /// The section with heading `name`, if the lesson has one.
  public func section(named name: String) -> LessonSection? {
    sections.first { $0.name == name }
  }

  /// The narrative of `stage`, if the lesson has one.
  public func section(for stage: Stage) -> LessonSection? {
    section(named: stage.rawValue)
  }

  /// What the lesson says when its run reaches `milestone`, if it says anything.
  public func section(for milestone: MilestoneKind) -> LessonSection? {
    section(named: milestone.sectionName)
  }

  /// The text shown when the lesson opens (every valid lesson has one).
  public var intro: LessonSection? { section(named: "intro") }

  /// The text shown on the live dashboard, if any.
  public var run: LessonSection? { section(named: "run") }

  /// The path of the lesson's corpus: a bare name is looked up in `corporaDirectory`
  /// first and beside the lesson file second; a name with a folder in it is relative to
  /// the lesson file; an absolute path is used as it is.
  public func corpusPath(corporaDirectory: URL?) -> String {
    Self.resolveCorpus(corpus, lessonURL: url, corporaDirectory: corporaDirectory)
  }

  /// Why a lesson's `corpus:` value may not be used, or nil: a lesson reads only files in
  /// `Corpora/` or in its own folder, so it never shows a learner some other file.
  public static func corpusPathProblem(_ corpus: String) -> String? {
    if corpus.hasPrefix("/") || corpus.hasPrefix("~") {
      return "corpus '\(corpus)' must name a file in Corpora/ or in the lesson's folder, not an absolute path"
    }
    if corpus.split(separator: "/").contains("..") {
      return "corpus '\(corpus)' must stay inside Corpora/ or the lesson's folder ('..' leaves it)"
    }
    return nil
  }

  /// Whether the file at `path`, symlinks followed, lies in `Corpora/` or the lesson's folder.
  public static func corpusIsConfined(_ path: String, lessonURL: URL, corporaDirectory: URL?) -> Bool {
    func resolved(_ url: URL) -> String { url.standardizedFileURL.resolvingSymlinksInPath().path }
    let file = resolved(URL(fileURLWithPath: path))
    let folders = [lessonURL.deletingLastPathComponent(), corporaDirectory].compactMap { $0 }.map(resolved)
    return folders.contains { file.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
  }

  /// The paths `corpusPath(corporaDirectory:)` tries, in order.
  public static func corpusCandidates(_ corpus: String, lessonURL: URL, corporaDirectory: URL?) -> [String] {
    if corpus.hasPrefix("/") { return [corpus] }
    let besideLesson = lessonURL.deletingLastPathComponent().appendingPathComponent(corpus).relativePath
    if corpus.contains("/") { return [besideLesson] }
    var candidates: [String] = []
    if let corporaDirectory { candidates.append(corporaDirectory.appendingPathComponent(corpus).relativePath) }
    candidates.append(besideLesson)
    return candidates
  }

  public static func resolveCorpus(_ corpus: String, lessonURL: URL, corporaDirectory: URL?) -> String {
    let candidates = corpusCandidates(corpus, lessonURL: lessonURL, corporaDirectory: corporaDirectory)
    return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
  }
}

/// A problem found in a lesson file: `file:line: message`.
public struct LessonDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
  /// The lesson file's path, as given.
  public let file: String
  /// 1-based line of the problem (0 when it concerns the file as a whole).
  public let line: Int
  public let message: String

  public init(file: String, line: Int, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String {
    line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
  }
}

/// The error `LessonLoader.load(url:)` throws: the first problem of the file.
public typealias LessonError = LessonDiagnostic
