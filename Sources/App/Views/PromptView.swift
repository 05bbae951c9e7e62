import Curriculum
import Foundation
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
    buffer.fill(box)
    let inner = Frame(title: L.promptTitle(masked: masked), isFocused: true, clearsInterior: true).render(in: box, buffer: &buffer, theme: theme)
    guard !inner.isEmpty, let tokenizer = snapshot.tokenizer else { return }
    if self.box.isEditing {
      buffer.set(string: "> " + self.box.text + "▏", at: Point(x: inner.x, y: inner.y), style: theme.text, clipTo: inner)
      buffer.set(string: L.promptEditHelp(masked: masked), at: Point(x: inner.x, y: inner.y + 2), style: theme.muted, clipTo: inner)
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
    buffer.set(string: header, at: Point(x: inner.x, y: inner.y + 2), style: theme.muted, clipTo: inner)
    let k = max(1, min(prediction.probabilities.count, inner.height - 4))
    let top = prediction.probabilities.indices.sorted { prediction.probabilities[$0] > prediction.probabilities[$1] }.prefix(k)
    let bars = top.map { i in
      BarChart.Bar(label: tokenizer.displayToken(Int32(i)), value: Double(prediction.probabilities[i]),
                   valueText: String(format: "%.3f", Double(prediction.probabilities[i])))
    }
    BarChart(bars: Array(bars), maxValue: 1).render(in: inner.inset(top: 3, bottom: 1), buffer: &buffer, theme: theme)
    buffer.set(string: L.promptStepHelp, at: Point(x: inner.x, y: inner.bottom - 1), style: theme.muted, clipTo: inner)
  }
}
