/// Owns the previous and current frames and sends a backend only what changed.
///
/// `draw` renders a whole frame into a fresh buffer, diffs it against the
/// last one and passes the changed cells on. A size change (noticed on any
/// draw, or announced by ``handleResize()``) resizes both buffers and clears
/// the screen, so the next frame is drawn in full. With a console-safe theme every
/// frame keeps to ``ConsoleCharset`` before it is sent.
public final class Terminal<B: Backend> {
  public let backend: B
  public var theme: Theme
  /// Below this size frames show a "please enlarge" notice instead.
  public var minimumSize: Size?
  /// The frame on screen now.
  public private(set) var previous: Buffer
  private var current: Buffer
  private var needsFullRedraw = true

  public init(backend: B, theme: Theme, minimumSize: Size? = Size(width: 80, height: 24)) {
    self.backend = backend
    self.theme = theme
    self.minimumSize = minimumSize
    let size = backend.size
    self.previous = Buffer(size: size)
    self.current = Buffer(size: size)
  }

  /// The area a frame may draw into.
  public var area: Rect { Rect(size: backend.size) }

  /// Re-reads the size and schedules a full redraw.
  public func handleResize() {
    needsFullRedraw = true
  }

  /// Renders one frame and sends the changes; returns how many cells were sent.
  ///
  /// When the terminal is smaller than ``minimumSize`` the frame shows the
  /// enlarge notice instead of calling `render`.
  @discardableResult
  public func draw(_ render: (Rect, inout Buffer) -> Void) -> Int {
    let size = backend.size
    if size != current.size || needsFullRedraw {
      previous = Buffer(size: size)
      current = Buffer(size: size)
      backend.clear()
      needsFullRedraw = false
    }
    current.reset()
    let area = Rect(size: size)
    if let minimumSize, !size.covers(minimumSize) {
      EnlargeNotice(minimum: minimumSize).render(in: area, buffer: &current, theme: theme)
    } else {
      render(area, &current)
    }
    if theme.isConsoleSafe { current.restrictToConsoleCharset() }
    let changes = current.diff(from: previous)
    if !changes.isEmpty { backend.draw(changes) }
    backend.setCursor(current.cursor.flatMap { area.contains($0) ? $0 : nil })
    backend.flush()
    swap(&previous, &current)
    return changes.count
  }
}

/// The screen shown when the terminal is too small to lay out the UI.
public struct EnlargeNotice: Sendable {
  public var minimum: Size

  public init(minimum: Size) { self.minimum = minimum }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    buffer.fill(area)
    let lines = [
      "Please enlarge the terminal to \(minimum.width)×\(minimum.height)",
      "(now \(area.width)×\(area.height))",
      "q quits",
    ]
    let top = area.y + max(0, (area.height - lines.count) / 2)
    for (i, line) in lines.enumerated() where top + i < area.bottom {
      let width = displayWidth(of: line)
      let x = area.x + max(0, (area.width - width) / 2)
      let style = i == 0 ? theme.accent : theme.muted
      buffer.set(string: line, at: Point(x: x, y: top + i), style: style, clipTo: area)
    }
  }
}
