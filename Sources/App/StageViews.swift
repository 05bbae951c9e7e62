import Curriculum
import Foundation
import Model
import TermUI
import Training

/// What the stage views focus on: the picked token, layer and head, in one row of the batch.
public struct Focus: Sendable, Equatable {
  public var position = 0
  public var layer = 0
  public var head = 0
  /// The batch row the views show (row 0: the views explain one sequence).
  public var row = 0

  public init(position: Int = 0, layer: Int = 0, head: Int = 0) {
    self.position = position
    self.layer = layer
    self.head = head
  }

  /// Moves to the next (or previous) head, on to the next layer after the last head.
  mutating func stepHead(by delta: Int, layers: Int, heads: Int) {
    let total = layers * heads
    let index = ((layer * heads + head + delta) % total + total) % total
    layer = index / heads
    head = index % heads
  }

  /// Moves the picked position within 0..<length.
  mutating func stepPosition(by delta: Int, length: Int) {
    position = min(max(0, position + delta), max(0, length - 1))
  }
}

/// Attention weights as heatmap values: the square root, on a fixed 0…1 scale.
///
/// A fresh model spreads attention evenly (1/T per key); on a linear scale that is uniform
/// darkness. The square root keeps 0 and 1 where they are and makes small weights visible.
func attentionShades(_ weights: ArraySlice<Float>) -> [Float] {
  weights.map { $0.squareRoot() }
}

/// Draws one stage of a recorded iteration into an area, from the trace's real numbers.
struct StageView {
  let stage: Stage
  let trace: StepTrace
  let tokenizer: any Tokenizer
  let focus: Focus
  let language: Language
  let reference: LossReference

