import TermUI

/// The formula view: a stage's math with the step's numbers, wrapped to the width, scrolled.
struct FormulaPanel {
  let title: String
  /// What the scroll keys are, shown when the lines do not fit.
  let scrollHint: String
  let lines: [FormulaLine]
  /// The first line shown (a line of `lines`, before wrapping).
  let scroll: Int

  /// Continuation rows of a wrapped line start this far in.
  static let hangingIndent = 4
  /// What sets a line's clauses apart ("q₀ = …   d = C/H = 16, √d = 4.00").
  static let clauseGap = "   "

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard area.height > 0, area.width > 0 else { return }
    buffer.set(string: title, at: Point(x: area.x, y: area.y), style: theme.accent, clipTo: area)
    let body = area.inset(top: 1)
    let rows = Self.rows(lines, width: body.width)
    // Never scroll past the point where the last line reaches the bottom.
    let firstRows = rows.firstIndex { $0.line >= scroll } ?? 0
    let start = max(0, min(firstRows, rows.count - body.height))
    let fits = rows.count <= body.height
    let hidden = rows.count - start - body.height
    let shown = fits ? body.height : body.height - (hidden > 0 ? 1 : 0)
    for (k, row) in rows.dropFirst(start).prefix(shown).enumerated() {
      buffer.set(string: row.text, at: Point(x: body.x, y: body.y + k), style: style(row.role, theme), clipTo: body)
    }
    if !fits {
      let position = hidden > 0 ? "↓ \(hidden)" : "↑ \(start)"
      let hint = "\(position) · \(scrollHint)"
      let x = area.right - displayWidth(of: hint)
      if x > area.x + displayWidth(of: title) + 1 {
        buffer.set(string: hint, at: Point(x: x, y: area.y), style: theme.muted, clipTo: area)
      }
      if hidden > 0 { buffer.set(string: "…", at: Point(x: body.x, y: body.bottom - 1), style: theme.muted, clipTo: body) }
    }
  }

  private func style(_ role: FormulaLine.Role, _ theme: Theme) -> Style {
    switch role {
    case .heading: theme.text.adding(.bold)
    case .math: theme.text
    case .result: theme.positive
    case .note: theme.muted
    }
  }

  /// The lines wrapped to `width`: first between the clauses a line sets three spaces apart,
  /// then at spaces (inside a word only when it is wider than a row).
  ///
  /// Breaking at any space split "√d = 4.00" after its "=" at 120 columns; a clause moves
  /// to the next row whole when it fits there.
  static func rows(_ lines: [FormulaLine], width: Int) -> [(line: Int, text: String, role: FormulaLine.Role)] {
    guard width > hangingIndent + 4 else { return lines.enumerated().map { ($0.offset, $0.element.text, $0.element.role) } }
    var clauseLines: [(index: Int, line: FormulaLine)] = []
    for (index, line) in lines.enumerated() {
      guard displayWidth(of: line.text) > width, line.text.contains(clauseGap) else {
        clauseLines.append((index, line))
        continue
      }
      var current = ""
      for clause in line.text.components(separatedBy: clauseGap) {
        let joined = current.isEmpty ? clause : current + clauseGap + clause
        let limit = clauseLines.last?.index == index ? width - hangingIndent : width
        if current.isEmpty || displayWidth(of: joined) <= limit {
          current = joined
        } else {
          clauseLines.append((index, FormulaLine(current, line.role)))
          current = clause
        }
      }
      clauseLines.append((index, FormulaLine(current, line.role)))
    }
    var rows: [(Int, String, FormulaLine.Role)] = []
    var previousIndex: Int?
    for (index, line) in clauseLines {
      // A clause moved down keeps the hanging indent of a continued line.
      let continues = previousIndex == index
      previousIndex = index
      let startIndent = continues ? String(repeating: " ", count: hangingIndent) : ""
      var current = startIndent
      var currentWidth = startIndent.count
      let indent = String(repeating: " ", count: hangingIndent)
      func flush() {
        rows.append((index, current, line.role))
        current = indent
        currentWidth = hangingIndent
      }
      for (n, word) in line.text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
        let piece = (n == 0 ? "" : " ") + word
        let pieceWidth = displayWidth(of: piece)
        if currentWidth + pieceWidth <= width || currentWidth == 0 {
          current += piece
          currentWidth += pieceWidth
          if currentWidth <= width { continue }
        } else {
          flush()
          current += word
          currentWidth += displayWidth(of: String(word))
          if currentWidth <= width { continue }
        }
        // A word wider than a row (Chinese runs have no spaces): cut it by characters.
        let overlong = current
        current = ""
        currentWidth = 0
        for character in overlong {
          let w = displayWidth(of: String(character))
          if currentWidth + w > width { flush() }
          current.append(character)
          currentWidth += w
        }
      }
      rows.append((index, current, line.role))
    }
    return rows
  }
}
