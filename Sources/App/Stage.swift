import Curriculum
import TermUI

extension Key {
  /// The typed character, if the key is one.
  var character: Character? {
    if case .char(let c) = self { return c }
    return nil
  }
}

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
  public static func line(for stage: Stage) -> Int {
    switch stage {
    case .tokenize: 2
    case .labels: 3
    case .embed: 4
    case .attention: 5
    case .logits: 6
    case .loss: 7
    case .backward: 9
    case .update: 10
    }
  }
}
