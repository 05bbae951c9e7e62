import Curriculum
import TermUI

/// A waiting question in place of its stage's picture: title, question, options, the hint.
struct PredictView {
  let question: StageQuestion
  let part: PredictPart
  let language: Language
  /// False inside a frame that already says it (the question before the run).
  var showsTitle = true

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let L = Localized(language)
    var y = area.y
    func put(_ text: String, _ style: Style, indent: Int = 0) {
      guard y < area.bottom else { return }
      let row = Rect(x: area.x + indent, y: y, width: max(0, area.width - indent), height: 1)
      buffer.set(string: text, at: Point(x: row.x, y: y), style: style, clipTo: row)
      y += 1
    }
    let place = switch question.place {
    case .stage(let stage): "\(stage.descriptor.glyph) \(stage.title(language))"
    case .run: L.liveRun
    }
    if showsTitle { put("? \(L.predictTitle) · \(place)", theme.accent.adding(.bold)) }
    let text = Paragraph(question.text, style: theme.text)
    let height = min(text.height(forWidth: area.width, theme: theme), max(0, area.bottom - y))
    text.render(in: Rect(x: area.x, y: y, width: area.width, height: height), buffer: &buffer, theme: theme)
    y += height + 1
    switch question.answer {
    case .choice, .bigramStep:
      if question.isYesNo {
        put("y  \(question.options[question.option(yes: true) ?? 0])     n  \(question.options[question.option(yes: false) ?? 1])", theme.highlight, indent: 2)
      } else {
        for (i, option) in question.options.enumerated() { put("\(i + 1)  \(option)", theme.highlight, indent: 2) }
      }
    case .number:
      put("> " + (part.typed ?? "") + "▏", theme.highlight, indent: 2)
    }
    y += 1
    if let hint = part.hint {
      put(hint, theme.accent)
    } else {
      put(part.hintLine(L), theme.muted)
    }
  }

  /// The rows the question needs at `width` (tests check it fits above the stage at 80×24).
  static func height(_ question: StageQuestion, width: Int) -> Int {
    let options = question.isYesNo ? 1 : max(1, question.options.count)
    return 1 + Paragraph(question.text).height(forWidth: max(1, width)) + 1 + options + 1 + 1
  }
}

/// The mark of the question just answered, above the picture that answers it: ✓ or ✗ and why.
struct PredictResultView {
  let result: QuestionResult
  let language: Language
  /// The step of the picture shown, to say when the question was made from another.
  let shownStep: Int?

  /// The text: mark, the learner's answer, the truth when wrong, the reason.
  var text: String {
    let L = Localized(language)
    var parts: [String] = []
    switch result.outcome {
    case .right: parts.append(L.right)
    case .wrong: parts.append(L.wrong(truth: result.question.truthText))
    case .skipped: parts.append(L.skipped)
    case .pending: parts.append(L.bigramPending)
    }
    if let response = result.response, result.outcome != .right { parts.append(L.yourAnswer(response)) }
    var line = parts.joined(separator: " · ")
    if !result.question.why.isEmpty { line += " — " + result.question.why }
    if let shownStep, shownStep != result.question.step, result.question.step > 0 { line += " " + L.otherStep(result.question.step) }
    return line
  }

  var style: (Theme) -> Style {
    switch result.outcome {
    case .right: { $0.positive }
    case .wrong: { $0.negative }
    case .skipped, .pending: { $0.muted }
    }
  }

  /// Draws at most two lines at the top of `area`; returns the area left for the picture.
  func render(in area: Rect, buffer: inout Buffer, theme: Theme) -> Rect {
    guard !area.isEmpty else { return area }
    let needed = Paragraph(text).height(forWidth: area.width, theme: theme)
    let height = min(2, needed, area.height)
    // Only a reason that does not fit is searched for where to cut it.
    let paragraph = Paragraph(needed > height ? Self.cut(text, toLines: height, width: area.width) : text, style: style(theme))
    paragraph.render(in: Rect(x: area.x, y: area.y, width: area.width, height: height), buffer: &buffer, theme: theme)
    return area.inset(top: height)
  }

  /// `text` as it fits in `lines` lines of `width`, ending with "…" where it was cut.
  ///
  /// A reason cut off mid-sentence without a mark reads as if it were the whole reason.
  static func cut(_ text: String, toLines lines: Int, width: Int) -> String {
    func fits(_ candidate: String) -> Bool { Paragraph(candidate).height(forWidth: width) <= lines }
    guard lines > 0, !fits(text) else { return text }
    let characters = Array(text)
    var low = 0
    var high = characters.count
    // The longest prefix that fits with its mark: wrapping only grows with the text.
    while low < high {
      let middle = (low + high + 1) / 2
      if fits(String(characters[..<middle]) + "…") { low = middle } else { high = middle - 1 }
    }
    return String(characters[..<low]) + "…"
  }
}
