/// A one-row chart of recent values with the block characters ▁▂▃▄▅▆▇█.
///
/// Shows the last values that fit the width, scaled between `range` or the
/// visible minimum and maximum.
public struct Sparkline: Sendable {
  public var values: [Double]
  public var range: ClosedRange<Double>?
  public var style: Style?

  public init(values: [Double], range: ClosedRange<Double>? = nil, style: Style? = nil) {
    self.values = values
    self.range = range
    self.style = style
  }

  static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty, !values.isEmpty else { return }
    let visible = values.suffix(area.width)
    let finite = visible.filter(\.isFinite)
    let low = range?.lowerBound ?? finite.min() ?? 0
    let high = range?.upperBound ?? finite.max() ?? 1
    let span = high - low
    let style = self.style ?? theme.series(0)
    var x = area.x
    let y = area.bottom - 1
    for value in visible {
      let glyph: Character
      if !value.isFinite {
        glyph = " "
      } else {
        let fraction = span > 0 ? max(0, min(1, (value - low) / span)) : 0.5
        glyph = Sparkline.levels[min(7, Int(fraction * 7.999))]
      }
      buffer.set(character: glyph, at: Point(x: x, y: y), style: style, clipTo: area)
      x += 1
    }
  }
}
