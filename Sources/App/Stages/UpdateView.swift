import Curriculum
import Foundation
import TermUI

/// The optimizer's step: a slice of the token's embedding before and after, and update ratios.
struct UpdateView: StageDrawing {
  let context: StageContext

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let delta = trace.lossAfter - trace.loss
    line(L.updateHeader(before: trace.loss, after: trace.lossAfter, delta: delta, lr: trace.learningRate), area, 0, &buffer, delta <= 0 ? theme.positive : theme.negative)
    let halves = sub(area, from: 2).split(.horizontal, [.min(38), .fill(1)], spacing: 2)
    let left = halves[0]
    let right = halves[1]
    // A slice of the embedding row of the picked token: before, after, and the change.
    let token = inputs[position]
    let C = trace.config.channels
    let wte = trace.layout.tokenEmbedding
    let before = Array(trace.row(Int(token), of: wte, .before))
    let after = Array(trace.row(Int(token), of: wte, .after))
    let grad = Array(trace.row(Int(token), of: wte, .gradient))
    line(L.sliceHeader(token: show(token), id: Int(token)), left, 0, &buffer, theme.text)
    line(L.sliceColumns, left, 1, &buffer, theme.muted)
    let count = min(C, max(0, left.height - 2))
    for i in 0..<count {
      let d = after[i] - before[i]
      let text = String(
        format: "%3d %7.4f %7.4f %+8.5f %+7.4f", i, Self.shown(before[i], 4), Self.shown(after[i], 4), Self.shown(d, 5),
        Self.shown(grad[i], 4))
      line(text, left, 2 + i, &buffer, theme.text)
    }
    line(L.ratiosHeader, right, 0, &buffer, theme.text)
    let ratios = trace.updateRatios.prefix(max(0, right.height - 2))
    let bars = ratios.map { stat in
      stat.value.isFinite
        ? BarChart.Bar(
          label: shortName(stat.name), value: Double(stat.value), valueText: formatCompact(Double(stat.value)),
          compactLabel: compactName(stat.name))
        : BarChart.Bar(label: shortName(stat.name), value: 0, valueText: L.fromZero, compactLabel: compactName(stat.name))
    }
    BarChart(bars: Array(bars)).render(in: sub(right, from: 2), buffer: &buffer, theme: theme)
  }

  /// `value` as printed with `decimals` places, but 0 where it rounds to zero: never "-0.0000" for a tiny negative.
  static func shown(_ value: Float, _ decimals: Int) -> Double {
    let scale = pow(10, Double(decimals))
    let rounded = (Double(value) * scale).rounded() / scale
    return rounded == 0 ? 0 : Double(value)
  }
}
