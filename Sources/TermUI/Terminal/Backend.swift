/// The tiny surface a terminal must offer: size, drawing changed cells, input.
///
/// Widgets never see a backend; ``Terminal`` diffs frames and hands the
/// backend only the cells that changed. Backends are used from one thread
/// (the main thread for a real terminal).
public protocol Backend: AnyObject {
  /// The current size in columns and rows.
  var size: Size { get }
  /// Writes changed cells; they appear after ``flush()``.
  func draw(_ changes: [CellChange])
  /// Makes everything drawn so far visible.
  func flush()
  /// Clears the whole screen (used before a full redraw).
  func clear()
  func hideCursor()
  func showCursor()
  /// Puts the hardware cursor at `position` and shows it, or hides it (nil).
  func setCursor(_ position: Point?)
  /// Waits up to `timeout` for input (nil: forever); nil when none arrived.
  func readEvent(timeout: Duration?) -> Event?
}

/// An in-memory terminal for tests: records every draw call, replays scripted events.
public final class TestBackend: Backend {
  public private(set) var size: Size
  /// What the screen shows now.
  public private(set) var screen: Buffer
  /// Every batch passed to ``draw(_:)``, in order.
  public private(set) var drawCalls: [[CellChange]] = []
  public private(set) var flushCount = 0
  public private(set) var clearCount = 0
  public private(set) var isCursorHidden = false
  /// Where the last frame put the hardware cursor (nil: hidden).
  public private(set) var cursor: Point?
  /// Events ``readEvent(timeout:)`` returns, in order; a `.tick` once empty.
  public var scriptedEvents: [Event]

  public init(size: Size, events: [Event] = []) {
    self.size = size
    self.screen = Buffer(size: size)
    self.scriptedEvents = events
  }

  /// Changes the size and queues the resize event a real terminal would send.
  public func resize(to newSize: Size, queueEvent: Bool = true) {
    size = newSize
    screen = Buffer(size: newSize)
    if queueEvent { scriptedEvents.insert(.resize(newSize), at: 0) }
  }

  /// The number of cells sent in the most recent draw call (0 when none).
  public var lastDrawCount: Int { drawCalls.last?.count ?? 0 }

  public func forgetDrawCalls() { drawCalls.removeAll() }

  public func draw(_ changes: [CellChange]) {
    drawCalls.append(changes)
    for change in changes where screen.area.contains(Point(x: change.x, y: change.y)) {
      screen[change.x, change.y] = change.cell
      if change.cell.width == 2, change.x + 1 < size.width {
        screen[change.x + 1, change.y] = Cell(" ", width: 0, style: change.cell.style)
      }
    }
  }

  public func flush() { flushCount += 1 }

  public func clear() {
    clearCount += 1
    screen = Buffer(size: size)
  }

  public func hideCursor() { isCursorHidden = true }
  public func showCursor() { isCursorHidden = false }

  public func setCursor(_ position: Point?) {
    cursor = position
    isCursorHidden = position == nil
  }

  /// Queues the press and release a terminal reports for a left click at a cell.
  public func queueClick(at point: Point) {
    scriptedEvents += [.mouse(MouseEvent(.press, x: point.x, y: point.y)), .mouse(MouseEvent(.release, x: point.x, y: point.y))]
  }

  public func readEvent(timeout: Duration?) -> Event? {
    guard !scriptedEvents.isEmpty else { return nil }
    return scriptedEvents.removeFirst()
  }
}
