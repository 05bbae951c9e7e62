import Curriculum
import Model
import TermUI
import Training

/// Each stage's math with this step's numbers plugged in, for the picked position, head or weight.
///
/// Every number comes from the step's trace (and the activations a replay of its forward
/// pass gives back), so each result equals the number the stage view draws, to the
/// digits it shows. Names follow the training loop's code panel: inputs, targets, wte,
/// wpe, x, logits, loss.
public struct Formulas {
  public let trace: StepTrace
  public let tokenizer: any Tokenizer
  public let replay: FormulaReplay
  public let language: Language

  public init(trace: StepTrace, tokenizer: any Tokenizer, replay: FormulaReplay, language: Language) {
    self.trace = trace
    self.tokenizer = tokenizer
    self.replay = replay
    self.language = language
  }

  /// The panel's lines for `stage`; `unicode` false spells the math in ASCII.
  public func lines(for stage: Stage, focus: Focus, unicode: Bool = true) -> [FormulaLine] {
    let at = FormulaFocus(trace: trace, focus: focus)
    let lines = stage.descriptor.formula(self, at)
    return unicode ? lines : lines.map { FormulaLine(MathText.plain($0.text), $0.role) }
  }

  // MARK: - Shared words and numbers

  func t(_ en: String, _ zh: String) -> String { language == .zh ? zh : en }

  /// A token as the stage views show it, quoted.
  func quoted(_ id: Int32) -> String { "“" + (id < 0 ? "·" : tokenizer.displayToken(id)) + "”" }

  func sub(_ n: Int) -> String { MathText.subscripted(n) }

  func fixed(_ value: Float, _ decimals: Int) -> String { MathText.fixed(Double(value), decimals) }
  func fixed(_ value: Double, _ decimals: Int) -> String { MathText.fixed(value, decimals) }
  func number(_ value: Double) -> String { MathText.number(value) }

  /// The first `count` values of a vector, then "…".
  func vector(_ values: some Collection<Float>, count: Int = 3, decimals: Int = 4) -> String {
    let shown = values.prefix(count).map { fixed($0, decimals) }
    return "(" + shown.joined(separator: ", ") + (values.count > count ? ", …)" : ")")
  }

  func norm(_ values: some Collection<Float>) -> Double {
    values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
  }

  // MARK: - 1 tokenize

  func tokenizeLines(_ at: FormulaFocus) -> [FormulaLine] {
    let i = at.position
    // MLM shows the text before masking, as the stage view does.
    let ids = trace.objective == .mlm ? at.originals : at.inputs
    let id = ids[i]
    let name = trace.objective == .mlm ? "originals" : "inputs"
    var lines = [
      FormulaLine(t("token ↦ id: the text is cut into pieces, each piece is a number",
                    "词元 ↦ 编号：文本切成小块，每块是一个数"), .heading),
      FormulaLine("\(name)[\(i)] = id(\(quoted(id))) = \(id)", .result),
    ]
    let V = trace.vocabularySize
    switch tokenizer.kind {
    case .char:
      lines.append(FormulaLine(t("char: one character, one token; its id is its place among the V = \(V) symbols",
                                 "字符分词：一个字符一个词元；编号是它在 V = \(V) 个符号中的序号"), .note))
    case .word:
      lines.append(FormulaLine(t("word: a word with its leading space, or a symbol; id = its place in V = \(V)",
                                 "词分词：带前导空格的词或一个符号；编号 = 它在 V = \(V) 的词表中的序号"), .note))
    case .bpe:
      lines += Self.bpeExplanation(of: id, tokenizer: tokenizer, language: language)
    }
    let shown = ids.prefix(8).map { String($0) }.joined(separator: ", ")
    lines.append(FormulaLine("\(name) = [\(shown)\(ids.count > 8 ? ", …" : "")]   T = \(ids.count)"))
    return lines
  }

