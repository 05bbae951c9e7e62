import Curriculum
import TermUI

/// The loss at each position against ln V, and their mean.
struct LossView: StageDrawing {
  let context: StageContext

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let losses = Array(trace.positionLosses[row * T..<(row + 1) * T])
    let labelled = trace.batch.labels.filter { $0 >= 0 }.count
    let header = L.lossHeader(loss: trace.loss, labelled: labelled, rows: trace.batchSize, lnV: reference.uniform)
    let joined = header.loss + " · " + header.reference
    // Cut at the pane's edge, "ln V 5.147" read "ln V 5.14": the reference takes the next row instead.
    if displayWidth(of: joined) <= area.width {
      line(joined, area, 0, &buffer, theme.text)
    } else {
      line(header.loss, area, 0, &buffer, theme.text)
      line(header.reference, area, 1, &buffer, theme.text)
    }
    if trace.objective == .sft { renderAnswerBars(area, &buffer, theme, losses: losses); return }
    let shown = max(1, min(T, area.height - 2))
    let first = max(0, min(position - shown / 2, T - shown))
    let bars = (first..<first + shown).map { i -> BarChart.Bar in
      let label = "\(show(inputs[i]))→\(show(labels[i]))"
      if labels[i] < 0 { return BarChart.Bar(label: label, value: 0, valueText: L.ignored) }
      return BarChart.Bar(label: label, value: Double(losses[i]), valueText: formatFixed(Double(losses[i]), decimals: 3))
    }
    let maxValue = Double(max(reference.uniform * 1.2, losses.max() ?? 0))
    BarChart(
      bars: bars, maxValue: maxValue, highlightedIndex: position - first,
      referenceValue: Double(reference.uniform), referenceLabel: "ln V"
    ).render(in: sub(area, from: 2), buffer: &buffer, theme: theme)
  }

  /// SFT: a bar for each labelled position only (the answer and <|end|>); the rest are −100.
  private func renderAnswerBars(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme, losses: [Float]) {
    let labelled = (0..<T).filter { labels[$0] >= 0 }
    line(L.sftLossBars(shown: labelled.count, total: T), area, 2, &buffer, theme.muted)
    let room = max(1, area.height - 3)
    let focus = labelled.firstIndex { $0 >= position } ?? 0
    let first = max(0, min(focus - room / 2, labelled.count - room))
    let shown = labelled.dropFirst(first).prefix(room)
    let bars = shown.map { i in
      BarChart.Bar(label: "\(show(inputs[i]))→\(show(labels[i]))", value: Double(losses[i]), valueText: formatFixed(Double(losses[i]), decimals: 3))
    }
    let maxValue = Double(max(reference.uniform * 1.2, losses.max() ?? 0))
    BarChart(
      bars: Array(bars), maxValue: maxValue, highlightedIndex: shown.firstIndex(of: position).map { $0 - first },
      referenceValue: Double(reference.uniform), referenceLabel: "ln V"
    ).render(in: sub(area, from: 3), buffer: &buffer, theme: theme)
  }
}
