import Curriculum
import Foundation

/// The interface's words in the learner's language.
struct Localized {
  let language: Language

  init(_ language: Language) { self.language = language }

  func pick(_ en: String, _ zh: String) -> String { language == .zh ? zh : en }
  private func f(_ value: Float, _ decimals: Int = 3) -> String { String(format: "%.\(decimals)f", Double(value)) }

  var input: String { pick("input", "输入") }
  var target: String { pick("target", "目标") }
  var original: String { pick("original", "原文") }
  var label: String { pick("label", "标签") }
  var ignored: String { pick("ignored", "不计") }

  func windowLine(epoch: Int, batch: Int, row: Int, rows: Int, start: Int) -> String {
    pick("epoch \(epoch + 1) · batch \(batch + 1) · row \(row + 1) of \(rows) · cut at token \(start) of the training split",
         "第 \(epoch + 1) 轮 · 第 \(batch + 1) 批 · 第 \(row + 1)/\(rows) 行 · 从训练集第 \(start) 个词元处截取")
  }

  func tokenSummary(count: Int, vocabulary: Int, kind: String) -> String {
    pick("T = \(count) tokens · vocabulary V = \(vocabulary) (\(kind) tokenizer)",
         "T = \(count) 个词元 · 词表大小 V = \(vocabulary)（\(kind) 分词器）")
  }

  var shiftRule: String {
    pick("targets[i] = tokens[i+1]: each target is the text's next token.",
         "targets[i] = tokens[i+1]：每个目标都是文本中的下一个词元。")
  }

  var mlmRule: String {
    pick("picked with p = 0.15 → 80% [MASK] · 10% random · 10% kept; loss only where picked",
         "以 p = 0.15 选中 → 80% [MASK] · 10% 随机 · 10% 不变；只在选中处计损失")
  }

  func pickedSummary(picked: Int, of total: Int, masked: Int, random: Int, kept: Int) -> String {
    let percent = total > 0 ? 100 * Double(picked) / Double(total) : 0
    return pick("picked \(picked) of \(total) (\(String(format: "%.0f", percent))%): \(masked) → [MASK], \(random) → random, \(kept) kept",
                "选中 \(picked)/\(total)（\(String(format: "%.0f", percent))%）：\(masked) 个 → [MASK]，\(random) 个 → 随机，\(kept) 个不变")
  }

  func notPicked(_ token: String) -> String {
    pick("“\(token)” was not picked: no label, no loss here.", "“\(token)”未被选中：没有标签，也不计损失。")
  }

  func pickedMasked(_ original: String) -> String {
    pick("picked → [MASK]: the model must guess “\(original)”.", "选中 → [MASK]：模型要猜出“\(original)”。")
  }

  func pickedRandom(_ original: String, _ replacement: String) -> String {
    pick("picked → random “\(replacement)”: the label is still “\(original)”.", "选中 → 随机换成“\(replacement)”：标签仍是“\(original)”。")
  }

  func pickedKept(_ original: String) -> String {
    pick("picked, kept as is: the label is “\(original)” itself.", "选中但保持原样：标签就是“\(original)”本身。")
  }

  func embedHeader(token: String, id: Int, position: Int, channels: Int) -> String {
    pick("token “\(token)” (id \(id)) at position \(position): \(channels) numbers each",
         "位置 \(position) 的词元“\(token)”（编号 \(id)）：每个向量 \(channels) 个数")
  }

  var allPositions: String { pick("input vectors of every position:", "每个位置的输入向量：") }

  func attentionHeader(layer: Int, layers: Int, head: Int, heads: Int, causal: Bool) -> String {
    let mask = causal ? pick("causal", "因果") : pick("bidirectional", "双向")
    return pick("layer \(layer + 1)/\(layers) · head \(head + 1)/\(heads) · \(mask) · rows = query, columns = key · √ scale",
                "第 \(layer + 1)/\(layers) 层 · 第 \(head + 1)/\(heads) 个头 · \(mask) · 行 = 查询，列 = 键 · 颜色按平方根刻度")
  }

