import Curriculum
import TermUI

/// The labels of a fine-tuning row: the answer's next tokens, −100 (greyed) everywhere else.
extension LabelsView {
  func renderSFTLabels(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let length = trace.batch.exampleLengths.indices.contains(row) ? trace.batch.exampleLengths[row] : T
    let inputItems = (0..<T).map { i in
      i >= length ? AlignedRows.Item(L.padding, role: .ignored) : AlignedRows.Item(show(inputs[i]))
    }
    let labelItems = labels.map { $0 >= 0 ? AlignedRows.Item(show($0), role: .emphasized) : AlignedRows.Item("·", role: .ignored) }
    let rows = [AlignedRows.Row(label: L.input, items: inputItems), AlignedRows.Row(label: L.target, items: labelItems)]
    AlignedRows(rows: rows, highlightedColumn: position).render(in: sub(area, from: 0, height: 2), buffer: &buffer, theme: theme)
    let labelled = labels.filter { $0 >= 0 }.count
    let maskOff = trace.batch.labels.indices.contains(0) && labels.first.map { $0 >= 0 } == true
    line(maskOff ? L.sftAllLabelled(labelled, of: T) : L.sftLabelled(labelled, of: T), area, 3, &buffer, theme.text)
    line(L.sftLabelsRule, area, 4, &buffer, theme.muted)
    let here = labels[position] >= 0
      ? L.sftTarget(show(inputs[position]), show(labels[position]))
      : L.sftNoLoss(position >= length ? L.padding : show(inputs[position]), padding: position >= length)
    line(here, area, 6, &buffer, here.isEmpty ? theme.muted : theme.accent)
  }
}
