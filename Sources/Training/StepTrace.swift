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

  /// Which of the trace's copies of the parameters to read.
  public enum ParameterValues: Sendable {
    case before, after, gradient
  }

  /// Row `index` of a matrix tensor of `layout` (a token's row of `layout.tokenEmbedding`, say).
  public func row(_ index: Int, of tensor: TensorSpec, _ values: ParameterValues = .before) -> ArraySlice<Float> {
    let width = tensor.shape.dropFirst().reduce(1, *)
    let start = tensor.offset + index * width
    switch values {
    case .before: return parametersBefore[start..<start + width]
    case .after: return parametersAfter[start..<start + width]
    case .gradient: return gradients[start..<start + width]
    }
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

  /// One tensor of `values`; empty when the model has no such tensor or a compacted trace dropped it.
  private func slice(_ values: [Float], _ name: String) -> ArraySlice<Float> {
    guard let spec = layout[name], spec.offset + spec.count <= values.count else { return [] }
    return values[spec.offset..<spec.offset + spec.count]
  }

  /// The same trace keeping, of the parameters, what the stage and formula views show: all
  /// the weights before the step (the formula view replays the step's forward pass on
  /// them), and the embeddings (`wte`, `wpe`, the first tensors of the layout) after the
  /// step with their gradients. Activations, the batch and the per-tensor norms are kept whole.
  ///
  /// For history: a full trace holds the model three times over; this holds it once.
  public func compacted() -> StepTrace {
    let kept = ["wte.weight", "wpe.weight"].compactMap { layout[$0]?.range.upperBound }.max() ?? 0
    func prefix(_ values: [Float]) -> [Float] { values.count > kept ? Array(values.prefix(kept)) : values }
    return StepTrace(
      step: step, objective: objective, config: config, layout: layout, batch: batch,
      parametersBefore: parametersBefore, gradients: prefix(gradients), parametersAfter: prefix(parametersAfter),
      attention: attention, inputEmbeddings: inputEmbeddings, logits: logits, probabilities: probabilities,
      positionLosses: positionLosses, loss: loss, lossAfter: lossAfter, learningRate: learningRate, optimizer: optimizer,
      gradientNorms: gradientNorms, updateRatios: updateRatios)
  }

  /// The bytes of the trace's arrays (what keeping it costs, to within a few hundred bytes).
  public var byteCount: Int {
    let floats = parametersBefore.count + gradients.count + parametersAfter.count
      + attention.reduce(0) { $0 + $1.count } + inputEmbeddings.count + logits.count + probabilities.count
      + positionLosses.count + optimizer.m.count + optimizer.v.count
    let batchBytes = (batch.inputs.count + batch.labels.count + batch.originals.count) * MemoryLayout<Int32>.stride
      + batch.maskKinds.count * MemoryLayout<MaskKind>.stride + batch.windowStarts.count * MemoryLayout<Int>.stride
    let stats = (gradientNorms.count + updateRatios.count) * (MemoryLayout<TensorStat>.stride + 32)
    return floats * MemoryLayout<Float>.stride + batchBytes + stats
  }
}
