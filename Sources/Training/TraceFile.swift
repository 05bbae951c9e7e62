import Curriculum
import Foundation
import Model

/// Writes one training step's every tensor as a safetensors file others can check.
///
/// Names: the parameters before the step under their GPT-2 names, `grad.<name>`,
/// `next.<name>`, `batch.input_ids` and `batch.labels` (int32, B×T, −100 where a position
/// carries no loss), `act.h.<i>.attn.weights` (B×H×T×T), `act.logits` and `act.probs`
/// (B×T×V), `act.losses` (B×T) and `loss` (a scalar).
public enum TraceFile {
  public static func write(_ trace: StepTrace, trainer: Trainer, to url: URL) throws {
    try make(trace, trainer: trainer).write(to: url)
  }

  static func make(_ trace: StepTrace, trainer: Trainer) -> SafetensorsFile {
    let B = trace.batchSize
    let T = trace.length
    let V = trace.vocabularySize
    let H = trace.config.heads
    var tensors: [String: SafetensorsFile.Tensor] = [:]
    for spec in trace.layout.tensors {
      tensors[spec.name] = .init(shape: spec.shape, floats: Array(trace.parametersBefore[spec.range]))
      tensors["grad." + spec.name] = .init(shape: spec.shape, floats: Array(trace.gradients[spec.range]))
      tensors["next." + spec.name] = .init(shape: spec.shape, floats: Array(trace.parametersAfter[spec.range]))
    }
    tensors["batch.input_ids"] = .init(shape: [B, T], ints: trace.batch.inputs)
    tensors["batch.labels"] = .init(shape: [B, T], ints: trace.batch.labels)
    for (layer, weights) in trace.attention.enumerated() {
      tensors["act.h.\(layer).attn.weights"] = .init(shape: [B, H, T, T], floats: weights)
    }
    tensors["act.logits"] = .init(shape: [B, T, V], floats: trace.logits)
    tensors["act.probs"] = .init(shape: [B, T, V], floats: trace.probabilities)
    tensors["act.losses"] = .init(shape: [B, T], floats: trace.positionLosses)
    tensors["loss"] = .init(shape: [], floats: [trace.loss])
    var metadata = Checkpoint.metadata(for: trainer)
    metadata["format"] = "nexttoken.trace.v1"
    metadata["step"] = String(trace.step)
    metadata["learning_rate"] = String(trace.learningRate)
    var hyper = Checkpoint.hyperparameters(trainer.optimizer)
    hyper["lr"] = Double(trace.learningRate.description) ?? Double(trace.learningRate)
    hyper["step"] = Double(trainer.optimizer.stepCount)
    metadata["optimizer.hyperparameters"] = Checkpoint.json(hyper)
    metadata["loss_after"] = String(trace.lossAfter)
    return SafetensorsFile(tensors: tensors, metadata: metadata)
  }
}
