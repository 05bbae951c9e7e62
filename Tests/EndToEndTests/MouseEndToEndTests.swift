import Foundation
import Testing

/// The hardware cursor and the mouse in a real terminal: tmux's cursor, and the bytes a terminal sends for a click.
@Suite(.serialized) struct MouseEndToEndTests {
  /// The X10 report of a left press and its release at a 0-based cell, as a terminal writes it.
  static func x10Click(x: Int, y: Int) -> String {
    func report(_ button: Int) -> String {
      "\u{1B}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + x))) + String(UnicodeScalar(UInt8(33 + y)))
    }
    return report(0) + report(3)
  }

  /// The row on which `text` appears, 0-based.
  static func row(of text: String, in screen: String) -> Int? {
    screen.components(separatedBy: "\n").firstIndex { $0.contains(text) }
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func theCursorFollowsTheSelectionAndAClickSelectsLessonFive() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-mouse-\(UUID())")
    defer { try? FileManager.default.removeItem(at: state) }
    let session = try TmuxSession(
      command: TmuxSession.shellCommand("--lang en", environment: "XDG_STATE_HOME=\(state.path) NEXTTOKEN_NO_PREDICT=1"), width: 100, height: 30)
    defer { session.kill() }
    let browser = try session.waitFor(text: "1. Labels from the text itself")
    #expect(browser.isReady, "no browser:\n\(browser.screen)")
    #expect(try session.paneFormat("#{cursor_flag}") == "1", "the cursor is visible")
    let first = try #require(Self.row(of: "1. Labels", in: browser.screen))
    #expect(try session.paneFormat("#{cursor_y}") == String(first), "the cursor sits on the selected lesson")

    try session.sendKeys("Down", "Down")
    let third = try session.waitFor { $0.contains("┌ Embeddings") }
    #expect(third.isReady)
    let thirdRow = try #require(Self.row(of: "3. Embeddings", in: third.screen))
    #expect(thirdRow > first)
    #expect(try session.paneFormat("#{cursor_y}") == String(thirdRow), "two ↓ move the cursor down with the selection")
    #expect(try session.paneFormat("#{cursor_flag}") == "1")

    // A click on lesson 5: the press and release bytes of a terminal, written into the pane.
    let fifthRow = try #require(Self.row(of: "5. Logits", in: third.screen))
    try session.sendKeys("-l", Self.x10Click(x: 6, y: fifthRow))
    let fifth = try session.waitFor { $0.contains("┌ Logits, softmax and cross-entropy") }
    #expect(fifth.isReady, "the click did not select lesson 5:\n\(fifth.screen)")
    #expect(try session.paneFormat("#{cursor_y}") == String(fifthRow))
    #expect(fifth.screen.contains("1. Labels from the text itself"), "the report was not read as Esc, which would quit")

    try session.sendKeys("q")
    #expect(try session.waitFor(text: "EXITED 0").isReady)
  }
}
