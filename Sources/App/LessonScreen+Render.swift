import Curriculum
import Foundation
import TermUI
import Training

extension LessonScreen {
  /// Draws the whole lesson screen from one snapshot.
  func render(_ snapshot: SessionSnapshot, in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(plan.language)
    let parts = area.split(.vertical, [.fixed(1), .fixed(1), .fill(1), .fixed(2), .fixed(1)])
    renderTitle(snapshot, parts[0], &buffer, theme)
    renderStageBar(parts[1], &buffer, theme)
    let main = parts[2]
    if panel == .dashboard {
      Dashboard(snapshot: snapshot, focus: focus, language: plan.language, text: plan.runText)
        .render(in: main, buffer: &buffer, theme: theme)
    } else {
      renderStageArea(snapshot, main, &buffer, theme)
    }
    LiveStrip(snapshot: snapshot, language: plan.language).render(in: parts[3], buffer: &buffer, theme: theme)
    KeyFooter(entries: L.lessonKeys(running: snapshot.state.isRunning)).render(in: parts[4], buffer: &buffer, theme: theme)
    if let prompt {
      PromptView(box: prompt, snapshot: snapshot, language: plan.language, masked: plan.run.objective == .mlm)
        .render(in: main, buffer: &buffer, theme: theme)
    }
    switch snapshot.state {
    case .diverged(let loss, let rate):
      Modal(title: L.explodedTitle, text: L.exploded(loss: loss, step: snapshot.step, rate: rate))
        .render(in: area, buffer: &buffer, theme: theme)
    case .failed(let message):
      Modal(title: L.failedTitle, text: message).render(in: area, buffer: &buffer, theme: theme)
    default:
      break
    }
  }

  private func renderTitle(_ snapshot: SessionSnapshot, _ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    buffer.fill(area, with: Cell(" ", style: theme.title.adding(.reverse)))
    let run = plan.run
    let objective = run.objective == .clm ? "CLM" : "MLM"
    let left = " NextToken · \(plan.title)"
    let right = "\(objective) · \(run.tokenizer.rawValue) · \(run.layers)L \(run.heads)H C\(run.dim) T\(run.context) "
    let rightWidth = displayWidth(of: right)
    buffer.set(string: truncated(left, toWidth: max(0, area.width - rightWidth - 1)), at: Point(x: area.x, y: area.y), style: theme.title.adding(.reverse), clipTo: area)
    if area.width > rightWidth + 20 {
      buffer.set(string: right, at: Point(x: area.right - rightWidth, y: area.y), style: theme.title.adding(.reverse), clipTo: area)
    }
  }

  private func renderStageBar(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    var x = area.x + 1
    let numbers = ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧"]
    let compact = area.width < 100
    for stage in Stage.allCases {
      let name = compact && stage != self.stage ? "" : stage.title(plan.language)
      let label = name.isEmpty ? numbers[stage.index] : "\(numbers[stage.index]) \(name)"
      var style: Style
      if stage == self.stage {
        style = theme.highlight
      } else if let current = self.stage, stage < current {
        style = theme.text
      } else {
        style = theme.muted
      }
      if plan.focusStages.contains(stage) { style = style.adding(.bold) }
      let width = buffer.set(string: label, at: Point(x: x, y: area.y), style: style, clipTo: area)
      x += width + (compact ? 1 : 2)
    }
  }

  private func renderStageArea(_ snapshot: SessionSnapshot, _ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let L = Localized(plan.language)
    let narrative = Paragraph(stage.map { plan.narrative(for: $0) } ?? plan.intro, style: theme.text)
    let textArea = area.inset(left: 1, right: 1)
    // The narrative gets the lines it needs, up to half the area; the view takes the rest.
    let needed = narrative.height(forWidth: textArea.width, theme: theme)
    let limit = stage == nil ? area.height - 4 : area.height / 2
    let textHeight = min(max(1, limit), needed)
    isNarrativeClipped = needed > textHeight
    let rows = area.split(.vertical, [.fixed(textHeight), .fixed(1), .fill(1)])
    narrative.render(in: rows[0].inset(left: 1, right: 1), buffer: &buffer, theme: theme)
    let body = rows[2]
    let codeWidth = 44
    let showsCodePanel = body.width >= 110
    let columns = showsCodePanel ? body.split(.horizontal, [.fill(1), .fixed(codeWidth)], spacing: 1) : [body]
    var viewArea = columns[0].inset(left: 1)
    let codeLines = TrainingLoopCode.lines(optimizer: plan.run.optimizer == .adamw ? "AdamW" : "SGD", masked: plan.run.objective == .mlm)
    if showsCodePanel {
      CodePanel(lines: codeLines, highlighted: stage.map(TrainingLoopCode.line(for:)), title: L.codeTitle)
        .render(in: columns[1], buffer: &buffer, theme: theme)
    } else if let stage {
      // On narrow screens, the loop's current line stands above the view.
      let line = "▶ " + codeLines[TrainingLoopCode.line(for: stage)].trimmingCharacters(in: .whitespaces)
      buffer.set(string: line, at: Point(x: viewArea.x, y: viewArea.y), style: theme.code, clipTo: viewArea)
      viewArea = viewArea.inset(top: 1)
    }
    let separator = String(repeating: "─", count: max(0, rows[1].width))
    buffer.set(string: separator, at: Point(x: rows[1].x, y: rows[1].y), style: theme.border, clipTo: rows[1])
    if let stage, let trace = snapshot.trace, let tokenizer = snapshot.tokenizer {
      StageView(stage: stage, trace: trace, tokenizer: tokenizer, focus: focus, language: plan.language, reference: snapshot.reference)
        .render(in: viewArea.inset(top: 1), buffer: &buffer, theme: theme)
    } else {
      let hint = pendingStage != nil ? L.computing : L.pressSpace
      buffer.set(string: hint, at: Point(x: viewArea.x, y: viewArea.y + 1), style: theme.accent, clipTo: viewArea)
    }
  }
}

/// The training loop's code with the current stage's line highlighted.
struct CodePanel {
  let lines: [String]
  let highlighted: Int?
  let title: String

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let inner = Frame(title: title).render(in: area, buffer: &buffer, theme: theme)
    for (i, line) in lines.enumerated() where i < inner.height {
      let isCurrent = i == highlighted
      let style = isCurrent ? theme.highlight : theme.code
      if isCurrent { buffer.fill(inner.row(i), with: Cell(" ", style: style)) }
      buffer.set(string: (isCurrent ? "▶" : " ") + line, at: Point(x: inner.x, y: inner.y + i), style: style, clipTo: inner)
    }
  }
}

/// The live strip under every lesson: state, step, loss, speed, learning rate and a loss sparkline.
struct LiveStrip {
  let snapshot: SessionSnapshot
  let language: Language

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
    var parts = ["\(L.step) \(s.step)"]
    if let loss = s.losses.last { parts.append("\(L.loss) \(String(format: "%.3f", Double(loss)))") }
    if let val = s.validation.last { parts.append("\(L.validation) \(String(format: "%.3f", Double(val.loss)))") }
    if s.tokensPerSecond > 0 { parts.append("\(formatCompact(s.tokensPerSecond)) tok/s") }
    let rate = s.currentLearningRate ?? s.learningRate
    let warming = rate < s.learningRate ? " (\(L.warmUp))" : ""
    parts.append("lr \(String(format: "%.1e", Double(rate)))\(warming)")
    buffer.set(string: parts.joined(separator: " · "), at: Point(x: x, y: area.y), style: theme.text, clipTo: area)
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
