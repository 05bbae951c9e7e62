import ArgumentParser
import TermUICurses

/// Runs a full-screen session on the real terminal.
enum TerminalSession {
  /// Runs `body` with the terminal; a session a signal ended exits with 128 + n once the
  /// terminal is restored, as a killed program does, so scripts see it did not finish.
  static func run(_ body: (NcursesBackend) throws -> Void) throws {
    do {
      try NcursesBackend.withTerminal(body)
    } catch let signal as TerminatedBySignal {
      throw ExitCode(signal.exitStatus)
    }
  }
}
