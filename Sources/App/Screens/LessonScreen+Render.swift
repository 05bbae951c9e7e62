import Curriculum
import Foundation
import TermUI
import Training

extension LessonScreen {
  /// Draws the whole lesson screen from the latest snapshot.
  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let parts = area.split(.vertical, [.fixed(1), .fixed(1), .fill(1), .fixed(2), .fixed(1)])
    renderTitle(parts[0], &buffer, theme)
    renderStageBar(parts[1], &buffer, theme)
    let main = parts[2]
    switch panel {
    case .dashboard:
      Dashboard(
        snapshot: snapshot, focus: focus, language: language, text: dashboardText, isLogAxis: watch.isLogAxis,
        watch: watch, rows: area.height, you: youNats, historyTrace: watch.historyStep == nil ? nil : shownTrace
      ).render(in: main, buffer: &buffer, theme: theme)
    case .stage:
      renderStageArea(main, &buffer, theme)
    }
    LiveStrip(snapshot: snapshot, language: language, historyStep: watch.historyStep, score: predictionScoreText, hidesLoss: predict.waiting?.hidesLoss == true)
      .render(in: parts[3], buffer: &buffer, theme: theme)
    if let note {
      // Whole, never cut at the edge: a long note (a save's error) wraps upward over the strip above.
      let paragraph = Paragraph(note, style: theme.accent)
      let rows = max(1, min(parts[4].y - area.y, paragraph.height(forWidth: max(1, area.width), theme: theme)))
      let box = Rect(x: area.x, y: parts[4].y + 1 - rows, width: area.width, height: rows)
      buffer.fill(box, with: Cell(" ", style: theme.text))
      paragraph.render(in: box, buffer: &buffer, theme: theme)
    } else {
      footer.render(in: parts[4], buffer: &buffer, theme: theme)
    }
    switch mode {
    case .prompt(let box):
      PromptView(box: box, snapshot: snapshot, language: language, masked: plan.run.objective == .mlm)
        .render(in: main, buffer: &buffer, theme: theme)
    case .confirmingQuit(let question):
      question.render(context, in: area, buffer: &buffer, theme: theme)
    case .watching, .formula, .guesses:
      break
    }
    renderRunQuestion(in: main, buffer: &buffer, theme: theme)
    switch snapshot.state {
    case .diverged(let loss, let rate):
      Modal(title: L.explodedTitle, text: L.exploded(loss: loss, step: snapshot.step, rate: rate))
        .render(in: area, buffer: &buffer, theme: theme)
    case .failed(let error):
      Modal(title: L.failedTitle, text: error.description).render(in: area, buffer: &buffer, theme: theme)
    case .paused, .running:
      break
    }
  }

  /// True while the formula view stands in for the picture (the narrative yields it rows).
  var isShowingFormula: Bool { if case .formula = mode { true } else { false } }

  private func renderTitle(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    buffer.fill(area, with: Cell(" ", style: theme.title.adding(.reverse)))
    let run = plan.run
    let objective = run.objective == .sft && !snapshot.configuration.maskPrompt ? "SFT, mask off" : run.objective.rawValue.uppercased()
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
    let compact = area.width < 100
    for descriptor in StageDescriptor.all {
      let stage = descriptor.stage
      let name = compact && stage != self.stage ? "" : descriptor.title(language)
      let label = name.isEmpty ? descriptor.glyph : "\(descriptor.glyph) \(name)"
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
      buffer.addHotspot(Rect(x: x, y: area.y, width: width, height: 1), name: "stage", index: stage.number - 1)
      x += width + (compact ? 1 : 2)
    }
  }

  /// The folded text's hint: "(n: more)", unless n now answers a yes/no question; then it waits for the answer.
  var foldedHint: String {
    let L = Localized(language)
    let unfolds = keys.lazy.compactMap { $0.action(for: .char("n")) }.first == .watch(.narrative)
    return unfolds ? L.narrativeFolded : L.narrativeFoldedAfterAnswer
  }

  /// The main area of the stage panel: the narrative on top, the stage's view below it.
  private struct StageLayout {
    let narrative: Paragraph
    let narrativeHeight: Int
    /// True when the narrative needs more lines than it gets.
    let isClipped: Bool
    /// True when cut to its first line on a small screen (a hint says how to read it all).
    let isFolded: Bool
  }

  private func stageLayout(_ area: Rect, _ theme: Theme) -> StageLayout {
    var narrative = Paragraph(narrativeText, style: theme.text)
    narrative.marksCut = true
    // The narrative gets the lines it needs, up to half the area; the view takes the rest.
    let needed = narrative.height(forWidth: area.inset(left: 1, right: 1).width, theme: theme)
    // The formula view needs more rows than most pictures: the narrative yields some. A text the
    // learner unfolded with n may take all but a few rows, to be read whole: n again gives the picture back.
    let limit = stage == nil || watch.narrative == .full ? area.height - 4 : area.height / (isShowingFormula ? 3 : 2)
    // Before the first stage the intro is all there is to read: never folded.
    let rows = stage == nil && watch.narrative == nil ? Int.max : area.height + 5
    let (height, isFolded) = watch.narrativeLines(needed: needed, limit: limit, rows: rows)
    return StageLayout(narrative: narrative, narrativeHeight: height, isClipped: needed > height && !isFolded && watch.narrative == nil, isFolded: isFolded)
  }

  /// True when a terminal of `area` cannot show the whole narrative of the current stage.
  func isNarrativeClipped(in area: Rect, theme: Theme) -> Bool {
    let main = area.split(.vertical, [.fixed(1), .fixed(1), .fill(1), .fixed(2), .fixed(1)])[2]
    return panel == .stage && stageLayout(main, theme).isClipped
  }

  private func renderStageArea(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let L = Localized(language)
    let layout = stageLayout(area, theme)
    let rows = area.split(.vertical, [.fixed(layout.narrativeHeight), .fixed(layout.narrativeHeight > 0 ? 1 : 0), .fill(1)])
    if layout.isFolded {
      FoldedText(text: narrativeText, hint: foldedHint).render(in: rows[0].inset(left: 1, right: 1), buffer: &buffer, theme: theme)
    } else {
      layout.narrative.render(in: rows[0].inset(left: 1, right: 1), buffer: &buffer, theme: theme)
    }
    let body = rows[2]
    let codeWidth = 44
    let showsCodePanel = body.width >= 110
    let columns = showsCodePanel ? body.split(.horizontal, [.fill(1), .fixed(codeWidth)], spacing: 1) : [body]
    var viewArea = columns[0].inset(left: 1)
    let codeLines = TrainingLoopCode.lines(optimizer: plan.run.optimizer == .adamw ? "AdamW" : "SGD", masked: plan.run.objective == .mlm)
    if showsCodePanel {
      CodePanel(lines: codeLines, highlighted: stage.flatMap { TrainingLoopCode.line(for: $0) }, title: L.codeTitle)
        .render(in: columns[1], buffer: &buffer, theme: theme)
    } else if let stage, let index = TrainingLoopCode.line(for: stage) {
      // On narrow screens, the loop's current line stands above the view.
      let line = "▶ " + codeLines[index].trimmingCharacters(in: .whitespaces)
      buffer.set(string: line, at: Point(x: viewArea.x, y: viewArea.y), style: theme.code, clipTo: viewArea)
      viewArea = viewArea.inset(top: 1)
    }
    let separator = String(repeating: "─", count: max(0, rows[1].width))
    buffer.set(string: separator, at: Point(x: rows[1].x, y: rows[1].y), style: theme.border, clipTo: rows[1])
    let context = self.context
    // A waiting question takes the picture's place; an answered one is marked above it.
    guard let viewBody = renderPrediction(in: viewArea.inset(top: 1), buffer: &buffer, theme: theme) else { return }
    if case .formula(let view) = mode, stage != nil, shownTrace != nil, snapshot.tokenizer != nil {
      view.render(context, in: viewBody, buffer: &buffer, theme: theme)
    } else if case .guesses(let view) = mode, stage?.descriptor.showsGuesses == true,
      view.render(context, in: viewBody, buffer: &buffer, theme: theme)
    {
      // The guesses stand in for the distribution.
    } else if let stage, let trace = shownTrace, let tokenizer = snapshot.tokenizer {
      StageView(stage: stage, trace: trace, tokenizer: tokenizer, focus: focus, language: language, reference: snapshot.reference)
        .render(in: viewBody, buffer: &buffer, theme: theme)
    } else {
      let corpus = snapshot.preparingCorpus.map { "\(L.corpusPhase($0)) \(Int($0.fraction * 100))%" }
      let hint = snapshot.preparingBase.map { L.preparingBase($0) } ?? corpus ?? (pendingStage != nil ? L.computing : L.pressSpace)
      buffer.set(string: hint, at: Point(x: viewArea.x, y: viewArea.y + 1), style: theme.accent, clipTo: viewArea)
    }
  }
}

extension LessonScreen {
  /// The text above the views: the milestone the run paused at, else the stage's (or the intro).
  var narrativeText: String {
    milestoneText ?? stage.map { plan.narrative(for: $0) } ?? plan.intro
  }

  /// The text above the dashboard: the milestone the run paused at, else the lesson's run section.
  var dashboardText: String? {
    milestoneText ?? plan.runText
  }

  /// The narrative of the milestone the run paused at, if the lesson has one.
  ///
  /// Lessons quote their own run's steps and losses; a run whose learning rate the learner
  /// changed (+/-, then perhaps x) reaches its milestones elsewhere, so the text says so.
  var milestoneText: String? {
    guard let milestone = snapshot.pausedAt, let text = plan.narrative(for: milestone.kind) else { return nil }
    let rate = plan.run.learningRate
    guard snapshot.learningRate != rate || !snapshot.learningRateChanges.isEmpty else { return text }
    let note = Localized(language).otherRateNote(lesson: rate, run: snapshot.learningRate, changedAt: snapshot.learningRateChanges.first?.step)
    return text + "\n\n" + note
  }
}
