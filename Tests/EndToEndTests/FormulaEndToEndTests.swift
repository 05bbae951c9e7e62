import Foundation
import Testing

/// The formula view in a real terminal at 80×24: `f` on every stage, and its numbers against the pictures'.
@Suite(.serialized) struct FormulaEndToEndTests {
  init() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: TmuxSession.binaryPath),
      "build the binary first: swift build --product nexttoken")
  }

  /// The value after the last "= " of the first line holding `marker`.
  static func result(after marker: String, in screen: String) -> String? {
    guard let line = screen.split(separator: "\n").first(where: { $0.contains(marker) }),
      let range = line.range(of: "= ", options: .backwards)
    else { return nil }
    return String(line[range.upperBound...].prefix { !$0.isWhitespace })
  }

  /// The screen once two captures a moment apart agree (a frame may be caught half drawn).
  static func settled(_ session: TmuxSession) throws -> String {
    var last = try session.capture()
    for _ in 0..<50 {
      Thread.sleep(forTimeInterval: 0.15)
      let now = try session.capture()
      if now == last { return now }
      last = now
    }
    return last
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func fShowsAndHidesEveryStagesFormula() throws {
    let session = try TmuxSession(command: TmuxSession.shellCommand("learn labels --lang en", environment: "NEXTTOKEN_NO_PREDICT=1"), width: 80, height: 24)
    defer { session.kill() }
    #expect(try session.waitFor(text: "Press space to run the first iteration").isReady)
    try session.sendKeys("Space")
    #expect(try session.waitFor(text: "T = ").isReady)

    for stage in 1...8 {
      try session.sendKeys(String(stage))
      let picture = try session.waitFor { $0.contains("▶ ") && !$0.contains("formula ·") }
      #expect(picture.isReady, "stage \(stage) has no picture:\n\(picture.screen)")
      let shown = try Self.settled(session)
      try session.sendKeys("f")
      #expect(try session.waitFor(text: "formula ·").isReady)
      let formula = (screen: try Self.settled(session), isReady: true)
      #expect(formula.screen != shown, "f did not change stage \(stage):\n\(formula.screen)")

      switch stage {
      case 6:
        // ℓ = −ln p for the picked position: the value the picked bar prints.
        #expect(formula.screen.contains("−ln"), "no ln on the loss formula:\n\(formula.screen)")
        let loss = try #require(Self.result(after: "−ln p(", in: formula.screen), "no ℓ line:\n\(formula.screen)")
        #expect(shown.contains(" \(loss)"), "the loss view does not print \(loss):\n\(shown)")
      case 8:
        // AdamW ends at the "after" value of the update table's first row.
        let row = try #require(shown.split(separator: "\n").first { $0.firstMatch(of: /^\s+0\s+-?\d\.\d{4}\s+-?\d\.\d{4}/) != nil })
        let after = String(row.split(separator: " ")[2]).replacingOccurrences(of: "-", with: "−")
        var screen = formula.screen
        for _ in 0..<5 where !screen.contains("the table's “after”") {
          try session.sendKeys("NPage")
          screen = try Self.settled(session)
        }
        #expect(screen.contains("√"), "no √ on the update formula:\n\(screen)")
        #expect(screen.contains("= \(after)"), "the update formula does not end at \(after):\n\(screen)")
      default:
        break
      }

      try session.sendKeys("f")
      let restored = try session.waitFor { !$0.contains("formula ·") }
      #expect(restored.isReady, "f again did not restore stage \(stage)")
      #expect(try Self.settled(session) == shown, "stage \(stage) came back different")
    }
    try session.sendKeys("q", "q")
  }
}
