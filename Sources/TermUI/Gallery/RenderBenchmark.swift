/// Measures the cost of rendering and diffing the busiest screen the app draws.
///
/// The `bench` command reports this next to training throughput; the budget
/// is 2 ms per 200×60 frame in a release build.
public enum RenderBenchmark {
  /// The median seconds to render and diff one busy frame, over `frames` frames.
  ///
  /// The screen holds a 64×64 heatmap, a two-series plot of 500 points each,
  /// a token strip, bars and a paragraph; every frame moves the highlight so
  /// the diff has real work to do.
  public static func medianFrameSeconds(
    size: Size = Size(width: 200, height: 60), frames: Int = 200, capability: ColorCapability = .c256
  ) -> Double {
    let theme = Theme(capability: capability)
    let screen = BusyScreen()
    var previous = Buffer(size: size)
    var current = Buffer(size: size)
    var samples: [Double] = []
    samples.reserveCapacity(frames)
    let clock = ContinuousClock()
    var changed = 0
    for frame in 0..<max(1, frames) {
      let elapsed = clock.measure {
        current.reset()
        screen.render(frame: frame, in: Rect(size: size), buffer: &current, theme: theme)
        changed &+= current.diff(from: previous).count
      }
      swap(&previous, &current)
      samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    // Keeps the diff from being optimised away.
    if changed < 0 { print(changed) }
    samples.sort()
    return samples[samples.count / 2]
  }
}

/// A screen as busy as the app's fullest view, built from every heavy widget.
struct BusyScreen {
  let attention: [Float]
  let train: [PlotPoint]
  let validation: [PlotPoint]
  let tokens: [TokenStrip.Token]
  let bars: [BarChart.Bar]
  let text: String

  init() {
    let t = 64
    var attention = [Float](repeating: 0, count: t * t)
    for row in 0..<t {
      var total: Float = 0
      for column in 0...row {
        let w = 1 / Float(1 + (row - column) * (row - column % 7))
        attention[row * t + column] = w
        total += w
      }
      for column in 0...row { attention[row * t + column] /= total }
    }
    self.attention = attention
    train = (0..<500).map { PlotPoint(x: Double($0), y: 4.2 * 1 / (1 + Double($0) / 60) + 0.3 * Double(($0 * 7919) % 13) / 13) }
    validation = (0..<500).map { PlotPoint(x: Double($0), y: 4.3 / (1 + Double($0) / 70) + 0.2) }
    let words = ["The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", "。", "注意", "力"]
    tokens = (0..<48).map { TokenStrip.Token(text: words[$0 % words.count], id: ($0 * 37) % 65) }
    bars = (0..<10).map { BarChart.Bar(label: "tok \($0)", value: 1 / Double($0 + 1)) }
    text = String(
      repeating: "The model reads **every** token and predicts the `next` one; 注意力机制 weighs the context. ",
      count: 6)
  }

  func render(frame: Int, in area: Rect, buffer: inout Buffer, theme: Theme) {
    let rows = area.split(.vertical, [.fill(1), .fixed(1)])
    let columns = rows[0].split(.horizontal, [.fixed(72), .fill(1)], spacing: 1)
    let left = Frame(title: "attention layer 0 head \(frame % 4)").render(in: columns[0], buffer: &buffer, theme: theme)
    Heatmap(
      rows: 64, columns: 64, values: attention, mask: .causal, highlightedRow: frame % 64, packsRowPairs: true
    ).render(in: left, buffer: &buffer, theme: theme)
    let right = columns[1].split(.vertical, [.percentage(40), .fixed(8), .fixed(12), .fill(1)])
    let plotArea = Frame(title: "loss").render(in: right[0], buffer: &buffer, theme: theme)
    LinePlot(
      series: [LinePlot.Series(name: "train", points: train), LinePlot.Series(name: "val", points: validation)],
      referenceLines: [LinePlot.ReferenceLine(value: 4.17, label: "ln V")], xLabel: "step"
    ).render(in: plotArea, buffer: &buffer, theme: theme)
    let stripArea = Frame(title: "tokens").render(in: right[1], buffer: &buffer, theme: theme)
    TokenStrip(tokens: tokens, highlightedIndex: frame % tokens.count).render(in: stripArea, buffer: &buffer, theme: theme)
    let barArea = Frame(title: "probabilities").render(in: right[2], buffer: &buffer, theme: theme)
    BarChart(bars: bars, highlightedIndex: frame % bars.count, referenceValue: 0.5, referenceLabel: "ref")
      .render(in: barArea, buffer: &buffer, theme: theme)
    let textArea = Frame(title: "lesson").render(in: right[3], buffer: &buffer, theme: theme)
    Paragraph(text).render(in: textArea, buffer: &buffer, theme: theme)
    KeyFooter(entries: [
      .init("space", "next stage", priority: 3), .init("r", "run/pause", priority: 2), .init("q", "quit", priority: 9),
    ]).render(in: rows[1], buffer: &buffer, theme: theme)
  }
}
