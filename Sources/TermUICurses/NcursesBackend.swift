@preconcurrency import CNcursesw
import Dispatch
import Synchronization
import TermUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why the terminal UI could not start; its description is a one-line error.
public struct TerminalUnavailableError: Error, CustomStringConvertible, Sendable {
  public let reason: String

  public init(reason: String) { self.reason = reason }

  public var description: String {
    "cannot open the terminal UI: \(reason); the headless commands work without one: "
      + "nexttoken train, nexttoken generate, nexttoken trace"
  }
}

/// A ``Backend`` on a real terminal through ncursesw.
///
/// Threading: every ncurses call, and so every method here, must run on the
/// main thread; debug builds check this. Only the signal flag is shared with
/// other threads, through an atomic.
///
/// Lifecycle: ``withTerminal(_:)`` starts curses and always restores the
/// terminal afterwards, whether the body returns or throws. SIGINT and SIGTERM
/// arrive as the key `.ctrl("c")` (the app decides to quit), as does SIGHUP, and
/// once the terminal is restored `withTerminal` throws ``TerminatedBySignal`` (exit
/// status 128 + n). SIGQUIT (Ctrl-\) arrives as `.ctrl("c")` too, but ends the session
/// normally (exit status 0). Crashes and every other signal that ends a process (SIGSEGV,
/// SIGABRT, SIGUSR1, SIGPIPE, SIGALRM …) restore the terminal before the default action.
/// Flow control is off, so Ctrl-S is a key rather than a frozen screen.
public final class NcursesBackend: Backend {
  /// What the terminal can show, as detected at start.
  public let capability: ColorCapability
  private let screen: OpaquePointer
  private var isActive = true
  private let colorCount: Int32
  private let pairLimit: Int32
  private let isDirectColor: Bool
  private var pairs: [UInt64: Int32] = [:]
  private var nextPair: Int32 = 1
  private var currentTimeout: Int32 = .min
  /// Whether the hardware cursor is shown now (curs_set is called only on a change).
  private var isCursorShown = false
  /// True between a reported press of the left button and its release.
  private var isButtonDown = false
  fileprivate let interrupts = InterruptWatcher()
  private var scalars = [wchar_t](repeating: 0, count: 6)
  private let attributeBold: attr_t
  private let attributeDim: attr_t
  private let attributeReverse: attr_t
  private let attributeUnderline: attr_t

  private static let hasRegisteredExitRestore = Atomic<Bool>(false)

  /// A theme for the detected colour capability.
  public var theme: Theme { Theme(capability: capability) }

  /// Starts curses on the controlling terminal.
  ///
  /// Throws ``TerminalUnavailableError`` when stdin or stdout is not a TTY,
  /// TERM is unset, unknown, or cannot address the cursor (TERM=dumb).
  public init() throws {
    Self.checkMainThread()
    guard isatty(STDIN_FILENO) == 1 else { throw TerminalUnavailableError(reason: "standard input is not a terminal") }
    guard isatty(STDOUT_FILENO) == 1 else { throw TerminalUnavailableError(reason: "standard output is not a terminal") }
    guard let term = Self.environment("TERM"), !term.isEmpty else {
      throw TerminalUnavailableError(reason: "TERM is not set")
    }
    // Without the locale every non-ASCII character renders blank.
    setlocale(LC_ALL, "")
    switch nt_check_terminal() {
    case -1: throw TerminalUnavailableError(reason: "TERM=\(term) is not a terminal type this system knows")
    case -2: throw TerminalUnavailableError(reason: "TERM=\(term) cannot move the cursor")
    default: break
    }
    // Ignored before newterm so ncurses does not install its own exiting handlers;
    // the watcher turns them into a quit key instead.
    for signal in InterruptWatcher.signals { nt_ignore_signal(signal) }
    guard let screen = nt_newterm() else {
      for signal in InterruptWatcher.signals { nt_default_signal(signal) }
      throw TerminalUnavailableError(reason: "ncurses could not initialise TERM=\(term)")
    }
    self.screen = screen
    if !Self.hasRegisteredExitRestore.exchange(true, ordering: .relaxed) { nt_register_exit_restore() }
    nt_install_crash_handlers()
    interrupts.start()

    cbreak()
    noecho()
    Self.disableFlowControl()
    keypad(nt_stdscr(), true)
    set_escdelay(25)
    curs_set(0)
    // Mouse reports are off until the app asks (setMouse), so a terminal never sends them unasked.
    _ = nt_set_mouse(0)

    var capability = ColorCapability.monochrome
    var colorCount: Int32 = 0
    var pairLimit: Int32 = 0
    let noColor = Self.environment("NO_COLOR").map { !$0.isEmpty } ?? false
    if !noColor && has_colors() {
      start_color()
      use_default_colors()
      colorCount = nt_colors()
      pairLimit = nt_color_pairs()
      let colorTerm = Self.environment("COLORTERM") ?? ""
      if colorCount >= 0x100_0000 {
        capability = .truecolor
      } else if colorCount >= 256 && (colorTerm == "truecolor" || colorTerm == "24bit") {
        // The theme keeps its 24-bit palette; colours are approximated to 256 on output.
        capability = .truecolor
      } else if colorCount >= 256 {
        capability = .c256
      } else if colorCount >= 8 {
        capability = .c16
      }
    }
    self.capability = capability
    self.colorCount = colorCount
    self.pairLimit = pairLimit
    self.isDirectColor = colorCount >= 0x100_0000
    attributeBold = nt_attr_bold()
    attributeDim = nt_attr_dim()
    attributeReverse = nt_attr_reverse()
    attributeUnderline = nt_attr_underline()
  }

