import Curriculum
import TermUI

/// One question being answered: the answer box, the tries used, the hint, the outcome.
///
/// A lesson's check gives two tries: a first wrong answer earns its `wrong:` hint (or a
/// general "not yet") and the box stays editable; the answer and the explanation come
/// after the second try, or when the learner gives up. The course quiz gives one try.
/// A value type with no I/O: the screens that hold it save the outcome through effects.
struct CheckCard {
  /// How a finished question ended.
  enum Outcome: Equatable {
    case right, wrong, gaveUp
  }

  let exercise: Exercise
  /// Wrong answers allowed before the answer is shown.
  let tries: Int
  var typed = ""
  /// Wrong answers given so far.
  private(set) var wrongTries = 0
  /// The hint of the last wrong answer, if its value has a `wrong:` line.
  private(set) var hint: String?
  /// Set while the last submission was no answer of the question's kind.
  private(set) var unreadable: Exercise.Unreadable?
  private(set) var outcome: Outcome?

  init(exercise: Exercise, tries: Int = 2) {
    self.exercise = exercise
    self.tries = max(1, tries)
  }

  var isFinished: Bool { outcome != nil }

  /// Marks the box; returns the outcome when the question is finished by it.
  mutating func submit() -> Outcome? {
    guard !isFinished else { return outcome }
    let mark = exercise.mark(typed)
    switch mark {
    case .unreadable(let kind):
      unreadable = kind
      return nil
    case .right:
      unreadable = nil
      hint = nil
      outcome = .right
    case .wrong:
      unreadable = nil
      wrongTries += 1
      hint = exercise.hint(for: typed)
      if wrongTries >= tries { outcome = .wrong }
    }
    return outcome
  }

  /// Shows the answer without another try.
  mutating func giveUp() {
    guard !isFinished else { return }
    unreadable = nil
    outcome = .gaveUp
  }

  mutating func type(_ character: Character) {
    guard !isFinished else { return }
    typed.append(character)
    unreadable = nil
  }

  mutating func erase() {
    guard !isFinished, !typed.isEmpty else { return }
    typed.removeLast()
    unreadable = nil
  }

  mutating func clear() {
    guard !isFinished else { return }
    typed = ""
    unreadable = nil
  }

  /// Back to an empty box and all tries.
  mutating func restart() {
    self = CheckCard(exercise: exercise, tries: tries)
  }

  /// Erasing would change nothing: an empty box, or a finished question.
  var erasesNothing: Bool { isFinished || typed.isEmpty }
  /// Clearing would change nothing.
  var clearsNothing: Bool { isFinished || (typed.isEmpty && unreadable == nil) }
  /// Handing in would change nothing: the same unreadable answer was handed in already.
  var submitChangesNothing: Bool {
    guard !isFinished, case .unreadable(let kind) = exercise.mark(typed) else { return false }
    return unreadable == kind
  }

  /// What is saved: the answer as typed.
  var response: String { typed.trimmingCharacters(in: .whitespaces) }

  /// Draws the question, the box and what the last answer earned, from `y` down in `body`.
  ///
  /// `previous` is the remembered answer shown while the box is fresh.
  func render(in body: Rect, buffer: inout Buffer, theme: Theme, language: Language, previous: ExerciseAnswer? = nil) {
    let L = Localized(language)
    var y = body.y
    func paragraph(_ text: String, _ style: Style) {
      guard y < body.bottom else { return }
      let paragraph = Paragraph(text, style: style)
      let height = min(paragraph.height(forWidth: body.width, theme: theme), body.bottom - y)
      paragraph.render(in: Rect(x: body.x, y: y, width: body.width, height: height), buffer: &buffer, theme: theme)
      y += height
    }
    func put(_ text: String, _ style: Style) {
      guard y < body.bottom else { return }
      buffer.set(string: text, at: Point(x: body.x, y: y), style: style, clipTo: body)
      y += 1
    }
    paragraph(exercise.question, theme.text)
    y += 1
    if case .choice(let options, _) = exercise.answer {
      // On one line when they fit, else one option a line, so no option breaks across two;
      // each choice is a click target that answers with it.
      let line = L.checkChoices(options)
      if displayWidth(of: line) <= body.width, y < body.bottom {
        var x = body.x
        for (number, option) in options.enumerated() {
          let width = displayWidth(of: L.checkChoice(number + 1, option))
          buffer.addHotspot(Rect(x: x, y: y, width: width, height: 1), name: "choice", index: number)
          x += width + displayWidth(of: Localized.choiceGap)
        }
        put(line, theme.accent)
      } else {
        for (number, option) in options.enumerated() {
          let top = y
          paragraph(L.checkChoice(number + 1, option), theme.accent)
          buffer.addHotspot(Rect(x: body.x, y: top, width: body.width, height: y - top), name: "choice", index: number)
        }
      }
      y += 1
    }
    // The answer box holds the cursor, where the next character typed goes.
    if !isFinished, y < body.bottom {
      buffer.cursor = Point(x: min(body.right - 1, body.x + displayWidth(of: L.checkPrompt + typed)), y: y)
    }
    put(L.checkPrompt + typed + (isFinished ? "" : "▏"), theme.highlight)
    if let unreadable { paragraph(L.checkUnreadable(unreadable), theme.error) }
    y += 1
    switch outcome {
    case nil where wrongTries > 0:
      paragraph(L.checkNotYet(hint: hint, triesLeft: tries - wrongTries), theme.accent)
    case nil:
      if let previous { paragraph(L.checkPrevious(previous.response, right: previous.isRight), theme.muted) }
    case .right?:
      put(L.checkRight, theme.positive.adding(.bold))
      y += 1
      paragraph(exercise.explanation, theme.text)
    case .wrong?, .gaveUp?:
      // A whole sentence of an answer wraps: cut to the card's width it would stop mid-word.
      let line = outcome == .gaveUp ? L.checkShown(exercise.answerText) : L.checkWrong(exercise.answerText)
      paragraph(line, theme.negative.adding(.bold))
      if outcome == .wrong, let hint { paragraph(hint, theme.accent) }
      y += 1
      paragraph(exercise.explanation, theme.text)
    }
  }
}