  /// A compare side's attention header, the longest form first.
  ///
  /// Where room runs short the words go before the mask's name: "causal" against
  /// "bidirectional" is what the two sides are there to show.
  func compactAttentionHeaders(layer: Int, layers: Int, head: Int, heads: Int, causal: Bool) -> [String] {
    let mask = causal ? pick("causal", "因果") : pick("bidirectional", "双向")
    let place = pick("layer \(layer + 1)/\(layers) · head \(head + 1)/\(heads)", "第 \(layer + 1)/\(layers) 层 · 第 \(head + 1)/\(heads) 个头")
    let scale = pick("√ scale", "颜色按平方根刻度")
    return [
      pick("attention · ", "注意力 · ") + "\(place) · \(mask) · \(scale)",
      "\(place) · \(mask) · \(scale)",
      "\(place) · \(mask)",
      pick("L\(layer + 1)/\(layers) · H\(head + 1)/\(heads) · \(mask)", "\(layer + 1)/\(layers) 层 · \(head + 1)/\(heads) 头 · \(mask)"),
      mask,
    ]
  }

  func attendsTo(_ token: String, _ list: String) -> String {
    pick("“\(token)” looks most at: \(list)", "“\(token)”最关注：\(list)")
  }

  func logitsHeader(position: Int, token: String, target: String, p: Float, masked: Bool) -> String {
    masked
      ? pick("position \(position) (“\(token)”): the model's guess for “\(target)”, p = \(f(p))",
             "位置 \(position)（“\(token)”）：模型对“\(target)”的猜测，p = \(f(p))")
      : pick("after “\(token)” (position \(position)) the target is “\(target)”: p = \(f(p))",
             "“\(token)”（位置 \(position)）之后的目标是“\(target)”：p = \(f(p))")
  }

  func noLabelHere(position: Int) -> String {
    pick("position \(position) carries no label — move ←/→ to a picked one.", "位置 \(position) 没有标签——用 ←/→ 移到被选中的位置。")
  }

  /// The loss stage's header, in two parts: the second goes on its own row when both do not fit.
  func lossHeader(loss: Float, labelled: Int, rows: Int, lnV: Float) -> (loss: String, reference: String) {
    (pick("loss = mean −log p(target) over \(labelled) positions (\(rows) rows) = \(f(loss))",
          "损失 = \(labelled) 个位置（\(rows) 行）的 −log p(目标) 平均 = \(f(loss))"),
     "ln V \(f(lnV))")
  }

  func gradientHeader(labelled: Int) -> String {
    pick("p − onehot  (dL/dlogits = this ÷ \(labelled))", "p − onehot（dL/dlogits = 它 ÷ \(labelled)）")
  }

  var gradientNormsHeader: String { pick("gradient norm per tensor", "各参数张量的梯度范数") }

  func updateHeader(before: Float, after: Float, delta: Float, lr: Float) -> String {
    pick("loss on this batch: \(f(before)) → \(f(after)) (\(String(format: "%+.3f", Double(delta)))) · lr \(Self.rate(lr))",
         "同一批数据的损失：\(f(before)) → \(f(after))（\(String(format: "%+.3f", Double(delta)))）· 学习率 \(Self.rate(lr))")
  }

  func sliceHeader(token: String, id: Int) -> String {
    pick("wte row of “\(token)” (id \(id))", "“\(token)”（编号 \(id)）的 wte 行")
  }

  var sliceColumns: String { pick("  i  before   after   change    grad", "  i  更新前  更新后    变化    梯度") }

  var fromZero: String { pick("from 0", "从 0 起") }

  var ratiosHeader: String { pick("‖update‖ / ‖weights‖ per tensor", "各张量 ‖更新量‖ / ‖权重‖") }
}
