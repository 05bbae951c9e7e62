import Model
import Training

/// Why a recorded step cannot be replayed: the trace does not hold all the weights it was computed with.
public struct FormulaReplayError: Error, Sendable, Equatable {
  /// The step whose weights are missing.
  public let step: Int
  /// The model's error in one line.
  public let reason: String
}

/// The activations inside the blocks for one recorded step, which the trace does not keep.
///
/// A trace holds the weights before the step and the batch (history traces too: they keep
/// `parametersBefore` whole for this), so the forward pass that produced its logits can be
/// run again on a copy of the model: that gives the q, k, v of every head and the vectors
/// the logits multiply, without making every trace carry them. It is model work: the
/// effect runner does it off the main thread (`Effect.replayFormula`).
public struct FormulaReplay: Sendable {
  /// The batch's rows, their positions and channels: B, T, C.
  public let rows: Int
  public let length: Int
  public let channels: Int
  /// Per layer, ln_1 of the block's input (B×T×C): the x that c_attn multiplies.
  public let attentionInputs: [[Float]]
  /// Per layer, q, k and v side by side (B×T×3C).
  public let queryKeyValues: [[Float]]
  /// Per layer, Σ weight·v for every head before c_proj (B×T×C).
  public let attentionOutputs: [[Float]]
  /// ln_f of the last block's output (B×T×C): the x of `logits = x @ wte.T`.
  public let finalNormed: [Float]
  /// The weights and the batch the replay ran: a trace with the same two gives the same replay.
  public let parameters: [Float]
  public let inputs: [Int32]

  /// Runs the trace's batch through a model holding the trace's weights before the step.
  ///
  /// Throws when the trace does not hold every weight (a trace cut to its embeddings): the
  /// model would otherwise run on the random weights it was built with, and every number
  /// the formula view printed would be another model's.
  public init(trace: StepTrace) throws(FormulaReplayError) {
    var unused = SeededGenerator(seed: 0)
    let model = GPT(config: trace.config, maxBatch: trace.batchSize, generator: &unused)
    do {
      try model.load(parameters: trace.parametersBefore)
    } catch {
      throw FormulaReplayError(step: trace.step, reason: error.description)
    }
    model.forward(
      inputs: trace.batch.inputs, labels: nil, batch: trace.batchSize, length: trace.length,
      causal: trace.objective.isCausal)
    rows = trace.batchSize
    parameters = trace.parametersBefore
    inputs = trace.batch.inputs
    length = trace.length
    channels = trace.config.channels
    let layers = 0..<trace.config.layers
    attentionInputs = layers.map { model.attentionInput(layer: $0) }
    queryKeyValues = layers.map { model.queryKeyValues(layer: $0) }
    attentionOutputs = layers.map { model.attentionOutput(layer: $0) }
    finalNormed = model.finalNormed
  }

  /// x after ln_f at one position: C values.
  public func finalVector(row: Int, position: Int) -> ArraySlice<Float> {
    let start = (row * length + position) * channels
    return finalNormed[start..<start + channels]
  }

  /// The query, key or value (part 0, 1, 2) of one head at one position: C/H values.
  public func headVector(_ part: Int, layer: Int, head: Int, heads: Int, row: Int, position: Int) -> ArraySlice<Float> {
    let size = channels / heads
    let start = (row * length + position) * 3 * channels + part * channels + head * size
    return queryKeyValues[layer][start..<start + size]
  }

  /// One head's attention output at one position: C/H values.
  public func headOutput(layer: Int, head: Int, heads: Int, row: Int, position: Int) -> ArraySlice<Float> {
    let size = channels / heads
    let start = (row * length + position) * channels + head * size
    return attentionOutputs[layer][start..<start + size]
  }
}
