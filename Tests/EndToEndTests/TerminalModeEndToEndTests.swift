import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The terminal's own keys in a real terminal (tmux): Ctrl-S, Ctrl-\, Ctrl-Z and `fg`.
@Suite(.serialized) struct TerminalModeEndToEndTests {
  init() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: TmuxSession.binaryPath),
      "build the binary first: swift build --product nexttoken")
  }

  /// The pane's terminal settings as `stty -a` prints them.
  func terminalSettings(_ session: TmuxSession) throws -> String {
    let tty = try session.paneFormat("#{pane_tty}")
    let result = try spawnAndWait("/bin/stty", ["-F", tty, "-a"], environment: ProcessInfo.processInfo.environment)
    try #require(result.status == 0, "stty -F \(tty) -a failed: \(result.output)")
    return result.output
  }

  /// Whether `stty -a` lists `flag` as on (`ixon`) rather than off (`-ixon`).
  func isOn(_ flag: String, in settings: String) -> Bool {
    settings.split(whereSeparator: { $0 == " " || $0 == "\n" }).contains { $0 == flag }
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func ctrlSDoesNotFreezeTheScreen() throws {
    let session = try TmuxSession(command: TmuxSession.shellCommand("gallery"), width: 100, height: 30)
    defer { session.kill() }
    #expect(try session.waitFor(text: "33%").isReady)
    let running = try terminalSettings(session)
    #expect(!isOn("ixon", in: running), "flow control is on while the UI runs:\n\(running)")
    #expect(isOn("isig", in: running), "ISIG must stay on, so Ctrl-Z suspends:\n\(running)")
    // With flow control on, Ctrl-S would stop all output: → would change nothing on screen.
    try session.sendKeys("C-s")
    try session.sendKeys("Right")
    #expect(try session.waitFor(text: "42%").isReady, "the screen froze after Ctrl-S")
    try session.sendKeys("q")
    #expect(try session.waitFor(text: "EXITED 0").isReady)
    let after = try terminalSettings(session)
    #expect(isOn("ixon", in: after), "the shell's flow control was not given back:\n\(after)")
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func ctrlBackslashQuitsLikeQ() throws {
    // Ctrl-\ signals the whole foreground group: the shell that reports the status must outlive it.
    let command = "sh -c 'trap : INT QUIT; \(TmuxSession.binaryPath) gallery; echo EXITED $?; sleep 600'"
    let session = try TmuxSession(command: command, width: 100, height: 30)
    defer { session.kill() }
    #expect(try session.waitFor(text: "コンピュータ").isReady)
    try session.sendKeys("C-\\")
    let exited = try session.waitFor(text: "EXITED")
    #expect(exited.screen.contains("EXITED 0"), "Ctrl-\\ did not quit with status 0:\n\(exited.screen)")
    #expect(!exited.screen.contains("widget gallery"))
    #expect(try session.paneFormat("#{alternate_on}") == "0", "Ctrl-\\ left the alternate screen on")
    #expect(try session.paneFormat("#{cursor_flag}") == "1", "Ctrl-\\ left the cursor hidden")
    #expect(isOn("ixon", in: try terminalSettings(session)))

    // SIGQUIT from elsewhere (kill -QUIT) is the same request.
    let signalled = try TmuxSession(command: TmuxSession.shellCommand("gallery"), width: 100, height: 30)
    defer { signalled.kill() }
    #expect(try signalled.waitFor(text: "コンピュータ").isReady)
    try signalled.signalProgram(SIGQUIT)
    let quit = try signalled.waitFor(text: "EXITED")
    #expect(quit.screen.contains("EXITED 0"), "SIGQUIT did not quit with status 0:\n\(quit.screen)")
    #expect(try signalled.paneFormat("#{alternate_on}") == "0")
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func ctrlZSuspendsAndFgResumesWithoutFlowControl() throws {
    // An interactive shell, so it has job control for Ctrl-Z and fg.
    let session = try TmuxSession(command: "env PS1='$ ' bash --norc --noprofile -i", width: 100, height: 30)
    defer { session.kill() }
    #expect(try session.waitFor(text: "$").isReady)
    // Alone on its line: bash would run the rest of a list at once when its first job stops.
    try session.sendKeys("\(TmuxSession.binaryPath) gallery", "Enter")
    #expect(try session.waitFor(text: "33%").isReady, "the gallery did not start")
    try session.sendKeys("C-z")
    let suspended = try session.waitFor(text: "Stopped")
    #expect(suspended.isReady, "Ctrl-Z did not suspend:\n\(suspended.screen)")
    #expect(try session.paneFormat("#{alternate_on}") == "0", "suspended with the alternate screen on")
    #expect(isOn("ixon", in: try terminalSettings(session)), "the shell got the UI's terminal mode while suspended")
    try session.sendKeys("fg", "Enter")
    #expect(try session.waitFor { $0.contains("33%") && !$0.contains("Stopped") }.isReady, "fg did not bring the gallery back")
    let resumed = try terminalSettings(session)
    #expect(!isOn("ixon", in: resumed), "fg brought flow control back on:\n\(resumed)")
    try session.sendKeys("C-s")
    try session.sendKeys("Right")
    #expect(try session.waitFor(text: "42%").isReady, "the screen froze after Ctrl-S, after fg")
    try session.sendKeys("q")
    #expect(try session.waitFor { !$0.contains("33%") }.isReady, "q did not quit after fg")
    try session.sendKeys("echo EXITED $?", "Enter")
    let exited = try session.waitFor(text: "EXITED 0")
    #expect(exited.isReady, "\(exited.screen)")
    #expect(try session.paneFormat("#{alternate_on}") == "0")
    #expect(isOn("ixon", in: try terminalSettings(session)))
  }
}
