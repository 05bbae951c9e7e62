import Curriculum
import TermUI

/// Everything the app knows about one stage of the training iteration, in one place.
///
/// The stage bar, the stage's title, the highlighted code line, the narrative a lesson
/// does not write itself, and the view all come from the stage's entry in `all`.
/// A new stage view is one entry here and one `StageDrawing` file.
struct StageDescriptor: Sendable {
  let stage: Stage
  /// The number as the stage bar shows it: "①".
  let glyph: String
  let title: (en: String, zh: String)
  /// The line of `TrainingLoopCode.lines` (0-based) whose result the view shows.
  let codeLine: Int
  /// Makes the stage's view for an iteration.
  let view: @Sendable (StageContext) -> any StageDrawing
  /// The built-in narrative, for lessons that do not dwell on the stage.
  let narrative: StageNarrative

  /// The key a lesson's own narrative for the stage is filed under ("## tokenize").
  var narrativeKey: String { stage.rawValue }

  func title(_ language: Language) -> String {
    language == .zh ? title.zh : title.en
  }

  /// The stages in iteration order (tests check it matches `Stage.allCases`).
  static let all: [StageDescriptor] = [
    StageDescriptor(
      stage: .tokenize, glyph: "①", title: ("Tokenize", "分词"), codeLine: 2, view: TokenizeView.init(context:),
      narrative: StageNarrative(
        en: "The batch window is cut from the corpus and split into tokens. Each box is one token with its id underneath: the model only ever sees the ids.",
        zh: "从语料中截取一段作为这一批的窗口，再切成词元（token）。每个方框是一个词元，下方是它的编号：模型看到的只有这些编号。")),
    StageDescriptor(
      stage: .labels, glyph: "②", title: ("Labels", "标签"), codeLine: 3, view: LabelsView.init(context:),
      narrative: StageNarrative(
        en: "The labels come from the text itself: the target at each position is simply the next token. The target row is the input row shifted by one.",
        zh: "标签来自文本本身：每个位置的目标就是下一个词元。目标行正是输入行向左平移一格。",
        maskedEN: "About 15% of positions are picked. Of those, 80% become [MASK], 10% a random token, 10% stay. The model must recover the original at picked positions only; the rest carry no loss.",
        maskedZH: "约 15% 的位置被选中：其中 80% 换成 [MASK]，10% 换成随机词元，10% 保持不变。模型只需在被选中的位置还原原词，其余位置不计损失。")),
    StageDescriptor(
      stage: .embed, glyph: "③", title: ("Embed", "嵌入"), codeLine: 4, view: EmbedView.init(context:),
      narrative: StageNarrative(
        en: "Each id selects a row of the token embedding table; its position selects a row of the position table. Their sum is the vector the first block reads. ←/→ picks the token.",
        zh: "编号从词元嵌入表中取出一行，位置从位置嵌入表中取出一行，两者相加就是第一层读到的向量。用 ←/→ 选择词元。")),
    StageDescriptor(
      stage: .attention, glyph: "④", title: ("Attention", "注意力"), codeLine: 5, view: AttentionView.init(context:),
      narrative: StageNarrative(
        en: "Each row is one query token: how much it looks at each earlier token. Above the diagonal is empty: the causal mask forbids looking ahead. ↑/↓ changes layer and head.",
        zh: "每一行是一个查询词元，表示它对前面各词元的关注程度。对角线以上为空：因果掩码不许偷看后文。↑/↓ 切换层与注意力头。",
        maskedEN: "Every token may look at every other token, left and right: the full square is filled. ↑/↓ changes layer and head, ←/→ the query token (the highlighted row).",
        maskedZH: "每个词元都可以看到左右所有词元，整个方阵都有值。↑/↓ 切换层与注意力头，←/→ 选择查询词元（高亮的一行）。")),
    StageDescriptor(
      stage: .logits, glyph: "⑤", title: ("Logits", "logits"), codeLine: 6, view: LogitsView.init(context:),
      narrative: StageNarrative(
        en: "The last hidden state is compared with every token's embedding: one logit per vocabulary entry. Softmax turns them into probabilities. The target is highlighted.",
        zh: "最后的隐藏向量与每个词元的嵌入做点积，得到词表中每一项的 logit，再经 softmax 变成概率。目标词元已高亮。")),
    StageDescriptor(
      stage: .loss, glyph: "⑥", title: ("Loss", "损失"), codeLine: 7, view: LossView.init(context:),
      narrative: StageNarrative(
        en: "The loss at each position is −log p(target). Their mean is the one number training lowers. A model that guesses uniformly scores ln V, the upright line.",
        zh: "每个位置的损失是 −log p(目标)，它们的平均值就是训练要降低的那个数。均匀乱猜的模型得分为 ln V，即那条竖线。")),
    StageDescriptor(
      stage: .backward, glyph: "⑦", title: ("Backward", "反向传播"), codeLine: 9, view: BackwardView.init(context:),
      narrative: StageNarrative(
        en: "Backpropagation starts at the logits: dL/dlogits = p − onehot(target), negative only at the target. The bars show how large each tensor's gradient is.",
        zh: "反向传播从 logits 开始：dL/dlogits = p − onehot(目标)，只有目标处为负。条形图显示每个参数张量的梯度大小。")),
    StageDescriptor(
      stage: .update, glyph: "⑧", title: ("Update", "参数更新"), codeLine: 10, view: UpdateView.init(context:),
      narrative: StageNarrative(
        en: "The optimizer moves every weight a little against its gradient. Compare a slice before and after, and see the loss on the same batch drop. Press space for the next iteration.",
        zh: "优化器让每个权重沿梯度的反方向挪一小步。对比更新前后的一段权重，再看同一批数据上的损失下降了。按空格进入下一轮。")),
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
  public var previous: Stage? { Stage(index: index - 1) }
}

/// The training loop as learners meet it in tutorials, tied to the stages.
///
/// The panel highlights the line that computes what the current stage shows, so every
/// picture is tied to the code a learner will later write.
public enum TrainingLoopCode {
  /// Lines with the optimizer and the objective as the run uses them.
  public static func lines(optimizer: String, masked: Bool) -> [String] {
    [
      "model = GPT(config)",
      "optimizer = \(optimizer)(model.parameters(), lr)",
      "for inputs, targets in loader:",
      masked ? "    # 15% of inputs masked; targets there" : "    # targets[i] = inputs[i + 1]",
      "    x = wte[inputs] + wpe[positions]",
      masked ? "    x = blocks(x)  # full attention" : "    x = blocks(x)  # causal attention",
      "    logits = x @ wte.T  # model(inputs)",
      "    loss = cross_entropy(logits, targets)",
      "    optimizer.zero_grad()",
      "    loss.backward()",
      "    optimizer.step()",
    ]
  }

  /// The line (0-based) that a stage's view shows the result of.
  public static func line(for stage: Stage) -> Int { stage.descriptor.codeLine }
}
