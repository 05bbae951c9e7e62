/// Points in a plane drawn as braille dots (or half blocks), a few of them labelled, with short trails.
///
/// The view fits every point and trail position, keeping the x:y ratio of the data (a cell is
/// about twice as tall as wide), so distances on screen read as distances in the plane.
/// Labels are placed in the order of `marks` (the first are the most important) beside their
/// point, where they cover no other label or marked point; a label that finds no such place
/// is left out rather than drawn over another. Per frame the work is O(points + trail
/// positions + label cells).
public struct ScatterMap: Sendable {
  /// How a point stands out.
  public enum Emphasis: Sendable, Equatable {
    case plain
    /// The picked point: highlighted.
    case picked
    /// A neighbour of the picked point.
    case neighbour
  }

  /// A point with a label: drawn as a glyph with its text beside it.
  public struct Mark: Sendable, Equatable {
    public var x: Float
    public var y: Float
    public var label: String
    public var emphasis: Emphasis
    /// Earlier positions, oldest first: drawn as faint dots.
    public var trail: [SIMD2<Float>]

    public init(x: Float, y: Float, label: String, emphasis: Emphasis = .plain, trail: [SIMD2<Float>] = []) {
      self.x = x
      self.y = y
      self.label = label
      self.emphasis = emphasis
      self.trail = trail
    }
  }

  /// Points without labels: dots.
  public var dots: [SIMD2<Float>]
  /// Labelled points, most important first.
  public var marks: [Mark]
  /// Overrides the theme's braille choice when set.
  public var usesBraille: Bool?

  public init(dots: [SIMD2<Float>], marks: [Mark], usesBraille: Bool? = nil) {
    self.dots = dots
    self.marks = marks
    self.usesBraille = usesBraille
  }

  /// Where each mark's label went (nil: left out), in `marks` order; for tests and for the screen's legend.
  public func labelPlaces(in area: Rect, theme: Theme) -> [Rect?] {
    var buffer = Buffer(area: area)
    return draw(in: area, buffer: &buffer, theme: theme)
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    _ = draw(in: area, buffer: &buffer, theme: theme)
  }

  private func draw(in area: Rect, buffer: inout Buffer, theme: Theme) -> [Rect?] {
    let area = area.intersection(buffer.area)
    guard !area.isEmpty else { return marks.map { _ in nil } }
    let braille = usesBraille ?? theme.usesBraille
    let (perColumn, perRow) = braille ? (2, 4) : (1, 2)
    let dotsWide = area.width * perColumn, dotsHigh = area.height * perRow

    // The extent of everything drawn, so trails stay in view too.
    var (minX, maxX, minY, maxY) = (Float.infinity, -Float.infinity, Float.infinity, -Float.infinity)
    func include(_ x: Float, _ y: Float) {
      guard x.isFinite, y.isFinite else { return }
      minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
    }
    for dot in dots { include(dot.x, dot.y) }
    for mark in marks {
      include(mark.x, mark.y)
      for p in mark.trail { include(p.x, p.y) }
    }
    guard minX.isFinite else { return marks.map { _ in nil } }
    // One scale for both axes: a cell is about twice as tall as wide, so a braille dot (half
    // a cell wide, a quarter high) and a half block (a cell wide, half high) are near square.
    let spanX = max(maxX - minX, 1e-12), spanY = max(maxY - minY, 1e-12)
    let scale = min(Float(dotsWide - 1) / spanX, Float(dotsHigh - 1) / spanY)
    let usedWide = spanX * scale, usedHigh = spanY * scale
    let offsetX = (Float(dotsWide - 1) - usedWide) / 2, offsetY = (Float(dotsHigh - 1) - usedHigh) / 2
    func dot(_ x: Float, _ y: Float) -> (Int, Int)? {
      guard x.isFinite, y.isFinite else { return nil }
      let dx = Int(((x - minX) * scale + offsetX).rounded())
      // Up is positive y.
      let dy = Int(((maxY - y) * scale + offsetY).rounded())
      guard dx >= 0, dx < dotsWide, dy >= 0, dy < dotsHigh else { return nil }
      return (dx, dy)
    }

    var masks = [UInt8](repeating: 0, count: area.width * area.height)
    var isCurrent = [Bool](repeating: false, count: masks.count)
    func plot(_ x: Float, _ y: Float, current: Bool) {
      guard let (dx, dy) = dot(x, y) else { return }
      let cell = (dy / perRow) * area.width + dx / perColumn
      masks[cell] |= braille ? LinePlot.brailleBits[dy % 4][dx % 2] : (dy % 2 == 0 ? 1 : 2)
      if current { isCurrent[cell] = true }
    }
    for mark in marks { for p in mark.trail { plot(p.x, p.y, current: false) } }
    for dot in dots { plot(dot.x, dot.y, current: true) }
    for row in 0..<area.height {
      for column in 0..<area.width {
        let i = row * area.width + column
        let mask = masks[i]
        guard mask != 0 else { continue }
        let glyph = braille ? Character(Unicode.Scalar(0x2800 + UInt32(mask))!) : (mask == 1 ? "▀" : (mask == 2 ? "▄" : "█"))
        buffer.set(character: glyph, at: Point(x: area.x + column, y: area.y + row), style: isCurrent[i] ? theme.text : theme.muted, clipTo: area)
      }
    }

    // Marked points: a glyph at each, placed before any label so no label covers one.
    var space = PlotLabelSpace(bounds: area)
    var glyphs: [Point?] = []
    for mark in marks {
      guard let (dx, dy) = dot(mark.x, mark.y) else { glyphs.append(nil); continue }
      let at = Point(x: area.x + dx / perColumn, y: area.y + dy / perRow)
      glyphs.append(at)
      space.take(at.x..<(at.x + 1), row: at.y)
    }
    func style(_ emphasis: Emphasis) -> Style {
      switch emphasis {
      case .plain: theme.accent
      case .picked: theme.highlight
      case .neighbour: theme.positive.adding(.bold)
      }
    }
    // Later marks first, so the most important glyph is the one left in a shared cell.
    for (mark, at) in zip(marks, glyphs).reversed() {
      guard let at else { continue }
      buffer.set(character: braille ? "●" : "o", at: at, style: style(mark.emphasis), clipTo: area)
    }
    var places: [Rect?] = []
    for (mark, at) in zip(marks, glyphs) {
      let width = displayWidth(of: mark.label)
      guard let at, let place = space.placeMarkerLabel(width: width, glyph: at) else { places.append(nil); continue }
      buffer.set(string: mark.label, at: place, style: style(mark.emphasis), clipTo: area)
      places.append(Rect(x: place.x, y: place.y, width: width, height: 1))
    }
    return places
  }
}
