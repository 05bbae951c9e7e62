import Curriculum
import TermUI

/// The question part of a lesson view: it asks before a stage's picture, takes the answer, keeps the score.
///
/// Its own state, keys and update; the lesson view asks it to `ask`, lists its `keys` in
/// front of its own while a question waits (they claim 0–9, y/n, space and enter), and
/// turns what `perform` reports into effects (saving the score, starting the run).
struct PredictPart: Sendable, Equatable {
  /// Whether questions are asked (`P`); off until the learner's remembered choice arrives.
  var isOn = false
  /// This lesson's score, in this language, as remembered plus what was answered since.
  var score = PredictionScore()
  /// The question waiting for an answer; its stage's picture stays hidden meanwhile.
  var waiting: StageQuestion?
  /// The number typed so far, once a number question's input is open.
  var typed: String?
  /// One line under the question, after a key that answers nothing.
  var hint: String?
  /// The last question answered or skipped, shown above its picture.
  var result: QuestionResult?
  /// The stages shown at `seenStep`: a stage is asked about once per step.
  var seenStep = -1
  var seen: Set<Stage> = []
  /// Whether the stage the lesson is stepping to asks when its trace arrives (space and 1–8 do; s, enter do not).
  var asksOnArrival = false
  /// The run question is asked once per lesson opening.
  var hasAskedRun = false
  /// A run question answered with this option, marked when validation passes the bigram line.
  var runAnswer: RunAnswer?

  struct RunAnswer: Sendable, Equatable {
    let question: StageQuestion
    let option: Int
  }

  /// What a key does to a question; each key names its own (the digit, the character typed).
  enum Action: Hashable, CaseIterable {
    /// Option `index` (0-based) of a choice question: keys 1–9, whether or not the option exists.
    case option(Int)
    case yes, no, skip
    /// A key that answers nothing, by name ("space", "enter"): its hint.
    case hint(String)
    /// A character of a number, typed (the first one opens the input).
    case type(Character)
    case erase, submit, cancel, toggle

    static let typed: [Character] = Array("0123456789.,-")

    static var allCases: [Action] {
      (0..<9).map(Action.option) + [.yes, .no, .skip, .hint("space"), .hint("enter")] + typed.map(Action.type)
        + [.erase, .submit, .cancel, .toggle]
    }
  }

  /// What the lesson view has to do after a key.
  enum Report: Equatable {
    case nothing
    /// A question was answered or skipped: count it (nil: a run question, counted when its milestone comes).
    case answered(StageQuestion.Place, PredictionOutcome?)
    /// `P`: save the choice.
    case toggled
  }

  private static func digit(_ n: Int) -> Key { .char(Character(String(n))) }

  /// The keys in effect: `P` always; while a question waits, the keys that answer it.
  func keys(_ L: Localized) -> [KeyBinding<Action>] {
    let toggle = KeyBinding<Action>([.char("P")], shown: "P", label: L.questionsKey, help: L.questionsHelp, priority: waiting == nil ? 2 : 6, action: .toggle)
    guard let waiting else { return [toggle] }
    let hints = KeyBinding<Action>([(.char(" "), .hint("space")), (.enter, .hint("enter"))], shown: "space", label: "", help: L.hintHelp, priority: nil)
    if typed != nil {
      return [
        KeyBinding([.enter], shown: "enter", label: L.answerKey, help: L.submitHelp, priority: 11, action: .submit),
        KeyBinding(Action.typed.map { (Key.char($0), Action.type($0)) }, shown: "0–9", label: L.answerKey, help: L.typeHelp, priority: nil),
        KeyBinding([.backspace, .delete], shown: "backspace", label: "", help: L.eraseHelp, priority: nil, action: .erase),
        KeyBinding([.escape], shown: "esc", label: L.skipKey, help: L.cancelHelp, priority: 8, action: .cancel),
        KeyBinding([(.char(" "), .hint("space"))], shown: "space", label: "", help: L.hintHelp, priority: nil),
        toggle,
      ]
    }
    let isNumber = if case .number = waiting.answer { true } else { false }
    let answers: [(Key, Action)] = isNumber
      ? (1...9).map { (Self.digit($0), Action.type(Character(String($0)))) } + [(.char("."), .type(".")), (.char("-"), .type("-"))]
      : (1...9).map { (Self.digit($0), Action.option($0 - 1)) } + (waiting.isYesNo ? [(.char("y"), .yes), (.char("n"), .no)] : [])
    let shown = isNumber ? "1–9" : waiting.isYesNo ? "y/n" : "1–\(waiting.options.count)"
    return [
      KeyBinding(answers, shown: shown, label: L.answerKey, help: L.answerHelp, priority: 11),
      KeyBinding([.char("0")], shown: "0", label: L.skipKey, help: L.skipHelp, priority: 10, action: .skip),
      hints,
      toggle,
    ]
  }

  /// The hint the question shows under its options.
  func hintLine(_ L: Localized) -> String {
    guard let waiting else { return "" }
    if typed != nil { return L.typingHint }
    if case .number = waiting.answer { return L.numberHint }
    return L.choiceHint(count: waiting.options.count, isYesNo: waiting.isYesNo)
  }

