/// A rows×columns grid of values drawn on the theme's heat scale, with a legend.
///
/// Made for attention weights: masked cells (the causal triangle) are drawn as
/// a dim "·", one row (the query) can be highlighted, and cells shrink from
/// three columns to one so that 64 positions fit an 80-column screen. When
/// there are more rows than lines, colour themes can pack two rows per line
/// (``packsRowPairs``), and the view scrolls to keep the highlighted row visible.
public struct Heatmap: Sendable {
  /// Which cells carry no value.
  public enum Mask: Sendable, Hashable {
    case none
    /// Cells above the diagonal (column > row), as in causal attention.
    case causal
    /// A row-major flag per cell: true where masked.
    case custom([Bool])

    func isMasked(row: Int, column: Int, columns: Int) -> Bool {
      switch self {
      case .none: return false
      case .causal: return column > row
      case .custom(let flags):
        let i = row * columns + column
        return i < flags.count && flags[i]
      }
    }
  }

  public var rows: Int
  public var columns: Int
  /// Row-major values, `rows * columns` of them.
  public var values: [Float]
  /// The values mapped to the cold and hot ends of the scale.
  public var range: ClosedRange<Float>
  public var mask: Mask
  public var rowLabels: [String]?
  public var columnLabels: [String]?
  public var highlightedRow: Int?
  /// Columns whose labels are not text (a byte's hex digits): drawn dim.
  public var dimmedColumnLabels: Set<Int> = []
  /// Cell width in columns (1–3); nil picks the widest that fits.
  public var cellWidth: Int?
  public var showsLegend: Bool
  /// With colour, packs two rows into each line ("▀" in the upper row's colour
  /// over the lower row's) when the rows do not fit; labels then name the upper row.
  public var packsRowPairs: Bool
  /// The legend's words, in the screen's language: "masked", and "rows" before the shown range.
  public var legendWords: (masked: String, rows: String) = ("masked", "rows")

  public init(
    rows: Int, columns: Int, values: [Float], range: ClosedRange<Float> = 0...1, mask: Mask = .none,
    rowLabels: [String]? = nil, columnLabels: [String]? = nil, highlightedRow: Int? = nil,
    cellWidth: Int? = nil, showsLegend: Bool = true, packsRowPairs: Bool = false
  ) {
    precondition(values.count >= rows * columns, "heatmap needs \(rows * columns) values, got \(values.count)")
    self.rows = rows
    self.columns = columns
    self.values = values
    self.range = range
    self.mask = mask
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.highlightedRow = highlightedRow
    self.cellWidth = cellWidth.map { max(1, min(3, $0)) }
    self.showsLegend = showsLegend
    self.packsRowPairs = packsRowPairs
  }

  /// A heatmap from nested rows.
  public init(_ grid: [[Float]], range: ClosedRange<Float> = 0...1, mask: Mask = .none, highlightedRow: Int? = nil) {
    let columns = grid.map(\.count).max() ?? 0
    var flat: [Float] = []
    flat.reserveCapacity(grid.count * columns)
    for row in grid { flat += row + [Float](repeating: 0, count: columns - row.count) }
    self.init(rows: grid.count, columns: columns, values: flat, range: range, mask: mask, highlightedRow: highlightedRow)
  }

  /// The width of the row-label column, including the highlight marker.
  var labelColumnWidth: Int {
    var width = 0
    if let rowLabels { width = min(8, rowLabels.map { displayWidth(of: $0) }.max() ?? 0) + 1 }
    if highlightedRow != nil { width += 1 }
    return width
  }

