import Curriculum
import TermUI

/// The course's additions to the lesson view: teacher forcing ⇄ free running, and the closing check.
extension LessonScreen {
  /// `a` on a CLM lesson's logits stage; `e` when the lesson has a check.
  func courseKeys(_ L: Localized) -> [KeyBinding<Action>] {
    var keys: [KeyBinding<Action>] = []
    if plan.run.objective == .clm, stage == .logits, panel == .stage {
      keys.append(KeyBinding([.char("a")], shown: "a", label: L.guessModeKey, help: L.guessModeHelp, priority: 8, action: .guesses))
    }
    if plan.exercise != nil {
      keys.append(KeyBinding([.char("e")], shown: "e", label: L.checkKey, help: L.checkHelp, priority: 7, action: .check))
    }
    return keys
  }

  mutating func performCourse(_ action: Action) -> [Effect] {
    switch action {
    case .guesses:
      guessMode = GuessMode.next(after: guessMode)
      guessRows = nil
      refreshGuesses()
      return []
    case .check:
      return openCheck()
    default:
      return []
    }
  }

  /// The exercise screen, when the lesson has a check.
  mutating func openCheck() -> [Effect] {
    guard !plan.exercises.isEmpty else { return [] }
    hasOfferedCheck = true
    let key = ExerciseRecords.key(lessonID: plan.id, language: language)
    return [.push(ExerciseScreen(title: plan.title, exercises: plan.exercises, key: key, language: language))]
  }

  /// Moving on from the last stage the lesson dwells on opens its check, once, while stepping by hand.
  mutating func offerCheckAfter(_ stage: Stage?) -> [Effect]? {
    guard !hasOfferedCheck, plan.exercise != nil, !snapshot.state.isRunning, let stage,
      stage == plan.focusStages.max()
    else { return nil }
    return openCheck()
  }

  /// Recomputes the guess rows for the shown trace, when the logits stage shows them.
  mutating func refreshGuesses() {
    guard let guessMode, let trace = shownTrace, trace.objective == .clm else {
      guessRows = nil
      return
    }
    let row = min(focus.row, trace.batchSize - 1)
    switch guessMode {
    case .teacherForcing: guessRows = GuessRows.teacherForcing(trace, row: row)
    case .freeRunning: guessRows = GuessRows.freeRunning(trace, row: row)
    }
  }
}
