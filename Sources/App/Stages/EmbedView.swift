import Curriculum
import TermUI

/// The picked token's embedding row plus its position's row, and every position's input vector.
struct EmbedView: StageDrawing {
  let context: StageContext

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let token = inputs[position]
    let C = trace.config.channels
    let tokenRow = Array(trace.row(Int(token), of: trace.layout.tokenEmbedding))
    let positionRow = Array(trace.row(position, of: trace.layout.positionEmbedding))
    let start = (row * T + position) * C
    let sum = Array(trace.inputEmbeddings[start..<start + C])
    let scale = max(tokenRow.map(abs).max() ?? 0, positionRow.map(abs).max() ?? 0, sum.map(abs).max() ?? 0, 1e-6)
    line(L.embedHeader(token: show(token), id: Int(token), position: position, channels: C), area, 0, &buffer, theme.text)
    let labelWidth = 12
    let stripWidth = max(1, area.width - labelWidth - 10)
    let cell = max(1, min(3, stripWidth / max(1, C)))
    let strips: [(String, [Float])] = [
      ("wte[\(token)]", tokenRow), ("+ wpe[\(position)]", positionRow), ("= x", sum),
    ]
    for (i, (label, values)) in strips.enumerated() {
      let y = 2 + i * 2
      guard y < area.height else { break }
      buffer.set(string: label, at: Point(x: area.x, y: area.y + y), style: theme.accent, clipTo: area)
      let stripArea = Rect(x: area.x + labelWidth, y: area.y + y, width: min(C * cell, stripWidth), height: 1)
      ValueStrip(values: values, scale: scale, cellWidth: cell).render(in: stripArea, buffer: &buffer, theme: theme)
      let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
      buffer.set(string: "‖\(formatFixed(Double(norm), decimals: 2))‖", at: Point(x: stripArea.right + 1, y: area.y + y), style: theme.muted, clipTo: area)
    }
    // Every position's input vector, one strip each, so the learner sees rows differ.
    let gridTop = 9
    guard gridTop + 1 < area.height else { return }
    line(L.allPositions, area, gridTop, &buffer, theme.muted)
    let rowsShown = min(T, area.height - gridTop - 1)
    let first = max(0, min(position - rowsShown / 2, T - rowsShown))
    for k in 0..<rowsShown {
      let p = first + k
      let y = area.y + gridTop + 1 + k
      let s = (row * T + p) * C
      let label = truncated(show(inputs[p]), toWidth: labelWidth - 1)
      buffer.set(string: label, at: Point(x: area.x, y: y), style: p == position ? theme.highlight : theme.muted, clipTo: area)
      let stripArea = Rect(x: area.x + labelWidth, y: y, width: min(C * cell, stripWidth), height: 1)
      ValueStrip(values: Array(trace.inputEmbeddings[s..<s + C]), scale: scale, cellWidth: cell).render(in: stripArea, buffer: &buffer, theme: theme)
    }
  }
}
