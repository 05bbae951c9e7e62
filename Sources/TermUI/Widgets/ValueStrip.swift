/// A row of small coloured cells for a vector of floats, on a diverging scale.
///
/// Used for embeddings: negative values shade one way, positive the other,
/// zero is neutral. Values beyond the width are cut, marked by "…".
public struct ValueStrip: Sendable {
  public var values: [Float]
  /// The magnitude drawn at full intensity; the largest |value| when nil.
  public var scale: Float?
  /// Columns per value (1 or 2).
  public var cellWidth: Int

  public init(values: [Float], scale: Float? = nil, cellWidth: Int = 1) {
    self.values = values
    self.scale = scale
    self.cellWidth = max(1, min(2, cellWidth))
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty, !values.isEmpty else { return }
    let magnitude = scale ?? values.lazy.filter(\.isFinite).map(abs).max() ?? 1
    let inverse = magnitude > 0 ? 1 / Double(magnitude) : 0
    let capacity = area.width / cellWidth
    let isCut = values.count > capacity
    let shown = isCut ? max(0, capacity - 1) : values.count
    var x = area.x
    for value in values.prefix(shown) {
      let (glyph, style) = theme.diverging(Double(value) * inverse)
      for _ in 0..<cellWidth {
        buffer.set(character: glyph, at: Point(x: x, y: area.y), style: style, clipTo: area)
        x += 1
      }
    }
    if isCut { buffer.set(character: "…", at: Point(x: x, y: area.y), style: theme.muted, clipTo: area) }
  }
}
