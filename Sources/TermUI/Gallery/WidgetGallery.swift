/// A screen showing every widget with sample data, for eyeballing and end-to-end tests.
///
/// `nexttoken gallery` runs it in a real terminal; tests drive it through a
/// ``TestBackend``. ←/→ move the highlighted token (in the strip, the heatmap
/// and the aligned rows at once), `b` toggles braille, `m` cycles colour
/// capabilities, `?` shows a help overlay, `q`, Esc or Ctrl-C quits.
public struct WidgetGallery: Sendable {
  public var selectedToken = 3
  public var usesBraille = true
  /// Replaces the terminal's colour capability when set (cycled with `m`).
  public var capabilityOverride: ColorCapability?
  public var isShowingHelp = false

  public init() {}

  static let tokens = ["The", " cat", " sat", " on", " the", " mat", ".", " 猫", "が", "座", "った", "。"]
  static let ids = [20, 31, 47, 12, 58, 40, 2, 61, 33, 17, 45, 9]

  /// Updates the state for an event and says whether to redraw or quit.
  public mutating func handle(_ event: Event) -> LoopControl {
    guard case .key(let key) = event else {
      if case .resize = event { return .redraw }
      return .idle
    }
    if isShowingHelp {
      switch key {
      case .char("q"), .ctrl("c"): return .quit
      default:
        isShowingHelp = false
        return .redraw
      }
    }
    switch key {
    case .char("q"), .ctrl("c"), .escape:
      return .quit
    case .left, .char("h"):
      selectedToken = max(0, selectedToken - 1)
    case .right, .char("l"):
      selectedToken = min(WidgetGallery.tokens.count - 1, selectedToken + 1)
    case .char("b"):
      usesBraille.toggle()
    case .char("m"):
      let all = ColorCapability.allCases
      if let current = capabilityOverride, let i = all.firstIndex(of: current), i + 1 < all.count {
        capabilityOverride = all[i + 1]
      } else if capabilityOverride == nil {
        capabilityOverride = all[0]
      } else {
        capabilityOverride = nil
      }
    case .char("?"):
      isShowingHelp = true
    default:
      return .idle
    }
    return .redraw
  }