  deinit {
    // A backend dropped without shutdown() still gives the terminal back.
    if isActive { restore() }
  }

  /// Runs `body` with a started backend and restores the terminal afterwards, even on errors.
  ///
  /// When SIGINT, SIGTERM or SIGHUP ended the session, throws ``TerminatedBySignal`` after
  /// restoring, so the program can exit with 128 + n as a killed program would.
  public static func withTerminal<T>(_ body: (NcursesBackend) throws -> T) throws -> T {
    let backend = try NcursesBackend()
    let result: T
    do {
      result = try body(backend)
    } catch {
      backend.shutdown()
      throw error
    }
    backend.shutdown()
    if let signal = backend.interrupts.receivedSignal { throw TerminatedBySignal(signal: signal) }
    return result
  }

  /// Ends curses and puts the terminal back as it was; safe to call twice.
  public func shutdown() {
    Self.checkMainThread()
    guard isActive else { return }
    restore()
  }

  private func restore() {
    isActive = false
    curs_set(1)
    endwin()
    delscreen(screen)
    nt_remove_crash_handlers()
    interrupts.stop()
    for signal in InterruptWatcher.signals { nt_default_signal(signal) }
  }

  // MARK: Backend

  public var size: Size {
    Size(width: Int(nt_columns()), height: Int(nt_lines()))
  }

  public func draw(_ changes: [CellChange]) {
    Self.checkMainThread()
    guard isActive else { return }
    for change in changes {
      let cell = change.cell
      var count = 0
      for scalar in cell.grapheme.unicodeScalars where count < 5 {
        scalars[count] = wchar_t(bitPattern: scalar.value)
        count += 1
      }
      scalars[count] = 0
      let systemWidth = wcwidth(scalars[0])
      if systemWidth < 0 || (systemWidth == 2 && cell.width == 1) {
        // The C library disagrees about this grapheme: draw a stand-in of the agreed width.
        scalars[0] = wchar_t(UInt8(ascii: "?"))
        scalars[1] = 0
      }
      let (attributes, pair) = attributesAndPair(for: cell.style)
      scalars.withUnsafeBufferPointer { text in
        _ = nt_put_cell(Int32(change.y), Int32(change.x), text.baseAddress, attributes, pair)
      }
      if cell.width == 2 && systemWidth == 1 {
        // A grapheme the C library thinks narrow: fill the second column ourselves.
        scalars[0] = 0x20
        scalars[1] = 0
        scalars.withUnsafeBufferPointer { text in
          _ = nt_put_cell(Int32(change.y), Int32(change.x + 1), text.baseAddress, attributes, pair)
        }
      }
    }
  }

  public func flush() {
    Self.checkMainThread()
    guard isActive else { return }
    wrefresh(nt_stdscr())
  }

  public func clear() {
    Self.checkMainThread()
    guard isActive else { return }
    wclear(nt_stdscr())
  }

  public func hideCursor() {
    Self.checkMainThread()
    guard isActive else { return }
    curs_set(0)
    isCursorShown = false
  }

  public func showCursor() {
    Self.checkMainThread()
    guard isActive else { return }
    curs_set(1)
    isCursorShown = true
  }

