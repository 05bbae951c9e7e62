#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A point of a plotted series.
public struct PlotPoint: Sendable, Hashable {
  public var x: Double
  public var y: Double
  public init(x: Double, y: Double) {
    self.x = x
    self.y = y
  }
}

/// Line plot of one or more series with braille dots (2×4 per cell) or block characters.
///
/// Y ticks on the left, x ticks and label below, horizontal reference lines
/// with labels (ln V, unigram entropy …), an optional log-scale y axis and a
/// legend. Consecutive points are joined so that sparse series read as lines.
public struct LinePlot: Sendable {
  public struct Series: Sendable, Hashable {
    public var name: String
    public var points: [PlotPoint]
    public var style: Style?

    public init(name: String, points: [PlotPoint], style: Style? = nil) {
      self.name = name
      self.points = points
      self.style = style
    }

    /// A series whose x values are `xStart`, `xStart + xStep`, ….
    public init(name: String, values: [Double], xStart: Double = 0, xStep: Double = 1, style: Style? = nil) {
      self.init(
        name: name,
        points: values.enumerated().map { PlotPoint(x: xStart + Double($0.offset) * xStep, y: $0.element) },
        style: style)
    }
  }

  /// A glyph and a short label at one point of the plot: a milestone.
  public struct Marker: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var glyph: Character
    public var label: String
    public var style: Style?

