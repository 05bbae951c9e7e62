import Curriculum
/// The built-in narrative for a stage a lesson does not dwell on.
///
/// Lessons write their own text for the stages they focus on; every other stage still
/// gets a short, accurate explanation of what is on screen.
enum StageNarrative {
  static func text(for stage: Stage, masked: Bool, language: Language) -> String {
    switch language {
    case .en: english(stage, masked: masked)
    case .zh: chinese(stage, masked: masked)
    }
  }

  private static func english(_ stage: Stage, masked: Bool) -> String {
    switch stage {
    case .tokenize:
      return "The batch window is cut from the corpus and split into tokens. Each box is one token with its id underneath: the model only ever sees the ids."
    case .labels:
      return masked
        ? "About 15% of positions are picked. Of those, 80% become [MASK], 10% a random token, 10% stay. The model must recover the original at picked positions only; the rest carry no loss."
        : "The labels come from the text itself: the target at each position is simply the next token. The target row is the input row shifted by one."
    case .embed:
      return "Each id selects a row of the token embedding table; its position selects a row of the position table. Their sum is the vector the first block reads. ←/→ picks the token."
    case .attention:
      return masked
        ? "Every token may look at every other token, left and right: the full square is filled. ↑/↓ changes layer and head, ←/→ the query token (the highlighted row)."
        : "Each row is one query token: how much it looks at each earlier token. Above the diagonal is empty: the causal mask forbids looking ahead. ↑/↓ changes layer and head."
    case .logits:
      return "The last hidden state is compared with every token's embedding: one logit per vocabulary entry. Softmax turns them into probabilities. The target is highlighted."
    case .loss:
      return "The loss at each position is −log p(target). Their mean is the one number training lowers. A model that guesses uniformly scores ln V, the dashed line."
    case .backward:
      return "Backpropagation starts at the logits: dL/dlogits = p − onehot(target), negative only at the target. The bars show how large each tensor's gradient is."
    case .update:
      return "The optimizer moves every weight a little against its gradient. Compare a slice before and after, and see the loss on the same batch drop. Press space for the next iteration."
    }
  }

  private static func chinese(_ stage: Stage, masked: Bool) -> String {
    switch stage {
    case .tokenize:
      return "从语料中截取一段作为这一批的窗口，再切成词元（token）。每个方框是一个词元，下方是它的编号：模型看到的只有这些编号。"
    case .labels:
      return masked
        ? "约 15% 的位置被选中：其中 80% 换成 [MASK]，10% 换成随机词元，10% 保持不变。模型只需在被选中的位置还原原词，其余位置不计损失。"
        : "标签来自文本本身：每个位置的目标就是下一个词元。目标行正是输入行向左平移一格。"
    case .embed:
      return "编号从词元嵌入表中取出一行，位置从位置嵌入表中取出一行，两者相加就是第一层读到的向量。用 ←/→ 选择词元。"
    case .attention:
      return masked
        ? "每个词元都可以看到左右所有词元，整个方阵都有值。↑/↓ 切换层与注意力头，←/→ 选择查询词元（高亮的一行）。"
        : "每一行是一个查询词元，表示它对前面各词元的关注程度。对角线以上为空：因果掩码不许偷看后文。↑/↓ 切换层与注意力头。"
    case .logits:
      return "最后的隐藏向量与每个词元的嵌入做点积，得到词表中每一项的逻辑值，再经 softmax 变成概率。目标词元已高亮。"
    case .loss:
      return "每个位置的损失是 −log p(目标)，它们的平均值就是训练要降低的那个数。均匀乱猜的模型得分为 ln V，即虚线。"
    case .backward:
      return "反向传播从逻辑值开始：dL/dlogits = p − onehot(目标)，只有目标处为负。条形图显示每个参数张量的梯度大小。"
    case .update:
      return "优化器让每个权重沿梯度的反方向挪一小步。对比更新前后的一段权重，再看同一批数据上的损失下降了。按空格进入下一轮。"
    }
  }
}
