import Foundation
import Testing

/// Predict first in the real binary: a learner walks lesson 1, answering every question.
@Suite struct PredictEndToEndTests {
  static let glyphs = ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧"]
  static let titles = ["Tokenize", "Labels", "Embed", "Attention", "Logits", "Loss", "Backward", "Update"]

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func aLearnerWalksLessonOneAnsweringEveryQuestion() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-predict-\(UUID())")
    defer { try? FileManager.default.removeItem(at: state) }
    let session = try TmuxSession(
      command: TmuxSession.shellCommand("learn labels --lang en", environment: "XDG_STATE_HOME=\(state.path)"), width: 100, height: 30)
    defer { session.kill() }
    #expect(try session.waitFor(text: "Press space to run the first iteration").isReady)

    var answers = 0
    for (glyph, title) in zip(Self.glyphs, Self.titles) {
      try session.sendKeys("Space")
      // After loss, lesson 1 offers its two checks (one pass to train on 16 positions, 16 to
      // generate 16 tokens): answered, then the walk goes on.
      if title == "Backward" {
        for (index, answer) in ["1", "16"].enumerated() {
          let check = try session.waitFor(text: "Check · Labels from the text itself · \(index + 1) of 2")
          #expect(check.isReady, "\(check.screen)")
          try session.sendKeys(answer)
          try session.sendKeys("Enter")
          #expect(try session.waitFor { $0.contains("✓ Right.") && $0.contains("your answer: \(answer)") }.isReady)
          answers += 1
          try session.sendKeys(index == 0 ? "Space" : "Enter")
        }
        #expect(try session.waitFor(text: "Each bar is").isReady)
        try session.sendKeys("Space")
      }
      let asked = try session.waitFor(text: "Predict first · \(glyph) \(title)")
      #expect(asked.isReady, "no question before \(title):\n\(asked.screen)")
      guard asked.isReady else { continue }
      try session.sendKeys(asked.screen.contains("y or n") ? "y" : "1")
      let marked = try session.waitFor { $0.contains("✓ right") || $0.contains("✗ the answer is") }
      #expect(marked.isReady, "\(title) was not marked:\n\(marked.screen)")
      answers += 1
    }
    let walked = try session.waitFor(text: "predicted ")
    let score = try #require(walked.screen.firstMatch(of: /predicted (\d+)\/(\d+)/))
    #expect(Int(score.2) == answers - 2, "the checks are not predictions:\n\(walked.screen)")

    // Before the run: when will validation pass the bigram line? Answered at the milestone.
    try session.sendKeys("]", "]", "]", "]", "]", "]", "r")
    let before = try session.waitFor(text: "Before you run: at about which step")
    #expect(before.isReady, "\(before.screen)")
    try session.sendKeys("2")
    answers += 1
    let milestone = try session.waitFor(timeout: .seconds(60)) { $0.contains("passed the bigram line at step") }
    #expect(milestone.isReady, "\(milestone.screen)")
    #expect(milestone.screen.contains("predicted "))
    // Lesson 1 asks 8 stage questions, its 2 checks and the run question: 11 answers in one walk.
    #expect(answers == 11)

    let saved = try String(contentsOf: state.appendingPathComponent("nexttoken/predictions.json"), encoding: .utf8)
    #expect(saved.contains("\"labels.en\"") && saved.contains("\"answered\" : 9"), "\(saved)")
  }
}