  /// Moves the cursor to `position` for the next refresh and shows it; nil hides it.
  ///
  /// Screen readers and braille displays follow the hardware cursor, so it is left
  /// visible on the focused item rather than wherever the last changed cell was drawn.
  public func setCursor(_ position: Point?) {
    Self.checkMainThread()
    guard isActive else { return }
    guard let position, position.x >= 0, position.y >= 0, position.x < size.width, position.y < size.height else {
      if isCursorShown { hideCursor() }
      return
    }
    wmove(nt_stdscr(), Int32(position.y), Int32(position.x))
    if !isCursorShown { showCursor() }
  }

  /// Turns mouse reports (clicks and the wheel) on or off; returns whether the terminal reports them.
  ///
  /// ncurses decodes whatever encoding the terminfo entry declares, so a report arrives
  /// whole as KEY_MOUSE and never as a lone Esc followed by text.
  @discardableResult
  public func setMouse(_ isOn: Bool) -> Bool {
    Self.checkMainThread()
    guard isActive else { return false }
    return nt_set_mouse(isOn ? 1 : 0) != 0
  }

  public func readEvent(timeout: Duration?) -> Event? {
    Self.checkMainThread()
    guard isActive else { return nil }
    // A forever-wait still wakes regularly to notice Ctrl-C and SIGTERM.
    let milliseconds = timeout.map { Int32(clamping: $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) } ?? 100
    if milliseconds != currentTimeout {
      wtimeout(nt_stdscr(), max(0, milliseconds))
      currentTimeout = milliseconds
    }
    while true {
      if interrupts.takeInterrupt() { return .key(.ctrl("c")) }
      var value: Int32 = 0
      let status = nt_get_wch(&value)
      if status == ERR {
        if interrupts.takeInterrupt() { return .key(.ctrl("c")) }
        if timeout == nil { continue }
        return nil
      }
      if status == KEY_CODE_YES {
        if value == KEY_RESIZE { return .resize(size) }
        if value == KEY_MOUSE, let mouse = readMouse() { return .mouse(mouse) }
        if let key = Self.key(forCode: value) { return .key(key) }
      } else if let key = Self.key(forCharacter: UInt32(bitPattern: value)) {
        return .key(key)
      }
      // Unmapped input (mouse reports, unknown keys) is skipped.
      if timeout != nil { return nil }
    }
  }

  /// The mouse report behind a KEY_MOUSE, when it is one the app uses.
  ///
  /// When a press and its release arrive in one read, ncurses reports only the release:
  /// a release with no press before it is reported as the press it stands for, so the
  /// click is never lost.
  private func readMouse() -> MouseEvent? {
    var x: Int32 = 0
    var y: Int32 = 0
    let kind: MouseEvent.Kind
    switch nt_read_mouse(&x, &y) {
    case 1:
      kind = .press
      isButtonDown = true
    case 2:
      kind = isButtonDown ? .release : .press
      isButtonDown = false
    case 3: kind = .wheelUp
    case 4: kind = .wheelDown
    default: return nil
    }
    return MouseEvent(kind, x: Int(x), y: Int(y))
  }

  // MARK: Mapping

