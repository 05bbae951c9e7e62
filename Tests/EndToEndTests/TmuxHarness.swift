import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the built `nexttoken` in a detached tmux session and reads its screen as a user would.
///
/// Each session has its own tmux server socket, so tests never touch a user's
/// tmux and can run in parallel; the server goes away with the session.
final class TmuxSession {
  /// The package root, found from this file's location.
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The debug binary `make test` builds before running the tests.
  static var binaryPath: String { packageRoot.appendingPathComponent(".build/debug/nexttoken").path }

  /// A shell command that runs the binary with `arguments`, then reports its exit status
  /// and stays open so the screen can be read afterwards.
  ///
  /// The shell catches SIGINT (its child still gets the default action), since
  /// Ctrl-C goes to the whole foreground process group, shell included.
  static func shellCommand(_ arguments: String, environment: String = "") -> String {
    "sh -c 'trap : INT; \(environment) \(binaryPath) \(arguments); echo EXITED $?; sleep 600'"
  }

  /// The tmux executable, or nil when tmux is not installed.
  static let tmuxPath: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/tmux"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }()

  let socket: String
  let name = "e2e"
  private var isAlive = true

  /// Starts `command` in a detached session of the given size.
  init(command: String, width: Int, height: Int) throws {
    socket = "nexttoken-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    try run(["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), command])
  }

  deinit { kill() }

  /// Types keys, in tmux's key syntax ("q", "Left", "C-c").
  func sendKeys(_ keys: String...) throws {
    try run(["send-keys", "-t", name] + keys)
  }

  func resize(width: Int, height: Int) throws {
    try run(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
  }

  /// The visible screen as text, one line per row.
  func capture() throws -> String {
    try run(["capture-pane", "-p", "-t", name])
  }

  /// Polls the screen until `isReady` holds, returning the last capture; nil after the deadline.
  func waitFor(timeout: Duration = .seconds(15), _ isReady: (String) -> Bool) throws -> (screen: String, isReady: Bool) {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    var screen = ""
    while true {
      screen = try capture()
      if isReady(screen) { return (screen, true) }
      if clock.now >= deadline { return (screen, false) }
      Thread.sleep(forTimeInterval: 0.05)
    }
  }

  /// Polls until `text` appears on screen.
  func waitFor(text: String, timeout: Duration = .seconds(15)) throws -> (screen: String, isReady: Bool) {
    try waitFor(timeout: timeout) { $0.contains(text) }
  }

  /// A tmux format evaluated for the pane, e.g. "#{alternate_on}" or "#{cursor_flag}".
  func paneFormat(_ format: String) throws -> String {
    try run(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Sends a signal to the program the pane's shell is running (the shell's child).
  func signalProgram(_ signal: Int32) throws {
    let shell = try run(["display-message", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let childrenFile = "/proc/\(shell)/task/\(shell)/children"
    let children = (try? String(contentsOfFile: childrenFile, encoding: .utf8)) ?? ""
    guard let child = children.split(separator: " ").first.flatMap({ pid_t($0) }) else {
      throw HarnessError(message: "no program running under the pane's shell \(shell)")
    }
    _ = Glibc.kill(child, signal)
  }

  /// Ends the session and its server; safe to call more than once.
  func kill() {
    guard isAlive else { return }
    isAlive = false
    _ = try? run(["kill-server"])
    // tmux can leave its socket file behind; it lives in TMUX_TMPDIR (or /tmp)/tmux-UID.
    let base = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
    try? FileManager.default.removeItem(atPath: "\(base)/tmux-\(getuid())/\(socket)")
  }

  @discardableResult
  private func run(_ arguments: [String]) throws -> String {
    guard let tmux = TmuxSession.tmuxPath else { throw HarnessError(message: "tmux is not installed") }
    var environment = ProcessInfo.processInfo.environment
    // A UTF-8 locale for tmux and the program, or wide characters turn into "_".
    environment["LC_ALL"] = "C.UTF-8"
    environment.removeValue(forKey: "TMUX")
    let result = try spawnAndWait(tmux, ["-u", "-L", socket] + arguments, environment: environment)
    guard result.status == 0 else {
      throw HarnessError(message: "tmux \(arguments.joined(separator: " ")) failed: \(result.output)")
    }
    return result.output
  }
}

struct HarnessError: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}

/// Runs the binary with pipes instead of a terminal; returns its exit status, output and error output.
func runWithoutTerminal(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
  var environment = ProcessInfo.processInfo.environment
  for (key, value) in extra { environment[key] = value }
  let result = try spawnAndWait(TmuxSession.binaryPath, arguments, environment: environment, separateStandardError: true)
  return (result.status, result.output, result.errors)
}

/// Runs a program to completion with stdin from /dev/null and output captured through files.
///
/// Spawned directly rather than through Foundation's Process: the child must
/// start with no blocked signals (test runner threads block them, and a tmux
/// server that inherits that mask never notices its panes exit), and files
/// rather than pipes cannot be held open by a daemon the child leaves behind.
func spawnAndWait(
  _ path: String, _ arguments: [String], environment: [String: String], separateStandardError: Bool = false
) throws -> (status: Int32, output: String, errors: String) {
  let directory = FileManager.default.temporaryDirectory
  let outputURL = directory.appendingPathComponent("nexttoken-e2e-\(UUID().uuidString).out")
  let errorsURL = directory.appendingPathComponent("nexttoken-e2e-\(UUID().uuidString).err")
  defer {
    try? FileManager.default.removeItem(at: outputURL)
    try? FileManager.default.removeItem(at: errorsURL)
  }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, outputURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  if separateStandardError {
    posix_spawn_file_actions_addopen(&actions, 2, errorsURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  } else {
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
  }
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var noSignals = sigset_t()
  sigemptyset(&noSignals)
  posix_spawnattr_setsigmask(&attributes, &noSignals)
  var defaults = sigset_t()
  sigemptyset(&defaults)
  for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT, SIGWINCH, SIGUSR1, SIGUSR2, SIGALRM] {
    sigaddset(&defaults, signal)
  }
  posix_spawnattr_setsigdefault(&attributes, &defaults)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

  let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
  let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
  defer {
    for pointer in argv { free(pointer) }
    for pointer in envp { free(pointer) }
  }
  var pid: pid_t = 0
  let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
  guard spawned == 0 else { throw HarnessError(message: "cannot start \(path): error \(spawned)") }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
  let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
  let errors = (try? String(contentsOf: errorsURL, encoding: .utf8)) ?? ""
  // Exit code when the child exited normally, 128 + signal otherwise (as a shell reports it).
  let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  return (exitCode, output, errors)
}
