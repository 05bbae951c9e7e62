import App
import ArgumentParser
import Curriculum
import Foundation
import Model
import Training
import TermUI
import TermUICurses

/// The learner's language: `--lang`, else LANG/LC_ALL.
struct LanguageOption: ParsableArguments {
  @Option(help: "Interface and lesson language: en or zh (default: from LANG).")
  var lang: Language?

  var language: Language { lang ?? Language.fromEnvironment() }
}

extension Language: ExpressibleByArgument {}

/// `--no-predict` (or `NEXTTOKEN_NO_PREDICT=1`): start with the questions before each stage off.
struct PredictOption: ParsableArguments {
  @Flag(name: .customLong("no-predict"), help: "Start with the questions before each stage off (also NEXTTOKEN_NO_PREDICT=1); P turns them on.")
  var noPredict = false

  var predictFirst: Bool {
    !noPredict && ProcessInfo.processInfo.environment["NEXTTOKEN_NO_PREDICT"] != "1"
  }
}

/// Finds the course and turns lesson files into plans.
enum Course {
  static func corporaDirectory() -> URL? {
    try? Corpus.defaultDirectory()
  }

  /// Every lesson in `language`, and one line per lesson that could not be loaded.
  static func load(language: Language) throws -> (plans: [LessonPlan], problems: [String]) {
    let directory = try LessonLibrary.defaultDirectory()
    let corpora = corporaDirectory()
    let (lessons, errors) = LessonLibrary.loadAll(directory: directory, language: language, corporaDirectory: corpora)
    return (lessons.map { LessonPlan(lesson: $0, corporaDirectory: corpora) }, errors.map(\.description))
  }

  /// The course quiz in `language` (else English), with a line for the browser when its file is broken.
  static func quiz(language: Language) -> (quiz: Quiz?, problems: [String]) {
    guard let directory = try? LessonLibrary.defaultDirectory() else { return (nil, []) }
    switch QuizLoader.find(in: directory, language: language) {
    case .success(let quiz)?: return (quiz, [])
    case .failure(let problem)?: return (nil, [problem.description])
    case nil: return (nil, [])
    }
  }

  /// A lesson by id (from the course) or by path (any lesson file).
  static func find(_ reference: String, language: Language) throws -> (plan: LessonPlan, course: [LessonPlan], problems: [String]) {
    let looksLikePath = reference.hasSuffix(".md") || reference.contains("/")
    if looksLikePath {
      let url = URL(fileURLWithPath: reference)
      guard FileManager.default.fileExists(atPath: url.path) else {
        throw ValidationError("\(reference): no such lesson file")
      }
      let corpora = corporaDirectory()
      let lesson = try LessonLoader.load(url: url, corporaDirectory: corpora)
      let course = (try? load(language: language)) ?? (plans: [], problems: [])
      return (LessonPlan(lesson: lesson, corporaDirectory: corpora), course.plans, course.problems)
    }
    let course = try load(language: language)
    guard let plan = course.plans.first(where: { $0.id == reference }) else {
      let ids = course.plans.map(\.id).joined(separator: ", ")
      throw ValidationError("unknown lesson '\(reference)'; the lessons are: \(ids) (or give a path to a lesson file)")
    }
    return (plan, course.plans, course.problems)
  }
}

/// Runs the app on the real terminal until the learner quits.
enum InteractiveApp {
  /// `threads`: the training's threads (by default every core but one, which stays free to draw).
  static func run(_ controller: AppController, threads: ThreadsOption, display: DisplayOptions) throws {
    BLAS.setThreads(threads.app)
    try TerminalSession.run { backend in
      let theme = display.theme(capability: backend.capability)
      let terminal = Terminal(backend: backend, theme: theme, minimumSize: Size(width: 80, height: 24))
      backend.setMouse(!display.noMouse)
      TerminalApp.run(
        terminal: terminal,
        initialState: controller,
        // A click is resolved against the frame on screen, the one the learner clicked on.
        handle: { event, controller in controller.handle(event, frame: terminal.previous) },
        render: { controller, area, buffer, theme in controller.render(in: area, buffer: &buffer, theme: theme) })
      controller.stopSessions()
    }
  }
}

