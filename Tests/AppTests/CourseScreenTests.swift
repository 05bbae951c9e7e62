@testable import App
import Curriculum
import Foundation
import TermUI
import Testing
import Training

/// Teacher forcing ⇄ free running on the logits stage, and the lesson's closing check.
@Suite final class CourseScreenTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  static let exercise = Exercise(question: "About what is the first loss?", answer: .number(5.15, tolerance: 0.1), explanation: "ln 172 ≈ 5.15.")

  /// A paused lesson with a trace, on `stage`.
  func lesson(on stage: Stage, exercise: Exercise? = nil) throws -> (screen: LessonScreen, maker: SnapshotMaker) {
    var plan = fixture.plan()
    plan.exercise = exercise
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    _ = screen.update(.snapshot(screen.session, maker.stepped()))
    _ = screen.press(.char(Character(String(stage.number))))
    #expect(screen.stage == stage)
    return (screen, maker)
  }

  @Test func aCyclesTheLogitsStageThroughTeacherForcingAndFreeRunning() throws {
    var (screen, _) = try lesson(on: .logits)
    let trace = try #require(screen.snapshot.trace)
    let id = screen.session.raw
    // The runner computes the rows off the main thread (free running is T forward passes).
    func answer(_ mode: GuessMode) {
      _ = screen.update(.guessRows(screen.session, step: trace.step, mode, GuessRows.compute(mode, trace: trace, row: 0)))
    }
    #expect(screen.press(.char("a")) == ["guesses(\(id), step 1, teacherForcing)"])
    #expect(screen.guessRows == nil && screen.rendered(width: 120, height: 40).joined().contains("computing"))
    answer(.teacherForcing)
    let forced = try #require(screen.guessRows)
    #expect(forced.mode == .teacherForcing && forced.passes == 1)
    let text = screen.rendered(width: 120, height: 40).joined(separator: "\n")
    #expect(text.contains("teacher forcing") && text.contains("free running"))
    #expect(text.contains("1 pass: all \(trace.length) positions at once"))

    #expect(screen.press(.char("a")) == ["guesses(\(id), step 1, freeRunning)"])
    answer(.freeRunning)
    let free = try #require(screen.guessRows)
    #expect(free.mode == .freeRunning && free.passes == trace.length)
    let freeText = screen.rendered(width: 120, height: 40).joined(separator: "\n")
    #expect(freeText.contains("\(trace.length) passes"))
    #expect(freeText.contains("errors") && freeText.contains("compound"), "the caption wraps rather than being cut")

    #expect(screen.press(.char("a")) == [])
    #expect(screen.guessRows == nil, "a third press returns to the distribution")
    #expect(screen.rendered(width: 120, height: 40).joined().contains("p 0."))
  }

  /// The footer names what `a` switches to, in the lesson's language: what is on screen already is no news.
  @Test(arguments: [Language.en, .zh]) func theFooterNamesWhatAShowsNext(language: Language) throws {
    let plan = fixture.plan(language: language)
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    _ = screen.update(.snapshot(screen.session, maker.stepped()))
    _ = screen.press(.char("5"))
    let trace = try #require(screen.snapshot.trace)
    let L = Localized(language)
    let labels: [(shown: String, next: String)] = [
      (L.pick("the distribution", "概率分布"), L.pick("a teacher forcing", "a 教师强制")),
      ("teacher forcing", L.pick("a free running", "a 自由生成")),
      ("free running", L.pick("a distribution", "a 概率分布")),
    ]
    for (index, (shown, next)) in labels.enumerated() {
      let footer = try #require(screen.rendered(width: 80, height: 24).last)
      #expect(footer.contains(next), "showing \(shown): \(footer)")
      #expect(language == .en || !footer.contains("teacher forcing"), "\(footer)")
      guard index < 2 else { break }
      let mode: GuessMode = index == 0 ? .teacherForcing : .freeRunning
      _ = screen.press(.char("a"))
      _ = screen.update(.guessRows(screen.session, step: trace.step, mode, GuessRows.compute(mode, trace: trace, row: 0)))
    }
  }

  @Test func theLossHeaderShowsLnVWholeAtEveryWidth() throws {
    let (screen, _) = try lesson(on: .loss)
    let lnV = String(format: "ln V %.3f", screen.snapshot.reference.uniform)
    for width in 80...140 {
      let text = screen.rendered(width: width, height: 40).joined(separator: "\n")
      #expect(text.contains(lnV), "at \(width) columns the header wraps rather than cutting the number")
    }
  }

  @Test func theCheckKeyIsInTheFooterAt120Columns() throws {
    let (screen, _) = try lesson(on: .labels, exercise: Self.exercise)
    let footer = try #require(screen.rendered(width: 120, height: 40).last)
    #expect(footer.contains("e check"), "\(footer)")
  }

  @Test func aIsBoundOnlyOnTheLogitsStageOfACausalLesson() throws {
    var (screen, _) = try lesson(on: .loss)
    #expect(screen.press(.char("a")) == nil)
    #expect(!screen.rendered(width: 120, height: 40).last!.contains("teacher forcing"))
    var plan = fixture.plan(objective: .mlm)
    plan.exercise = nil
    var maker = try SnapshotMaker(plan.run)
    var masked = LessonScreen(plan: plan)
    _ = masked.update(.snapshot(masked.session, maker.stepped()))
    _ = masked.press(.char("5"))
    #expect(masked.stage == .logits)
    #expect(masked.press(.char("a")) == nil, "MLM has no next-token generation to contrast")
  }

  @Test func teacherForcedGuessesAreTheArgmaxOfTheStepsOwnProbabilities() throws {
    let (screen, _) = try lesson(on: .logits)
    let trace = try #require(screen.snapshot.trace)
    let rows = GuessRows.teacherForcing(trace, row: 0)
    for position in 0..<trace.length {
      let probabilities = Array(trace.probabilities(row: 0, position: position))
      let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
      #expect(probabilities[Int(rows.guesses[position])] == probabilities[best])
      #expect(rows.targets[position] == trace.batch.labels[position])
    }
    #expect(rows.inputs == Array(trace.batch.inputs[0..<trace.length]))
  }

  @Test func freeRunningFeedsItsOwnGuessesBackFromTheFirstToken() throws {
    let (screen, _) = try lesson(on: .logits)
    let trace = try #require(screen.snapshot.trace)
    let forced = GuessRows.teacherForcing(trace, row: 0)
    let free = try #require(GuessRows.freeRunning(trace, row: 0))
    // Both read the same first token, so their first guesses agree: the replay is the step's own model.
    #expect(free.inputs[0] == trace.batch.inputs[0])
    #expect(free.guesses[0] == forced.guesses[0])
    // After that, each input is the previous guess, not the text.
    #expect(Array(free.inputs.dropFirst()) == Array(free.guesses.dropLast()))
    #expect(free.inputs.count == trace.length && free.guesses.count == trace.length)
  }

  @Test func movingOnFromTheLessonsLastStageOffersItsCheckOnce() throws {
    var (screen, _) = try lesson(on: .labels, exercise: Self.exercise)
    // The fixture's lesson dwells on tokenize and labels: labels is its last.
    #expect(screen.plan.focusStages.max() == .labels)
    #expect(screen.press(.char(" ")) == ["push(ExerciseScreen)"])
    let offered = screen.hasOfferedCheck
    #expect(offered)
    #expect(screen.press(.char(" ")) == [], "offered once; then space goes on")
    #expect(screen.stage == .embed)
    #expect(screen.press(.char("e")) == ["push(ExerciseScreen)"], "e opens it any time")
  }

  @Test func withoutAnExerciseThereIsNoCheckKey() throws {
    var (screen, _) = try lesson(on: .update)
    #expect(screen.press(.char("e")) == nil)
    #expect(screen.press(.char(" ")) == ["step(\(screen.session.raw))"])
  }

  @Test func theCheckMarksAnAnswerSavesItAndShowsTheExplanation() {
    var check = ExerciseScreen(title: "Labels", exercise: Self.exercise, key: "labels.en", language: .en)
    #expect(describe(check.start()) == ["loadExercise(labels.en)"])
    _ = check.update(.exerciseAnswer("labels.en", ExerciseAnswer(response: "3", isRight: false, date: Date(timeIntervalSince1970: 0))))
    #expect(check.rendered().joined(separator: "\n").contains("Last time you answered 3: not right."))
    // Letters are the answer while typing: q types, it does not close.
    for c in "q" { _ = check.update(.key(.char(c))) }
    #expect(check.press(.enter) == [])
    #expect(check.rendered().joined().contains("Type a number or an expression: 1.5, 1/8"))
    _ = check.press(.backspace)
    for c in "5.2" { _ = check.update(.key(.char(c))) }
    #expect(check.press(.enter) == ["saveExercise(labels.en, 5.2, right)"])
    let text = check.rendered().joined(separator: "\n")
    #expect(text.contains("✓ Right.") && text.contains("ln 172 ≈ 5.15."))
    #expect(check.press(.char("t")) == [])
    // A first wrong answer: "not yet" and a second try, no answer shown.
    for c in "9" { _ = check.update(.key(.char(c))) }
    #expect(check.press(.enter) == [])
    var screen = check.rendered().joined(separator: "\n")
    #expect(screen.contains("✗ Not yet. One more try") && !screen.contains("5.15"))
    #expect(check.press(.enter) == ["saveExercise(labels.en, 9, wrong)"])
    screen = check.rendered().joined(separator: "\n")
    #expect(screen.contains("✗ Not quite: the answer is 5.15 ± 0.1.") && screen.contains("ln 172 ≈ 5.15."))
    _ = check.update(.exerciseSaveFailed(.failed(UserFoldersError("cannot create the state folder /nope: Permission denied"))))
    #expect(check.rendered().joined().contains("cannot create the state folder /nope"))
    #expect(check.press(.char("q")) == ["pop"])
  }

  static let hinted = Exercise(
    question: "About what is the first loss?", answer: .number(5.15, tolerance: 0.1), explanation: "ln 172 ≈ 5.15.",
    wrongAnswers: [.init(value: "0.006", hint: "That is p; the loss is −ln p.")])

  @Test func aWrongAnswerGetsItsHintThenCtrlUClearsAndAnExpressionIsRight() {
    var check = ExerciseScreen(title: "Labels", exercise: Self.hinted, key: "labels.en", language: .en)
    for c in "0.006" { _ = check.update(.key(.char(c))) }
    #expect(check.press(.enter) == [])
    let screen = check.rendered().joined(separator: "\n")
    #expect(screen.contains("That is p; the loss is −ln p.") && !screen.contains("5.15"))
    #expect(check.press(.ctrl("u")) == [])
    #expect(check.card.typed.isEmpty)
    for c in "ln 172" { _ = check.update(.key(.char(c))) }
    #expect(check.press(.enter) == ["saveExercise(labels.en, ln 172, right)"])
    #expect(check.rendered().joined().contains("✓ Right."))
  }

  @Test func tabGivesUpAndShowsTheAnswerAndSeveralChecksComeInOrder() {
    let second = Exercise(question: "Which writes?", answer: .choice(options: ["CLM", "MLM"], correct: 0), explanation: "CLM writes.")
    var check = ExerciseScreen(title: "Labels", exercises: [Self.exercise, second], key: "labels.en", language: .zh)
    #expect(describe(check.start()) == ["loadExercise(labels.en)", "loadExercise(labels.en.2)"])
    _ = check.update(.key(.char("x")))
    _ = check.press(.enter)
    #expect(check.rendered().joined().contains("请输入数字或算式"), "the hint is in the screen's language")
    #expect(check.press(.tab) == ["saveExercise(labels.en, x, wrong)"])
    #expect(check.rendered().joined().contains("答案是 5.15 ± 0.1。"))
    #expect(check.press(.enter) == [], "enter goes to the next check")
    #expect(check.rendered().joined().contains("Which writes?"))
    _ = check.update(.key(.char("1")))
    #expect(check.press(.enter) == ["saveExercise(labels.en.2, 1, right)"])
    #expect(check.press(.enter) == ["pop"])
  }

  @Test func answersAreRememberedPerLessonAndLanguageInTheStateFolder() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-state-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let folders = UserFolders(environment: ["HOME": folder.path, "XDG_STATE_HOME": folder.path])
    let runner = EffectRunner(corporaDirectory: nil, folders: folders, onCallersThread: true)
    guard case .exerciseAnswer("labels.zh", nil)? = runner.perform(.loadExerciseAnswer("labels.zh")).first else {
      Issue.record("a fresh folder remembers nothing")
      return
    }
    #expect(runner.perform(.saveExerciseAnswer("labels.zh", response: "5.15", isRight: true)).isEmpty)
    #expect(runner.perform(.saveExerciseAnswer("labels.en", response: "2", isRight: false)).isEmpty)
    let records = ExerciseRecords(folders: folders).load()
    #expect(records["labels.zh"]?.response == "5.15" && records["labels.zh"]?.isRight == true)
    #expect(records["labels.en"]?.isRight == false)
    guard case .exerciseAnswer("labels.zh", let answer?)? = runner.perform(.loadExerciseAnswer("labels.zh")).first else {
      Issue.record("the answer is read back")
      return
    }
    #expect(answer.response == "5.15")
  }

  @Test func anUnwritableStateFolderIsOneLineNotACrash() throws {
    let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-blocker-\(UUID())")
    defer { try? FileManager.default.removeItem(at: blocker) }
    try Data("a file where a folder should be".utf8).write(to: blocker)
    let folders = UserFolders(environment: ["HOME": blocker.path, "XDG_STATE_HOME": blocker.path])
    let runner = EffectRunner(corporaDirectory: nil, folders: folders, onCallersThread: true)
    guard case .exerciseSaveFailed(let reason)? = runner.perform(.saveExerciseAnswer("x.en", response: "1", isRight: true)).first else {
      Issue.record("the failure comes back as a message")
      return
    }
    #expect(reason.description.contains(blocker.path) && !reason.description.contains("\n"))
  }
}
