import Curriculum
import Foundation
import Testing

@Suite struct NumberExpressionTests {
  @Test(arguments: [
    ("5.15", 5.15), ("5,15", 5.15), ("-0.5", -0.5), ("−0.5", -0.5), ("1e-3", 0.001), (".5", 0.5),
    ("1/8", 0.125), ("2^3", 8), ("2**3", 8), ("√16", 4), ("sqrt(16)", 4), ("√(9+7)", 4),
    ("ln 172", Foundation.log(172.0)), ("ln(172)", Foundation.log(172.0)), ("LN 172", Foundation.log(172.0)),
    ("log2 8", 3), ("log10 1000", 3), ("e^2", M_E * M_E), ("exp(2)", M_E * M_E), ("e", M_E), ("2e", 2 * M_E),
    ("1,300", 1300), ("1,300,000", 1_300_000), ("12,345.5", 12345.5), ("0,125", 0.125), ("5,1234", 5.1234),
    ("５．１５", 5.15), ("１，３００", 1300), ("５。１５", 5.15), ("（１＋１）×３", 6), ("1÷8", 0.125),
    ("2 × 3", 6), ("-2^2", -4), ("2^3^2", 512), ("15%", 0.15), ("256 * 15%", 38.4), ("2√16", 8),
    ("ln e^2", 2), ("e^-2.08", Foundation.exp(-2.08)), ("100 - 1", 99),
  ])
  func readsWhatLearnersType(text: String, value: Double) {
    let read = NumberExpression.evaluate(text)
    #expect(read != nil, "\(text) should be readable")
    if let read { #expect(abs(read - value) < 1e-9 * max(1, abs(value)), "\(text) = \(read), not \(value)") }
  }

  @Test(arguments: ["", "five", "1/0", "ln 0", "ln(-1)", "sqrt", "2^", "(1", "1)", "1..2", "foo(2)", "√", "5 5",
                    String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)])
  func refusesWhatIsNoNumber(text: String) {
    #expect(NumberExpression.evaluate(text) == nil, "\(text) is no number")
  }
}

@Suite struct CheckV2Tests {
  func section(_ text: String, line: Int = 10) -> LessonSection {
    LessonSection(name: "check", text: text, line: line, bodyLine: line + 1)
  }

  static let lossCheck = """
    Before any training, about what is the first loss?

    type: number
    answer: 5.15
    tolerance: 0.1
    wrong: 0.006 | That is p, the probability of the target; the loss is −ln p.
    wrong: 172 | That is V. The loss is a logarithm.
    explain: −ln(1/172) = ln 172 ≈ 5.15.
    """

  @Test func wrongLinesGiveTheirHintsAndExpressionsAreMarked() throws {
    let exercise = try Exercise.parse(section(Self.lossCheck)).get()
    #expect(exercise.wrongAnswers.count == 2)
    #expect(exercise.explanation == "−ln(1/172) = ln 172 ≈ 5.15.")
    #expect(exercise.mark("0.006") == .wrong)
    #expect(exercise.hint(for: "0.006") == "That is p, the probability of the target; the loss is −ln p.")
    #expect(exercise.hint(for: "0,006") != nil, "a decimal comma is the same value")
    #expect(exercise.hint(for: "1/172") != nil, "1/172 ≈ 0.0058 is within the tolerance of 0.006")
    #expect(exercise.hint(for: "１７２") == "That is V. The loss is a logarithm.")
    #expect(exercise.hint(for: "3") == nil, "no line for 3: the general 'not yet'")
    #expect(exercise.hint(for: "ln 172") == nil, "a right answer has no hint")
    #expect(exercise.mark("ln 172") == .right)
    #expect(exercise.mark("－ｌｎ(1/172)") == .right)
    #expect(exercise.mark("ln") == .unreadable(.number))
  }

  @Test func anExactAnswerShowsNoZeroTolerance() {
    #expect(Exercise(question: "Q", answer: .number(4, tolerance: 0), explanation: "E").answerText == "4")
    #expect(Exercise(question: "Q", answer: .number(5.15, tolerance: 0.1), explanation: "E").answerText == "5.15 ± 0.1")
  }

  @Test func aWrongLineWithoutABarIsAnErrorAtItsLine() {
    let text = Self.lossCheck.replacingOccurrences(of: "wrong: 0.006 | That", with: "wrong: 0.006 That")
    guard case .failure(let failure) = Exercise.parse(section(text)) else {
      Issue.record("a wrong: line without | must be refused")
      return
    }
    #expect(failure.problems.map(\.line) == [16])
    #expect(failure.problems.first?.message.contains("separated by |") == true)
  }

  @Test func aWrongValueThatWouldBeMarkedRightIsAnError() {
    let text = Self.lossCheck.replacingOccurrences(of: "wrong: 172 |", with: "wrong: 5.2 |")
    guard case .failure(let failure) = Exercise.parse(section(text)) else {
      Issue.record("a wrong: value within the tolerance must be refused")
      return
    }
    #expect(failure.problems.map(\.line) == [17])
    #expect(failure.problems.first?.message == "wrong value '5.2' would be marked right (the answer is 5.15 ± 0.1)")
  }

  @Test func wrongValuesMustBeOfTheQuestionsKind() {
    let choice = """
      Which can write?

      type: choice
      choices: CLM | MLM
      answer: CLM
      wrong: GPT | no such option
      wrong: MLM | It sees both sides.
      wrong: 2 | Same as MLM.
      wrong: | empty
      explain: CLM.
      """
    guard case .failure(let failure) = Exercise.parse(section(choice)) else {
      Issue.record("expected problems")
      return
    }
    let messages = failure.problems.map { "\($0.line): \($0.message)" }
    #expect(messages == [
      "16: wrong value 'GPT' is not one of the choices: CLM, MLM",
      "18: wrong value '2' repeats an earlier 'wrong:' line",
      "19: 'wrong:' needs a value before | and a hint after it",
    ])
  }

  @Test func aLessonMayAskSeveralChecksInOrder() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("checks-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("01-two.en.md")
    try """
      ---
      id: two
      lang: en
      order: 1
      title: Two checks
      summary: Two.
      objective: clm
      corpus: x.txt
      tokenizer: char
      model: {layers: 1, heads: 1, dim: 16, context: 8, batch: 2}
      seed: 1
      optimizer: adamw
      learning_rate: 0.01
      stages: [labels]
      ---
      ## intro
      Hi.

      ## labels
      Labels.

      ## check
      First?

      type: number
      answer: 1
      tolerance: 0
      explain: One.

      ## check
      Second?

      type: choice
      choices: a | b
      answer: b
      wrong: a | Not a.
      explain: B.
      """.write(to: url, atomically: true, encoding: .utf8)
    let lesson = try LessonLoader.load(url: url)
    #expect(lesson.exercises.map(\.question) == ["First?", "Second?"])
    #expect(lesson.exercises[1].hint(for: "1") == "Not a.")
  }
}
