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
  /// A log step axis; nil: once the run spans two decades.
  var isLogAxis: Bool? = nil
  var watch = WatchControls()
  /// The terminal's height: below 30 rows the text starts folded to one line.
  var rows = 40
  /// The learner's guessing-game upper bound in nats, drawn as the line "you".
  var you: Double?
  /// The step the attention shows: a recorded one while the learner pages through history; nil: the live one.
  var historyTrace: StepTrace?

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let s = snapshot
    var area = area
    if let text, area.height > 8 {
      var paragraph = Paragraph(text, style: theme.text)
      paragraph.marksCut = true
      // Up to half the screen on small terminals, when the learner unfolds it, but never so much that
      // the loss plot has fewer than its eight rows (frame, legend, axis, three of curve) above the
      // gradient strip's three: squeezed further, its reference lines and their labels pile up.
      let limit = area.height < 30 ? max(1, min(area.height / 2, area.height - 12)) : area.height / 4
      let needed = paragraph.height(forWidth: area.width - 2, theme: theme)
      let (height, isFolded) = watch.narrativeLines(needed: needed, limit: limit, rows: rows)
      let textArea = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: height)
      if isFolded {
        FoldedText(text: text, hint: L.narrativeFolded).render(in: textArea, buffer: &buffer, theme: theme)
      } else {
        paragraph.render(in: textArea, buffer: &buffer, theme: theme)
      }
      if height > 0 { area = area.inset(top: height + 1) }
    }
    let columns = area.split(.horizontal, [.percentage(60), .fill(1)], spacing: 1)
    let left = columns[0].split(.vertical, [.fill(3), .fixed(3)])
    // Loss plot: train (averaged per column) and validation, with the reference entropies.
    let plotArea = Frame(title: L.lossPlotTitle).render(in: left[0], buffer: &buffer, theme: theme)
    LossPlotView(snapshot: s, language: language, isLogarithmic: isLogAxis, you: you, historyStep: historyTrace?.step)
      .render(in: plotArea, buffer: &buffer, theme: theme)
    // Gradient norm sparkline.
    let gradArea = Frame(title: L.gradNormTitle).render(in: left[1], buffer: &buffer, theme: theme)
    let norms = LossCurve.downsample(s.gradientNorms, to: max(1, gradArea.width - 10))
    Sparkline(values: norms.map(Double.init), style: theme.series(2)).render(in: gradArea.inset(right: 10), buffer: &buffer, theme: theme)
    if let last = s.gradientNorms.last {
      buffer.set(string: formatCompact(Double(last)), at: Point(x: gradArea.right - 9, y: gradArea.y), style: theme.muted, clipTo: gradArea)
    }
    // Attention of every head in the focused layer, and the model's continuation.
    let right = columns[1].split(.vertical, [.fill(2), .fill(1)])
    if let trace = historyTrace ?? s.trace, s.tokenizer != nil {
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
          rows: T, columns: T, values: attentionShades(values[...]), range: 0...1, mask: trace.objective.isCausal ? .causal : .none,
          highlightedRow: min(focus.position, T - 1), cellWidth: 1, showsLegend: false
        ).render(in: cell.inset(left: 3), buffer: &buffer, theme: theme)
      }
    } else {
      _ = Frame(title: L.attentionTitle(layer: 0, step: 0)).render(in: right[0], buffer: &buffer, theme: theme)
    }
    let sampleArea = Frame(title: L.sampleTitle).render(in: right[1], buffer: &buffer, theme: theme)
    Paragraph(s.sample.replacingOccurrences(of: "\n", with: "⏎ "), style: theme.text).render(in: sampleArea, buffer: &buffer, theme: theme)
  }
}
