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
  public static func save(_ trainer: Trainer, to url: URL) throws {
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
    ]
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
  public static func load(from url: URL, evaluationInterval: Int = 50, corporaDirectory: URL? = nil) throws -> Trainer {
    let file = try SafetensorsFile.read(from: url)
    let path = url.path
    func fail(_ reason: String) -> TrainingError { .checkpoint("\(path): \(reason)") }
    func field(_ key: String) throws -> String {
      guard let value = file.metadata[key] else {
        throw fail("not a NextToken checkpoint: its metadata has no \"\(key)\"")
      }
      return value
    }
    guard try field("format") == format else {
      throw fail("unsupported checkpoint format \"\(file.metadata["format"] ?? "")\", expected \"\(format)\"")
    }
    let decoder = JSONDecoder()
    func decode<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
      do {
        return try decoder.decode(T.self, from: Data(try field(key).utf8))
      } catch let error as TrainingError {
        throw error
      } catch {
        throw fail("metadata \"\(key)\" is not valid: \(error)")
      }
    }
    let run = try decode(RunConfiguration.self, "run")
    let position: BatchPosition
    do {
      position = try BatchPosition(json: try field("data_position"))
    } catch let error as TrainingError {
      throw error
    } catch {
      throw fail("metadata \"data_position\" is not valid: \(error)")
    }
    guard let step = Int(try field("step")), step >= 0 else { throw fail("metadata \"step\" is not a step number") }
    guard let kind = TokenizerKind(rawValue: try field("tokenizer")) else {
      throw fail("unknown tokenizer \"\(file.metadata["tokenizer"] ?? "")\"")
    }
    let tokenizer: any Tokenizer
    do {
      tokenizer = try deserializeTokenizer(kind: kind, json: try field("tokenizer.data"))
    } catch let error as TrainingError {
      throw error
    } catch {
      throw fail("its tokenizer cannot be read: \(error)")
    }
    let trainer = try Trainer(configuration: run, corporaDirectory: corporaDirectory, evaluationInterval: evaluationInterval, tokenizer: tokenizer)
    if let tokens = file.metadata["corpus.tokens"], tokens != String(trainer.corpusTokenCount) {
      throw fail("the corpus \(run.corpus) changed since this checkpoint was written (\(tokens) tokens then, \(trainer.corpusTokenCount) now)")
    }
    var parameters = [Float](repeating: 0, count: trainer.model.layout.totalCount)
    for spec in trainer.model.layout.tensors {
      guard let tensor = file.tensors[spec.name] else { throw fail("missing tensor \(spec.name)") }
      guard tensor.shape == spec.shape else {
        throw fail("tensor \(spec.name) has shape \(tensor.shape), expected \(spec.shape) for this model")
      }
      let values = try file.floats(spec.name, file: path)
      parameters.replaceSubrange(spec.range, with: values)
    }
    do {
      try trainer.model.load(parameters: parameters)
      var state: [String: [Float]] = [:]
      for (name, _) in file.tensors where name.hasPrefix("optim.") {
        state[name] = try file.floats(name, file: path)
      }
      try trainer.optimizer.loadState(state, stepCount: step, layout: trainer.model.layout)
    } catch let error as SafetensorsError {
      throw error
    } catch {
      throw fail("\(error)")
    }
    trainer.restore(step: step, position: position)
    return trainer
  }
}