/// `nexttoken` with no subcommand: the lesson browser.
struct BrowseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "browse",
    abstract: "Open the lesson browser (the default).")

  @OptionGroup var language: LanguageOption

  @OptionGroup var predict: PredictOption

  @OptionGroup var threading: ThreadsOption

  @OptionGroup var display: DisplayOptions

  func run() throws {
    let course = try Course.load(language: language.language)
    let quiz = Course.quiz(language: language.language)
    let controller = AppController(
      lessons: course.plans, problems: course.problems + quiz.problems, language: language.language,
      corporaDirectory: Course.corporaDirectory(), folders: UserFolders(), quiz: quiz.quiz, predictFirst: predict.predictFirst)
    try InteractiveApp.run(controller, threads: threading, display: display)
  }
}

/// `nexttoken learn`: open a lesson, the learner's own text, or a checkpoint.
struct LearnCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "learn",
    abstract: "Open a lesson by id or path, your own text (--corpus), or a checkpoint (--checkpoint).",
    discussion: """
      With --corpus, the lesson view trains on any UTF-8 text file, with train's data and \
      model flags and the built-in narrative of every stage. A bad corpus gets train's \
      one-line error before any screen opens.
      """)

  @Argument(help: "A lesson id (see `nexttoken lessons`) or a path to a lesson file.")
  var lesson: String?

  @Option(help: "A checkpoint to open (from train --out or w in the app); stepping and running train it on.")
  var checkpoint: String?

  @OptionGroup var options: RunOptions

  @OptionGroup var language: LanguageOption

  @OptionGroup var display: DisplayOptions

  @OptionGroup var predict: PredictOption

  func validate() throws {
    if let lesson, options.corpus != nil {
      throw CommandFailure("give a lesson (\(lesson)) or --corpus, not both")
    }
    if checkpoint != nil, let other = lesson.map({ "a lesson (\($0))" }) ?? options.corpus.map({ _ in "--corpus" }) {
      throw CommandFailure("give --checkpoint or \(other), not both: a checkpoint brings its own corpus and run")
    }
    if lesson == nil, options.corpus == nil, checkpoint == nil {
      throw CommandFailure("give a lesson id (see `nexttoken lessons`), a lesson file, --corpus FILE or --checkpoint FILE")
    }
    let flags = options.givenRunFlags
    if options.corpus == nil, !flags.isEmpty {
      let source = checkpoint == nil ? "a lesson" : "a checkpoint"
      throw CommandFailure("\(flags.joined(separator: ", ")) only \(flags.count == 1 ? "applies" : "apply") with --corpus; \(source) brings its own run")
    }
  }

  func run() throws {
    let language = language.language
    let found: (plan: LessonPlan, course: [LessonPlan], problems: [String])
    if let checkpoint {
      found = try Self.openCheckpoint(checkpoint, language: language)
    } else if let corpus = options.corpus {
      let corpora = Course.corporaDirectory()
      // Checked here, before the terminal is touched, so the error reads as train's does.
      let bar = StderrProgress()
      defer { bar.clear() }
      let lesson = try Lesson.ownText(
        run: options.configuration(defaultCorpus: corpus), language: language, corporaDirectory: corpora, progress: bar.corpus)
      let course = (try? Course.load(language: language)) ?? (plans: [], problems: [])
      found = (LessonPlan(lesson: lesson, corporaDirectory: corpora), course.plans, course.problems)
    } else {
      found = try Course.find(lesson ?? "", language: language)
    }
    let quiz = Course.quiz(language: language)
    let controller = AppController(
      lessons: found.course, problems: found.problems + quiz.problems, language: language,
      corporaDirectory: Course.corporaDirectory(), open: found.plan, folders: UserFolders(), quiz: quiz.quiz,
      predictFirst: predict.predictFirst)
    try InteractiveApp.run(controller, threads: options.threading, display: display)
  }
}