  /// The cell width used for a given area width.
  public func effectiveCellWidth(forWidth width: Int) -> Int {
    if let cellWidth { return cellWidth }
    let available = width - labelColumnWidth
    for candidate in stride(from: 3, through: 1, by: -1) where columns * candidate <= available {
      return candidate
    }
    return 1
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty, rows > 0, columns > 0 else { return }
    let labelWidth = labelColumnWidth
    let cell = effectiveCellWidth(forWidth: area.width)
    let headerRows = columnLabels == nil ? 0 : 1
    let legendRows = showsLegend && area.height > 2 + headerRows ? 1 : 0
    let gridTop = area.y + headerRows
    let lineCount = max(0, area.height - headerRows - legendRows)
    // A console-safe theme shades each cell, as without colour, rather than pack two rows in colours.
    let isPacked = packsRowPairs && !theme.isMonochrome && !theme.isConsoleSafe && rows > lineCount
    let rowsPerLine = isPacked ? 2 : 1
    let visibleRows = max(0, min(rows, lineCount * rowsPerLine))
    let visibleLines = (visibleRows + rowsPerLine - 1) / rowsPerLine
    let visibleColumns = max(0, min(columns, (area.width - labelWidth) / cell))
    var firstRow = 0
    if let highlightedRow, visibleRows > 0, highlightedRow >= visibleRows {
      firstRow = min(rows - visibleRows, highlightedRow - visibleRows / 2)
    }
    let gridLeft = area.x + labelWidth
    let low = range.lowerBound
    let span = range.upperBound - range.lowerBound
    let inverseSpan = span > 0 ? 1 / Double(span) : 0
    let maskedStyle = theme.masked
    // The scale is looked up rather than computed per cell: a 64×64 map would
    // otherwise interpolate and approximate thousands of colours every frame.
    let scale = theme.isMonochrome ? [] : (0..<Heatmap.levels).map { theme.heat(Double($0) / Double(Heatmap.levels - 1)) }
    func level(_ row: Int, _ column: Int) -> Int {
      Heatmap.level(Double(values[row * columns + column] - low) * inverseSpan)
    }
    func color(_ row: Int, _ column: Int) -> Color? { scale[level(row, column)].1.fg }

    if let columnLabels {
      let texts = (0..<min(visibleColumns, columnLabels.count)).map { truncatedPlain(columnLabels[$0], width: cell) }
      // Labels of several characters that fill their cells read as one word ("␣d" "r" "in" as "␣dr in"):
      // they then alternate the token boxes' styles across whole cells. One character a column is never misread.
      let isCrowded = cell > 1 && texts.contains { $0.count > 1 && displayWidth(of: $0) >= cell }
      for (column, text) in texts.enumerated() {
        let x = gridLeft + column * cell
        var style = isCrowded ? theme.tokenChip(column) : theme.muted
        if dimmedColumnLabels.contains(column) { style = style.adding(.dim) }
        let padded = isCrowded ? text + String(repeating: " ", count: max(0, cell - displayWidth(of: text))) : text
        buffer.set(string: padded, at: Point(x: x, y: area.y), style: style, clipTo: Rect(x: x, y: area.y, width: cell, height: 1))
      }
    }

    for line in 0..<visibleLines {
      let row = firstRow + line * rowsPerLine
      let lowerRow: Int? = isPacked && row + 1 < firstRow + visibleRows ? row + 1 : nil
      let y = gridTop + line
      let highlightedHere = highlightedRow.map { $0 == row || $0 == lowerRow } ?? false
      let labelRow = highlightedHere ? highlightedRow! : row
      // A row (a query) is a click target; the highlighted one holds the cursor.
      buffer.addHotspot(Rect(x: area.x, y: y, width: labelWidth + visibleColumns * cell, height: 1), name: "item", index: labelRow)
      if highlightedHere { buffer.cursor = Point(x: area.x, y: y) }
      if labelWidth > 0 {
        let labelArea = Rect(x: area.x, y: y, width: labelWidth, height: 1)
        var x = area.x
        if highlightedRow != nil {
          x += buffer.set(string: highlightedHere ? "▶" : " ", at: Point(x: x, y: y), style: theme.accent, clipTo: labelArea)
        }
        if let rowLabels, labelRow < rowLabels.count {
          let style = highlightedHere ? theme.highlight : theme.muted
          buffer.set(string: truncatedPlain(rowLabels[labelRow], width: labelWidth - (x - area.x) - 1), at: Point(x: x, y: y), style: style, clipTo: labelArea)
        }
      }
      var x = gridLeft
      for column in 0..<visibleColumns {
        let isUpperMasked = mask.isMasked(row: row, column: column, columns: columns)
        let isLowerMasked = lowerRow.map { mask.isMasked(row: $0, column: column, columns: columns) } ?? true
        var glyph: Character
        var style: Style
        if isPacked {
          switch (isUpperMasked, isLowerMasked) {
          case (true, true):
            glyph = "·"
            style = maskedStyle
          case (false, true):
            glyph = "▀"
            style = Style(fg: color(row, column))
          case (true, false):
            glyph = "▄"
            style = Style(fg: color(lowerRow!, column))
          case (false, false):
            glyph = "▀"
            style = Style(fg: color(row, column), bg: color(lowerRow!, column))
          }
        } else if isUpperMasked {
          glyph = "·"
          style = maskedStyle
        } else {
          if theme.isMonochrome {
            // Shading is cheap and exact; a lookup would move values across shade boundaries.
            (glyph, style) = theme.heat(Double(values[row * columns + column] - low) * inverseSpan)
          } else {
            (glyph, style) = scale[level(row, column)]
          }
          if highlightedHere && theme.isMonochrome { style = style.adding(.underline) }
        }
        if glyph == "·" {
          // A masked cell is one dot followed by blanks, however wide the cell.
          buffer.set(character: "·", at: Point(x: x, y: y), style: style, clipTo: area)
          for k in 1..<max(1, cell) { buffer.set(character: " ", at: Point(x: x + k, y: y), clipTo: area) }
        } else {
          for k in 0..<cell { buffer.set(character: glyph, at: Point(x: x + k, y: y), style: style, clipTo: area) }
        }
        x += cell
      }
    }

    if legendRows == 1 {
      let y = area.y + min(area.height - 1, headerRows + visibleLines)
      var x = area.x + labelWidth
      let legendArea = Rect(x: area.x, y: y, width: area.width, height: 1)
      x += buffer.set(string: formatCompact(Double(low)) + " ", at: Point(x: x, y: y), style: theme.muted, clipTo: legendArea)
      let steps = 8
      for step in 0..<steps {
        let (glyph, style) = theme.heat(Double(step) / Double(steps - 1))
        x += buffer.set(character: glyph, at: Point(x: x, y: y), style: style, clipTo: legendArea)
      }
      x += buffer.set(string: " " + formatCompact(Double(range.upperBound)), at: Point(x: x, y: y), style: theme.muted, clipTo: legendArea)
      if mask != .none {
        x += buffer.set(string: "  · " + legendWords.masked, at: Point(x: x, y: y), style: theme.muted, clipTo: legendArea)
      }
      if firstRow > 0 || firstRow + visibleRows < rows {
        buffer.set(string: "  \(legendWords.rows) \(firstRow)–\(firstRow + visibleRows - 1)/\(rows)", at: Point(x: x, y: y), style: theme.muted, clipTo: legendArea)
      }
    }
  }

  /// Steps of the colour scale; finer than any terminal palette can show.
  static let levels = 256

  /// The scale step for a value in 0…1 (out-of-range and NaN values land on an end).
  @inline(__always)
  package static func level(_ normalized: Double) -> Int {
    guard normalized.isFinite else { return 0 }
    return Int(Swift.max(0, Swift.min(1, normalized)) * Double(levels - 1) + 0.5)
  }

  /// The value a step stands for, so tests can name the exact colour drawn.
  package static func quantized(_ normalized: Double) -> Double {
    Double(level(normalized)) / Double(levels - 1)
  }

  private func truncatedPlain(_ text: String, width: Int) -> String {
    guard width > 0 else { return "" }
    var result = ""
    var used = 0
    for character in text {
      let w = displayWidth(of: character)
      if used + w > width { break }
      result.append(character)
      used += w
    }
    return result
  }
}
