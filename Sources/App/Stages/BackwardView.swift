import Curriculum
import TermUI

/// The gradient at the logits (p − onehot) and each tensor's gradient norm.
struct BackwardView: StageDrawing {
  let context: StageContext

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let halves = area.split(.horizontal, [.percentage(50), .fill(1)], spacing: 2)
    let left = halves[0]
    let right = halves[1]
    let probs = trace.probabilities(row: row, position: position)
    let labelled = max(1, trace.batch.labels.filter { $0 >= 0 }.count)
    line(L.gradientHeader(labelled: labelled), left, 0, &buffer, theme.text)
    if let target {
      let k = max(1, min(V, left.height - 2))
      var picked = topIndices(probs, count: k)
      if !picked.contains(Int(target)) { picked[picked.count - 1] = Int(target) }
      let grads = picked.map { i -> Double in
        Double(probs[probs.startIndex + i]) - (i == Int(target) ? 1 : 0)
      }
      let bars = zip(picked, grads).map { i, g in
        BarChart.Bar(label: show(Int32(i)), value: abs(g), valueText: (g < 0 ? "−" : "+") + formatFixed(abs(g), decimals: 3),
                     style: g < 0 ? theme.negative : theme.positive)
      }
      BarChart(bars: bars, maxValue: 1, highlightedIndex: picked.firstIndex(of: Int(target))).render(in: sub(left, from: 2), buffer: &buffer, theme: theme)
    } else {
      line(L.noLabelHere(position: position), left, 2, &buffer, theme.muted)
    }
    line(L.gradientNormsHeader, right, 0, &buffer, theme.text)
    let norms = trace.gradientNorms
    let shown = Array(norms.prefix(max(0, right.height - 2)))
    let bars = shown.map {
      BarChart.Bar(
        label: shortName($0.name), value: Double($0.value), valueText: formatCompact(Double($0.value)), compactLabel: compactName($0.name))
    }
    BarChart(bars: bars).render(in: sub(right, from: 2), buffer: &buffer, theme: theme)
  }
}