  /// How BPE built token `id`: its bytes, then the merges, earliest first.
  public static func bpeExplanation(of id: Int32, tokenizer: any Tokenizer, language: Language) -> [FormulaLine] {
    guard let bpe = tokenizer as? BPETokenizer else { return [] }
    let t = { (en: String, zh: String) in language == .zh ? zh : en }
    let quoted = { (id: Int32) in "“" + bpe.displayToken(id) + "”" }
    if id >= 256 + Int32(bpe.mergeLog.count) {
      return [FormulaLine(t("a special token, not built from bytes", "特殊词元，不由字节合并而来"), .note)]
    }
    if id < 256 {
      return [FormulaLine(t("BPE: one byte, no merge: id = the byte's value \(id)",
                            "BPE：单个字节，无需合并：编号 = 字节值 \(id)"), .note)]
    }
    // The merges that built the token, earliest first, as encoding applies them.
    var ranks: [Int] = []
    func collect(_ token: Int32) {
      guard token >= 256 else { return }
      let rank = Int(token) - 256
      let merge = bpe.mergeLog[rank]
      collect(merge.left)
      collect(merge.right)
      ranks.append(rank)
    }
    collect(id)
    let bytes = bpe.bytes(of: id)
    var lines = [FormulaLine(t("BPE: bytes \(bytes.map(String.init).joined(separator: " ")), then \(ranks.count) merge\(ranks.count == 1 ? "" : "s") of the \(bpe.mergeLog.count) learned:",
                               "BPE：字节 \(bytes.map(String.init).joined(separator: " "))，再经 \(bpe.mergeLog.count) 条已学合并中的 \(ranks.count) 条："), .note)]
    let shown = ranks.sorted().suffix(6)
    if ranks.count > shown.count { lines.append(FormulaLine("  …", .note)) }
    for rank in shown {
      let merge = bpe.mergeLog[rank]
      let pair = "\(quoted(merge.left)) + \(quoted(merge.right)) → \(quoted(merge.merged))"
      lines.append(FormulaLine("  #\(rank + 1)  \(pair) = \(merge.merged)  (\(t("pair seen", "出现")) \(merge.count)×)"))
    }
    return lines
  }

  // MARK: - 2 labels

  func labelLines(_ at: FormulaFocus) -> [FormulaLine] {
    let i = at.position
    let T = trace.length
    var lines = [
      FormulaLine(t("targets[i] = inputs[i+1]: the next token is the label", "targets[i] = inputs[i+1]：下一个词元就是标签"), .heading)
    ]
    let target = at.labels[i]
    lines.append(FormulaLine("targets[\(i)] = inputs[\(i + 1)] = \(target)  \(quoted(target))", .result))
    if i + 1 == T {
      lines.append(FormulaLine(t("the window is cut T+1 = \(T + 1) tokens long, so the last position has a target too",
                                 "窗口截取 T+1 = \(T + 1) 个词元，所以最后一个位置也有目标"), .note))
    }
    let context = at.inputs[0...i].map { tokenizer.displayToken($0) }.suffix(6).joined(separator: " ")
    lines.append(FormulaLine(t("position \(i) reads inputs[0…\(i)] (\(i > 5 ? "… " : "")\(context)) and must put p on \(quoted(target))",
                               "位置 \(i) 读 inputs[0…\(i)]（\(i > 5 ? "… " : "")\(context)），要把概率放在 \(quoted(target)) 上"), .note))
    lines.append(FormulaLine(t("all T = \(T) positions are scored in one forward pass (teacher forcing)",
                               "一次前向计算同时给全部 T = \(T) 个位置打分（教师强制）"), .note))
    return lines
  }

  func maskedLabelLines(_ at: FormulaFocus) -> [FormulaLine] {
    let i = at.position
    let slot = at.row * trace.length + i
    let batch = trace.batch
    let p = BatchStream.maskProbability
    let u = batch.pickDraws.indices.contains(slot) ? batch.pickDraws[slot] : .nan
    let r = batch.kindDraws.indices.contains(slot) ? batch.kindDraws[slot] : .nan
    let kind = batch.maskKinds[slot]
    let original = at.originals[i]
    let us = "u\(sub(i))", rs = "r\(sub(i))"
    var lines = [
      FormulaLine(t("pick with p = \(fixed(p, 2)); then 80% [MASK] · 10% random · 10% kept",
                    "以 p = \(fixed(p, 2)) 选中；再 80% [MASK] · 10% 随机 · 10% 不变"), .heading)
    ]
    guard kind != .none else {
      lines.append(FormulaLine("\(us) = \(fixed(u, 3)) ≥ \(fixed(p, 2)) → \(t("not picked", "未选中"))"))
      lines.append(FormulaLine("targets[\(i)] = −100  (\(t("ignored: no loss here", "忽略：这里不计损失")))", .result))
      return lines
    }
    if u < p {
      lines.append(FormulaLine("\(us) = \(fixed(u, 3)) < \(fixed(p, 2)) → \(t("picked", "选中"))"))
    } else {
      lines.append(FormulaLine(t("no position of the row drew u < \(fixed(p, 2)): one is picked uniformly, position \(i)",
                                 "这一行没有位置抽到 u < \(fixed(p, 2))：均匀选中一个，位置 \(i)")))
    }
    let input = at.inputs[i]
    switch kind {
    case .masked:
      lines.append(FormulaLine("\(rs) = \(fixed(r, 3)) < 0.8 → inputs[\(i)] = [MASK] (\(input))"))
    case .random:
      lines.append(FormulaLine("0.8 ≤ \(rs) = \(fixed(r, 3)) < 0.9 → inputs[\(i)] = \(t("random", "随机")) \(input) \(quoted(input))"))
    case .kept, .none:
      lines.append(FormulaLine("\(rs) = \(fixed(r, 3)) ≥ 0.9 → inputs[\(i)] = \(input) \(quoted(input)) \(t("(kept)", "（不变）"))"))
    }
    lines.append(FormulaLine("targets[\(i)] = originals[\(i)] = \(original)  \(quoted(original))", .result))
    lines.append(FormulaLine(t("the model sees the whole row (no causal mask) and must restore \(quoted(original))",
                               "模型看得到整行（没有因果掩码），要还原 \(quoted(original))"), .note))
    return lines
  }

