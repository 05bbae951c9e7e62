import Curriculum
import Foundation
import Model

/// Saving and resuming training runs as safetensors files.
///
/// The weights are stored under Hugging Face GPT-2 names and layouts (no `transformer.`
/// prefix; the tied head is not stored), the optimizer's moments under `optim.` names, and
/// everything else a run needs to continue exactly in `__metadata__`: the run configuration,
/// the tokenizer, the step, the seed and how many batches the data stream has served.
public enum Checkpoint {
  /// The `format` metadata value of files this version writes.
  public static let format = "nexttoken.checkpoint.v1"

  /// Writes the trainer's state atomically (temporary file, then rename).
  public static func save(_ trainer: Trainer, to url: URL) throws(SafetensorsError) {
    var file = SafetensorsFile(tensors: weightTensors(trainer.model), metadata: metadata(for: trainer))
    for state in trainer.optimizer.stateTensors() {
      file.tensors[state.name] = SafetensorsFile.Tensor(shape: state.shape, floats: state.values)
    }
    try file.write(to: url)
  }

  /// The model's parameters under their GPT-2 names.
  static func weightTensors(_ model: GPT, prefix: String = "", values: [Float]? = nil) -> [String: SafetensorsFile.Tensor] {
    let all = values ?? model.parameters
    var tensors: [String: SafetensorsFile.Tensor] = [:]
    for spec in model.layout.tensors {
      tensors[prefix + spec.name] = SafetensorsFile.Tensor(shape: spec.shape, floats: Array(all[spec.range]))
    }
    return tensors
  }

  /// The metadata shared by checkpoints and traces.
  static func metadata(for trainer: Trainer) -> [String: String] {
    let run = trainer.configuration
    var resumed = run
    resumed.learningRate = trainer.baseLearningRate
    return [
      "format": format,
      "config": json(trainer.model.config),
      "run": json(resumed),
      "tokenizer": trainer.tokenizer.kind.rawValue,
      "tokenizer.data": trainer.tokenizer.serialized(),
      "objective": run.objective.rawValue,
      "step": String(trainer.stepCount),
      "seed": String(run.seed),
      "data_position": trainer.dataPosition.serialized(),
      "corpus": run.corpus,
      "corpus.tokens": String(trainer.corpusTokenCount),
      "optimizer": trainer.optimizer.name,
      "optimizer.hyperparameters": json(hyperparameters(trainer.optimizer)),
      "learning_rate": String(trainer.baseLearningRate),
      "warmup_steps": String(run.warmupSteps),
    ].merging(
      // A fine-tuning run's optimizer goes on from its base's step count; others match the run's.
      trainer.optimizer.stepCount != trainer.stepCount ? ["optimizer.steps": String(trainer.optimizer.stepCount)] : [:]
    ) { first, _ in first }
  }

  /// The optimizer's hyperparameters as the Float values it uses, written without binary noise.
  static func hyperparameters(_ optimizer: any Optimizer) -> [String: Double] {
    optimizer.hyperparameters.mapValues { Double(Float($0).description) ?? $0 }
  }

  static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
  }

  /// Rebuilds a trainer from a checkpoint, ready to take the next step of the same run.
  ///
  /// Reads the corpus again (the checkpoint holds the tokenizer, not the text) and
  /// checks it is the one the run trained on.
  public static func load(from url: URL, evaluationInterval: Int = 50, corporaDirectory: URL? = nil) throws(CheckpointError) -> Trainer {
    let saved = try read(from: url)
    let trainer: Trainer
    do throws(TrainingError) {
      trainer = try Trainer(
        configuration: saved.run, corporaDirectory: corporaDirectory, evaluationInterval: evaluationInterval,
        tokenizer: saved.tokenizer)
    } catch {
      throw .corpusUnavailable(path: saved.path, corpus: saved.run.corpus, reason: error.description)
    }
    if let tokens = saved.corpusTokenCount, tokens != trainer.corpusTokenCount {
      throw .corpusChanged(path: saved.path, corpus: saved.run.corpus, tokensThen: tokens, tokensNow: trainer.corpusTokenCount)
    }
    guard saved.position.index < trainer.batchesPerEpoch(epoch: saved.position.epoch) else {
      throw .invalidMetadata(path: saved.path, key: "data_position", reason: "is past the end of its epoch (\(saved.position))")
    }
    do {
      try trainer.model.load(parameters: saved.parameters)
      try trainer.optimizer.loadState(saved.optimizerState, stepCount: saved.optimizerSteps ?? saved.step, layout: trainer.model.layout)
    } catch {
      throw .optimizerState(path: saved.path, reason: error.message)
    }
    trainer.restore(step: saved.step, position: saved.position)
    return trainer
  }
}
