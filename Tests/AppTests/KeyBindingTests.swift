@testable import App
import Curriculum
import Foundation
import Model
import TermUI
import Testing
import Training

/// Every screen's footer and help come from its key list, and what is listed is exactly what is handled.
@Suite final class KeyBindingTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  /// Each screen in the states that change its keys, in both languages.
  func screens(_ language: Language) throws -> [(name: String, screen: any Screen)] {
    let plan = fixture.plan(language: language)
    var maker = try SnapshotMaker(plan.run)
    var paused = LessonScreen(plan: plan)
    _ = paused.update(.snapshot(paused.session, maker.stepped()))
    var running = paused
    _ = running.update(.snapshot(running.session, maker.stepped(state: .running)))
    var formula = paused
    _ = formula.update(.key(.char("f")))
    // The logits stage of a lesson with a check: teacher forcing (a) and the check (e) are bound.
    var checked = fixture.plan(language: language)
    checked.exercise = Exercise(question: "Q?", answer: .choice(options: ["CLM", "MLM"], correct: 0), explanation: "E.")
    var logits = LessonScreen(plan: checked)
    _ = logits.update(.snapshot(logits.session, maker.stepped()))
    _ = logits.update(.key(.char("5")))
    var answering = ExerciseScreen(title: "T", exercise: checked.exercise!, key: "t.en", language: language)
    var answered = answering
    _ = answered.update(.key(.char("1")))
    _ = answered.update(.key(.enter))
    _ = answering.update(.key(.char("2")))
    // Of two checks, the first answered: enter goes on to the next.
    var firstOfTwo = ExerciseScreen(title: "T", exercises: [checked.exercise!, checked.exercise!], key: "t.en", language: language)
    _ = firstOfTwo.update(.key(.tab))
    var typing = paused
    _ = typing.update(.key(.char("p")))
    var sampling = typing
    _ = sampling.update(.key(.enter))
    _ = sampling.update(.prediction(sampling.session, Prediction(tokens: [1], position: 0, logits: [0], probabilities: [1])))
    // A question waiting: three options; yes or no; a number being typed.
    func asking(_ answer: StageQuestion.Answer) -> LessonScreen {
      var screen = paused
      screen.predict.isOn = true
      screen.predict.askBeforeRun(StageQuestion(place: .stage(.labels), step: 1, text: "Q?", answer: answer, why: "W."))
      return screen
    }
    var typingNumber = asking(.number(5, tolerance: 0.1))
    _ = typingNumber.update(.key(.char("5")))
    var confirming = paused
    confirming.mode = .confirmingQuit(QuitConfirmation())
    // The form as the runner fills it in: no test reads the learner's real folders.
    var playground = PlaygroundScreen(language: language)
    _ = playground.update(.playground(corpora: ["fox.txt"], choices: PlaygroundChoices()))
    playground.choices.corpus = "fox.txt"
    var typingPath = playground
    (typingPath.choices.corpus, typingPath.path) = ("", "")
    // The game: one key per guess for characters, typed words otherwise; no results written (nothing is played).
    var charPlan = plan
    charPlan.run.tokenizer = .char
    let charTokenizer = try Trainer(configuration: charPlan.run, evaluationInterval: 0).tokenizer
    let games: [(name: String, screen: any Screen)] = [
      ("game (characters)", GameScreen(plan: charPlan, session: .next(), tokenizer: charTokenizer)),
      ("game (words)", GameScreen(plan: plan, session: .next(), tokenizer: maker.trainer.tokenizer)),
    ]
    // Checks in a row, and the course quiz in each of its phases.
    var twoChecks = ExerciseScreen(title: "T", exercises: [checked.exercise!, checked.exercise!], key: "t.en", language: language)
    _ = twoChecks.update(.key(.char("1")))
    _ = twoChecks.update(.key(.enter))
    var withQuiz = BrowserScreen(lessons: [plan], problems: [], language: language)
    withQuiz.quiz = QuizScreenTests.quiz
    let quizIntro = QuizScreen(quiz: QuizScreenTests.quiz, history: QuizHistory(), language: language)
    var quizTyping = quizIntro
    _ = quizTyping.update(.key(.enter))
    _ = quizTyping.update(.key(.char("1")))
    var quizMarked = quizTyping
    _ = quizMarked.update(.key(.enter))
    var quizDone = quizMarked
    for _ in 0..<2 {
      _ = quizDone.update(.key(.enter))
      _ = quizDone.update(.key(.tab))
    }
    _ = quizDone.update(.key(.enter))
    // A fine-tuning lesson binds M, the mask's restart.
    var fineTuningPlan = plan
    fineTuningPlan.run.objective = .sft
    return games + [
      ("fine-tuning lesson", LessonScreen(plan: fineTuningPlan)),
      ("browser", BrowserScreen(lessons: [plan], problems: [], language: language)),
      ("browser with the quiz", withQuiz), ("checks in a row", twoChecks),
      ("quiz intro", quizIntro), ("quiz typing", quizTyping), ("quiz marked", quizMarked), ("quiz done", quizDone),
      ("lesson asking to save", confirming), ("playground", playground), ("playground typing a path", typingPath),
      ("lesson", paused), ("lesson running", running), ("lesson asking", asking(.choice(["a", "b", "c"], correct: 0))),
      ("lesson asking yes or no", asking(.choice(["yes", "no"], correct: 1))), ("lesson typing a number", typingNumber), ("formula", formula), ("logits with a check", logits), ("check typing", answering), ("check answered", answered), ("first of two checks answered", firstOfTwo), ("prompt typing", typing), ("prompt sampling", sampling),
      ("compare", CompareScreen(plan: fixture.plan(comparison: true, language: language))),
      ("embedding map", MapScreen(plan: plan, session: .next(), tokenizer: maker.trainer.tokenizer, snapshot: maker.loaded())),
      ("BPE merges", MergeScreen(plan: plan, session: .next())),
    ] + (try LessonChildTests.opened(language, fixture: fixture).map { ("\($0.type), opened from the lesson", $0.screen) })
  }

  /// Walks every screen with seeded random keys: in each state it reaches, every listed key must
  /// do something (change what is drawn, the keys, or ask for an effect) unless the screen
  /// declares it does nothing there, and a key it declares idle must indeed change nothing.
  /// Unlisted keys must not be handled (typed text aside). A binding that maps a key to the
  /// wrong action, or an action `perform` drops, fails here.
  @Test(arguments: Language.allCases)
  func everyListedKeyDoesSomethingOrIsDeclaredIdle(language: Language) throws {
    var generator = SeededGenerator(seed: 25)
    for (name, start) in try screens(language) {
      var screen = start
      var path: [Key] = []
      for _ in 0..<24 {
        let bound = screen.boundKeys
        #expect(Set(bound).count == bound.count, "\(name) after \(path): a key is bound twice")
        let before = screen.fingerprint
        for key in everyKey {
          var copy = screen
          guard let effects = copy.update(.key(key)) else {
            #expect(!bound.contains(key), "\(name) after \(path): \(key) is listed but not handled")
            continue
          }
          if !bound.contains(key) {
            #expect(screen.takesText && key.isPrintable, "\(name) after \(path): \(key) is handled but not listed")
            continue
          }
          let changed = !effects.isEmpty || copy.fingerprint != before
          let idle = screen.declaresIdle(key)
          #expect(changed != idle, "\(name) after \(path): \(key) \(idle ? "is declared idle but changes the screen" : "changes nothing and is not declared idle")")
        }
        // On to a random listed key's state (a screen with no keys left ends the walk).
        guard !bound.isEmpty else { break }
        let key = bound[Int(generator.next() % UInt64(bound.count))]
        path.append(key)
        _ = screen.update(.key(key))
      }
    }
  }

  @Test(arguments: Language.allCases)
  func footerAndHelpAreMadeFromTheKeyList(language: Language) throws {
    for (name, screen) in try screens(language) {
      let lines = screen.helpText.split(separator: "\n")
      #expect(lines.count == screen.bindingCount, "\(name): one help line per binding")
      for (line, binding) in zip(lines, screen.bindingTexts) {
        #expect(line.hasPrefix(binding.shown) && line.hasSuffix(binding.help), "\(name): \(line)")
      }
      let footer = screen.footer.entries.map(\.key)
      #expect(footer == screen.bindingTexts.filter(\.inFooter).map(\.shown), "\(name)")
      #expect(!footer.isEmpty)
    }
  }

  /// The lesson (its children's keys included, from the registry), every screen it opens with a key, and the rest.
  @Test func everyActionIsBoundInSomeState() throws {
    let all = try screens(.en)
    func expectAllBound<S: Screen>(_ type: S.Type) {
      let bound = Set(all.compactMap { $0.screen as? S }.flatMap { $0.keys.flatMap(\.actions) })
      let every = Set(S.Action.allCases)
      #expect(!bound.isEmpty, "\(type) is in none of the states walked")
      #expect(bound == every, "\(type) unbound: \(every.subtracting(bound))")
    }
    expectAllBound(LessonScreen.self)
    for child in LessonChildren.all { expectAllBound(child) }
    for type: any Screen.Type in [BrowserScreen.self, QuizScreen.self, PlaygroundScreen.self] { expectAllBound(type) }
  }

  @Test func questionMarkHelpsOnEveryScreenButTheTypingOne() throws {
    for (name, screen) in try screens(.en) {
      var router = Router(language: .en, stack: [screen])
      _ = router.update(.key(.char("?")))
      #expect((router.help != nil) == !screen.takesText, "\(name)")
    }
  }

  @Test func theStageTableFollowsTheIteration() {
    #expect(StageDescriptor.all.map(\.stage) == Stage.allCases)
    #expect(Set(StageDescriptor.all.map(\.glyph)).count == Stage.allCases.count)
    #expect(StageDescriptor.all.first?.glyph == "①" && StageDescriptor.all.last?.glyph == "⑧")
    // Every stage has a digit key, in order: the table holds at most `keyLimit` stages.
    #expect(StageDescriptor.all.count <= StageDescriptor.keyLimit)
    #expect(StageDescriptor.all.map(\.key) == (1...Stage.allCases.count).map { Key.char(Character(String($0))) })
    let lines = TrainingLoopCode.lines(optimizer: "AdamW", masked: false)
    for descriptor in StageDescriptor.all {
      #expect(TrainingLoopCode.line(for: descriptor.stage).map(lines.indices.contains) == true)
      #expect(descriptor.title(.zh) != descriptor.title(.en) || descriptor.stage == .logits, "logits keeps its name in zh")
    }
    #expect(Stage.logits.title(.zh) == "logits")
  }
}

