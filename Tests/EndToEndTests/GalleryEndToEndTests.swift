import Foundation
import Testing

/// The gallery in a real terminal (tmux): drawing, resizing, quitting, and refusing bad terminals.
@Suite(.serialized) struct GalleryEndToEndTests {
  init() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: TmuxSession.binaryPath),
      "build the binary first: swift build --product nexttoken")
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func drawsResizesAndQuitsCleanly() throws {
    let session = try TmuxSession(
      command: TmuxSession.shellCommand("gallery"), width: 100, height: 30)
    defer { session.kill() }

    // The screen arrives in pieces, so wait for everything the first frame must show at once.
    let first = try session.waitFor { screen in
      screen.contains("注意力机制 コンピュータ") && screen.contains("100×30") && screen.contains("█")
        && screen.contains("q quit") && containsBraille(screen)
    }
    #expect(first.isReady, "gallery never showed its CJK text, heatmap, braille plot and footer:\n\(first.screen)")

    try session.resize(width: 80, height: 24)
    let smaller = try session.waitFor { $0.contains("80×24 ·") && $0.contains("コンピュータ") && $0.contains("q quit") }
    #expect(smaller.isReady, "gallery did not redraw at 80×24:\n\(smaller.screen)")

    try session.resize(width: 60, height: 20)
    let tooSmall = try session.waitFor {
      $0.contains("Please enlarge the terminal to 80×24") && $0.contains("(now 60×20)") && !$0.contains("コンピュータ")
    }
    #expect(tooSmall.isReady, "no clean enlarge screen at 60×20:\n\(tooSmall.screen)")

    try session.resize(width: 100, height: 30)
    let again = try session.waitFor {
      $0.contains("100×30 ·") && $0.contains("注意力机制 コンピュータ") && containsBraille($0) && !$0.contains("enlarge")
    }
    #expect(again.isReady, "gallery did not come back at 100×30:\n\(again.screen)")

    try session.sendKeys("q")
    let exited = try session.waitFor(text: "EXITED 0")
    #expect(exited.isReady, "gallery did not quit on q:\n\(exited.screen)")
    #expect(!containsBraille(exited.screen))
    // The UI is gone: the shell's screen is back, with none of the gallery left on it.
    #expect(!exited.screen.contains("widget gallery"))
    #expect(!exited.screen.contains("┌"))
    #expect(!exited.screen.contains("注意力"))
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func keysReachTheUI() throws {
    let session = try TmuxSession(command: TmuxSession.shellCommand("gallery"), width: 100, height: 30)
    defer { session.kill() }
    // The progress bar shows the selected token: 4 of 12 at the start.
    #expect(try session.waitFor(text: "33%").isReady)
    try session.sendKeys("Right")
    #expect(try session.waitFor(text: "42%").isReady, "→ did not move the selection")
    try session.sendKeys("Left", "Left")
    #expect(try session.waitFor(text: "25%").isReady, "← did not move the selection")
    try session.sendKeys("?")
    #expect(try session.waitFor(text: "Any key closes this box").isReady, "? did not open the help")
    try session.sendKeys("Escape")
    let closed = try session.waitFor { !$0.contains("Any key closes this box") }
    #expect(closed.isReady, "Esc did not close the help:\n\(closed.screen)")
    #expect(closed.screen.contains("コンピュータ"))
    try session.sendKeys("b")
    #expect(try session.waitFor(text: "· blocks").isReady, "b did not switch to block characters")
    try session.sendKeys("m")
    #expect(try session.waitFor(text: "24-bit colour").isReady, "m did not cycle the colours")
    try session.sendKeys("q")
    #expect(try session.waitFor(text: "EXITED 0").isReady)
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func ctrlCQuitsAndRestoresTheTerminal() throws {
    let session = try TmuxSession(
      command: TmuxSession.shellCommand("gallery"), width: 100, height: 30)
    defer { session.kill() }
    #expect(try session.waitFor(text: "コンピュータ").isReady)
    try session.sendKeys("C-c")
    // Quit, and say so the way a shell expects of an interrupted program: 128 + SIGINT.
    let exited = try session.waitFor(text: "EXITED 130")
    #expect(exited.isReady, "Ctrl-C did not quit cleanly:\n\(exited.screen)")
    #expect(!exited.screen.contains("widget gallery"))
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func sigtermQuitsAndACrashStillRestoresTheTerminal() throws {
    let terminated = try TmuxSession(command: TmuxSession.shellCommand("gallery"), width: 100, height: 30)
    defer { terminated.kill() }
    #expect(try terminated.waitFor(text: "コンピュータ").isReady)
    try terminated.signalProgram(SIGTERM)
    let afterTerm = try terminated.waitFor(text: "EXITED")
    #expect(afterTerm.screen.contains("EXITED 143"), "\(afterTerm.screen)")
    #expect(!afterTerm.screen.contains("widget gallery"))

    let crashed = try TmuxSession(command: TmuxSession.shellCommand("gallery"), width: 100, height: 30)
    defer { crashed.kill() }
    #expect(try crashed.waitFor(text: "コンピュータ").isReady)
    try crashed.signalProgram(SIGSEGV)
    let afterCrash = try crashed.waitFor(text: "EXITED")
    // Killed by the signal (128 + 11), yet the screen is the shell's again.
    #expect(afterCrash.screen.contains("EXITED 139"), "\(afterCrash.screen)")
    #expect(!afterCrash.screen.contains("widget gallery"))
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func everySignalThatEndsTheProgramRestoresTheTerminalFirst() throws {
    for signal in [SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGXCPU] {
      let session = try TmuxSession(command: TmuxSession.shellCommand("gallery"), width: 100, height: 30)
      defer { session.kill() }
      #expect(try session.waitFor(text: "コンピュータ").isReady)
      #expect(try session.paneFormat("#{alternate_on}") == "1")
      try session.signalProgram(signal)
      let exited = try session.waitFor(text: "EXITED")
      #expect(exited.screen.contains("EXITED \(128 + signal)"), "signal \(signal):\n\(exited.screen)")
      #expect(!exited.screen.contains("widget gallery"), "signal \(signal):\n\(exited.screen)")
      #expect(try session.paneFormat("#{alternate_on}") == "0", "signal \(signal) left the alternate screen on")
      #expect(try session.paneFormat("#{cursor_flag}") == "1", "signal \(signal) left the cursor hidden")
    }
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func dumbTerminalGetsAOneLineError() throws {
    let session = try TmuxSession(
      command: TmuxSession.shellCommand("gallery", environment: "TERM=dumb"), width: 220, height: 10)
    defer { session.kill() }
    let exited = try session.waitFor(text: "EXITED")
    #expect(exited.screen.contains("EXITED 1"), "\(exited.screen)")
    let errorLines = exited.screen.split(separator: "\n").filter { $0.contains("Error:") }
    #expect(errorLines.count == 1, "\(exited.screen)")
    #expect(errorLines.first?.contains("TERM=dumb cannot move the cursor") == true)
    #expect(errorLines.first?.contains("nexttoken train, nexttoken generate, nexttoken trace") == true)
  }

  @Test func withoutATerminalItExitsWithAOneLineError() throws {
    let result = try runWithoutTerminal(["gallery"], environment: ["TERM": "xterm-256color"])
    #expect(result.status != 0)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("is not a terminal"))
    #expect(result.stderr.contains("nexttoken train"))
  }
}

/// True when the text holds a braille plot cell (any non-empty braille pattern).
func containsBraille(_ text: String) -> Bool {
  text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }
}
