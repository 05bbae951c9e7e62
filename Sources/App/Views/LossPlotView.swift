import Curriculum
import Foundation
import TermUI
import Training

/// A run's loss plot: train and validation against the reference lines, its milestones and
/// learning-rate changes marked, and the run before the last restart dimmed behind it.
struct LossPlotView {
  let snapshot: SessionSnapshot
  let language: Language
  /// A logarithmic step axis; nil: once the run spans two decades.
  var isLogarithmic: Bool?
  var showsLegend = true
  /// The learner's upper bound from the guessing game, in nats: a line labelled "you".
  var you: Double?
  /// The recorded step the stage views show while the learner pages through history: marked on the train curve.
  var historyStep: Int?

  /// Whether a run of `steps` steps gets a log axis when the learner has not chosen.
  static func isLogarithmicByDefault(steps: Int) -> Bool { steps >= 100 }

  var usesLogAxis: Bool { isLogarithmic ?? Self.isLogarithmicByDefault(steps: snapshot.losses.count) }

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let s = snapshot
    let isLog = usesLogAxis
    let width = max(2, area.width * 2)
    let steps = max(10, s.losses.count)
    var series: [LinePlot.Series] = []
    var markers: [LinePlot.Marker] = []
    if let previous = s.previousRun {
      // Only as far as this run has come, so the two are compared step for step.
      let losses = Array(previous.losses.prefix(steps))
      let ghost = theme.muted.adding(.dim)
      series.append(LinePlot.Series(name: L.previousRun(previous), points: LossCurve.points(losses, width: width, logarithmic: isLog), style: ghost))
      let validation = previous.validation.filter { $0.step <= steps }.map { PlotPoint(x: Double($0.step), y: Double($0.loss)) }
      series.append(LinePlot.Series(name: "", points: validation, style: ghost))
      for milestone in previous.milestones where milestone.step <= steps {
        markers.append(LinePlot.Marker(x: Double(milestone.step), y: Double(milestone.loss), glyph: Self.glyph(milestone.kind), label: "", style: ghost))
      }
    }
    series.append(LinePlot.Series(name: L.train, points: LossCurve.points(s.losses, width: width, logarithmic: isLog), style: theme.series(0)))
    series.append(LinePlot.Series(
      name: L.validation, points: s.validation.map { PlotPoint(x: Double($0.step), y: Double($0.loss)) }, style: theme.series(1)))
    for change in s.learningRateChanges where change.step >= 1 && change.step <= s.losses.count {
      let label = "lr " + Localized.rate(change.rate)
      markers.append(LinePlot.Marker(x: Double(change.step), y: Double(s.losses[change.step - 1]), glyph: "↕", label: label, style: theme.accent))
    }
    for milestone in s.milestones {
      markers.append(LinePlot.Marker(
        x: Double(milestone.step), y: Double(milestone.loss.isFinite ? milestone.loss : s.reference.uniform),
        glyph: Self.glyph(milestone.kind), label: L.milestone(milestone.kind), style: theme.highlight))
    }
    if let step = historyStep, step >= 1, step <= s.losses.count, s.losses[step - 1].isFinite {
      markers.append(LinePlot.Marker(x: Double(step), y: Double(s.losses[step - 1]), glyph: "▼", label: "\(step)", style: theme.accent))
    }
    let references = [
      LinePlot.ReferenceLine(value: Double(s.reference.uniform), label: "ln V"),
      LinePlot.ReferenceLine(value: Double(s.reference.unigram), label: L.unigram),
      LinePlot.ReferenceLine(value: Double(s.reference.bigram), label: L.bigram),
    ].filter { $0.value > 0 } + (you.map { [LinePlot.ReferenceLine(value: $0, label: "you")] } ?? [])
    let top = max(0.5, Double(max(s.reference.uniform * 1.1, s.losses.prefix(5).max() ?? 0)))
    let shown = series.filter { !$0.points.isEmpty || !$0.name.isEmpty }
    let drawn = shown.flatMap { $0.points.map(\.y) } + references.map(\.value) + markers.map(\.y)
    var plot = LinePlot(
      series: shown, referenceLines: references,
      xLabel: isLog ? L.stepsLog : L.steps, yRange: Self.floor(below: drawn, top: top)...top, xRange: (isLog ? 1 : 0)...Double(steps), isLogX: isLog,
      markers: markers, showsLegend: showsLegend)
    // This run's curves first in the legend: on a narrow plot the previous run's entry is the one cut.
    let ghosts = s.previousRun == nil ? 0 : shown.count - 2
    plot.legendOrder = Array(ghosts..<shown.count) + Array(0..<ghosts)
    plot.render(in: area, buffer: &buffer, theme: theme)
  }

  /// The bottom of the y axis: just below the lowest curve, line or mark drawn, on a round
  /// value, so losses far from 0 (a word-level run's 4–7.5) use the plot's height.
  static func floor(below values: [Double], top: Double) -> Double {
    guard let lowest = values.filter({ $0.isFinite && $0 < top }).min(), lowest > 0 else { return 0 }
    let margin = lowest - 0.05 * (top - lowest)
    let unit = top - lowest > 2 ? 0.5 : 0.1
    return max(0, (margin / unit).rounded(.down) * unit)
  }

  static func glyph(_ kind: MilestoneKind) -> Character {
    switch kind {
    case .unigram: return "◇"
    case .bigram: return "◆"
    case .best: return "★"
    case .diverged: return "✖"
    }
  }
}

extension LossCurve {
  /// One point per plot column: losses averaged over the steps each column covers, the
  /// columns spaced evenly in step or, on a log axis, in log step.
  static func points(_ values: [Float], width: Int, logarithmic: Bool) -> [PlotPoint] {
    guard !values.isEmpty else { return [] }
    guard logarithmic else {
      let per = max(1, Double(values.count) / Double(width))
      return downsample(values, to: width).enumerated().map { PlotPoint(x: 1 + Double($0.offset) * per, y: Double($0.element)) }
    }
    var points: [PlotPoint] = []
    let span = log(Double(values.count))
    var start = 0
    for column in 1...max(1, width) {
      let end = min(values.count, max(start + 1, Int(exp(span * Double(column) / Double(width)).rounded())))
      guard start < end else { continue }
      let slice = values[start..<end].filter(\.isFinite)
      if !slice.isEmpty {
        // Plotted at the bucket's middle step (steps are 1-based).
        let middle = (Double(start + 1) * Double(end)).squareRoot()
        points.append(PlotPoint(x: middle, y: Double(slice.reduce(0, +) / Float(slice.count))))
      }
      start = end
    }
    return points
  }
}
