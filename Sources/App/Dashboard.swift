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

/// The prompt box over the main area: the prompt, the sampled tokens, the next-token distribution.
struct PromptView {
  let box: PromptBox
  let snapshot: SessionSnapshot
  let language: Language
  let masked: Bool

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let height = min(area.height, max(10, area.height * 2 / 3))
    let box = Rect(x: area.x + 2, y: area.bottom - height, width: max(0, area.width - 4), height: height)
    buffer.fill(box)
    let inner = Frame(title: L.promptTitle(masked: masked), isFocused: true, clearsInterior: true).render(in: box, buffer: &buffer, theme: theme)
    guard !inner.isEmpty, let tokenizer = snapshot.tokenizer else { return }
    if self.box.isEditing {
      buffer.set(string: "> " + self.box.text + "▏", at: Point(x: inner.x, y: inner.y), style: theme.text, clipTo: inner)
      buffer.set(string: L.promptEditHelp(masked: masked), at: Point(x: inner.x, y: inner.y + 2), style: theme.muted, clipTo: inner)
      if let message = self.box.message {
        buffer.set(string: message, at: Point(x: inner.x, y: inner.y + 3), style: theme.error, clipTo: inner)
      }
      return
    }
    // The text so far, with the sampled tokens emphasised.
    let promptCount = self.box.tokens.count - (masked ? 0 : self.box.sampled.count)
    let promptText = tokenizer.decode(Array(self.box.tokens.prefix(promptCount))).replacingOccurrences(of: "\n", with: "⏎")
    let sampledText = masked ? "" : tokenizer.decode(self.box.sampled).replacingOccurrences(of: "\n", with: "⏎")
    var x = inner.x
    x += buffer.set(string: promptText, at: Point(x: x, y: inner.y), style: theme.text, clipTo: inner)
    buffer.set(string: sampledText, at: Point(x: x, y: inner.y), style: theme.accent.adding(.bold), clipTo: inner)
    if let message = self.box.message {
      buffer.set(string: message, at: Point(x: inner.x, y: inner.y + 2), style: theme.accent, clipTo: inner)
      return
    }
    guard let prediction = self.box.prediction else {
      buffer.set(string: L.computing, at: Point(x: inner.x, y: inner.y + 2), style: theme.muted, clipTo: inner)
      return
    }
    let header = L.nextTokenHeader(masked: masked, position: prediction.position)
    buffer.set(string: header, at: Point(x: inner.x, y: inner.y + 2), style: theme.muted, clipTo: inner)
    let k = max(1, min(prediction.probabilities.count, inner.height - 4))
    let top = prediction.probabilities.indices.sorted { prediction.probabilities[$0] > prediction.probabilities[$1] }.prefix(k)
    let bars = top.map { i in
      BarChart.Bar(label: tokenizer.displayToken(Int32(i)), value: Double(prediction.probabilities[i]),
                   valueText: String(format: "%.3f", Double(prediction.probabilities[i])))
    }
    BarChart(bars: Array(bars), maxValue: 1).render(in: inner.inset(top: 3, bottom: 1), buffer: &buffer, theme: theme)
    buffer.set(string: L.promptStepHelp, at: Point(x: inner.x, y: inner.bottom - 1), style: theme.muted, clipTo: inner)
  }
}
