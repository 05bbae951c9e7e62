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

/// Everything a stage view draws from: one recorded iteration and what the learner focuses on.
struct StageContext {
  let trace: StepTrace
  let tokenizer: any Tokenizer
  let focus: Focus
  let language: Language
  let reference: LossReference
}

/// A stage's picture, drawn from a `StageContext`; one type per stage, named in the stage table.
protocol StageDrawing {
  var context: StageContext { get }
  init(context: StageContext)
  func render(in area: Rect, buffer: inout Buffer, theme: Theme)
}

/// What every stage view reads of the shown row, and small drawing helpers.
extension StageDrawing {
  var trace: StepTrace { context.trace }
  var tokenizer: any Tokenizer { context.tokenizer }
  var focus: Focus { context.focus }
  var reference: LossReference { context.reference }
  var L: Localized { Localized(context.language) }

  var T: Int { trace.length }
  var V: Int { trace.vocabularySize }
  var masked: Bool { trace.objective == .mlm }
  var position: Int { min(max(0, focus.position), T - 1) }
  var row: Int { min(focus.row, trace.batchSize - 1) }

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

  func line(_ text: String, _ area: Rect, _ y: Int, _ buffer: inout Buffer, _ style: Style) {
    guard y < area.height else { return }
    buffer.set(string: text, at: Point(x: area.x, y: area.y + y), style: style, clipTo: area)
  }

  func sub(_ area: Rect, from y: Int, height: Int? = nil) -> Rect {
    let top = min(area.height, y)
    let h = max(0, min(height ?? (area.height - top), area.height - top))
    return Rect(x: area.x, y: area.y + top, width: area.width, height: h)
  }

  /// The offsets of the `count` largest values, largest first.
  func topIndices(_ values: ArraySlice<Float>, count: Int) -> [Int] {
    let base = values.startIndex
    return values.indices.sorted { values[$0] > values[$1] }.prefix(count).map { $0 - base }
  }

  /// "h.0.attn.c_attn.weight" → "h0.attn.c_attn.w": the GPT-2 name, short enough for a label.
  func shortName(_ name: String) -> String {
    var short = name.replacingOccurrences(of: ".weight", with: ".w").replacingOccurrences(of: ".bias", with: ".b")
    if short.hasPrefix("h.") { short.remove(at: short.index(after: short.startIndex)) }
    return short
  }

  /// `shortName` for narrow panels: h0.attn.c_proj.w becomes h0.a.c_proj.w, still unlike h0.m.c_proj.w.
  func compactName(_ name: String) -> String {
    shortName(name).replacingOccurrences(of: ".attn.", with: ".a.").replacingOccurrences(of: ".mlp.", with: ".m.")
  }
}

/// Draws one stage of a recorded iteration, with the view the stage table names.
struct StageView {
  let stage: Stage
  let context: StageContext

  init(stage: Stage, trace: StepTrace, tokenizer: any Tokenizer, focus: Focus, language: Language, reference: LossReference) {
    self.stage = stage
    context = StageContext(trace: trace, tokenizer: tokenizer, focus: focus, language: language, reference: reference)
  }

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    stage.descriptor.view(context).render(in: area, buffer: &buffer, theme: theme)
  }
}
