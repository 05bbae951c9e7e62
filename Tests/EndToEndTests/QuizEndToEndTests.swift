import Foundation
import Testing
import TestSupport

/// Checks that teach and the course quiz, in a real terminal, from an empty state folder.
@Suite(.serialized) struct QuizEndToEndTests {
  init() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: TmuxSession.binaryPath),
      "build the binary first: swift build --product nexttoken")
  }

  /// A lesson whose check gives 0.006 its own hint, as an author would write it.
  static let lesson = """
    ---
    id: first-loss
    lang: en
    order: 1
    title: First loss
    summary: The first loss of a fresh model.
    objective: clm
    corpus: fox.en.txt
    tokenizer: word
    model: {layers: 1, heads: 2, dim: 32, context: 16, batch: 8}
    seed: 42
    optimizer: adamw
    learning_rate: 0.003
    stages: [loss]
    ---
    ## intro
    A fresh model guesses almost uniformly.

    ## loss
    Each bar is −ln p.

    ## check
    Before any training, the model guesses almost uniformly among its V = 172 tokens. About what is its first loss?

    type: number
    answer: 5.15
    tolerance: 0.1
    wrong: 0.006 | That is p, the probability of the target; the loss is −ln p.
    explain: A uniform guess gives p = 1/172, and −ln(1/172) = ln 172 ≈ 5.15.
    """

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func aWrongAnswerGetsItsHintAndAnExpressionIsMarkedRight() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-check-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("first-loss.en.md")
    try Self.lesson.write(to: file, atomically: true, encoding: .utf8)
    let checked = try runWithoutTerminal(["lessons", "check", file.path])
    #expect(checked.status == 0 && checked.stdout.contains("ok"), "\(checked)")
    // A wrong: line without | is an error at its line.
    let broken = folder.appendingPathComponent("broken.en.md")
    try Self.lesson.replacingOccurrences(of: "wrong: 0.006 |", with: "wrong: 0.006").write(to: broken, atomically: true, encoding: .utf8)
    let refused = try runWithoutTerminal(["lessons", "check", broken.path])
    #expect(refused.status == 1 && refused.stdout.contains("broken.en.md:28: 'wrong:' needs a value and its hint separated by |"), "\(refused)")

    let session = try TmuxSession(
      command: TmuxSession.shellCommand("learn \(file.path) --lang en", environment: "XDG_STATE_HOME=\(folder.path)/state"), width: 100, height: 30)
    defer { session.kill() }
    #expect(try session.waitFor(text: "A fresh model guesses").isReady)
    try session.sendKeys("e")
    #expect(try session.waitFor(text: "Check · First loss").isReady)
    try session.sendKeys("0.006")
    try session.sendKeys("Enter")
    let hinted = try session.waitFor(text: "That is p, the probability of the target")
    #expect(hinted.isReady && !hinted.screen.contains("5.15") && !hinted.screen.contains("ln 172 ≈"), "\(hinted.screen)")
    try session.sendKeys("C-u")
    try session.sendKeys("ln 172")
    try session.sendKeys("Enter")
    let right = try session.waitFor(text: "✓ Right.")
    #expect(right.isReady && right.screen.contains("your answer: ln 172"), "\(right.screen)")
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func theFirstScreenOffersTheQuizAndTheBrowserShowsBeforeAndNow() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-quiz-\(UUID())")
    defer { try? FileManager.default.removeItem(at: state) }
    func take(_ answers: [String]) throws -> TmuxSession {
      let session = try TmuxSession(
        command: TmuxSession.shellCommand("--lang en", environment: "XDG_STATE_HOME=\(state.path)"), width: 120, height: 40)
      #expect(try session.waitFor(text: "Course quiz").isReady)
      try session.sendKeys("t")
      try session.sendKeys("Enter")
      for (i, answer) in answers.enumerated() {
        #expect(try session.waitFor(text: "\(i + 1) of \(answers.count)").isReady)
        try session.sendKeys(answer)
        try session.sendKeys("Enter")
        #expect(try session.waitFor { $0.contains("✓ Right.") || $0.contains("✗ Not quite") }.isReady)
        try session.sendKeys("Enter")
      }
      #expect(try session.waitFor(text: "You answered").isReady)
      try session.sendKeys("Enter")
      return session
    }
    // An empty state folder: the first screen offers the quiz, lesson 1 selected, nothing modal.
    let first = try TmuxSession(command: TmuxSession.shellCommand("--lang en", environment: "XDG_STATE_HOME=\(state.path)"), width: 120, height: 40)
    // Both, as one frame draws them: the card can be on screen before the footer under load.
    let offered = try first.waitFor { $0.contains("What do you know already?") && $0.contains("t quiz") }
    #expect(offered.isReady, "\(offered.screen)")
    first.kill()

    let before = try take(["1", "1", "1", "1", "1", "30", "4.6", "1", "8", "1"])
    #expect(try before.waitFor(text: "before 4/10").isReady)
    before.kill()
    let again = try take(["3", "on", "0.693", "2", "20", "60", "6.9", "2", "16", "0.003"])
    let shown = try again.waitFor(text: "before 4/10 · now 10/10")
    #expect(shown.isReady, "\(shown.screen)")
    again.kill()

    let progress = try runWithoutTerminal(["progress", "--json", "--lang", "en"], environment: ["XDG_STATE_HOME": state.path])
    #expect(progress.status == 0)
    let lines = progress.stdout.split(separator: "\n")
    // One line per English lesson, then the quiz's.
    let lessons = try FileManager.default.contentsOfDirectory(atPath: packageRoot().appendingPathComponent("Lessons").path)
      .filter { $0.first?.isNumber == true && $0.hasSuffix(".en.md") }
    #expect(lines.count == lessons.count + 1, "\(lessons.count) lessons and the quiz")
    for line in lines {
      #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)")
    }
    #expect(lines.last?.contains(#""now":{"asked":10"#) == true && lines.last?.contains(#""right":10"#) == true)
  }
}
