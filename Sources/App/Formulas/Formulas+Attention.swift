import Foundation
import TermUI

extension Formulas {
  /// One key of the picked query: its score, e^score and softmax weight.
  struct Key {
    let j: Int
    let dot: Double
    let score: Double
    let weight: Double
  }

  /// The picked query's scores q·k_j/√d and softmax weights, recomputed from the replay.
  func attentionKeys(_ at: FormulaFocus) -> (keys: [Key], sum: Double) {
    let H = trace.config.heads
    let d = Double(trace.config.channels / H)
    let i = at.position
    let q = replay.headVector(0, layer: at.layer, head: at.head, heads: H, row: at.row, position: i)
    let visible = trace.objective.isCausal ? 0...i : 0...(trace.length - 1)
    let dots = visible.map { j in
      let k = replay.headVector(1, layer: at.layer, head: at.head, heads: H, row: at.row, position: j)
      return zip(q, k).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let sum = dots.reduce(0.0) { $0 + exp($1 / d.squareRoot()) }
    let keys = zip(visible, dots).map { j, dot in
      Key(j: j, dot: dot, score: dot / d.squareRoot(), weight: exp(dot / d.squareRoot()) / sum)
    }
    return (keys, sum)
  }

  func attentionLines(_ at: FormulaFocus) -> [FormulaLine] {
    let H = trace.config.heads
    let L = trace.config.layers
    let C = trace.config.channels
    let d = C / H
    let i = at.position
    let causal = trace.objective.isCausal
    let (keys, sum) = attentionKeys(at)
    let q = replay.headVector(0, layer: at.layer, head: at.head, heads: H, row: at.row, position: i)
    var lines = [
      FormulaLine(t("x = blocks(x): attention of layer \(at.layer + 1)/\(L), head \(at.head + 1)/\(H), query \(i) \(quoted(at.inputs[i]))",
                    "x = blocks(x)：第 \(at.layer + 1)/\(L) 层第 \(at.head + 1)/\(H) 个头，查询位置 \(i) \(quoted(at.inputs[i]))"), .heading),
      FormulaLine(t("h = ln_1(x); q = h·W_q + b_q, k = h·W_k + b_k, v = h·W_v + b_v (c_attn)",
                    "h = ln_1(x)；q = h·W_q + b_q，k = h·W_k + b_k，v = h·W_v + b_v（c_attn）"), .note),
      FormulaLine("q\(sub(i)) = h[\(i)]·W_q + b_q = \(vector(q))   d = C/H = \(d), √d = \(fixed(Double(d).squareRoot(), 2))"),
      FormulaLine("s_j = q·k_j/√d,  w_j = e^s_j / Σ_k e^s_k" + t(" (softmax over the row)", "（对这一行做 softmax）")),
      FormulaLine(" j  " + pad(t("token", "词元"), 10) + pad("q·k_j", 9) + pad("s_j", 9) + pad("e^s_j", 9) + "w_j", .note),
    ]
    // The strongest keys, as the stage view lists them, then one the mask hides.
    let top = keys.sorted { $0.weight > $1.weight }.prefix(3)
    for key in top {
      let token = truncated(tokenizer.displayToken(at.inputs[key.j]), toWidth: 9)
      lines.append(FormulaLine(
        pad(String(key.j), 3, right: true) + " " + pad(token, 10) + pad(fixed(key.dot, 3), 9) + pad(fixed(key.score, 3), 9)
          + pad(fixed(exp(key.score), 3), 9) + fixed(key.weight, 2), .result))
    }
    if causal, i + 1 < trace.length {
      let j = i + 1
      let token = truncated(tokenizer.displayToken(at.inputs[j]), toWidth: 9)
      lines.append(FormulaLine(
        pad(String(j), 3, right: true) + " " + pad(token, 10) + pad(t("masked", "掩码"), 9) + pad("−∞", 9) + pad("0", 9) + "0"
          + t("   (j > i: the future is hidden)", "（j > i：看不到未来）")))
    }
    let count = keys.count
    lines.append(FormulaLine(t("Σ_k e^s_k = \(fixed(sum, 3)) over the \(count) key\(count == 1 ? "" : "s")\(causal ? " j ≤ \(i)" : " (no mask)")",
                               "Σ_k e^s_k = \(fixed(sum, 3))，共 \(count) 个键\(causal ? " j ≤ \(i)" : "（无掩码）")")))
    if let best = top.first {
      lines.append(FormulaLine("w\(sub(best.j)) = \(fixed(exp(best.score), 3)) / \(fixed(sum, 3)) = \(fixed(best.weight, 2))", .result))
    }
    let out = weightedValues(at, keys: keys)
    lines.append(FormulaLine("out\(sub(i)) = Σ_j w_j·v_j = \(vector(out))", .result))
    lines.append(FormulaLine(t("c_proj mixes the heads' outputs back into x (+ the MLP, then the next layer)",
                               "c_proj 把各头的输出合回 x（再经 MLP，进入下一层）"), .note))
    return lines
  }

  /// Σ_j w_j·v_j for the picked query, from the recomputed weights.
  func weightedValues(_ at: FormulaFocus, keys: [Key]) -> [Float] {
    let H = trace.config.heads
    var out = [Double](repeating: 0, count: trace.config.channels / H)
    for key in keys {
      let v = replay.headVector(2, layer: at.layer, head: at.head, heads: H, row: at.row, position: key.j)
      for (c, value) in v.enumerated() { out[c] += key.weight * Double(value) }
    }
    return out.map { Float($0) }
  }

  /// `text` padded with spaces to `width` columns (on the left when `right`).
  func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - displayWidth(of: text)))
    return right ? fill + text : text + fill
  }
}
