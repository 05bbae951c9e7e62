import Curriculum
import Foundation
import TermUI
import Training

/// The live strip under every lesson: state, step, loss, speed, learning rate and a loss sparkline.
struct LiveStrip {
  let snapshot: SessionSnapshot
  let language: Language
  /// The recorded step the views show, when the learner pages through history.
  var historyStep: Int? = nil
  /// The prediction score ("predicted 7/9"), when questions are asked.
  var score: String? = nil
  /// True while a question waits whose answer the loss would give away.
  var hidesLoss = false

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let s = snapshot
    let (stateText, stateStyle): (String, Style) = switch s.state {
    case .running: ("● " + L.running, theme.positive)
    case .paused: ("‖ " + L.paused, theme.accent)
    case .diverged: ("✖ " + L.diverged, theme.error)
    case .failed: ("✖ " + L.failed, theme.error)
    }
    var x = area.x + 1
    x += buffer.set(string: stateText, at: Point(x: x, y: area.y), style: stateStyle, clipTo: area) + 2
    if let historyStep {
      x += buffer.set(string: L.history(step: historyStep), at: Point(x: x, y: area.y), style: theme.highlight, clipTo: area) + 2
    }
    // (text, priority): what does not fit is left out whole, least needed first, rather
    // than cut at the edge mid-number ("lr 3.0e-0" at 80 columns).
    // The learning rate outranks the prediction score and the pace: the learner changes it with +/-
    // and a lesson's text points at it, and at 80 columns not all three fit beside the losses. The
    // pace goes first: [ and ] say the new pace on the footer's line as they set it.
    var parts: [(String, Int)] = [("\(L.step) \(s.step)", 11), (L.pace(s.pace), 5)]
    // The milestone the run paused at, with its own step and validation loss: a ★ lies behind
    // the pause that confirms it, and the lesson's text quotes both.
    if let milestone = s.pausedAt {
      let loss = milestone.kind == .diverged || !milestone.loss.isFinite ? nil : milestone.loss
      parts.insert((L.pausedAt(glyph: LossPlotView.glyph(milestone.kind), step: milestone.step, loss: loss), 10), at: 1)
    }
    if let score { parts.append((score, 6)) }
    if let loss = s.losses.last, !hidesLoss { parts.append(("\(L.loss) \(String(format: "%.3f", Double(loss)))", 9)) }
    // Perplexity: the number of equally likely tokens the model's uncertainty amounts to. It is
    // the first thing given up for room, before whole parts such as the learning rate go.
    var withoutPerplexity: (index: Int, text: String)?
    if let val = s.validation.last {
      let value = exp(Double(val.loss))
      let shown = value.isFinite ? formatCompact(value) : "∞"
      let short = "\(L.validation) \(String(format: "%.3f", Double(val.loss)))"
      withoutPerplexity = (parts.count, short)
      parts.append(("\(short) (\(L.perplexity) \(shown))", 8))
    }
    if s.tokensPerSecond > 0 { parts.append(("\(formatCompact(s.tokensPerSecond)) tok/s", 4)) }
    // Before the first step, the rate that step will use: with warm-up it starts below the base rate.
    let rate = s.currentLearningRate ?? s.configuration.learningRate(atStep: 0, base: s.learningRate)
    let warming = rate < s.learningRate ? " (\(L.warmUp))" : ""
    parts.append(("lr \(Localized.rate(rate))\(warming)", 7))
    let room = area.x + area.width - x
    if let withoutPerplexity, displayWidth(of: parts.map(\.0).joined(separator: " · ")) > room {
      parts[withoutPerplexity.index].0 = withoutPerplexity.text
    }
    while parts.count > 1, displayWidth(of: parts.map(\.0).joined(separator: " · ")) > room,
      let least = parts.indices.min(by: { parts[$0].1 < parts[$1].1 })
    {
      parts.remove(at: least)
    }
    buffer.set(string: parts.map(\.0).joined(separator: " · "), at: Point(x: x, y: area.y), style: theme.text, clipTo: area)
    guard area.height > 1 else { return }
    let line = area.row(1).inset(left: 1, right: 1)
    let values = LossCurve.downsample(s.losses, to: line.width)
    Sparkline(values: values.map(Double.init), style: theme.series(0)).render(in: line, buffer: &buffer, theme: theme)
  }
}

/// Loss histories reduced to what a plot can show.
enum LossCurve {
  /// Averages consecutive values into at most `count` buckets.
  static func downsample(_ values: [Float], to count: Int) -> [Float] {
    guard count > 0, values.count > count else { return values }
    let per = Double(values.count) / Double(count)
    return (0..<count).map { i in
      let start = Int(Double(i) * per)
      let end = max(start + 1, Int(Double(i + 1) * per))
      let slice = values[start..<min(end, values.count)].filter(\.isFinite)
      return slice.isEmpty ? .nan : slice.reduce(0, +) / Float(slice.count)
    }
  }
}