  public func render(in area: Rect, buffer: inout Buffer, theme baseTheme: Theme) {
    var theme = baseTheme
    if let capabilityOverride { theme.capability = capabilityOverride }
    theme.usesBraille = usesBraille
    let tokens = WidgetGallery.tokens
    let selected = selectedToken

    let screen = area.split(.vertical, [.fixed(1), .fixed(8), .fill(1), .fixed(5), .fixed(1)])
    var x = screen[0].x
    x += buffer.set(string: "NextToken widget gallery", at: Point(x: x, y: screen[0].y), style: theme.title, clipTo: screen[0])
    let capabilityName: String
    switch theme.capability {
    case .truecolor: capabilityName = "24-bit colour"
    case .c256: capabilityName = "256 colours"
    case .c16: capabilityName = "16 colours"
    case .monochrome: capabilityName = "no colour"
    }
    buffer.set(
      string: "  \(area.width)×\(area.height) · \(capabilityName) · \(usesBraille ? "braille" : "blocks")",
      at: Point(x: x, y: screen[0].y), style: theme.muted, clipTo: screen[0])

    // Text and tokens.
    let top = screen[1].split(.horizontal, [.percentage(45), .fill(1)], spacing: 1)
    let textArea = Frame(title: "Paragraph").render(in: top[0], buffer: &buffer, theme: theme)
    Paragraph(
      "注意力机制 コンピュータ\n**Attention** lets each token look back at the ones before it; `softmax` turns scores into weights that sum to one."
    ).render(in: textArea.inset(left: 1, right: 1), buffer: &buffer, theme: theme)
    let stripArea = Frame(title: "TokenStrip").render(in: top[1], buffer: &buffer, theme: theme)
    let probabilities = ["0.41", "0.07", "0.12", "0.33", "0.25", "0.09", "0.50", "0.02", "0.19", "0.11", "0.08", "0.61"]
    TokenStrip(texts: tokens, ids: WidgetGallery.ids, labels: probabilities, highlightedIndex: selected)
      .render(in: stripArea.inset(left: 1, right: 1), buffer: &buffer, theme: theme)

    // Heatmap, plot, bars.
    let middle = screen[2].split(.horizontal, [.fixed(min(34, screen[2].width / 3)), .fill(3), .fill(2)], spacing: 1)
    let heatArea = Frame(title: "Heatmap (causal)").render(in: middle[0], buffer: &buffer, theme: theme)
    Heatmap(
      rows: tokens.count, columns: tokens.count, values: WidgetGallery.attention(count: tokens.count), mask: .causal,
      rowLabels: tokens.map(visibleTokenText), highlightedRow: selected, packsRowPairs: true
    ).render(in: heatArea, buffer: &buffer, theme: theme)
    let plotArea = Frame(title: "LinePlot").render(in: middle[1], buffer: &buffer, theme: theme)
    let train = (0...120).map { step in
      PlotPoint(x: Double(step), y: 4.0 / (1 + Double(step) / 15) + 0.9 + 0.15 * Double((step * 7919) % 11) / 11)
    }
    let validation = stride(from: 0, through: 120, by: 10).map { step in
      PlotPoint(x: Double(step), y: 4.1 / (1 + Double(step) / 18) + 1.05)
    }
    LinePlot(
      series: [LinePlot.Series(name: "train", points: train), LinePlot.Series(name: "val", points: validation)],
      referenceLines: [LinePlot.ReferenceLine(value: 4.17, label: "ln V")], xLabel: "step"
    ).render(in: plotArea, buffer: &buffer, theme: theme)
    let barFrame = Frame(title: "BarChart · Sparkline").render(in: middle[2], buffer: &buffer, theme: theme)
    let barParts = barFrame.split(.vertical, [.fill(1), .fixed(1)])
    BarChart(
      bars: [
        BarChart.Bar(label: "mat", value: 0.61), BarChart.Bar(label: "rug", value: 0.17),
        BarChart.Bar(label: "sofa", value: 0.09), BarChart.Bar(label: "猫", value: 0.05),
        BarChart.Bar(label: "dog", value: 0.03),
      ],
      maxValue: 1, highlightedIndex: 0, referenceValue: 1.0 / 12, referenceLabel: "1/V"
    ).render(in: barParts[0], buffer: &buffer, theme: theme)
    let gradientNorms: [Double] = (0..<60).map { step in
      let wobble = Double((step * 37) % 17) / 6
      return 2 + wobble - Double(step) / 40
    }
    Sparkline(values: gradientNorms)
      .render(in: barParts[1], buffer: &buffer, theme: theme)

    // Aligned rows and value strips.
    let bottom = screen[3].split(.horizontal, [.fill(1), .fixed(min(36, screen[3].width / 3))], spacing: 1)
    let rowsArea = Frame(title: "AlignedRows").render(in: bottom[0], buffer: &buffer, theme: theme)
    let targets = Array(tokens.dropFirst()) + ["⟨end⟩"]
    AlignedRows(
      rows: [
        AlignedRows.Row(label: "input", tokens: tokens),
        AlignedRows.Row(label: "target", tokens: targets),
        AlignedRows.Row(
          label: "loss",
          items: tokens.indices.map { i in
            i == tokens.count - 1 ? AlignedRows.Item("—", role: .ignored) : AlignedRows.Item(formatFixed(0.4 + Double((i * 13) % 7) / 3, decimals: 2))
          }),
      ],
      highlightedColumn: selected
    ).render(in: rowsArea, buffer: &buffer, theme: theme)
    let stripsArea = Frame(title: "ValueStrip · ProgressBar").render(in: bottom[1], buffer: &buffer, theme: theme)
    let stripRows = stripsArea.split(.vertical, [.fixed(1), .fixed(1), .fixed(1)])
    let embedding = (0..<32).map { Float((($0 + selected) * 29) % 17 - 8) / 8 }
    let labelWidth = buffer.set(string: "emb ", at: Point(x: stripRows[0].x, y: stripRows[0].y), style: theme.muted, clipTo: stripRows[0])
    ValueStrip(values: embedding).render(in: stripRows[0].inset(left: labelWidth), buffer: &buffer, theme: theme)
    buffer.set(string: "pos ", at: Point(x: stripRows[1].x, y: stripRows[1].y), style: theme.muted, clipTo: stripRows[1])
    ValueStrip(values: (0..<32).map { Float(($0 * 11 + selected * 5) % 13 - 6) / 6 })
      .render(in: stripRows[1].inset(left: labelWidth), buffer: &buffer, theme: theme)
    ProgressBar(fraction: Double(selected + 1) / Double(tokens.count), label: "epoch")
      .render(in: stripRows[2], buffer: &buffer, theme: theme)

    KeyFooter(entries: [
      .init("←/→", "token", priority: 5), .init("b", "braille", priority: 2), .init("m", "colours", priority: 1),
      .init("?", "help", priority: 3), .init("q", "quit", priority: 9),
    ]).render(in: screen[4], buffer: &buffer, theme: theme)

    if isShowingHelp {
      Modal(
        title: "Help",
        text: "←/→ move the highlighted token\n**b** braille or blocks · **m** colours\nAny key closes this box; **q** quits.",
        preferredWidth: 48
      ).render(in: area, buffer: &buffer, theme: theme)
    }
  }

  /// Attention-like rows: each query spreads weight over earlier tokens, most on the nearest.
  static func attention(count: Int) -> [Float] {
    var values = [Float](repeating: 0, count: count * count)
    for row in 0..<count {
      var total: Float = 0
      for column in 0...row {
        let weight: Float = 1 / Float(1 + (row - column)) + (column == 0 ? 0.5 : 0)
        values[row * count + column] = weight
        total += weight
      }
      for column in 0...row { values[row * count + column] /= total }
    }
    return values
  }
}
