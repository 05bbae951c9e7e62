import Curriculum
import Model

/// The norm of one parameter tensor's gradient, or of its update relative to its weights.
public struct TensorStat: Sendable, Equatable {
  public let name: String
  public let value: Float

  public init(name: String, value: Float) {
    self.name = name
    self.value = value
  }
}

/// Every tensor of one training iteration, recorded for the stage views and for `trace`.
///
/// Shapes: B = batch, T = context, C = channels, V = vocabulary, H = heads, L = layers.
/// Arrays are row-major and copied out of the model, so a trace is an immutable value
/// that other threads can read while the model keeps training.
public struct StepTrace: Sendable {
  /// The 1-based number of the step this trace records.
  public let step: Int
  public let objective: Objective
  public let config: ModelConfig
  public let layout: ParameterLayout
  /// The batch, with its masks (MLM) and where in the corpus its windows were cut.
  public let batch: Batch
  /// All parameters before the optimizer step, in `layout` order.
  public let parametersBefore: [Float]
  /// dLoss/dParameter, in `layout` order.
  public let gradients: [Float]
  /// All parameters after the optimizer step.
  public let parametersAfter: [Float]
  /// Attention weights after softmax, one B×H×T×T array per layer; masked entries are 0.
  public let attention: [[Float]]
  /// Token embedding + position embedding, B×T×C: the input of the first block.
  public let inputEmbeddings: [Float]
  /// B×T×V.
  public let logits: [Float]
  /// B×T×V, softmax of the logits.
  public let probabilities: [Float]
  /// −log p(label) per position, B×T, 0 where the position carries no label.
  public let positionLosses: [Float]
  /// Mean loss over labelled positions.
  public let loss: Float
  /// The loss on the same batch after the optimizer step.
  public let lossAfter: Float
  /// The learning rate the optimizer step used.
  public let learningRate: Float
  /// The optimizer's rule and its `wte` state before the step.
  public let optimizer: OptimizerTrace
  /// Gradient L2 norm per parameter tensor.
  public let gradientNorms: [TensorStat]
  /// ‖update‖ / ‖weights‖ per parameter tensor.
  public let updateRatios: [TensorStat]

  public var batchSize: Int { batch.batchSize }
  public var length: Int { batch.length }
  public var vocabularySize: Int { config.vocabSize }

  /// The values of one parameter tensor before the step.
  public func parameter(_ name: String) -> ArraySlice<Float> {
    slice(parametersBefore, name)
  }

  /// The values of one parameter tensor after the step.
  public func parameterAfter(_ name: String) -> ArraySlice<Float> {
    slice(parametersAfter, name)
  }

  /// The gradient of one parameter tensor.
  public func gradient(_ name: String) -> ArraySlice<Float> {
    slice(gradients, name)
  }

  /// The probabilities at one position of one row: V values.
  public func probabilities(row: Int, position: Int) -> ArraySlice<Float> {
    let v = config.vocabSize
    let start = (row * length + position) * v
    return probabilities[start..<start + v]
  }

  /// The logits at one position of one row: V values.
  public func logits(row: Int, position: Int) -> ArraySlice<Float> {
    let v = config.vocabSize
    let start = (row * length + position) * v
    return logits[start..<start + v]
  }

  /// The T×T attention weights of one row, layer and head.
  public func attention(row: Int, layer: Int, head: Int) -> ArraySlice<Float> {
    let t = length
    let h = config.heads
    let start = ((row * h + head) * t) * t
    return attention[layer][start..<start + t * t]
  }

  private func slice(_ values: [Float], _ name: String) -> ArraySlice<Float> {
    guard let spec = layout[name] else { return [] }
    return values[spec.offset..<spec.offset + spec.count]
  }
}