  // MARK: - 3 embed

  func embedLines(_ at: FormulaFocus) -> [FormulaLine] {
    let i = at.position
    let id = at.inputs[i]
    let C = trace.config.channels
    let tokenRow = Array(trace.parameter("wte.weight").dropFirst(Int(id) * C).prefix(C))
    let positionRow = Array(trace.parameter("wpe.weight").dropFirst(i * C).prefix(C))
    let start = (at.row * trace.length + i) * C
    let x = Array(trace.inputEmbeddings[start..<start + C])
    let pad = { (s: String) in s + String(repeating: " ", count: max(0, 8 - displayWidth(of: s))) }
    return [
      FormulaLine("x = wte[inputs] + wpe[positions]", .heading),
      FormulaLine("x[\(i)] = wte[\(id)] + wpe[\(i)]   (\(quoted(id)), C = \(C))"),
      FormulaLine("\(pad("wte[\(id)]")) = \(vector(tokenRow))   ‖·‖ = \(fixed(norm(tokenRow), 2))"),
      FormulaLine("\(pad("wpe[\(i)]")) = \(vector(positionRow))   ‖·‖ = \(fixed(norm(positionRow), 2))"),
      FormulaLine("\(pad("x[\(i)]")) = \(vector(x))   ‖·‖ = \(fixed(norm(x), 2))", .result),
      FormulaLine("x[\(i)][0] = \(fixed(tokenRow[0], 4)) + \(parenthesised(positionRow[0])) \(sumSign(tokenRow[0], positionRow[0], x[0])) \(fixed(x[0], 4))"),
      FormulaLine(t("the same wte row for every “\(tokenizer.displayToken(id))”; wpe tells the positions apart",
                    "每个“\(tokenizer.displayToken(id))”用同一行 wte；wpe 区分位置"), .note),
    ]
  }

  /// "=" when the two addends as shown (4 decimals) add up to the sum as shown, else "≈": each was rounded
  /// on its own, so the shown digits can be one off in the last place, and a learner checking them is told why.
  func sumSign(_ a: Float, _ b: Float, _ sum: Float) -> String {
    let shown = { (value: Float) in (Double(value) * 1e4).rounded() / 1e4 }
    return fixed(shown(a) + shown(b), 4) == fixed(sum, 4) ? "=" : "≈"
  }

  func parenthesised(_ value: Float) -> String {
    value < 0 ? "(" + fixed(value, 4) + ")" : fixed(value, 4)
  }
}

/// The picked row and position of a trace, clamped, with that row's ids.
struct FormulaFocus {
  let row: Int
  let position: Int
  let layer: Int
  let head: Int
  let inputs: [Int32]
  let labels: [Int32]
  let originals: [Int32]

  init(trace: StepTrace, focus: Focus) {
    let T = trace.length
    row = min(max(0, focus.row), trace.batchSize - 1)
    position = min(max(0, focus.position), T - 1)
    layer = min(max(0, focus.layer), trace.config.layers - 1)
    head = min(max(0, focus.head), trace.config.heads - 1)
    inputs = Array(trace.batch.inputs(row: row))
    labels = Array(trace.batch.labels(row: row))
    originals = Array(trace.batch.originals(row: row))
  }

  /// The target of the picked position, if it has one.
  var target: Int32? { labels[position] >= 0 ? labels[position] : nil }
}
