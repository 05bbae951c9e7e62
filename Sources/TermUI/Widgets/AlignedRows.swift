/// Several labelled rows of tokens whose columns line up whatever the token widths.
///
/// Each column is as wide as its widest cell (CJK and ASCII alike), so an input
/// row sits exactly over its target row. Cells can be marked masked or ignored,
/// one column can be highlighted, and when the columns are wider than the area
/// the view scrolls horizontally to keep the highlighted column visible, with
/// "‹" and "›" marking hidden columns.
///
/// Each column is a hotspot named "item" with its index; the highlighted column
/// holds the cursor, on its first row.
public struct AlignedRows: Sendable {
  /// How a cell is drawn.
  public enum Role: Sendable, Hashable {
    case normal
    /// Shown with emphasis, e.g. a token replaced by [MASK].
    case masked
    /// Carries no information, e.g. a label of −100: drawn muted.
    case ignored
    /// Drawn in the accent style, e.g. a picked position.
    case emphasized
  }

  public struct Item: Sendable, Hashable {
    public var text: String
    public var role: Role
    /// Overrides the role's style when set.
    public var style: Style?

    public init(_ text: String, role: Role = .normal, style: Style? = nil) {
      self.text = text
      self.role = role
      self.style = style
    }
  }

  public struct Row: Sendable, Hashable {
    public var label: String
    public var items: [Item]

    public init(label: String, items: [Item]) {
      self.label = label
      self.items = items
    }

    /// A row of plain token texts, made visible (spaces as "␣").
    public init(label: String, tokens: [String]) {
      self.init(label: label, items: tokens.map { Item(visibleTokenText($0)) })
    }
  }

  public var rows: [Row]
  public var highlightedColumn: Int?
  /// Cells between columns.
  public var columnGap: Int

  public init(rows: [Row], highlightedColumn: Int? = nil, columnGap: Int = 1) {
    self.rows = rows
    self.highlightedColumn = highlightedColumn
    self.columnGap = columnGap
  }

  /// The width of every column: the widest cell in it.
  public var columnWidths: [Int] {
    let count = rows.map(\.items.count).max() ?? 0
    var widths = [Int](repeating: 1, count: count)
    for row in rows {
      for (i, item) in row.items.enumerated() { widths[i] = max(widths[i], displayWidth(of: item.text)) }
    }
    return widths
  }

  /// The first column shown so that the highlighted column fits in `width` cells.
  func firstVisibleColumn(widths: [Int], width: Int) -> Int {
    guard let highlighted = highlightedColumn, highlighted < widths.count else { return 0 }
    var first = 0
    func span(_ from: Int, _ to: Int) -> Int {
      widths[from...to].reduce(0, +) + columnGap * (to - from)
    }
    // Leave one cell on each side for the scroll markers once scrolled.
    while first < highlighted && span(first, highlighted) > width - (first > 0 ? 2 : 1) {
      first += 1
    }
    return first
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let labelWidth = min((rows.map { displayWidth(of: $0.label) }.max() ?? 0), max(0, area.width / 3))
    let labelGap = labelWidth > 0 ? 1 : 0
    let widths = columnWidths
    let cellsLeft = area.x + labelWidth + labelGap
    let cellsWidth = area.right - cellsLeft
    guard cellsWidth > 0 else { return }
    let total = widths.reduce(0, +) + columnGap * max(0, widths.count - 1)
    let first = total > cellsWidth ? firstVisibleColumn(widths: widths, width: cellsWidth) : 0
    let leftMarker = first > 0 ? 1 : 0
    let rightMarker = total > cellsWidth ? 1 : 0
    let cellsArea = Rect(
      x: cellsLeft + leftMarker, y: area.y, width: cellsWidth - leftMarker - rightMarker, height: area.height)
    var lastVisibleRight = 0
    for (rowIndex, row) in rows.enumerated() where rowIndex < area.height {
      let y = area.y + rowIndex
      buffer.set(string: truncated(row.label, toWidth: labelWidth), at: Point(x: area.x, y: y), style: theme.muted, clipTo: area)
      var x = cellsArea.x
      for column in first..<widths.count {
        let width = widths[column]
        defer { x += width + columnGap }
        guard column < row.items.count else { continue }
        if x + width > cellsArea.right { break }
        lastVisibleRight = max(lastVisibleRight, column)
        let item = row.items[column]
        var style: Style
        switch item.role {
        case .normal: style = theme.text
        case .masked: style = theme.negative.adding(.bold)
        case .ignored: style = theme.masked
        case .emphasized: style = theme.accent
        }
        if let explicit = item.style { style = explicit }
        if column == highlightedColumn { style = theme.highlight }
        if column == highlightedColumn {
          buffer.fill(Rect(x: x, y: y, width: width, height: 1).intersection(cellsArea), with: Cell(" ", style: style))
          if rowIndex == 0 { buffer.cursor = Point(x: x, y: y) }
        }
        if rowIndex == 0 {
          // A column (one position, in every row) is a click target.
          buffer.addHotspot(Rect(x: x, y: area.y, width: width, height: min(rows.count, area.height)), name: "item", index: column)
        }
        buffer.set(string: item.text, at: Point(x: x, y: y), style: style, clipTo: cellsArea)
      }
    }
    let markerRows = min(rows.count, area.height)
    if first > 0 {
      for r in 0..<markerRows { buffer.set(character: "‹", at: Point(x: cellsLeft, y: area.y + r), style: theme.muted) }
    }
    if lastVisibleRight < widths.count - 1 {
      for r in 0..<markerRows { buffer.set(character: "›", at: Point(x: area.right - 1, y: area.y + r), style: theme.muted) }
    }
  }
}