  private var T: Int { trace.length }
  private var V: Int { trace.vocabularySize }
  private var masked: Bool { trace.objective == .mlm }
  private var position: Int { min(max(0, focus.position), T - 1) }
  private var row: Int { min(focus.row, trace.batchSize - 1) }
  private var L: Localized { Localized(language) }

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    switch stage {
    case .tokenize: renderTokenize(area, &buffer, theme)
    case .labels: renderLabels(area, &buffer, theme)
    case .embed: renderEmbed(area, &buffer, theme)
    case .attention: renderAttention(area, &buffer, theme)
    case .logits: renderLogits(area, &buffer, theme)
    case .loss: renderLoss(area, &buffer, theme)
    case .backward: renderBackward(area, &buffer, theme)
    case .update: renderUpdate(area, &buffer, theme)
    }
  }

  // MARK: - Data of the shown row

  private func rowSlice(_ values: [Int32]) -> [Int32] {
    Array(values[row * T..<(row + 1) * T])
  }

  var inputs: [Int32] { rowSlice(trace.batch.inputs) }
  var labels: [Int32] { rowSlice(trace.batch.labels) }
  var originals: [Int32] { rowSlice(trace.batch.originals) }

  func show(_ id: Int32) -> String {
    id < 0 ? "·" : tokenizer.displayToken(id)
  }

  /// The target the picked position is trained towards, if it has one.
  var target: Int32? {
    let label = labels[position]
    return label >= 0 ? label : nil
  }

  private func line(_ text: String, _ area: Rect, _ y: Int, _ buffer: inout Buffer, _ style: Style) {
    guard y < area.height else { return }
    buffer.set(string: text, at: Point(x: area.x, y: area.y + y), style: style, clipTo: area)
  }

  private func sub(_ area: Rect, from y: Int, height: Int? = nil) -> Rect {
    let top = min(area.height, y)
    let h = max(0, min(height ?? (area.height - top), area.height - top))
    return Rect(x: area.x, y: area.y + top, width: area.width, height: h)
  }

  // MARK: - 1 tokenize

  private func renderTokenize(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let batch = trace.batch
    let start = batch.windowStarts.indices.contains(row) ? batch.windowStarts[row] : 0
    line(L.windowLine(epoch: batch.epoch, batch: batch.index, row: row, rows: batch.batchSize, start: start), area, 0, &buffer, theme.muted)
    let windowIDs = masked ? originals : inputs + (labels.last.map { $0 >= 0 ? [$0] : [] } ?? [])
    let text = tokenizer.decode(windowIDs)
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

  // MARK: - 2 labels

  private func renderLabels(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    if masked { renderMaskedLabels(area, &buffer, theme); return }
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

  // MARK: - 3 embed

  private func renderEmbed(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let token = inputs[position]
    let C = trace.config.channels
    let tokenRow = Array(trace.parameter("wte.weight").dropFirst(Int(token) * C).prefix(C))
    let positionRow = Array(trace.parameter("wpe.weight").dropFirst(position * C).prefix(C))
    let start = (row * T + position) * C
    let sum = Array(trace.inputEmbeddings[start..<start + C])
    let scale = max(tokenRow.map(abs).max() ?? 0, positionRow.map(abs).max() ?? 0, sum.map(abs).max() ?? 0, 1e-6)
    line(L.embedHeader(token: show(token), id: Int(token), position: position, channels: C), area, 0, &buffer, theme.text)
    let labelWidth = 12
    let stripWidth = max(1, area.width - labelWidth - 10)
    let cell = max(1, min(3, stripWidth / max(1, C)))
    let strips: [(String, [Float])] = [
      ("wte[\(token)]", tokenRow), ("+ wpe[\(position)]", positionRow), ("= x", sum),
    ]
    for (i, (label, values)) in strips.enumerated() {
      let y = 2 + i * 2
      guard y < area.height else { break }
      buffer.set(string: label, at: Point(x: area.x, y: area.y + y), style: theme.accent, clipTo: area)
      let stripArea = Rect(x: area.x + labelWidth, y: area.y + y, width: min(C * cell, stripWidth), height: 1)
      ValueStrip(values: values, scale: scale, cellWidth: cell).render(in: stripArea, buffer: &buffer, theme: theme)
      let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
      buffer.set(string: "‖\(formatFixed(Double(norm), decimals: 2))‖", at: Point(x: stripArea.right + 1, y: area.y + y), style: theme.muted, clipTo: area)
    }
    // Every position's input vector, one strip each, so the learner sees rows differ.
    let gridTop = 9
    guard gridTop + 1 < area.height else { return }
    line(L.allPositions, area, gridTop, &buffer, theme.muted)
    let rowsShown = min(T, area.height - gridTop - 1)
    let first = max(0, min(position - rowsShown / 2, T - rowsShown))
    for k in 0..<rowsShown {
      let p = first + k
      let y = area.y + gridTop + 1 + k
      let s = (row * T + p) * C
      let label = truncated(show(inputs[p]), toWidth: labelWidth - 1)
      buffer.set(string: label, at: Point(x: area.x, y: y), style: p == position ? theme.highlight : theme.muted, clipTo: area)
      let stripArea = Rect(x: area.x + labelWidth, y: y, width: min(C * cell, stripWidth), height: 1)
      ValueStrip(values: Array(trace.inputEmbeddings[s..<s + C]), scale: scale, cellWidth: cell).render(in: stripArea, buffer: &buffer, theme: theme)
    }
  }

  // MARK: - 4 attention

  private func renderAttention(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let layers = trace.config.layers
    let heads = trace.config.heads
    let layer = min(focus.layer, layers - 1)
    let head = min(focus.head, heads - 1)
    let weights = Array(trace.attention(row: row, layer: layer, head: head))
    line(L.attentionHeader(layer: layer, layers: layers, head: head, heads: heads, causal: !masked), area, 0, &buffer, theme.text)
    let names = inputs.map { truncated(show($0), toWidth: 6) }
    let summaryHeight = 2
    let mapArea = sub(area, from: 1, height: max(0, area.height - 1 - summaryHeight))
    Heatmap(
      rows: T, columns: T, values: attentionShades(weights[...]), range: 0...1, mask: masked ? .none : .causal,
      rowLabels: names, columnLabels: names, highlightedRow: position
    ).render(in: mapArea, buffer: &buffer, theme: theme)
    // The strongest links of the picked query.
    let query = Array(weights[position * T..<(position + 1) * T])
    let top = query.enumerated().sorted { $0.element > $1.element }.prefix(3)
    let parts = top.map { "\(show(inputs[$0.offset]))@\($0.offset) \(formatFixed(Double($0.element), decimals: 2))" }
    line(L.attendsTo(show(inputs[position]), parts.joined(separator: "  ")), area, area.height - 1, &buffer, theme.accent)
  }

  // MARK: - 5 logits

  private func topIndices(_ values: ArraySlice<Float>, count: Int) -> [Int] {
    let base = values.startIndex
    return values.indices.sorted { values[$0] > values[$1] }.prefix(count).map { $0 - base }
  }

  private func renderLogits(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let probs = trace.probabilities(row: row, position: position)
    let logits = trace.logits(row: row, position: position)
    let header: String
    if let target {
      let p = probs[probs.startIndex + Int(target)]
      header = L.logitsHeader(position: position, token: show(inputs[position]), target: show(target), p: p, masked: masked)
    } else {
      header = L.noLabelHere(position: position)
    }
    line(header, area, 0, &buffer, theme.text)
    let k = max(1, min(V, area.height - 3))
    var picked = topIndices(probs, count: k)
    if let target, !picked.contains(Int(target)) { picked[picked.count - 1] = Int(target) }
    let bars = picked.map { i -> BarChart.Bar in
      let p = probs[probs.startIndex + i]
      let z = logits[logits.startIndex + i]
      return BarChart.Bar(label: show(Int32(i)), value: Double(p), valueText: "p \(formatFixed(Double(p), decimals: 3))  z \(formatFixed(Double(z), decimals: 2))")
    }
    let highlighted = target.flatMap { t in picked.firstIndex(of: Int(t)) }
    BarChart(bars: bars, maxValue: 1, highlightedIndex: highlighted).render(in: sub(area, from: 2), buffer: &buffer, theme: theme)
  }

  // MARK: - 6 loss

  private func renderLoss(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let losses = Array(trace.positionLosses[row * T..<(row + 1) * T])
    let labelled = trace.batch.labels.filter { $0 >= 0 }.count
    line(L.lossHeader(loss: trace.loss, labelled: labelled, rows: trace.batchSize, lnV: reference.uniform), area, 0, &buffer, theme.text)
    let shown = max(1, min(T, area.height - 2))
    let first = max(0, min(position - shown / 2, T - shown))
    let bars = (first..<first + shown).map { i -> BarChart.Bar in
      let label = "\(show(inputs[i]))→\(show(labels[i]))"
      if labels[i] < 0 { return BarChart.Bar(label: label, value: 0, valueText: L.ignored) }
      return BarChart.Bar(label: label, value: Double(losses[i]), valueText: formatFixed(Double(losses[i]), decimals: 3))
    }
    let maxValue = Double(max(reference.uniform * 1.2, losses.max() ?? 0))
    BarChart(
      bars: bars, maxValue: maxValue, highlightedIndex: position - first,
      referenceValue: Double(reference.uniform), referenceLabel: "ln V"
    ).render(in: sub(area, from: 2), buffer: &buffer, theme: theme)
  }

  // MARK: - 7 backward

  private func renderBackward(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let halves = area.split(.horizontal, [.percentage(50), .fill(1)], spacing: 2)
    let left = halves[0]
    let right = halves[1]
    let probs = trace.probabilities(row: row, position: position)
    let labelled = max(1, trace.batch.labels.filter { $0 >= 0 }.count)
    line(L.gradientHeader(labelled: labelled), left, 0, &buffer, theme.text)
    if let target {
      let k = max(1, min(V, left.height - 2))
      var picked = topIndices(probs, count: k)
      if !picked.contains(Int(target)) { picked[picked.count - 1] = Int(target) }
      let grads = picked.map { i -> Double in
        Double(probs[probs.startIndex + i]) - (i == Int(target) ? 1 : 0)
      }
      let bars = zip(picked, grads).map { i, g in
        BarChart.Bar(label: show(Int32(i)), value: abs(g), valueText: (g < 0 ? "−" : "+") + formatFixed(abs(g), decimals: 3),
                     style: g < 0 ? theme.negative : theme.positive)
      }
      BarChart(bars: bars, maxValue: 1, highlightedIndex: picked.firstIndex(of: Int(target))).render(in: sub(left, from: 2), buffer: &buffer, theme: theme)
    } else {
      line(L.noLabelHere(position: position), left, 2, &buffer, theme.muted)
    }
    line(L.gradientNormsHeader, right, 0, &buffer, theme.text)
    let norms = trace.gradientNorms
    let shown = Array(norms.prefix(max(0, right.height - 2)))
    let bars = shown.map { BarChart.Bar(label: shortName($0.name), value: Double($0.value), valueText: formatCompact(Double($0.value))) }
    BarChart(bars: bars).render(in: sub(right, from: 2), buffer: &buffer, theme: theme)
  }

  // MARK: - 8 update

  private func renderUpdate(_ area: Rect, _ buffer: inout Buffer, _ theme: Theme) {
    let delta = trace.lossAfter - trace.loss
    line(L.updateHeader(before: trace.loss, after: trace.lossAfter, delta: delta, lr: trace.learningRate), area, 0, &buffer, delta <= 0 ? theme.positive : theme.negative)
    let halves = sub(area, from: 2).split(.horizontal, [.min(38), .fill(1)], spacing: 2)
    let left = halves[0]
    let right = halves[1]
    // A slice of the embedding row of the picked token: before, after, and the change.
    let token = inputs[position]
    let C = trace.config.channels
    let offset = Int(token) * C
    let before = Array(trace.parameter("wte.weight").dropFirst(offset).prefix(C))
    let after = Array(trace.parameterAfter("wte.weight").dropFirst(offset).prefix(C))
    let grad = Array(trace.gradient("wte.weight").dropFirst(offset).prefix(C))
    line(L.sliceHeader(token: show(token), id: Int(token)), left, 0, &buffer, theme.text)
    line(L.sliceColumns, left, 1, &buffer, theme.muted)
    let count = min(C, max(0, left.height - 2))
    for i in 0..<count {
      let d = after[i] - before[i]
      let text = String(format: "%3d %7.4f %7.4f %+8.5f %+7.4f", i, before[i], after[i], d, grad[i])
      line(text, left, 2 + i, &buffer, theme.text)
    }
    line(L.ratiosHeader, right, 0, &buffer, theme.text)
    let ratios = trace.updateRatios.prefix(max(0, right.height - 2))
    let bars = ratios.map { stat in
      stat.value.isFinite
        ? BarChart.Bar(label: shortName(stat.name), value: Double(stat.value), valueText: formatCompact(Double(stat.value)))
        : BarChart.Bar(label: shortName(stat.name), value: 0, valueText: L.fromZero)
    }
    BarChart(bars: Array(bars)).render(in: sub(right, from: 2), buffer: &buffer, theme: theme)
  }

  /// "h.0.attn.c_attn.weight" → "h0.attn.c_attn.w": the GPT-2 name, short enough for a label.
  private func shortName(_ name: String) -> String {
    var short = name.replacingOccurrences(of: ".weight", with: ".w").replacingOccurrences(of: ".bias", with: ".b")
    if short.hasPrefix("h.") { short.remove(at: short.index(after: short.startIndex)) }
    return short
  }
}
