import Foundation
import Testing

/// Shannon's guessing game in a real terminal at 80×24: `g` in lesson 1, twenty positions, the results kept for next time.
@Suite(.serialized) struct GameEndToEndTests {
  init() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: TmuxSession.binaryPath),
      "build the binary first: swift build --product nexttoken")
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func gPlaysAgainstTheModelAndKeepsTheResult() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-state-\(UUID())")
    defer { try? FileManager.default.removeItem(at: state) }
    let session = try TmuxSession(
      command: TmuxSession.shellCommand("learn labels --lang en", environment: "XDG_STATE_HOME=\(state.path)"), width: 80, height: 24)
    defer { session.kill() }
    #expect(try session.waitFor(text: "Press space to run the first iteration").isReady)
    // Until the session's data is loaded, g only says so: press it again until the game opens.
    var opened = (screen: "", isReady: false)
    for _ in 0..<30 where !opened.isReady {
      try session.sendKeys("g")
      // The game's title shows as soon as it opens; its text follows from the session.
      opened = try session.waitFor(timeout: .seconds(1)) { $0.contains("You against the model") }
    }
    opened = try session.waitFor { $0.contains("model at step") }
    #expect(opened.isReady, "\(opened.screen)")
    for word in ["you", "model", "bits"] { #expect(opened.screen.contains(word), "no \(word):\n\(opened.screen)") }

    // A wrong word stays listed; then twenty give-ups: both sides score twenty positions.
    try session.sendKeys("zebra", "Enter")
    #expect(try session.waitFor(text: "zebra is not in the vocabulary").isReady)
    for _ in 0..<20 { try session.sendKeys("Tab") }
    let played = try session.waitFor { $0.contains(/positions\s+20\s+20/) }
    #expect(played.isReady, "\(played.screen)")
    #expect(played.screen.contains("gave up"))

    try session.sendKeys("Escape")
    #expect(try session.waitFor(text: "Press space to run the first iteration").isReady)
    // The state store keeps every lesson's games in games.json, by lesson.
    let file = state.appendingPathComponent("nexttoken/games.json")
    let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
    let games = (saved?["records"] as? [String: Any])?["labels"] as? [[String: Any]]
    #expect(games?.count == 1 && games?.first?["positions"] as? Int == 20, "\(String(describing: saved))")

    try session.sendKeys("g")
    let again = try session.waitFor(text: "earlier games")
    #expect(again.isReady && again.screen.contains("20 positions"), "\(again.screen)")

    // "the" then a give-up, twelve times: some right at once, some rank V, so the upper bound is above 0.
    for _ in 0..<12 { try session.sendKeys("the", "Enter", "Tab") }
    let mixed = try session.waitFor { $0.contains(/top-1 accuracy\s+[1-9]\d*%/) }
    #expect(mixed.isReady, "\(mixed.screen)")
    try session.sendKeys("Escape")
    #expect(try session.waitFor(text: "Press space to run the first iteration").isReady)
    try session.sendKeys("Tab")
    let dashboard = try session.waitFor { $0.contains(/╌ you \d\.\d+/) }
    #expect(dashboard.isReady, "no \"you\" line on the loss plot:\n\(dashboard.screen)")
  }
}
