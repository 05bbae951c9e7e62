import Curriculum

extension Stage {
  /// The name used in lesson files.
  public var name: String { rawValue }

  /// 0-based position in the iteration.
  public var index: Int { number - 1 }

  public init?(index: Int) {
    guard Stage.allCases.indices.contains(index) else { return nil }
    self = Stage.allCases[index]
  }

  /// The stage's title in the learner's language.
  public func title(_ language: Language) -> String {
    switch (self, language) {
    case (.tokenize, .en): "Tokenize"
    case (.labels, .en): "Labels"
    case (.embed, .en): "Embed"
    case (.attention, .en): "Attention"
    case (.logits, .en): "Logits"
    case (.loss, .en): "Loss"
    case (.backward, .en): "Backward"
    case (.update, .en): "Update"
    case (.tokenize, .zh): "分词"
    case (.labels, .zh): "标签"
    case (.embed, .zh): "嵌入"
    case (.attention, .zh): "注意力"
    case (.logits, .zh): "逻辑值"
    case (.loss, .zh): "损失"
    case (.backward, .zh): "反向传播"
    case (.update, .zh): "参数更新"
    }
  }

  public var next: Stage? { Stage(index: index + 1) }
  public var previous: Stage? { Stage(index: index - 1) }
}

/// The training loop as learners meet it in tutorials, tied to the stages.
///
/// The panel highlights the line that computes what the current stage shows, so every
/// picture is tied to the code a learner will later write.
public enum TrainingLoopCode {
  public static let lines: [String] = [
    "model = GPT(config)",
    "opt = AdamW(model.parameters(), lr)",
    "for text in loader:",
    "    ids = tokenizer.encode(text)",
    "    inputs, targets = make_labels(ids)",
    "    x = wte[inputs] + wpe[pos]",
    "    x = blocks(x)  # attention + MLP",
    "    logits = x @ wte.T",
    "    loss = cross_entropy(logits, targets)",
    "    opt.zero_grad()",
    "    loss.backward()",
    "    opt.step()",
  ]

  /// Lines with the optimizer and the objective as the run uses them.
  public static func lines(optimizer: String, masked: Bool) -> [String] {
    var lines = self.lines
    lines[1] = "opt = \(optimizer)(model.parameters(), lr)"
    if masked {
      lines[4] = "    inputs, targets = mask(ids, p=0.15)"
      lines[6] = "    x = blocks(x)  # full attention"
    } else {
      lines[4] = "    inputs, targets = ids[:-1], ids[1:]"
      lines[6] = "    x = blocks(x)  # causal attention"
    }
    return lines
  }

  /// The line (0-based) that a stage's view shows the result of.
  public static func line(for stage: Stage) -> Int {
    switch stage {
    case .tokenize: 3
    case .labels: 4
    case .embed: 5
    case .attention: 6
    case .logits: 7
    case .loss: 8
    case .backward: 10
    case .update: 11
    }
  }
}
