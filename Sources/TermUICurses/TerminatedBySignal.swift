/// The terminal session ended because of a signal (SIGINT, SIGTERM or SIGHUP), after which
/// the terminal was restored: exit with `exitStatus`, as the shell reports a killed program.
public struct TerminatedBySignal: Error, Equatable, Sendable, CustomStringConvertible {
  public let signal: Int32
  /// 128 + the signal's number.
  public var exitStatus: Int32 { 128 + signal }
  public var description: String { "terminated by signal \(signal)" }
}