extension LearnCommand {
  /// The lesson view of a checkpoint, after `train --resume`'s checks (its corpus read again).
  static func openCheckpoint(_ path: String, language: Language) throws -> (plan: LessonPlan, course: [LessonPlan], problems: [String]) {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    let corpora = Course.corporaDirectory()
    let trainer = try Checkpoint.load(from: url, evaluationInterval: 0, corporaDirectory: corpora)
    var plan = LessonPlan(lesson: try Lesson.ownText(run: trainer.configuration, language: language, corporaDirectory: corpora), corporaDirectory: corpora)
    let name = url.deletingPathExtension().lastPathComponent
    plan.title = "\(name) · step \(trainer.stepCount)"
    plan.checkpoint = url
    let corpusName = URL(fileURLWithPath: trainer.configuration.corpus).lastPathComponent
    plan.sections[.intro] = Lesson.checkpointIntro(name: name, step: trainer.stepCount, corpus: corpusName, language: language)
    let course = (try? Course.load(language: language)) ?? (plans: [], problems: [])
    return (plan, course.plans, course.problems)
  }
}

/// `nexttoken lessons`: list the course; `lessons check FILE…` validates lesson files.
struct LessonsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lessons",
    abstract: "List the lessons, or check lesson files for authors.",
    subcommands: [ListLessons.self, CheckLessons.self],
    defaultSubcommand: ListLessons.self)

  struct ListLessons: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the lessons with their titles.")

    @OptionGroup var language: LanguageOption

    func run() throws {
      let course = try Course.load(language: language.language)
      let idWidth = course.plans.map(\.id.count).max() ?? 2
      for (i, plan) in course.plans.enumerated() {
        let objective = plan.isComparison ? "clm+mlm" : plan.run.objective.rawValue
        print(String(format: "%2d  ", i + 1) + plan.id.padding(toLength: idWidth + 2, withPad: " ", startingAt: 0)
          + objective.padding(toLength: 9, withPad: " ", startingAt: 0) + plan.title)
      }
      // Which folders were read, so a stray or unexpected one never goes unnoticed.
      print("")
      if let lessons = try? LessonLibrary.locateDirectory() {
        print("Lessons: \(lessons.url.path) (\(lessons.why(variable: "NEXTTOKEN_LESSONS")))")
      }
      do {
        let corpora = try Corpus.locateDirectory()
        print("Corpora: \(corpora.url.path) (\(corpora.why(variable: "NEXTTOKEN_CORPORA")))")
      } catch {
        print("Corpora: \(error)")
      }
      fflush(nil)
      for problem in course.problems {
        FileHandle.standardError.write(Data("warning: \(problem)\n".utf8))
      }
    }
  }

  struct CheckLessons: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Validate lesson files (and the course quiz, quiz.LANG.md); print every problem as file:line: message.")

    @Argument(help: "Lesson files to check.")
    var files: [String]

    func validate() throws {
      if files.isEmpty { throw ValidationError("give at least one lesson file to check") }
    }

    func run() throws {
      let corpora = Course.corporaDirectory()
      var problems = 0
      for file in files {
        let url = URL(fileURLWithPath: file)
        let diagnostics = Quiz.isQuizFile(url) ? QuizLoader.check(url: url) : LessonLoader.check(url: url, corporaDirectory: corpora)
        for diagnostic in diagnostics { print(diagnostic.description) }
        problems += diagnostics.count
        if diagnostics.isEmpty { print("\(file): ok") }
      }
      if problems > 0 {
        fflush(nil)
        FileHandle.standardError.write(Data("\(problems) problem\(problems == 1 ? "" : "s") in \(files.count) file\(files.count == 1 ? "" : "s")\n".utf8))
        throw ExitCode(1)
      }
    }
  }
}
