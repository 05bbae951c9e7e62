/// The cells of a plot already taken by text and marker glyphs, and where the next label fits.
///
/// A label written over another reads as neither ("big◆abigram"), so every label is
/// placed where it covers nothing placed before it, or left out.
struct PlotLabelSpace {
  let bounds: Rect
  private var taken: [Int: [Range<Int>]] = [:]

  init(bounds: Rect) {
    self.bounds = bounds
  }

  /// Whether nothing placed so far covers `columns` of `row`.
  func isFree(_ columns: Range<Int>, row: Int) -> Bool {
    !(taken[row] ?? []).contains { $0.overlaps(columns) }
  }

  mutating func take(_ columns: Range<Int>, row: Int) {
    guard !columns.isEmpty else { return }
    taken[row, default: []].append(columns)
  }

  /// Where a reference line's label starts on `row`: against the right edge, else just left
  /// of what is there already. Alone on its row a label too wide is cut at the left edge;
  /// beside something else, it is left out (nil).
  mutating func placeReferenceLabel(width: Int, row: Int) -> Int? {
    var right = bounds.right
    while true {
      let x = right - width
      if x < bounds.x {
        guard taken[row] == nil else { return nil }
        take(bounds.x..<bounds.right, row: row)
        return bounds.x
      }
      if let blocking = taken[row]?.filter({ $0.overlaps(x..<right) }).map(\.lowerBound).min() {
        right = blocking
        continue
      }
      take(x..<right, row: row)
      return x
    }
  }

  /// Where a marker's label starts: beside its glyph, right before left, on the glyph's row,
  /// else on the rows just above and below it. A cell apart from any other text, so two
  /// labels never read as one. Nil when no place is free.
  mutating func placeMarkerLabel(width: Int, glyph: Point) -> Point? {
    guard width > 0 else { return nil }
    for dy in [0, -1, 1, -2, 2] {
      let y = glyph.y + dy
      guard y >= bounds.y, y < bounds.bottom else { continue }
      for x in [glyph.x + 1, glyph.x - width] where x >= bounds.x && x + width <= bounds.right {
        // On the glyph's own row the side touching the glyph needs no gap.
        let low = dy == 0 && x == glyph.x + 1 ? x : x - 1
        let high = dy == 0 && x == glyph.x - width ? x + width : x + width + 1
        guard isFree(low..<high, row: y) else { continue }
        take(x..<(x + width), row: y)
        return Point(x: x, y: y)
      }
    }
    return nil
  }
}
