import Curriculum
import TermUI

/// The logits stage's other face: the top guess under every target, teacher-forced or free-running.
struct GuessRowsView {
  let rows: GuessRows
  let tokenizer: any Tokenizer
  let position: Int
  let language: Language

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let L = Localized(language)
    let show = { (id: Int32) in id < 0 ? "·" : tokenizer.displayToken(id) }
    let T = rows.targets.count
    let labelled = rows.targets.filter { $0 >= 0 }.count
    line(L.guessModeTitle(rows.mode), area, 0, &buffer, theme.accent.adding(.bold))
    // The caption may take the blank row under it too: cut, "errors compound" was lost at 120 columns.
    Paragraph(L.guessModeCaption(rows.mode, passes: rows.passes, length: T), style: theme.muted)
      .render(in: Rect(x: area.x, y: area.y + 1, width: area.width, height: min(2, max(0, area.height - 1))), buffer: &buffer, theme: theme)
    let guessItems = zip(rows.guesses, rows.targets).map { guess, target -> AlignedRows.Item in
      AlignedRows.Item(show(guess), role: .normal, style: guess == target ? theme.positive : theme.negative)
    }
    let table = [
      AlignedRows.Row(label: rows.mode == .teacherForcing ? L.input : L.modelReads, tokens: rows.inputs.map(show)),
      AlignedRows.Row(label: L.target, items: rows.targets.map { AlignedRows.Item(show($0), role: .emphasized) }),
      AlignedRows.Row(label: L.topGuess, items: guessItems),
    ]
    AlignedRows(rows: table, highlightedColumn: min(position, max(0, T - 1)))
      .render(in: Rect(x: area.x, y: area.y + 3, width: area.width, height: min(3, max(0, area.height - 3))), buffer: &buffer, theme: theme)
    line(L.guessScore(correct: rows.correct, of: labelled), area, 7, &buffer, theme.text)
    line(L.guessModeNext(rows.mode), area, 9, &buffer, theme.muted)
  }

  private func line(_ text: String, _ area: Rect, _ y: Int, _ buffer: inout Buffer, _ style: Style) {
    guard y < area.height else { return }
    buffer.set(string: text, at: Point(x: area.x, y: area.y + y), style: style, clipTo: area)
  }
}
