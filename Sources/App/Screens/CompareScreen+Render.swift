import Curriculum
import Foundation
import TermUI
import Training

extension CompareScreen {
  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(plan.language)
    let parts = area.split(.vertical, [.fixed(1), .fill(1), .fixed(1)])
    buffer.fill(parts[0], with: Cell(" ", style: theme.title.adding(.reverse)))
    buffer.set(string: " " + L.compareTitle, at: Point(x: parts[0].x, y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    var body = parts[1]
    // The lesson's narrative above the two sides, one section at a time.
    let section = sections[min(sectionIndex, sections.count - 1)]
    let paragraph = Paragraph(section.text, style: theme.text)
    let textWidth = max(1, body.width - 2)
    let limit = body.height < WatchControls.foldBelowRows ? body.height / 4 : body.height / 3
    let needed = paragraph.height(forWidth: textWidth, theme: theme)
    // Below 30 rows the text starts folded to a line, so the two plots get the room (n unfolds it).
    let (textHeight, isFolded) = watch.narrativeLines(needed: needed, limit: limit, rows: area.height)
    if textHeight > 0 {
      let counter = "\(section.title) (\(min(sectionIndex, sections.count - 1) + 1)/\(sections.count))"
      buffer.set(string: counter, at: Point(x: body.x + 1, y: body.y), style: theme.accent, clipTo: body)
      let textArea = Rect(x: body.x + 1, y: body.y + 1, width: textWidth, height: textHeight)
      if isFolded {
        FoldedText(text: section.text, hint: L.narrativeFolded).render(in: textArea, buffer: &buffer, theme: theme)
      } else {
        paragraph.render(in: textArea, buffer: &buffer, theme: theme)
      }
      body = body.inset(top: textHeight + 1)
    }
    let columns = body.split(.horizontal, [.fill(1), .fill(1)], spacing: 1)
    renderSide(snapshot(causal), title: Self.fitting(L.causalSides, width: columns[0].width - 4), columns[0], &buffer, theme)
    renderSide(snapshot(masked), title: Self.fitting(L.maskedSides, width: columns[1].width - 4), columns[1], &buffer, theme)
    footer.render(in: parts[2], buffer: &buffer, theme: theme)
  }

  /// The first of `forms` (longest first) that fits `width`; the last, cut with "…", when none does.
  static func fitting(_ forms: [String], width: Int) -> String {
    forms.first { displayWidth(of: $0) <= width } ?? truncated(forms[forms.count - 1], toWidth: width)
  }

  private func renderSide(_ s: SessionSnapshot, title: String, _ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let L = Localized(plan.language)
    let inner = Frame(title: title).render(in: area, buffer: &buffer, theme: theme)
    // Short sides give the loss plot the larger share: a heatmap cut short still shows its
    // first rows, a plot squeezed to one row shows nothing.
    let shares: (heatmap: Int, plot: Int) = inner.height < 24 ? (2, 3) : (3, 2)
    let rows = inner.split(.vertical, [.fixed(1), .fixed(3), .fixed(1), .fill(shares.heatmap), .fill(shares.plot)])
    LiveStrip(snapshot: s, language: plan.language).render(in: rows[0], buffer: &buffer, theme: theme)
    guard let trace = s.trace, let tokenizer = s.tokenizer else {
      if case .failed(let error) = s.state {
        Paragraph(error.description, style: theme.error).render(in: rows[1], buffer: &buffer, theme: theme)
      } else {
        buffer.set(string: L.pressS, at: Point(x: rows[1].x, y: rows[1].y), style: theme.accent, clipTo: rows[1])
      }
      return
    }
    let T = trace.length
    let position = min(focus.position, T - 1)
    let show = { (id: Int32) -> String in id < 0 ? "·" : tokenizer.displayToken(id) }
    let inputs = Array(trace.batch.inputs[0..<T])
    let labels = Array(trace.batch.labels[0..<T])
    let inputItems: [AlignedRows.Item]
    if trace.objective == .mlm {
      let kinds = Array(trace.batch.maskKinds[0..<T])
      inputItems = zip(inputs, kinds).map { AlignedRows.Item(show($0), role: $1 == .masked ? .masked : ($1 == .none ? .normal : .emphasized)) }
    } else {
      inputItems = inputs.map { AlignedRows.Item(show($0)) }
    }
    let labelItems = labels.map { $0 >= 0 ? AlignedRows.Item(show($0), role: .emphasized) : AlignedRows.Item("·", role: .ignored) }
    AlignedRows(rows: [
      AlignedRows.Row(label: L.input, items: inputItems),
      AlignedRows.Row(label: trace.objective == .mlm ? L.label : L.target, items: labelItems),
    ], highlightedColumn: position).render(in: rows[1], buffer: &buffer, theme: theme)
    let layer = min(focus.layer, trace.config.layers - 1)
    let head = min(focus.head, trace.config.heads - 1)
    let headers = L.compactAttentionHeaders(layer: layer, layers: trace.config.layers, head: head, heads: trace.config.heads, causal: trace.objective == .clm)
    let header = Self.fitting(headers, width: rows[2].width)
    buffer.set(string: header, at: Point(x: rows[2].x, y: rows[2].y), style: theme.muted, clipTo: rows[2])
    Heatmap(
      rows: T, columns: T, values: attentionShades(trace.attention(row: 0, layer: layer, head: head)), range: 0...1,
      mask: trace.objective == .clm ? .causal : .none, highlightedRow: position, showsLegend: false
    ).render(in: rows[3], buffer: &buffer, theme: theme)
    // Train and validation on both sides, on the same axes, milestones marked.
    LossPlotView(snapshot: s, language: plan.language, isLogarithmic: watch.isLogAxis).render(in: rows[4], buffer: &buffer, theme: theme)
  }
}
