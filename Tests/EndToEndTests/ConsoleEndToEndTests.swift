import Foundation
import Testing
@testable import nexttoken

/// The Linux console and `--ascii`: block plots, no braille, only characters a console font holds.
@Suite(.serialized) struct ConsoleEndToEndTests {
  /// Characters a Linux console font holds: ASCII, Latin-1, arrows, box drawing, block elements.
  static func isConsoleSafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x20...0x7E, 0xA0...0xFF, 0x2190...0x21FF, 0x2500...0x259F: true
    default: false
    }
  }

  @Test func theLinuxConsoleTheFlagAndTheVariableEachChooseIt() throws {
    #expect(DisplayOptions.isConsoleSafe(flag: false, environment: ["TERM": "linux"]))
    #expect(DisplayOptions.isConsoleSafe(flag: false, environment: ["TERM": "linux-16color"]))
    #expect(DisplayOptions.isConsoleSafe(flag: false, environment: ["TERM": "xterm-256color", "NEXTTOKEN_ASCII": "1"]))
    #expect(DisplayOptions.isConsoleSafe(flag: true, environment: ["TERM": "xterm-256color"]))
    #expect(!DisplayOptions.isConsoleSafe(flag: false, environment: ["TERM": "xterm-256color"]))
    #expect(!DisplayOptions.isConsoleSafe(flag: false, environment: ["TERM": "tmux-256color", "NEXTTOKEN_ASCII": "0"]))
    #expect(try BrowseCommand.parse(["--ascii"]).display.ascii)
    #expect(try LearnCommand.parse(["labels", "--ascii"]).display.ascii)
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func underTermLinuxTheDashboardHasNoBraille() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-console-\(UUID())")
    defer { try? FileManager.default.removeItem(at: state) }
    let session = try TmuxSession(
      command: TmuxSession.shellCommand("learn labels --lang en", environment: "TERM=linux XDG_STATE_HOME=\(state.path) NEXTTOKEN_NO_PREDICT=1"),
      width: 100, height: 30)
    defer { session.kill() }
    #expect(try session.waitFor(text: "Press space to run the first iteration").isReady)
    try session.sendKeys("r")
    let running = try session.waitFor(timeout: .seconds(60)) { (AppEndToEndTests.step(in: $0) ?? 0) >= 20 }
    #expect(running.isReady, "training did not run:\n\(running.screen)")
    try session.sendKeys("Tab")
    let dashboard = try session.waitFor(text: "the model continues the prompt")
    #expect(dashboard.isReady, "no dashboard:\n\(dashboard.screen)")
    // Read once the loss has been plotted for a while.
    let plotted = try session.waitFor { $0.contains("▀") || $0.contains("▄") || $0.contains("█") }
    #expect(plotted.isReady, "no block marks in the loss plot:\n\(plotted.screen)")
    let braille = plotted.screen.unicodeScalars.filter { (0x2800...0x28FF).contains($0.value) }
    #expect(braille.isEmpty, "braille under TERM=linux:\n\(plotted.screen)")
    let outside = Set(plotted.screen.unicodeScalars.filter { !Self.isConsoleSafe($0) }.map { Character($0) })
    #expect(outside.isEmpty, "\(outside.sorted()) are not in a console font:\n\(plotted.screen)")
    try session.sendKeys("r", "q", "q")
    #expect(try session.waitFor(text: "EXITED 0").isReady)
  }
}