  /// The key for a curses key code (arrows, function keys …).
  package static func key(forCode code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_PPAGE: return .pageUp
    case KEY_NPAGE: return .pageDown
    case KEY_DC: return .delete
    case KEY_BACKSPACE: return .backspace
    case KEY_ENTER: return .enter
    case KEY_BTAB: return .backTab
    case KEY_RESIZE: return .resize
    default:
      let f0 = nt_key_f0()
      if code > f0 && code <= f0 + 63 { return .function(Int(code - f0)) }
      return nil
    }
  }

  /// The key for a character read from the terminal (controls become named keys).
  package static func key(forCharacter value: UInt32) -> Key? {
    switch value {
    case 0x1B: return .escape
    case 0x0D, 0x0A: return .enter
    case 0x09: return .tab
    case 0x7F, 0x08: return .backspace
    case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(0x60 + value)!))
    case 0x00..<0x20: return nil
    default:
      guard let scalar = Unicode.Scalar(value) else { return nil }
      return .char(Character(scalar))
    }
  }

  private func attributesAndPair(for style: Style) -> (attr_t, Int32) {
    var attributes: attr_t = 0
    if style.modifiers.contains(.bold) { attributes |= attributeBold }
    if style.modifiers.contains(.dim) { attributes |= attributeDim }
    if style.modifiers.contains(.reverse) { attributes |= attributeReverse }
    if style.modifiers.contains(.underline) { attributes |= attributeUnderline }
    guard colorCount > 0 else { return (attributes, 0) }
    let fg = colorNumber(style.fg ?? .default)
    let bg = colorNumber(style.bg ?? .default)
    return (attributes, pair(fg: fg, bg: bg))
  }

  /// The colour number ncurses uses for a colour on this terminal; -1 is the default.
  private func colorNumber(_ color: Color) -> Int32 {
    if color == .default { return -1 }
    if isDirectColor {
      guard let (r, g, b) = color.rgbComponents else { return -1 }
      return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
    }
    switch color {
    case .default:
      return -1
    case .ansi16(let n):
      return colorCount >= 16 ? Int32(n & 15) : Int32(n & 7)
    case .indexed(let n):
      if colorCount >= 256 { return Int32(n) }
      return colorNumber(color.approximated(for: .c16))
    case .rgb(let r, let g, let b):
      if colorCount >= 256 { return Int32(Color.nearestIndexed(r, g, b)) }
      return colorNumber(.ansi16(Color.nearestANSI(r, g, b)))
    }
  }

  /// The colour pair for a foreground and background, allocated on first use.
  private func pair(fg: Int32, bg: Int32) -> Int32 {
    if fg == -1 && bg == -1 { return 0 }
    let key = UInt64(UInt32(bitPattern: fg)) << 32 | UInt64(UInt32(bitPattern: bg))
    if let existing = pairs[key] { return existing }
    // Out of pairs: fall back to the default colours rather than recolouring cells on screen.
    guard nextPair < pairLimit else { return 0 }
    guard init_extended_pair(nextPair, fg, bg) != ERR else { return 0 }
    pairs[key] = nextPair
    nextPair += 1
    return nextPair - 1
  }

  /// Turns off XON/XOFF flow control, so Ctrl-S reaches the app as a key.
  ///
  /// `cbreak()` leaves IXON on: Ctrl-S would stop the terminal's output until Ctrl-Q, and
  /// the app would look hung. ISIG stays on, so Ctrl-Z still suspends. `def_prog_mode()`
  /// records the mode, so ncurses restores it after `fg`; `endwin()` puts back the shell's.
  private static func disableFlowControl() {
    var mode = termios()
    guard tcgetattr(STDOUT_FILENO, &mode) == 0 else { return }
    mode.c_iflag &= ~tcflag_t(IXON)
    guard tcsetattr(STDOUT_FILENO, TCSANOW, &mode) == 0 else { return }
    def_prog_mode()
  }

  private static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }

  @inline(__always)
  private static func checkMainThread() {
    #if DEBUG
      dispatchPrecondition(condition: .onQueue(.main))
    #endif
  }
}

/// Turns SIGINT, SIGTERM, SIGHUP and SIGQUIT into a flag the UI loop polls, so they quit cleanly.
///
/// SIGHUP matters too: once the terminal hangs up, reads fail at once and a
/// loop that ignored it would spin. SIGQUIT is Ctrl-\ on the keyboard: it quits like
/// `q`, with exit status 0, rather than killing the program.
///
/// Owned and driven by the main thread; only the flag is touched by the signal queue.
private final class InterruptWatcher {
  private final class Flag: Sendable {
    let isSet = Atomic<Bool>(false)
    /// The last signal received (0 before any), for the exit status.
    let signal = Atomic<Int32>(0)
  }

  static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

  private let flag = Flag()
  private var sources: [DispatchSourceSignal] = []

  func start() {
    let queue = DispatchQueue(label: "nexttoken.terminal-signals")
    let flag = self.flag
    for number in Self.signals {
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler {
        // Ctrl-\ is the learner quitting, not the program being killed: no 128 + n status.
        if number != SIGQUIT { flag.signal.store(number, ordering: .relaxed) }
        flag.isSet.store(true, ordering: .releasing)
      }
      source.resume()
      sources.append(source)
    }
  }

  func stop() {
    for source in sources { source.cancel() }
    sources = []
  }

  /// The last of the watched signals received, or nil.
  var receivedSignal: Int32? {
    let signal = flag.signal.load(ordering: .relaxed)
    return signal == 0 ? nil : signal
  }

  /// True once per interrupt received since the last call.
  func takeInterrupt() -> Bool {
    flag.isSet.exchange(false, ordering: .acquiringAndReleasing)
  }
}
