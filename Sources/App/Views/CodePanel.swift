import TermUI

/// The training loop's code with the current stage's line highlighted.
struct CodePanel {
  let lines: [String]
  let highlighted: Int?
  let title: String

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let inner = Frame(title: title).render(in: area, buffer: &buffer, theme: theme)
    for (i, line) in lines.enumerated() where i < inner.height {
      let isCurrent = i == highlighted
      let style = isCurrent ? theme.highlight : theme.code
      if isCurrent { buffer.fill(inner.row(i), with: Cell(" ", style: style)) }
      buffer.set(string: (isCurrent ? "▶" : " ") + line, at: Point(x: inner.x, y: inner.y + i), style: style, clipTo: inner)
    }
  }
}