extension Screen {
  var boundKeys: [Key] { keys.flatMap(\.keys) }
  /// The screen's state as text: every stored property, down to the leaves, but the run's data
  /// (snapshots, plans, traces, tokenizers), which no key changes and which would make it huge.
  var fingerprint: String {
    var text = ""
    describeState(self, into: &text)
    return text
  }
  /// Whether the screen declares the action `key` triggers idle in its current state.
  func declaresIdle(_ key: Key) -> Bool {
    for binding in keys { if let action = binding.action(for: key) { return isIdle(action) } }
    return false
  }
  var bindingCount: Int { keys.count }
  var bindingTexts: [(shown: String, help: String, inFooter: Bool)] {
    keys.map { ($0.shown, $0.help, $0.priority != nil) }
  }
}

extension Key {
  var isPrintable: Bool {
    if case .char = self { return true }
    return false
  }
}

/// Writes `value`'s stored properties into `text`, recursively, leaving out the run's data.
private func describeState(_ value: Any, into text: inout String, depth: Int = 0) {
  switch value {
  case is SessionSnapshot, is LessonPlan, is StepTrace, is any Tokenizer, is Quiz, is Exercise: return
  default: break
  }
  let mirror = Mirror(reflecting: value)
  guard !mirror.children.isEmpty, depth < 12 else {
    text += "\(value);"
    return
  }
  text += "\(mirror.subjectType)("
  for child in mirror.children {
    text += "\(child.label ?? "_"):"
    describeState(child.value, into: &text, depth: depth + 1)
  }
  text += ")"
}