  /// Asks before `stage`'s picture at `step`, unless it was shown at this step already.
  mutating func ask(_ stage: Stage, step: Int, make: () -> StageQuestion?) {
    guard waiting == nil else { return }
    if step != seenStep { (seenStep, seen) = (step, []) }
    guard !seen.contains(stage) else { return }
    seen.insert(stage)
    guard isOn, let question = make() else { return }
    (waiting, typed, hint, result) = (question, nil, nil, nil)
  }

  /// Whether `stage`'s picture at `step` was shown or asked about already (asking again asks nothing).
  func hasSeen(_ stage: Stage, step: Int) -> Bool { step == seenStep && seen.contains(stage) }

  /// Notes that `stage`'s picture was shown at `step` without a question (`s`, a run).
  mutating func markShown(_ stage: Stage, step: Int) {
    if step != seenStep { (seenStep, seen) = (step, []) }
    seen.insert(stage)
  }

  /// Asks the question before the run.
  mutating func askBeforeRun(_ question: StageQuestion) {
    hasAskedRun = true
    (waiting, typed, hint) = (question, nil, nil)
  }

  /// Keys with no question waiting (but `P`), a number too long to grow, erasing or
  /// cancelling nothing typed, a key that answers nothing whose hint is already shown.
  func isIdle(_ action: Action, language: Language) -> Bool {
    guard waiting != nil else { return action != .toggle }
    switch action {
    case .type: return (typed ?? "").count >= 12
    case .erase, .cancel: return typed == nil
    case .hint, .option, .yes, .no, .submit:
      var copy = self
      return copy.perform(action, language: language) == .nothing && copy.hint == hint && hint != nil && copy.typed == typed
    case .skip, .toggle: return false
    }
  }

  mutating func perform(_ action: Action, language: Language) -> Report {
    let L = Localized(language)
    guard let waiting else {
      return action == .toggle ? toggle() : .nothing
    }
    switch action {
    case .toggle:
      return toggle()
    case .skip:
      return finish(waiting, response: nil, outcome: .skipped)
    case .hint(let name):
      hint = L.notAnAnswer(name, hint: hintLine(L))
    case .option(let index):
      return choose(index, named: String(index + 1), waiting, L)
    case .yes:
      return choose(waiting.option(yes: true), named: "y/n", waiting, L)
    case .no:
      return choose(waiting.option(yes: false), named: "y/n", waiting, L)
    case .type(let c):
      guard (typed ?? "").count < 12 else { return .nothing }
      (typed, hint) = ((typed ?? "") + String(c), nil)
    case .erase:
      if let text = typed { typed = text.isEmpty ? nil : String(text.dropLast()) }
    case .cancel:
      typed = nil
    case .submit:
      let text = (typed ?? "").replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "−", with: "-")
      guard let number = Double(text), number.isFinite else {
        hint = L.notAnAnswer("“\(typed ?? "")”", hint: L.numberHint)
        return .nothing
      }
      let isRight = waiting.mark(number: number) ?? false
      return finish(waiting, response: typed ?? "", outcome: isRight ? .right : .wrong)
    }
    return .nothing
  }

  /// Marks the run question once validation has passed the bigram line at `step`.
  mutating func resolveRun(bigramAt step: Int) -> QuestionResult? {
    guard let answer = runAnswer, case .bigramStep(let steps) = answer.question.answer else { return nil }
    runAnswer = nil
    let correct = StageQuestion.nearestOption(steps, to: step)
    let resolved = StageQuestion(place: .run, step: step, text: answer.question.text, answer: .choice(answer.question.options, correct: correct), why: "")
    let outcome: QuestionOutcome = answer.option == correct ? .right : .wrong
    score = score.adding(outcome == .right ? .right : .wrong)
    return QuestionResult(question: resolved, response: answer.question.options[answer.option], outcome: outcome)
  }

  /// The waiting run question, dropped unanswered (`r` pressed again: the learner just wants to run).
  mutating func dropRunQuestion() -> Bool {
    guard waiting?.place == .run else { return false }
    (waiting, typed, hint) = (nil, nil, nil)
    return true
  }

  /// Answers `waiting` with `option` (nil: the question has no such option; `name` is the key's, for its hint).
  private mutating func choose(_ option: Int?, named name: String, _ waiting: StageQuestion, _ L: Localized) -> Report {
    guard let option, waiting.options.indices.contains(option) else {
      hint = L.notAnAnswer(name, hint: hintLine(L))
      return .nothing
    }
    if case .bigramStep = waiting.answer {
      runAnswer = RunAnswer(question: waiting, option: option)
      return finish(waiting, response: waiting.options[option], outcome: .pending)
    }
    let isRight = waiting.mark(option: option) ?? false
    return finish(waiting, response: waiting.options[option], outcome: isRight ? .right : .wrong)
  }

  private mutating func finish(_ question: StageQuestion, response: String?, outcome: QuestionOutcome) -> Report {
    (waiting, typed, hint) = (nil, nil, nil)
    result = QuestionResult(question: question, response: response, outcome: outcome)
    let counted = outcome.counted
    if let counted { score = score.adding(counted) }
    return .answered(question.place, counted)
  }

  private mutating func toggle() -> Report {
    isOn.toggle()
    if !isOn { (waiting, typed, hint) = (nil, nil, nil) }
    return .toggled
  }
}
