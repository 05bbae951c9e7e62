import Curriculum
import Foundation
import Testing

@Suite struct ExerciseTests {
  func section(_ text: String, line: Int = 10) -> LessonSection {
    LessonSection(name: "check", text: text, line: line, bodyLine: line + 1)
  }

  @Test func aNumberQuestionMarksWithinItsTolerance() throws {
    let exercise = try Exercise.parse(section("""
      What is the first loss?

      type: number
      answer: 5.15
      tolerance: 0.05
      explain: ln 172 ≈ 5.15.
      """)).get()
    #expect(exercise.question == "What is the first loss?")
    #expect(exercise.explanation == "ln 172 ≈ 5.15.")
    #expect(exercise.answer == .number(5.15, tolerance: 0.05))
    #expect(exercise.mark("5.15") == .right)
    #expect(exercise.mark(" 5,2 ") == .right)
    #expect(exercise.mark("5.1") == .right)
    #expect(exercise.mark("5.21") == .wrong)
    #expect(exercise.mark("−5.15") == .wrong)
    guard case .unreadable = exercise.mark("five") else {
      Issue.record("a word is no number")
      return
    }
  }

  @Test func aChoiceQuestionTakesTheTextOrTheNumberOfAnOption() throws {
    let exercise = try Exercise.parse(section("""
      Which can continue "The cat"?

      type: choice
      choices: CLM | MLM
      answer: clm
      explain: Only the causal model
      writes left to right.
      """)).get()
    #expect(exercise.answer == .choice(options: ["CLM", "MLM"], correct: 0))
    #expect(exercise.explanation == "Only the causal model\nwrites left to right.")
    #expect(exercise.mark("1") == .right)
    #expect(exercise.mark("CLM") == .right)
    #expect(exercise.mark("2") == .wrong)
    #expect(exercise.mark("mlm") == .wrong)
    #expect(exercise.mark("3") != .right)
    #expect(exercise.answerText == "CLM")
  }

  @Test func aTokenAnswerMayBeTypedWithoutItsLeadingSpaceMarker() throws {
    let exercise = try Exercise.parse(section("""
      After "␣lazy"?

      type: token
      answer: ␣dog
      explain: The corpus always says "the lazy dog".
      """)).get()
    #expect(exercise.mark("dog") == .right)
    #expect(exercise.mark("␣dog") == .right)
    #expect(exercise.mark("cat") == .wrong)
    #expect(exercise.mark("Dog") == .wrong)
  }

  @Test func problemsNameTheirLines() {
    let result = Exercise.parse(section("""
      type: number
      answer: lots
      explain: because
      """))
    guard case .failure(let failure) = result else {
      Issue.record("expected problems")
      return
    }
    let messages = failure.problems.map { "\($0.line): \($0.message)" }
    #expect(messages.contains("11: '## check' needs a question before its fields"))
    #expect(messages.contains("12: answer 'lots' is not a number"))
  }

  @Test func aChoiceAnswerMustBeOneOfTheChoicesAndANumberNeedsATolerance() {
    let choice = Exercise.parse(section("""
      Q?

      type: choice
      choices: a | b
      answer: c
      explain: x
      """))
    guard case .failure(let failure) = choice else {
      Issue.record("expected problems")
      return
    }
    #expect(failure.problems.map(\.message) == ["answer 'c' is not one of the choices: a, b"])
    #expect(failure.problems.map(\.line) == [15])

    let number = Exercise.parse(section("Q?\n\ntype: number\nanswer: 1\nexplain: x"))
    guard case .failure(let missing) = number else {
      Issue.record("expected problems")
      return
    }
    #expect(missing.problems.map(\.message).first?.hasPrefix("a number question needs 'tolerance:'") == true)
  }

  @Test func unknownTypesAndStrayTextAreReported() {
    let result = Exercise.parse(section("Q?\n\ntype: essay\nanswer: 1\nstray words\nexplain: x"))
    guard case .failure(let failure) = result else {
      Issue.record("expected problems")
      return
    }
    #expect(failure.problems.map(\.message).contains("type 'essay' is not one of: number, choice, token"))
    #expect(failure.problems.map(\.line).contains(15))
  }
}
