/// Tokens as coloured chips with their ids underneath, wrapping onto several lines.
///
/// Each chip is as wide as the wider of its text and its id; spaces, newlines
/// and tabs in token text are shown as "␣", "⏎" and "⇥". An optional
/// secondary label (a target, a probability) sits on a third row. When the
/// lines do not all fit, the view scrolls to keep the highlighted token visible.
/// Each chip is a hotspot named "item" with the token's index, and the highlighted
/// chip holds the cursor.
public struct TokenStrip: Sendable {
  /// One token to show.
  public struct Token: Sendable, Hashable {
    public var text: String
    public var id: Int?
    public var label: String?

    public init(text: String, id: Int? = nil, label: String? = nil) {
      self.text = text
      self.id = id
      self.label = label
    }
  }

  public var tokens: [Token]
  public var highlightedIndex: Int?
  /// Cells between neighbouring chips.
  public var gap: Int

  public init(tokens: [Token], highlightedIndex: Int? = nil, gap: Int = 1) {
    self.tokens = tokens
    self.highlightedIndex = highlightedIndex
    self.gap = gap
  }

  /// Token texts with ids; `labels`, when given, become secondary labels.
  public init(texts: [String], ids: [Int], labels: [String]? = nil, highlightedIndex: Int? = nil) {
    self.init(
      tokens: texts.indices.map { i in
        Token(text: texts[i], id: i < ids.count ? ids[i] : nil, label: labels.flatMap { i < $0.count ? $0[i] : nil })
      },
      highlightedIndex: highlightedIndex)
  }

  private var hasLabels: Bool { tokens.contains { $0.label != nil } }
  /// Rows one line of chips takes: text, id, and the label when any token has one.
  public var rowsPerLine: Int { hasLabels ? 3 : 2 }

  struct Placement {
    var index: Int
    var line: Int
    var x: Int
    var width: Int
    var text: String
  }

  func placements(width: Int) -> [Placement] {
    guard width > 0 else { return [] }
    var result: [Placement] = []
    result.reserveCapacity(tokens.count)
    var line = 0
    var x = 0
    for (index, token) in tokens.enumerated() {
      var text = visibleTokenText(token.text)
      let idText = token.id.map(String.init) ?? ""
      var chipWidth = max(displayWidth(of: text), displayWidth(of: idText), token.label.map { displayWidth(of: $0) } ?? 0)
      if chipWidth > width {
        text = truncated(text, toWidth: width)
        chipWidth = width
      }
      if x > 0 && x + chipWidth > width {
        line += 1
        x = 0
      }
      result.append(Placement(index: index, line: line, x: x, width: chipWidth, text: text))
      x += chipWidth + gap
    }
    return result
  }

  /// The rows needed to show every token at a width.
  public func height(forWidth width: Int) -> Int {
    guard let last = placements(width: width).last else { return 0 }
    return (last.line + 1) * rowsPerLine
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let placed = placements(width: area.width)
    let rows = rowsPerLine
    let visibleLines = max(1, area.height / rows)
    var firstLine = 0
    if let highlightedIndex, highlightedIndex < placed.count {
      let line = placed[highlightedIndex].line
      if line >= visibleLines { firstLine = line - visibleLines + 1 }
    }
    for placement in placed {
      let line = placement.line - firstLine
      guard line >= 0, line < visibleLines else { continue }
      let y = area.y + line * rows
      let x = area.x + placement.x
      let token = tokens[placement.index]
      let isHighlighted = placement.index == highlightedIndex
      let chip = isHighlighted ? theme.highlight : theme.tokenChip(placement.index)
      buffer.fill(Rect(x: x, y: y, width: placement.width, height: 1).intersection(area), with: Cell(" ", style: chip))
      buffer.set(string: placement.text, at: Point(x: x, y: y), style: chip, clipTo: area)
      // Each chip is a click target; the highlighted one holds the cursor (screen readers follow it).
      buffer.addHotspot(Rect(x: x, y: y, width: placement.width, height: rows).intersection(area), name: "item", index: placement.index)
      if isHighlighted { buffer.cursor = Point(x: x, y: y) }
      let idStyle = isHighlighted ? theme.accent : theme.muted
      if let id = token.id, y + 1 < area.bottom {
        buffer.set(string: String(id), at: Point(x: x, y: y + 1), style: idStyle, clipTo: area)
      }
      if let label = token.label, rows == 3, y + 2 < area.bottom {
        buffer.set(string: label, at: Point(x: x, y: y + 2), style: isHighlighted ? theme.accent : theme.text, clipTo: area)
      }
    }
  }
}
