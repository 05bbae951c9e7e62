import Curriculum
import Foundation
import Model
import TermUI
import Training

/// The prompt box over the main area: the prompt, the sampled tokens, the next-token distribution.
struct PromptView {
  let box: PromptBox
  let snapshot: SessionSnapshot
  let language: Language
  let masked: Bool

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let height = min(area.height, max(10, area.height * 2 / 3))
    let box = Rect(x: area.x + 2, y: area.bottom - height, width: max(0, area.width - 4), height: height)
    // Its rows are cleared from edge to edge: the margins beside the box would otherwise keep
    // slivers of the panels beneath (an axis digit, half a frame corner).
    buffer.fill(Rect(x: area.x, y: box.y, width: area.width, height: box.height))
    let chat = snapshot.tokenizer?.chat != nil
    let inner = Frame(title: chat ? L.chatTitle : L.promptTitle(masked: masked), isFocused: true, clearsInterior: true).render(in: box, buffer: &buffer, theme: theme)
    guard !inner.isEmpty, let tokenizer = snapshot.tokenizer else { return }
    if self.box.isEditing {
      // A selected prompt is drawn reversed: the first key typed replaces it.
      let x = inner.x + buffer.set(string: "> ", at: Point(x: inner.x, y: inner.y), style: theme.text, clipTo: inner)
      let textStyle = self.box.isSelected ? theme.text.adding(.reverse) : theme.text
      let end = x + buffer.set(string: self.box.text, at: Point(x: x, y: inner.y), style: textStyle, clipTo: inner)
      buffer.set(string: "▏", at: Point(x: end, y: inner.y), style: theme.text, clipTo: inner)
      // The cursor sits where the next character typed goes.
      buffer.cursor = Point(x: min(end, inner.right - 1), y: inner.y)
      buffer.set(string: chat ? L.chatEditHelp : L.promptEditHelp(masked: masked), at: Point(x: inner.x, y: inner.y + 2), style: theme.muted, clipTo: inner)
      if let message = self.box.message {
        buffer.set(string: message, at: Point(x: inner.x, y: inner.y + 3), style: theme.error, clipTo: inner)
      }
      return
    }
    // The text so far, with the sampled tokens emphasised.
    let promptCount = self.box.tokens.count - (masked ? 0 : self.box.sampled.count)
    let promptText = tokenizer.decode(Array(self.box.tokens.prefix(promptCount))).replacingOccurrences(of: "\n", with: "⏎")
    let sampledText = masked ? "" : tokenizer.decode(self.box.sampled).replacingOccurrences(of: "\n", with: "⏎")
    var x = inner.x
    x += buffer.set(string: promptText, at: Point(x: x, y: inner.y), style: theme.text, clipTo: inner)
    buffer.set(string: sampledText, at: Point(x: x, y: inner.y), style: theme.accent.adding(.bold), clipTo: inner)
    if let message = self.box.message {
      buffer.set(string: message, at: Point(x: inner.x, y: inner.y + 2), style: theme.accent, clipTo: inner)
      return
    }
    guard let prediction = self.box.prediction else {
      buffer.set(string: L.computing, at: Point(x: inner.x, y: inner.y + 2), style: theme.muted, clipTo: inner)
      return
    }
    let header = L.nextTokenHeader(masked: masked, position: prediction.position)
    let controlsX = inner.x + buffer.set(string: header + " ", at: Point(x: inner.x, y: inner.y + 2), style: theme.muted, clipTo: inner)
    let controls = self.box.controls
    buffer.set(
      string: L.samplingLine(controls, perplexity: self.box.perplexity), at: Point(x: controlsX, y: inner.y + 2),
      style: theme.accent, clipTo: inner)
    // The likeliest tokens by logit; their bars are what sampling draws from: softmax(z/T)
    // over the kept tokens. A cut token keeps its place, greyed, with no bar.
    let allowed = tokenizer.generationMask
    let shown = controls.distribution(logits: prediction.logits, allowed: allowed)
    let kept = controls.keptTokens(logits: prediction.logits, allowed: allowed)
    let k = max(1, min(prediction.logits.count, inner.height - 4))
    let top = prediction.logits.indices.filter { allowed[$0] }
      .sorted { prediction.logits[$0] > prediction.logits[$1] || (prediction.logits[$0] == prediction.logits[$1] && $0 < $1) }
      .prefix(k)
    let bars = top.map { i in
      BarChart.Bar(
        label: tokenizer.displayToken(Int32(i)), value: Double(shown[i]),
        valueText: kept[i] ? String(format: "%.3f", Double(shown[i])) : L.cut, style: kept[i] ? nil : theme.muted)
    }
    BarChart(bars: Array(bars), maxValue: 1).render(in: inner.inset(top: 3, bottom: 1), buffer: &buffer, theme: theme)
    buffer.set(string: L.promptStepHelp, at: Point(x: inner.x, y: inner.bottom - 1), style: theme.muted, clipTo: inner)
  }
}
