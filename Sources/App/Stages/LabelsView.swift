import Curriculum
import TermUI

/// Where the labels come from: the next token (CLM), the picked and masked positions (MLM),
/// or the answer's next tokens only (SFT).
struct LabelsView: StageDrawing {
  let context: StageContext

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    if masked { renderMaskedLabels(area, &buffer, theme); return }
    if trace.objective == .sft { renderSFTLabels(area, &buffer, theme); return }
    let rows = [
      AlignedRows.Row(label: L.input, tokens: inputs.map(show)),
      AlignedRows.Row(label: L.target, items: labels.map { AlignedRows.Item(show($0), role: .emphasized) }),
    ]
    AlignedRows(rows: rows, highlightedColumn: position).render(in: sub(area, from: 0, height: 2), buffer: &buffer, theme: theme)
    line(L.shiftRule, area, 3, &buffer, theme.muted)
    // The pairs the model learns from, starting at the picked position.
    var y = 5
    var x = 0
    for i in position..<T where y < area.height {
      let pair = "\(show(inputs[i]))→\(show(labels[i]))"
      let width = displayWidth(of: pair) + 3
      if x + width > area.width, x > 0 { y += 1; x = 0 }
      guard y < area.height else { break }
      let style = i == position ? theme.highlight : theme.text
      buffer.set(string: pair, at: Point(x: area.x + x, y: area.y + y), style: style, clipTo: area)
      x += width
    }
  }

  private func renderMaskedLabels(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let kinds = Array(trace.batch.maskKinds[row * T..<(row + 1) * T])
    let inputItems = (0..<T).map { i -> AlignedRows.Item in
      switch kinds[i] {
      case .masked: AlignedRows.Item(show(inputs[i]), role: .masked)
      case .random: AlignedRows.Item(show(inputs[i]), role: .emphasized)
      case .kept: AlignedRows.Item(show(inputs[i]), role: .emphasized)
      case .none: AlignedRows.Item(show(inputs[i]))
      }
    }
    let labelItems = labels.map { $0 >= 0 ? AlignedRows.Item(show($0), role: .emphasized) : AlignedRows.Item("·", role: .ignored) }
    let rows = [
      AlignedRows.Row(label: L.original, tokens: originals.map(show)),
      AlignedRows.Row(label: L.input, items: inputItems),
      AlignedRows.Row(label: L.label, items: labelItems),
    ]
    AlignedRows(rows: rows, highlightedColumn: position).render(in: sub(area, from: 0, height: 3), buffer: &buffer, theme: theme)
    let picked = kinds.filter { $0 != .none }.count
    let maskedCount = kinds.filter { $0 == .masked }.count
    let random = kinds.filter { $0 == .random }.count
    let kept = kinds.filter { $0 == .kept }.count
    line(L.pickedSummary(picked: picked, of: T, masked: maskedCount, random: random, kept: kept), area, 4, &buffer, theme.text)
    line(L.mlmRule, area, 5, &buffer, theme.muted)
    let here: String
    switch kinds[position] {
    case .none: here = L.notPicked(show(inputs[position]))
    case .masked: here = L.pickedMasked(show(originals[position]))
    case .random: here = L.pickedRandom(show(originals[position]), show(inputs[position]))
    case .kept: here = L.pickedKept(show(originals[position]))
    }
    line(here, area, 7, &buffer, theme.accent)
  }
}
