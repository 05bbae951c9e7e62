/// Horizontal bars with labels and values, one highlighted, and an optional reference line.
///
/// Bars are drawn with eighth-block characters for sub-cell precision. A
/// reference value (the loss of a uniform guess, ln V) is marked by a "│"
/// through every row and labelled beneath the bars.
public struct BarChart: Sendable {
  public struct Bar: Sendable, Hashable {
    public var label: String
    public var value: Double
    /// Shown right of the bar; the value itself when nil.
    public var valueText: String?
    public var style: Style?
    /// A shorter label that still tells this bar from the others, shown (on every bar) when a label does not fit.
    ///
    /// Cutting names that differ only at the end (h0.attn.c_attn.w and .b) would make them identical.
    public var compactLabel: String?

    public init(label: String, value: Double, valueText: String? = nil, style: Style? = nil, compactLabel: String? = nil) {
      self.label = label
      self.value = value
      self.valueText = valueText
      self.style = style
      self.compactLabel = compactLabel
    }
  }

  public var bars: [Bar]
  /// The value of a full-length bar; the largest bar (or reference) when nil.
  public var maxValue: Double?
  public var highlightedIndex: Int?
  public var referenceValue: Double?
  public var referenceLabel: String?

  public init(
    bars: [Bar], maxValue: Double? = nil, highlightedIndex: Int? = nil,
    referenceValue: Double? = nil, referenceLabel: String? = nil
  ) {
    self.bars = bars
    self.maxValue = maxValue
    self.highlightedIndex = highlightedIndex
    self.referenceValue = referenceValue
    self.referenceLabel = referenceLabel
  }

  static let eighths: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty, !bars.isEmpty else { return }
    let texts = bars.map { $0.valueText ?? formatCompact($0.value) }
    let widest = max(1, area.width / 3)
    // All compact once one label is too wide, so the names keep one form.
    let compact = bars.contains { displayWidth(of: $0.label) > widest }
    let labels = bars.map { compact ? ($0.compactLabel ?? $0.label) : $0.label }
    let labelWidth = min(labels.map { displayWidth(of: $0) }.max() ?? 0, widest)
    let valueWidth = texts.map { displayWidth(of: $0) }.max() ?? 0
    let barLeft = area.x + labelWidth + 1
    let barWidth = area.width - labelWidth - 1 - valueWidth - 1
    guard barWidth > 0 else { return }
    let largest = bars.map(\.value).filter(\.isFinite).max() ?? 0
    let scale = maxValue ?? max(largest, referenceValue ?? 0)
    let hasReferenceRow = referenceValue != nil && area.height > 1
    let visibleCount = min(bars.count, area.height - (hasReferenceRow ? 1 : 0))
    var first = 0
    if let highlightedIndex, highlightedIndex >= visibleCount {
      first = min(bars.count - visibleCount, highlightedIndex - visibleCount + 1)
    }
    var referenceColumn: Int?
    if let referenceValue, scale > 0, referenceValue.isFinite {
      let position = referenceValue / scale * Double(barWidth)
      // Clamped as a Double first: a reference far beyond the scale must not overflow Int.
      referenceColumn = Int(max(0, min(Double(barWidth - 1), position.isFinite ? position : Double(barWidth - 1))))
    }
    for visible in 0..<max(0, visibleCount) {
      let index = first + visible
      let bar = bars[index]
      let y = area.y + visible
      let isHighlighted = index == highlightedIndex
      let labelStyle = isHighlighted ? theme.highlight : theme.text
      let label = truncated(labels[index], toWidth: labelWidth)
      let labelX = area.x + labelWidth - displayWidth(of: label)
      buffer.set(string: label, at: Point(x: labelX, y: y), style: labelStyle, clipTo: area)
      let fraction = scale > 0 && bar.value.isFinite ? max(0, min(1, bar.value / scale)) : 0
      let totalEighths = Int((fraction * Double(barWidth) * 8).rounded())
      let full = totalEighths / 8
      let partial = totalEighths % 8
      let barStyle = bar.style ?? (isHighlighted ? theme.accent : theme.series(0))
      for k in 0..<full { buffer.set(character: "█", at: Point(x: barLeft + k, y: y), style: barStyle, clipTo: area) }
      if partial > 0 {
        buffer.set(character: BarChart.eighths[partial], at: Point(x: barLeft + full, y: y), style: barStyle, clipTo: area)
      }
      let covered = full + (partial > 0 ? 1 : 0)
      if let referenceColumn, referenceColumn >= covered {
        buffer.set(character: "│", at: Point(x: barLeft + referenceColumn, y: y), style: theme.negative, clipTo: area)
      }
      let valueX = barLeft + barWidth + 1
      buffer.set(string: texts[index], at: Point(x: valueX, y: y), style: isHighlighted ? theme.accent : theme.muted, clipTo: area)
    }
    if hasReferenceRow, let referenceColumn, let referenceValue {
      let y = area.y + visibleCount
      let text = "└ " + (referenceLabel ?? "") + " " + formatCompact(referenceValue)
      let width = displayWidth(of: text)
      let x = min(barLeft + referenceColumn, area.right - width)
      if x == barLeft + referenceColumn {
        buffer.set(string: text, at: Point(x: x, y: y), style: theme.negative, clipTo: area)
      } else {
        // Not enough room to the right: end the label at the line instead.
        let label = (referenceLabel ?? "") + " " + formatCompact(referenceValue) + " ┘"
        buffer.set(string: label, at: Point(x: barLeft + referenceColumn - displayWidth(of: label) + 1, y: y), style: theme.negative, clipTo: area)
      }
    }
  }
}
