import Curriculum
import TermUI

/// The batch window: its text, and the tokens with their ids.
struct TokenizeView: StageDrawing {
  let context: StageContext

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let batch = trace.batch
    let start = batch.windowStarts.indices.contains(row) ? batch.windowStarts[row] : 0
    line(L.windowLine(epoch: batch.epoch, batch: batch.index, row: row, rows: batch.batchSize, start: start), area, 0, &buffer, theme.muted)
    let windowIDs = masked ? originals : inputs + (labels.last.map { $0 >= 0 ? [$0] : [] } ?? [])
    // A window cut inside a character would quote "�" for its stray bytes: they read <0x90>, as in the boxes below.
    let text = (tokenizer as? BPETokenizer).map { bpe in TokenDisplay.textWithByteEscapes(windowIDs.flatMap { bpe.bytes(of: $0) }) }
      ?? tokenizer.decode(windowIDs)
    let quoted = "“" + visibleTokenText(text) + "”"
    let paragraph = Paragraph(quoted, style: theme.text)
    let textHeight = min(3, paragraph.height(forWidth: area.width, theme: theme))
    paragraph.render(in: sub(area, from: 1, height: textHeight), buffer: &buffer, theme: theme)
    let shown = masked ? originals : inputs
    let strip = TokenStrip(
      texts: shown.map(show), ids: shown.map { Int($0) }, highlightedIndex: position)
    let stripArea = sub(area, from: 2 + textHeight, height: max(0, area.height - textHeight - 3))
    strip.render(in: stripArea, buffer: &buffer, theme: theme)
    line(L.tokenSummary(count: T, vocabulary: V, kind: tokenizer.kind.rawValue), area, area.height - 1, &buffer, theme.muted)
  }
}
