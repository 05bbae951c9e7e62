import Foundation
import Testing

/// Lesson 1 in a real terminal: teacher forcing and free running on the logits stage, then its check.
@Suite(.serialized) struct CourseEndToEndTests {
  init() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: TmuxSession.binaryPath),
      "build the binary first: swift build --product nexttoken")
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func lessonOneShowsTeacherForcingAndMarksItsCheck() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-state-\(UUID())")
    defer { try? FileManager.default.removeItem(at: state) }
    let session = try TmuxSession(
      command: TmuxSession.shellCommand("learn labels --lang en", environment: "XDG_STATE_HOME=\(state.path) NEXTTOKEN_NO_PREDICT=1"), width: 120, height: 40)
    defer { session.kill() }
    #expect(try session.waitFor(text: "Press space to run the first iteration").isReady)
    // Five spaces: the first iteration's tokenize, labels, embed, attention, logits.
    // Each waits for its stage's text: keys pressed while an iteration is computed are not queued.
    for marker in ["epoch 1 · batch 1", "same window shifted", "Each id selects a row", "Each row is one query token", "a teacher forcing"] {
      try session.sendKeys("Space")
      let shown = try session.waitFor(text: marker)
      #expect(shown.isReady, "expected \(marker):\n\(shown.screen)")
    }

    try session.sendKeys("a")
    let forced = try session.waitFor(text: "1 pass: all 16 positions at once")
    #expect(forced.isReady, "\(forced.screen)")
    #expect(forced.screen.contains("teacher forcing") && forced.screen.contains("free running"))
    try session.sendKeys("a")
    let free = try session.waitFor(text: "16 passes: each guess is fed back")
    #expect(free.isReady, "\(free.screen)")

    // Back to the distribution, on to the loss, and past the lesson's last stage: its check.
    try session.sendKeys("a")
    try session.sendKeys("Space")
    #expect(try session.waitFor(text: "Each bar is").isReady)
    try session.sendKeys("Space")
    let check = try session.waitFor(text: "Check · Labels from the text itself")
    #expect(check.isReady, "\(check.screen)")
    // A first wrong answer earns its hint and a second try, not the answer.
    try session.sendKeys("16")
    try session.sendKeys("Enter")
    let hinted = try session.waitFor(text: "That is generation")
    #expect(hinted.isReady && !hinted.screen.contains("The answer is"), "\(hinted.screen)")
    try session.sendKeys("C-u")
    try session.sendKeys("1")
    try session.sendKeys("Enter")
    let marked = try session.waitFor(text: "✓ Right.")
    #expect(marked.isReady, "\(marked.screen)")
    #expect(marked.screen.contains("1 pass"))
    let saved = try String(contentsOf: state.appendingPathComponent("nexttoken/answers.json"), encoding: .utf8)
    #expect(saved.contains("\"labels.en\"") && saved.contains("\"isRight\" : true"))

    // The lesson's second check comes next; then, reopened, the first remembers the answer.
    try session.sendKeys("Enter")
    #expect(try session.waitFor(text: "Check · Labels from the text itself · 2 of 2").isReady)
    try session.sendKeys("Escape")
    try session.sendKeys("e")
    #expect(try session.waitFor(text: "Last time you answered 1: right.").isReady)
  }
}