    public init(x: Double, y: Double, glyph: Character, label: String, style: Style? = nil) {
      self.x = x
      self.y = y
      self.glyph = glyph
      self.label = label
      self.style = style
    }
  }

  public struct ReferenceLine: Sendable, Hashable {
    public var value: Double
    public var label: String
    public init(value: Double, label: String) {
      self.value = value
      self.label = label
    }
  }

  public var series: [Series]
  public var referenceLines: [ReferenceLine]
  /// Written at the right end of the x-axis labels, e.g. "step".
  public var xLabel: String
  /// Fixed y range; the data (and reference lines) decide when nil.
  public var yRange: ClosedRange<Double>?
  public var xRange: ClosedRange<Double>?
  public var isLogScale: Bool
  /// A logarithmic x axis (steps 1, 10, 100 … equally apart); points at x ≤ 0 are left out.
  public var isLogX: Bool
  /// Drawn last, over the curves; reference labels make way for them. A later marker is
  /// drawn over an earlier one on the same cell and gets the first choice of where its label goes.
  public var markers: [Marker]
  public var showsLegend: Bool
  /// The series in the legend's order, by index (those a narrow legend may cut go last); nil: as drawn.
  public var legendOrder: [Int]?
  /// Overrides the theme's braille choice when set.
  public var usesBraille: Bool?

  public init(
    series: [Series], referenceLines: [ReferenceLine] = [], xLabel: String = "",
    yRange: ClosedRange<Double>? = nil, xRange: ClosedRange<Double>? = nil,
    isLogScale: Bool = false, isLogX: Bool = false, markers: [Marker] = [], showsLegend: Bool = true,
    usesBraille: Bool? = nil
  ) {
    self.series = series
    self.referenceLines = referenceLines
    self.xLabel = xLabel
    self.yRange = yRange
    self.xRange = xRange
    self.isLogScale = isLogScale
    self.isLogX = isLogX
    self.markers = markers
    self.showsLegend = showsLegend
    self.usesBraille = usesBraille
  }

  /// Braille dot bits by [row][column] inside a cell.
  static let brailleBits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

  private func transform(_ y: Double) -> Double {
    isLogScale ? log10(Swift.max(y, 1e-12)) : y
  }

  private func untransform(_ t: Double) -> Double {
    isLogScale ? pow(10, t) : t
  }

  /// The y range in plotting space (after the log transform).
  func plotYRange() -> (Double, Double) {
    var low = Double.infinity
    var high = -Double.infinity
    if let yRange {
      low = transform(yRange.lowerBound)
      high = transform(yRange.upperBound)
    } else {
      for s in series {
        for p in s.points where p.y.isFinite && (!isLogScale || p.y > 0) {
          let t = transform(p.y)
          low = Swift.min(low, t)
          high = Swift.max(high, t)
        }
      }
      for line in referenceLines where line.value.isFinite && (!isLogScale || line.value > 0) {
        let t = transform(line.value)
        low = Swift.min(low, t)
        high = Swift.max(high, t)
      }
    }
    if !low.isFinite || !high.isFinite { return (0, 1) }
    if high - low < 1e-12 {
      let pad = Swift.max(abs(low) * 0.1, 0.5)
      return (low - pad, high + pad)
    }
    return (low, high)
  }

  private func transformX(_ x: Double) -> Double {
    isLogX ? log10(x) : x
  }

  /// The x range in plotting space (after the log transform).
  func plotXRange() -> (Double, Double) {
    if let xRange {
      let low = transformX(isLogX ? Swift.max(xRange.lowerBound, 1) : xRange.lowerBound)
      let high = transformX(isLogX ? Swift.max(xRange.upperBound, 1) : xRange.upperBound)
      return (low, Swift.max(high, low + 1e-9))
    }
    var low = Double.infinity
    var high = -Double.infinity
    for s in series {
      for p in s.points where p.x.isFinite && (!isLogX || p.x > 0) {
        low = Swift.min(low, p.x)
        high = Swift.max(high, p.x)
      }
    }
    if !low.isFinite { return (0, 1) }
    if isLogX {
      // From step 1, so the first decade is always on the axis.
      low = 0
      high = log10(high)
    }
    if high - low < 1e-12 { return (low, low + 1) }
    return (low, high)
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard area.width >= 6, area.height >= 3 else { return }
    let braille = usesBraille ?? theme.usesBraille
    let (dotsPerColumn, dotsPerRow) = braille ? (2, 4) : (1, 2)
    let legendRows = showsLegend && !series.isEmpty && area.height >= 6 ? 1 : 0
    let plotHeight = area.height - legendRows - 2
    guard plotHeight >= 1 else { return }
    let (yLow, yHigh) = plotYRange()
    let (xLow, xHigh) = plotXRange()

    // Y ticks decide the axis width.
    let tickCount = Swift.max(2, Swift.min(5, plotHeight / 3 + 1))
    var ticks: [(row: Int, text: String)] = []
    for k in 0..<tickCount {
      let fraction = Double(k) / Double(tickCount - 1)
      let value = untransform(yLow + (yHigh - yLow) * fraction)
      let row = Int(((1 - fraction) * Double(plotHeight - 1)).rounded())
      ticks.append((row, formatCompact(value)))
    }
    let axisWidth = (ticks.map { displayWidth(of: $0.text) }.max() ?? 1) + 1
    let plotArea = Rect(x: area.x + axisWidth, y: area.y + legendRows, width: area.width - axisWidth, height: plotHeight)
    guard plotArea.width >= 2 else { return }

    // Legend.
    var legendEnd = plotArea.x
    if legendRows == 1 {
      var x = plotArea.x
      // A series without a name (a second curve of the same run) has no legend entry.
      for i in legendOrder ?? Array(series.indices) where series.indices.contains(i) && !series[i].name.isEmpty {
        let s = series[i]
        let style = s.style ?? theme.series(i)
        x += buffer.set(string: "━ ", at: Point(x: x, y: area.y), style: style, clipTo: area)
        // A name the row cannot hold ends in "…" rather than mid-word at the frame.
        x += buffer.set(string: truncated(s.name, toWidth: area.right - x) + "  ", at: Point(x: x, y: area.y), style: theme.text, clipTo: area)
      }
      if isLogScale { x += buffer.set(string: "(log scale)", at: Point(x: x, y: area.y), style: theme.muted, clipTo: area) }
      legendEnd = x
    }

    // Axis and y tick labels.
    let axisX = plotArea.x - 1
    for row in 0..<plotHeight {
      buffer.set(character: "│", at: Point(x: axisX, y: plotArea.y + row), style: theme.border, clipTo: area)
    }
    for tick in ticks {
      let y = plotArea.y + tick.row
      let x = axisX - displayWidth(of: tick.text)
      buffer.set(string: tick.text, at: Point(x: x, y: y), style: theme.muted, clipTo: area)
      buffer.set(character: "┤", at: Point(x: axisX, y: y), style: theme.border, clipTo: area)
    }
    let axisY = plotArea.bottom
    buffer.set(character: "└", at: Point(x: axisX, y: axisY), style: theme.border, clipTo: area)
    for x in plotArea.x..<plotArea.right {
      buffer.set(character: "─", at: Point(x: x, y: axisY), style: theme.border, clipTo: area)
    }

    // X tick labels, kept from overlapping each other and the x label. The x label goes at
    // the right end of the tick row; when a tick needs that room, at the right end of the
    // legend row; with no room there either, the ticks under it are left out.
    let labelY = axisY + 1
    let xTickCount = Swift.max(2, Swift.min(8, plotArea.width / 8 + 1))
    let tickValues =
      isLogX
      ? AxisTicks.logarithmic(from: pow(10, xLow), to: pow(10, xHigh), maxCount: xTickCount)
      : AxisTicks.linear(from: xLow, to: xHigh, maxCount: xTickCount)
    var xTicks: [(column: Int, x: Int, text: String)] = []
    var nextFree = plotArea.x - 1
    for value in tickValues {
      let fraction = (transformX(value) - xLow) / (xHigh - xLow)
      guard fraction.isFinite, fraction >= -1e-9, fraction <= 1 + 1e-9 else { continue }
      let column = plotArea.x + Int((fraction * Double(plotArea.width - 1)).rounded())
      let text = AxisTicks.label(value)
      let width = displayWidth(of: text)
      let x = Swift.max(column - width / 2, nextFree)
      if x + width > area.right { continue }
      xTicks.append((column, x, text))
      nextFree = x + width + 1
    }
    let xLabelWidth = displayWidth(of: xLabel)
    var labelLimit = area.right
    if xLabelWidth > 0 {
      let ticksEnd = xTicks.last.map { $0.x + displayWidth(of: $0.text) + 1 } ?? area.x
      if ticksEnd > area.right - xLabelWidth, legendRows == 1, legendEnd + 1 <= area.right - xLabelWidth {
        buffer.set(string: xLabel, at: Point(x: area.right - xLabelWidth, y: area.y), style: theme.muted, clipTo: area)
      } else {
        buffer.set(string: xLabel, at: Point(x: area.right - xLabelWidth, y: labelY), style: theme.muted, clipTo: area)
        labelLimit = area.right - xLabelWidth - 1
      }
    }
    for tick in xTicks where tick.x + displayWidth(of: tick.text) <= labelLimit {
      buffer.set(character: "┴", at: Point(x: tick.column, y: axisY), style: theme.border, clipTo: area)
      buffer.set(string: tick.text, at: Point(x: tick.x, y: labelY), style: theme.muted, clipTo: area)
    }

    // Rasterise the series into per-cell dot masks.
    let dotsWide = plotArea.width * dotsPerColumn
    let dotsHigh = plotArea.height * dotsPerRow
    let ySpan = yHigh - yLow
    let xSpan = xHigh - xLow
    // Positions in dot space; values far outside the range are pulled in to just
    // beyond the edge, so lines still head the right way and integers cannot overflow.
    func dotY(_ y: Double) -> Int? {
      let f = (transform(y) - yLow) / ySpan
      guard f.isFinite else { return nil }
      return (dotsHigh - 1) - Int((Swift.max(-1, Swift.min(2, f)) * Double(dotsHigh - 1)).rounded())
    }
    func dotX(_ x: Double) -> Int? {
      guard !isLogX || x > 0 else { return nil }
      let f = (transformX(x) - xLow) / xSpan
      guard f.isFinite else { return nil }
      return Int((Swift.max(-1, Swift.min(2, f)) * Double(dotsWide - 1)).rounded())
    }

    // Reference lines go under the curves; their labels are drawn after the curves, on top.
    var labels: [(text: String, y: Int)] = []
    for line in referenceLines where line.value.isFinite {
      guard let dy = dotY(line.value), dy >= 0, dy < dotsHigh else { continue }
      let y = plotArea.y + dy / dotsPerRow
      for x in plotArea.x..<plotArea.right {
        buffer.set(character: "╌", at: Point(x: x, y: y), style: theme.muted, clipTo: plotArea)
      }
      labels.append((" " + line.label + " " + formatCompact(line.value) + " ", y))
    }

    var masks = [UInt8](repeating: 0, count: plotArea.width * plotArea.height)
    var owners = [Int16](repeating: -1, count: masks.count)
    for (seriesIndex, s) in series.enumerated() {
      var previous: (Int, Int)?
      for p in s.points {
        guard p.x.isFinite, p.y.isFinite, !isLogScale || p.y > 0, let dx = dotX(p.x), let dy = dotY(p.y) else {
          previous = nil
          continue
        }
        if let (px, py) = previous {
          drawLine(from: (px, py), to: (dx, dy), series: seriesIndex)
        } else {
          plot(dx, dy, series: seriesIndex)
        }
        previous = (dx, dy)
      }
    }

    func plot(_ dx: Int, _ dy: Int, series seriesIndex: Int) {
      guard dx >= 0, dx < dotsWide, dy >= 0, dy < dotsHigh else { return }
      let cell = (dy / dotsPerRow) * plotArea.width + dx / dotsPerColumn
      let bit: UInt8 = braille ? LinePlot.brailleBits[dy % 4][dx % 2] : (dy % 2 == 0 ? 1 : 2)
      masks[cell] |= bit
      owners[cell] = Int16(seriesIndex)
    }

    func drawLine(from a: (Int, Int), to b: (Int, Int), series seriesIndex: Int) {
      // Bresenham: every dot between two samples, so steep drops stay connected.
      var (x0, y0) = a
      let (x1, y1) = b
      let dx = abs(x1 - x0)
      let dy = -abs(y1 - y0)
      let sx = x0 < x1 ? 1 : -1
      let sy = y0 < y1 ? 1 : -1
      var error = dx + dy
      while true {
        plot(x0, y0, series: seriesIndex)
        if x0 == x1 && y0 == y1 { break }
        let e2 = 2 * error
        if e2 >= dy { error += dy; x0 += sx }
        if e2 <= dx { error += dx; y0 += sy }
      }
    }

    let styles = series.enumerated().map { $0.element.style ?? theme.series($0.offset) }
    for row in 0..<plotArea.height {
      for column in 0..<plotArea.width {
        let i = row * plotArea.width + column
        let mask = masks[i]
        guard mask != 0 else { continue }
        let glyph: Character
        if braille {
          glyph = Character(Unicode.Scalar(0x2800 + UInt32(mask))!)
        } else {
          glyph = mask == 1 ? "▀" : (mask == 2 ? "▄" : "█")
        }
        buffer.set(character: glyph, at: Point(x: plotArea.x + column, y: plotArea.y + row), style: styles[Int(owners[i])], clipTo: plotArea)
      }
    }

    // Labels last, so a curve crossing a reference line never hides what it is. Marker
    // glyphs are placed first: they mark data, so the reference labels make way for them
    // (side by side from the right), and the markers' labels go wherever nothing else is.
    var space = PlotLabelSpace(bounds: plotArea)
    // Text over a curve takes none of the curve's modifiers: a label over a dimmed curve stays bright.
    func own(_ style: Style) -> Style { Style(removedModifiers: [.bold, .dim, .reverse, .underline]).patched(with: style) }
    var glyphs: [(at: Point, marker: Marker)] = []
    for marker in markers {
      guard let dx = dotX(marker.x), let dy = dotY(marker.y), dx >= 0, dx < dotsWide, dy >= 0, dy < dotsHigh else { continue }
      let at = Point(x: plotArea.x + dx / dotsPerColumn, y: plotArea.y + dy / dotsPerRow)
      glyphs.append((at, marker))
      space.take(at.x..<(at.x + 1), row: at.y)
    }
    for label in labels {
      guard let x = space.placeReferenceLabel(width: displayWidth(of: label.text), row: label.y) else { continue }
      buffer.set(string: label.text, at: Point(x: x, y: label.y), style: own(theme.muted), clipTo: plotArea)
    }
    for (at, marker) in glyphs {
      buffer.set(character: marker.glyph, at: at, style: own(marker.style ?? theme.accent), clipTo: plotArea)
    }
    for (at, marker) in glyphs.reversed() where !marker.label.isEmpty {
      guard let place = space.placeMarkerLabel(width: displayWidth(of: marker.label), glyph: at) else { continue }
      buffer.set(string: marker.label, at: place, style: own(marker.style ?? theme.accent), clipTo: plotArea)
    }
  }
}
