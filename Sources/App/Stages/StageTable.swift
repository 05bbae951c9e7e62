import Curriculum
import TermUI

/// Everything the app knows about one stage of the training iteration, in one place.
///
/// The stage bar (its number glyph and key come from the entry's place in `all`), the
/// stage's title, the highlighted code line, the formula lines, the narrative a lesson
/// does not write itself, and the view all come from the stage's entry in `all`.
/// A new stage is a case of Curriculum's `Stage` (lessons name it), one entry here, its
/// `StageDrawing` file with its formula lines (an extension of `Formulas`), and its question
/// in `QuestionMaker.question(for:)` (the compiler asks for it; nil asks none). A stage that
/// highlights a line the training loop does not show yet adds a `TrainingLoopCode.Line`.
struct StageDescriptor: Sendable {
  let stage: Stage
  let title: (en: String, zh: String)
  /// The line of the training loop whose result the view shows.
  let code: TrainingLoopCode.Line
  /// Makes the stage's view for an iteration.
  let view: @Sendable (StageContext) -> any StageDrawing
  /// The formula view's lines for the stage, at the focus.
  let formula: @Sendable (Formulas, FormulaFocus) -> [FormulaLine]
  /// The built-in narrative, for lessons that do not dwell on the stage.
  let narrative: StageNarrative
  /// The stage whose picture the model's guesses (`a`: teacher forcing, free running) can stand in for.
  var showsGuesses = false

  /// The 0-based place in the iteration.
  var index: Int { stage.index }

  /// The number as the stage bar shows it: "①" (circled numbers go to ⑳).
  var glyph: String {
    index < 20 ? String(Character(UnicodeScalar(0x2460 + UInt32(index))!)) : "(\(index + 1))"
  }

  /// The digit that jumps to the stage: 1–9, so at most `keyLimit` stages have one.
  var key: Key? {
    index < Self.keyLimit ? .char(Character(String(index + 1))) : nil
  }

  /// Stages past the ninth have no digit key (a test holds the table to it).
  static let keyLimit = 9

  func title(_ language: Language) -> String {
    language == .zh ? title.zh : title.en
  }

  /// The stages in iteration order (tests check it matches `Stage.allCases`).
  static let all: [StageDescriptor] = [
    StageDescriptor(
      stage: .tokenize, title: ("Tokenize", "分词"), code: .loop, view: TokenizeView.init(context:), formula: { $0.tokenizeLines($1) },
      narrative: StageNarrative(
        en: "The batch window is cut from the corpus and split into tokens. Each box is one token with its id underneath: the model only ever sees the ids.",
        zh: "从语料中截取一段作为这一批的窗口，再切成词元（token）。每个方框是一个词元，下方是它的编号：模型看到的只有这些编号。")),
    StageDescriptor(
      stage: .labels, title: ("Labels", "标签"), code: .targets, view: LabelsView.init(context:), formula: { $0.trace.objective == .mlm ? $0.maskedLabelLines($1) : $0.trace.objective == .sft ? $0.sftLabelLines($1) : $0.labelLines($1) },
      narrative: StageNarrative(
        en: "The labels come from the text itself: the target at each position is simply the next token. The target row is the input row shifted by one.",
        zh: "标签来自文本本身：每个位置的目标就是下一个词元。目标行正是输入行向左平移一格。",
        maskedEN: "About 15% of positions are picked. Of those, 80% become [MASK], 10% a random token, 10% stay. The model must recover the original at picked positions only; the rest carry no loss.",
        maskedZH: "约 15% 的位置被选中：其中 80% 换成 [MASK]，10% 换成随机词元，10% 保持不变。模型只需在被选中的位置还原原词，其余位置不计损失。")),
    StageDescriptor(
      stage: .embed, title: ("Embed", "嵌入"), code: .embed, view: EmbedView.init(context:), formula: { $0.embedLines($1) },
      narrative: StageNarrative(
        en: "Each id selects a row of the token embedding table; its position selects a row of the position table. Their sum is the vector the first block reads. ←/→ picks the token.",
        zh: "编号从词元嵌入表中取出一行，位置从位置嵌入表中取出一行，两者相加就是第一层读到的向量。用 ←/→ 选择词元。")),
    StageDescriptor(
      stage: .attention, title: ("Attention", "注意力"), code: .blocks, view: AttentionView.init(context:), formula: { $0.attentionLines($1) },
      narrative: StageNarrative(
        en: "Each row is one query token: how much it looks at each earlier token. Above the diagonal is empty: the causal mask forbids looking ahead. ↑/↓ changes layer and head.",
        zh: "每一行是一个查询词元，表示它对前面各词元的关注程度。对角线以上为空：因果掩码不许偷看后文。↑/↓ 切换层与注意力头。",
        maskedEN: "Every token may look at every other token, left and right: the full square is filled. ↑/↓ changes layer and head, ←/→ the query token (the highlighted row).",
        maskedZH: "每个词元都可以看到左右所有词元，整个方阵都有值。↑/↓ 切换层与注意力头，←/→ 选择查询词元（高亮的一行）。")),
    StageDescriptor(
      stage: .logits, title: ("Logits", "logits"), code: .logits, view: LogitsView.init(context:), formula: { $0.logitLines($1) },
      narrative: StageNarrative(
        en: "The last hidden state is compared with every token's embedding: one logit per vocabulary entry. Softmax turns them into probabilities. The target is highlighted.",
        zh: "最后的隐藏向量与每个词元的嵌入做点积，得到词表中每一项的 logit，再经 softmax 变成概率。目标词元已高亮。"),
      showsGuesses: true),
    StageDescriptor(
      stage: .loss, title: ("Loss", "损失"), code: .loss, view: LossView.init(context:), formula: { $0.lossLines($1) },
      narrative: StageNarrative(
        en: "The loss at each position is −log p(target). Their mean is the one number training lowers. A model that guesses uniformly scores ln V, the upright line.",
        zh: "每个位置的损失是 −log p(目标)，它们的平均值就是训练要降低的那个数。均匀乱猜的模型得分为 ln V，即那条竖线。")),
    StageDescriptor(
      stage: .backward, title: ("Backward", "反向传播"), code: .backward, view: BackwardView.init(context:), formula: { $0.backwardLines($1) },
      narrative: StageNarrative(
        en: "Backpropagation starts at the logits: dL/dlogits = p − onehot(target), negative only at the target. The bars show how large each tensor's gradient is.",
        zh: "反向传播从 logits 开始：dL/dlogits = p − onehot(目标)，只有目标处为负。条形图显示每个参数张量的梯度大小。")),
    StageDescriptor(
      stage: .update, title: ("Update", "参数更新"), code: .step, view: UpdateView.init(context:), formula: { $0.updateLines($1) },
      narrative: StageNarrative(
        en: "The optimizer moves every weight a little against its gradient (AdamW: its running average of recent ones). Compare a slice before and after, and see the loss on the same batch drop. Press space for the next iteration.",
        zh: "优化器让每个权重沿梯度的反方向挪一小步（AdamW：沿近期梯度的滑动平均）。对比更新前后的一段权重，再看同一批数据上的损失下降了。按空格进入下一轮。")),
  ]
}

