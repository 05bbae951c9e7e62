/// A grid of cells that widgets draw into; only a backend puts it on screen.
public struct Buffer: Sendable, Equatable {
  /// The area the buffer covers, usually at the origin.
  public private(set) var area: Rect
  /// The cells, row by row.
  public private(set) var cells: [Cell]
  /// Where the hardware cursor goes once the frame is on screen: the focused item (the
  /// selected lesson, the picked token, the answer box), which screen readers and braille
  /// displays follow. Nil hides the cursor.
  public var cursor: Point?
  /// The regions a mouse click may land on, in drawing order (see ``addHotspot(_:name:index:)``).
  public internal(set) var hotspots: [Hotspot] = []

  public init(area: Rect, filledWith cell: Cell = .blank) {
    self.area = area
    self.cells = Array(repeating: cell, count: area.area)
  }

  public init(size: Size, filledWith cell: Cell = .blank) {
    self.init(area: Rect(size: size), filledWith: cell)
  }

  public var size: Size { area.size }

  @inline(__always)
  func index(_ x: Int, _ y: Int) -> Int { (y - area.y) * area.width + (x - area.x) }

  /// The cell at a position inside the buffer's area.
  public subscript(x: Int, y: Int) -> Cell {
    get {
      precondition(area.contains(Point(x: x, y: y)), "cell (\(x), \(y)) outside \(area)")
      return cells[index(x, y)]
    }
    set {
      precondition(area.contains(Point(x: x, y: y)), "cell (\(x), \(y)) outside \(area)")
      cells[index(x, y)] = newValue
    }
  }

  /// Resets every cell to `cell` and changes the area; forgets the cursor and the hotspots.
  public mutating func reset(area newArea: Rect? = nil, to cell: Cell = .blank) {
    cursor = nil
    hotspots.removeAll(keepingCapacity: true)
    if let newArea, newArea != area {
      area = newArea
      cells = Array(repeating: cell, count: newArea.area)
    } else {
      for i in cells.indices { cells[i] = cell }
    }
  }

  /// Fills a rectangle with a cell (clipped to the buffer), replacing styles.
  public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    repairWideEdges(row: r.y, from: r.x, to: r.right, rows: r.height)
    for y in r.y..<r.bottom {
      let start = index(r.x, y)
      for i in start..<(start + r.width) { cells[i] = cell }
    }
  }

  /// Lays `style` over every cell of a rectangle, keeping the graphemes.
  public mutating func patchStyle(_ rect: Rect, with style: Style) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    for y in r.y..<r.bottom {
      let start = index(r.x, y)
      for i in start..<(start + r.width) { cells[i].style = cells[i].style.patched(with: style) }
    }
  }

  /// Writes one grapheme at a position, keeping wide graphemes whole.
  ///
  /// Returns the columns used: 0 when the position is outside `clip` or the
  /// grapheme has no width, otherwise its width. A wide grapheme that does not
  /// fit before the clip's right edge is replaced by a space.
  @discardableResult
  public mutating func set(
    character: Character, at point: Point, style: Style = .plain, clipTo clip: Rect? = nil
  ) -> Int {
    let bounds = clip.map { $0.intersection(area) } ?? area
    guard bounds.contains(point) else { return 0 }
    let (width, scalar) = measure(character)
    guard width > 0 else { return 0 }
    return put(character, scalar: scalar, width: width, x: point.x, y: point.y, style: style, right: bounds.right)
  }

  /// Writes a string from a position along one row, clipped to `clip` and the buffer.
  ///
  /// Returns the columns used. Wide graphemes are never split: one that does
  /// not fit is replaced by a space and writing stops. Styles are laid over
  /// what is already in the cells (see ``Style/patched(with:)``).
  @discardableResult
  public mutating func set<S: StringProtocol>(
    string: S, at point: Point, style: Style = .plain, clipTo clip: Rect? = nil
  ) -> Int {
    let bounds = clip.map { $0.intersection(area) } ?? area
    guard point.y >= bounds.y, point.y < bounds.bottom, point.x < bounds.right else { return 0 }
    var x = point.x
    for character in string {
      let (width, scalar) = measure(character)
      if width == 0 { continue }
      if x < bounds.x {
        // Starts left of the clip: skip what lies outside, blank a cut wide grapheme.
        if x + width > bounds.x {
          put(" ", scalar: 0x20, width: 1, x: bounds.x, y: point.y, style: style, right: bounds.right)
          x = bounds.x + 1
        } else {
          x += width
        }
        continue
      }
      if x >= bounds.right { break }
      let used = put(character, scalar: scalar, width: width, x: x, y: point.y, style: style, right: bounds.right)
      x += used
      if used < width { break }
    }
    return max(0, x - max(point.x, bounds.x))
  }

  /// Writes one cell (and its continuation), repairing any wide grapheme it cuts.
  @inline(__always) @discardableResult
  private mutating func put(
    _ character: Character, scalar: UInt32, width: Int, x: Int, y: Int, style: Style, right: Int
  ) -> Int {
    let rowStart = (y - area.y) * area.width - area.x
    if width == 2 {
      if x + 1 >= right {
        repairWideEdges(row: y, from: x, to: x + 1, rows: 1)
        let i = rowStart + x
        cells[i] = Cell(" ", scalar: 0x20, width: 1, style: cells[i].style.patched(with: style))
        return 1
      }
      repairWideEdges(row: y, from: x, to: x + 2, rows: 1)
      let i = rowStart + x
      let patched = cells[i].style.patched(with: style)
      cells[i] = Cell(character, scalar: scalar, width: 2, style: patched)
      cells[i + 1] = .continuation(style: cells[i + 1].style.patched(with: style))
      return 2
    }
    let i = rowStart + x
    let old = cells[i]
    if old.width != 1 { repairWideEdges(row: y, from: x, to: x + 1, rows: 1) }
    cells[i] = Cell(character, scalar: scalar, width: 1, style: old.style.patched(with: style))
    return 1
  }

  /// Blanks the far half of any wide grapheme that straddles the column range's edges.
  private mutating func repairWideEdges(row y: Int, from left: Int, to right: Int, rows: Int) {
    for row in y..<(y + rows) {
      let rowStart = (row - area.y) * area.width - area.x
      // A continuation at the left edge: its lead sits outside the range.
      if left > area.x, cells[rowStart + left].isContinuation {
        let lead = rowStart + left - 1
        cells[lead] = Cell(" ", scalar: 0x20, width: 1, style: cells[lead].style)
      }
      // A wide lead at the right edge: its continuation sits outside the range.
      if right < area.right, right - 1 >= left, cells[rowStart + right - 1].width == 2 {
        let tail = rowStart + right
        cells[tail] = Cell(" ", scalar: 0x20, width: 1, style: cells[tail].style)
      }
    }
  }

  /// The buffer as plain text, one string per row; continuation cells add nothing.
  public var lines: [String] {
    var result: [String] = []
    result.reserveCapacity(area.height)
    for y in 0..<area.height {
      var line = ""
      let start = y * area.width
      for i in start..<(start + area.width) where !cells[i].isContinuation {
        line.append(cells[i].grapheme)
      }
      result.append(line)
    }
    return result
  }

  /// The text of one row between two columns, for tests and searches.
  public func text(row y: Int, from x: Int = 0, width: Int? = nil) -> String {
    let start = max(area.x, x)
    let end = min(area.right, x + (width ?? area.width))
    var line = ""
    guard start < end else { return line }
    for column in start..<end {
      let cell = cells[index(column, y)]
      if !cell.isContinuation { line.append(cell.grapheme) }
    }
    return line
  }
}
