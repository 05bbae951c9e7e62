import Curriculum
import TermUI

/// One head's attention weights as a heatmap, and where the picked query looks most.
struct AttentionView: StageDrawing {
  let context: StageContext

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let layers = trace.config.layers
    let heads = trace.config.heads
    let layer = min(focus.layer, layers - 1)
    let head = min(focus.head, heads - 1)
    let weights = Array(trace.attention(row: row, layer: layer, head: head))
    line(L.attentionHeader(layer: layer, layers: layers, head: head, heads: heads, causal: !masked), area, 0, &buffer, theme.text)
    let names = inputs.map { truncated(show($0), toWidth: 6) }
    let summaryHeight = 2
    let mapArea = sub(area, from: 1, height: max(0, area.height - 1 - summaryHeight))
    var map = Heatmap(
      rows: T, columns: T, values: attentionShades(weights[...]), range: 0...1, mask: masked ? .none : .causal,
      rowLabels: names, columnLabels: names, highlightedRow: position
    )
    map.legendWords = (L.heatmapMasked, L.heatmapRows)
    map.render(in: mapArea, buffer: &buffer, theme: theme)
    // The strongest links of the picked query.
    let query = Array(weights[position * T..<(position + 1) * T])
    let top = query.enumerated().sorted { $0.element > $1.element }.prefix(3)
    let parts = top.map { "\(show(inputs[$0.offset]))@\($0.offset) \(formatFixed(Double($0.element), decimals: 2))" }
    line(L.attendsTo(show(inputs[position]), parts.joined(separator: "  ")), area, area.height - 1, &buffer, theme.accent)
  }
}