/// A stage's built-in explanation of what is on screen, per language and objective.
struct StageNarrative: Sendable {
  let en: String
  let zh: String
  /// The MLM text, where it differs.
  var maskedEN: String? = nil
  var maskedZH: String? = nil

  func text(masked: Bool, language: Language) -> String {
    switch language {
    case .en: masked ? maskedEN ?? en : en
    case .zh: masked ? maskedZH ?? zh : zh
    }
  }
}

extension Stage {
  /// The stage's entry in the stage table.
  var descriptor: StageDescriptor { StageDescriptor.all[index] }

  /// The name used in lesson files.
  public var name: String { rawValue }

  /// 0-based position in the iteration.
  public var index: Int { number - 1 }

  public init?(index: Int) {
    guard Stage.allCases.indices.contains(index) else { return nil }
    self = Stage.allCases[index]
  }

  /// The stage's title in the learner's language.
  public func title(_ language: Language) -> String { descriptor.title(language) }

  public var next: Stage? { Stage(index: index + 1) }
  /// The iteration's first and last stages, as the table orders them.
  static var first: Stage { StageDescriptor.all[0].stage }
  static var last: Stage { StageDescriptor.all[StageDescriptor.all.count - 1].stage }
  public var previous: Stage? { Stage(index: index - 1) }
}

/// The training loop as learners meet it in tutorials, tied to the stages.
///
/// The panel highlights the line that computes what the current stage shows, so every
/// picture is tied to the code a learner will later write.
public enum TrainingLoopCode {
  /// The loop's lines, in order: a stage names the one it shows the result of.
  enum Line: CaseIterable, Sendable {
    case model, optimizer, loop, targets, embed, blocks, logits, loss, zeroGrad, backward, step

    func text(optimizer: String, masked: Bool) -> String {
      switch self {
      case .model: "model = GPT(config)"
      case .optimizer: "optimizer = \(optimizer)(model.parameters(), lr)"
      case .loop: "for inputs, targets in loader:"
      case .targets: masked ? "    # 15% of inputs masked; targets there" : "    # targets[i] = inputs[i + 1]"
      case .embed: "    x = wte[inputs] + wpe[positions]"
      case .blocks: masked ? "    x = blocks(x)  # full attention" : "    x = blocks(x)  # causal attention"
      case .logits: "    logits = x @ wte.T  # model(inputs)"
      case .loss: "    loss = cross_entropy(logits, targets)"
      case .zeroGrad: "    optimizer.zero_grad()"
      case .backward: "    loss.backward()"
      case .step: "    optimizer.step()"
      }
    }
  }

  /// Lines with the optimizer and the objective as the run uses them.
  public static func lines(optimizer: String, masked: Bool) -> [String] {
    Line.allCases.map { $0.text(optimizer: optimizer, masked: masked) }
  }

  /// The line (0-based) that a stage's view shows the result of.
  public static func line(for stage: Stage) -> Int? { Line.allCases.firstIndex(of: stage.descriptor.code) }
}
