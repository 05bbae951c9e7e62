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
    let keys = inputs.map { Self.columnLabel(show($0)) }
    let summaryHeight = 2
    let mapArea = sub(area, from: 1, height: max(0, area.height - 1 - summaryHeight))
    var map = Heatmap(
      rows: T, columns: T, values: attentionShades(weights[...]), range: 0...1, mask: masked ? .none : .causal,
      rowLabels: names, columnLabels: keys.map(\.text), highlightedRow: position
    )
    map.dimmedColumnLabels = Set(keys.indices.filter { keys[$0].isBytes })
    map.legendWords = (L.heatmapMasked, L.heatmapRows)
    map.render(in: mapArea, buffer: &buffer, theme: theme)
    // The strongest links of the picked query, among the keys it can see: under the causal
    // mask a later key has weight 0 because it is hidden, not because the query ignores it.
    let visible = masked ? T : position + 1
    let query = Array(weights[position * T..<position * T + visible])
    let top = query.enumerated().sorted { $0.element > $1.element }.prefix(3)
    let parts = top.map { "\(show(inputs[$0.offset]))@\($0.offset) \(formatFixed(Double($0.element), decimals: 2))" }
    line(L.attendsTo(show(inputs[position]), parts.joined(separator: "  ")), area, area.height - 1, &buffer, theme.accent)
  }

  /// A key's column label: a byte that is no character on its own shows its two hex digits.
  ///
  /// A column is two or three cells wide, so `<0xE6>` would show as `<0`, the same for every byte.
  static func columnLabel(_ shown: String) -> (text: String, isBytes: Bool) {
    var text = ""
    var isBytes = false
    var rest = Substring(shown)
    while !rest.isEmpty {
      if rest.hasPrefix("<0x"), rest.count >= 6, rest.dropFirst(5).first == ">",
        rest.dropFirst(3).prefix(2).allSatisfy(\.isHexDigit)
      {
        text += rest.dropFirst(3).prefix(2)
        isBytes = true
        rest = rest.dropFirst(6)
      } else {
        text.append(rest.removeFirst())
      }
    }
    return (text, isBytes)
  }
}
