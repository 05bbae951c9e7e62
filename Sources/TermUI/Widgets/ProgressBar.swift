/// A one-row progress bar with a label and a percentage.
public struct ProgressBar: Sendable {
  /// Done so far, 0…1.
  public var fraction: Double
  public var label: String

  public init(fraction: Double, label: String = "") {
    self.fraction = fraction
    self.label = label
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let clamped = fraction.isFinite ? max(0, min(1, fraction)) : 0
    let percent = formatFixed(clamped * 100, decimals: 0) + "%"
    var x = area.x
    if !label.isEmpty {
      x += buffer.set(string: label + " ", at: Point(x: x, y: area.y), style: theme.text, clipTo: area)
    }
    let barWidth = area.right - x - displayWidth(of: percent) - 1
    if barWidth > 0 {
      let eighths = Int((clamped * Double(barWidth) * 8).rounded())
      let style = theme.isMonochrome ? Style.plain : theme.series(0)
      for k in 0..<barWidth {
        let filled = min(8, max(0, eighths - k * 8))
        let glyph: Character = filled == 0 ? (theme.isMonochrome ? "·" : "░") : BarChart.eighths[filled]
        buffer.set(character: glyph, at: Point(x: x + k, y: area.y), style: filled == 0 ? theme.muted : style, clipTo: area)
      }
      x += barWidth + 1
    }
    buffer.set(string: percent, at: Point(x: x, y: area.y), style: theme.accent, clipTo: area)
  }
}
