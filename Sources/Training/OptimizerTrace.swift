import Model

/// The optimizer's rule and its state for the token embedding, as they were before one step.
///
/// The update stage explains the step of one embedding weight with every number, so the
/// trace keeps the moments that step started from; `wte` alone keeps the trace small.
public struct OptimizerTrace: Sendable, Equatable {
  /// The rule and its fixed hyperparameters.
  public enum Rule: Sendable, Equatable {
    case adamw(beta1: Float, beta2: Float, eps: Float, weightDecay: Float)
    case sgd(momentum: Float, weightDecay: Float)
  }

  /// The name of the tensor whose state is kept.
  public static let tensor = "wte.weight"

  public let rule: Rule
  /// t of this step, counting from 1 (AdamW's bias correction uses it).
  public let step: Int
  /// AdamW's first moment of `wte` before the step (empty for SGD).
  public let m: [Float]
  /// AdamW's second moment of `wte` before the step (empty for SGD).
  public let v: [Float]

  public init(rule: Rule, step: Int, m: [Float], v: [Float]) {
    self.rule = rule
    self.step = step
    self.m = m
    self.v = v
  }

  /// The state of `optimizer` before its next step on `model`.
  init(before optimizer: any Optimizer, model: GPT) {
    step = optimizer.stepCount + 1
    if let adamw = optimizer as? AdamW {
      rule = .adamw(beta1: adamw.beta1, beta2: adamw.beta2, eps: adamw.eps, weightDecay: adamw.weightDecay)
      let moments = adamw.moments(of: Self.tensor, layout: model.layout)
      m = moments?.m ?? []
      v = moments?.v ?? []
    } else {
      let sgd = optimizer as? SGD
      rule = .sgd(momentum: sgd?.momentum ?? 0, weightDecay: sgd?.weightDecay ?? 0)
      m = []
      v = []
    }
  }
}
