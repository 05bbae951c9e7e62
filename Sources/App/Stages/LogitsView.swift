import Curriculum
import TermUI

/// The distribution over the vocabulary at the picked position, the target highlighted.
struct LogitsView: StageDrawing {
  let context: StageContext

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let probs = trace.probabilities(row: row, position: position)
    let logits = trace.logits(row: row, position: position)
    let header: String
    if let target {
      let p = probs[probs.startIndex + Int(target)]
      header = L.logitsHeader(position: position, token: show(inputs[position]), target: show(target), p: p, masked: masked)
    } else {
      header = L.noLabelHere(position: position)
    }
    line(header, area, 0, &buffer, theme.text)
    let k = max(1, min(V, area.height - 3))
    var picked = topIndices(probs, count: k)
    if let target, !picked.contains(Int(target)) { picked[picked.count - 1] = Int(target) }
    let bars = picked.map { i -> BarChart.Bar in
      let p = probs[probs.startIndex + i]
      let z = logits[logits.startIndex + i]
      return BarChart.Bar(label: show(Int32(i)), value: Double(p), valueText: "p \(formatFixed(Double(p), decimals: 3))  z \(formatFixed(Double(z), decimals: 2))")
    }
    let highlighted = target.flatMap { t in picked.firstIndex(of: Int(t)) }
    BarChart(bars: bars, maxValue: 1, highlightedIndex: highlighted).render(in: sub(area, from: 2), buffer: &buffer, theme: theme)
  }
}
