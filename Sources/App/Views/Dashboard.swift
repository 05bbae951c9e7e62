import Curriculum
import Foundation
import TermUI
import Training

/// The live dashboard: loss curves against reference lines, gradient norms, attention, a sample.
struct Dashboard {
  let snapshot: SessionSnapshot
  let focus: Focus
  let language: Language
  let text: String?

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let s = snapshot
    var area = area
    if let text, area.height > 16 {
      let paragraph = Paragraph(text, style: theme.text)
      // Up to half the screen on small terminals, so the lesson's run text is read whole.
      let limit = area.height < 30 ? area.height / 2 : area.height / 4
      let height = min(limit, paragraph.height(forWidth: area.width - 2, theme: theme))
      paragraph.render(in: Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: height), buffer: &buffer, theme: theme)
      area = area.inset(top: height + 1)
    }
    let columns = area.split(.horizontal, [.percentage(60), .fill(1)], spacing: 1)
    let left = columns[0].split(.vertical, [.fill(3), .fixed(3)])
    // Loss plot: train (averaged per column) and validation, with the reference entropies.
    let plotArea = Frame(title: L.lossPlotTitle).render(in: left[0], buffer: &buffer, theme: theme)
    let width = max(2, plotArea.width * 2)
    let per = max(1, Double(s.losses.count) / Double(width))
    let train = LossCurve.downsample(s.losses, to: width)
    let trainSeries = LinePlot.Series(
      name: L.train, values: train.map(Double.init), xStart: 1, xStep: per, style: theme.series(0))
    let validationSeries = LinePlot.Series(
      name: L.validation, points: s.validation.map { PlotPoint(x: Double($0.step), y: Double($0.loss)) }, style: theme.series(1))
    let references = [
      LinePlot.ReferenceLine(value: Double(s.reference.uniform), label: "ln V"),
      LinePlot.ReferenceLine(value: Double(s.reference.unigram), label: L.unigram),
      LinePlot.ReferenceLine(value: Double(s.reference.bigram), label: L.bigram),
    ].filter { $0.value > 0 }
    let top = Double(max(s.reference.uniform * 1.1, s.losses.prefix(5).max() ?? 0))
    LinePlot(
      series: [trainSeries, validationSeries], referenceLines: references, xLabel: L.steps,
      yRange: 0...max(0.5, top), xRange: 1...max(2, Double(s.losses.count))
    ).render(in: plotArea, buffer: &buffer, theme: theme)
    // Gradient norm sparkline.
    let gradArea = Frame(title: L.gradNormTitle).render(in: left[1], buffer: &buffer, theme: theme)
    let norms = LossCurve.downsample(s.gradientNorms, to: max(1, gradArea.width - 10))
    Sparkline(values: norms.map(Double.init), style: theme.series(2)).render(in: gradArea.inset(right: 10), buffer: &buffer, theme: theme)
    if let last = s.gradientNorms.last {
      buffer.set(string: formatCompact(Double(last)), at: Point(x: gradArea.right - 9, y: gradArea.y), style: theme.muted, clipTo: gradArea)
    }
    // Attention of every head in the focused layer, and the model's continuation.
    let right = columns[1].split(.vertical, [.fill(2), .fill(1)])
    if let trace = s.trace, let tokenizer = s.tokenizer {
      let layer = min(focus.layer, trace.config.layers - 1)
      let heads = trace.config.heads
      let attentionArea = Frame(title: L.attentionTitle(layer: layer, step: trace.step)).render(in: right[0], buffer: &buffer, theme: theme)
      let cellsAcross = heads <= 2 ? heads : 2
      let grid = attentionArea.split(.vertical, Array(repeating: .fill(1), count: (heads + cellsAcross - 1) / cellsAcross))
      for h in 0..<heads {
        let rowRect = grid[h / cellsAcross]
        let cell = rowRect.split(.horizontal, Array(repeating: .fill(1), count: cellsAcross), spacing: 1)[h % cellsAcross]
        let T = min(trace.length, 24)
        let full = trace.attention(row: 0, layer: layer, head: h)
        var values: [Float] = []
        values.reserveCapacity(T * T)
        for r in 0..<T { values += full[full.startIndex + r * trace.length..<full.startIndex + r * trace.length + T] }
        buffer.set(string: "h\(h + 1)", at: Point(x: cell.x, y: cell.y), style: theme.muted, clipTo: cell)
        Heatmap(
          rows: T, columns: T, values: attentionShades(values[...]), range: 0...1, mask: trace.objective == .clm ? .causal : .none,
          highlightedRow: min(focus.position, T - 1), cellWidth: 1, showsLegend: false
        ).render(in: cell.inset(left: 3), buffer: &buffer, theme: theme)
      }
      _ = tokenizer
    } else {
      _ = Frame(title: L.attentionTitle(layer: 0, step: 0)).render(in: right[0], buffer: &buffer, theme: theme)
    }
    let sampleArea = Frame(title: L.sampleTitle).render(in: right[1], buffer: &buffer, theme: theme)
    Paragraph(s.sample.replacingOccurrences(of: "\n", with: "⏎ "), style: theme.text).render(in: sampleArea, buffer: &buffer, theme: theme)
  }
}
