import Curriculum
import Foundation
import Model

/// A pre-trained model a fine-tuning run starts from: its run, tokenizer, weights and optimizer state.
public struct BaseModel: Sendable {
  /// Where it came from, for messages ("base.safetensors", or the corpus it was just pre-trained on).
  public var source: String
  public var run: RunConfiguration
  public var tokenizer: any Tokenizer
  public let parameters: [Float]
  public let optimizerState: [String: [Float]]
  /// AdamW's step count t, which its bias correction goes on from.
  public let optimizerSteps: Int

  /// A base read from a checkpoint.
  public init(saved: SavedRun) {
    source = saved.path
    run = saved.run
    tokenizer = saved.tokenizer
    parameters = saved.parameters
    optimizerState = saved.optimizerState
    optimizerSteps = saved.optimizerSteps ?? saved.step
  }

  /// A base trained in this process.
  public init(trainer: Trainer, source: String) {
    self.source = source
    run = trainer.configuration
    tokenizer = trainer.tokenizer
    parameters = trainer.model.parameters
    optimizerState = Dictionary(uniqueKeysWithValues: trainer.optimizer.stateTensors().map { ($0.name, $0.values) })
    optimizerSteps = trainer.optimizer.stepCount
  }
}

/// What growing a base for fine-tuning did, for the report.
public struct FineTuneReport: Sendable, Equatable, CustomStringConvertible {
  /// The role tokens added, with their ids.
  public let added: [(token: String, id: Int32)]
  public let baseVocabulary: Int
  public let channels: Int
  /// Whether the base's optimizer moments were carried over (grown with zero rows).
  public let grewMoments: Bool

  public static func == (lhs: FineTuneReport, rhs: FineTuneReport) -> Bool {
    lhs.added.map(\.token) == rhs.added.map(\.token) && lhs.added.map(\.id) == rhs.added.map(\.id)
      && lhs.baseVocabulary == rhs.baseVocabulary && lhs.channels == rhs.channels && lhs.grewMoments == rhs.grewMoments
  }

  public var description: String {
    let tokens = added.map { "\($0.token) = \($0.id)" }.joined(separator: ", ")
    let newVocabulary = baseVocabulary + added.count
    let moments = grewMoments ? "; AdamW's m and v grow by \(added.count) zero rows" : ""
    return "Added \(added.count) role tokens (\(tokens)): wte \(baseVocabulary)×\(channels) → \(newVocabulary)×\(channels), the new rows set to the mean of the base's rows\(moments)"
  }
}

/// Why a base cannot be fine-tuned, in one line naming it.
public struct FineTuneError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

extension Trainer {
  /// A fine-tuning run of `base` on `configuration.corpus` (pairs): the tokenizer gains the
  /// role tokens, `wte` and AdamW's m and v grow by their rows, everything else is the base's.
  ///
  /// `configuration` must describe the base's model (sizes, tokenizer); its objective is SFT.
  /// New `wte` rows start at the mean of the base's rows, so the role tokens start as an
  /// average token rather than noise; their moments start at zero. AdamW's step count goes
  /// on from the base's (its moments are not fresh), while the run's own steps start at 0.
  public static func fineTuning(
    base: BaseModel, configuration: RunConfiguration, corporaDirectory: URL? = nil, evaluationInterval: Int = 50
  ) throws(TrainingError) -> (Trainer, FineTuneReport) {
    switch base.run.objective {
    case .mlm:
      throw .fineTune(FineTuneError(
        "\(base.source): a masked LM (MLM) cannot be fine-tuned to chat: it attends both ways and cannot write an answer left to right; fine-tune a CLM checkpoint"))
    case .sft:
      throw .fineTune(FineTuneError("\(base.source): is already fine-tuned (SFT); continue it with train --resume and no --objective"))
    case .clm: break
    }
    let grown = base.tokenizer.vocabSize + ChatTemplate.roles.count
    let bound = SizeLimits.range(.vocabulary).upperBound
    guard grown <= bound else {
      throw .fineTune(FineTuneError(
        "\(base.source): its vocabulary of \(base.tokenizer.vocabSize) tokens is at its bound: \(ChatTemplate.roles.count) role tokens would make \(grown), above the largest \(bound)"))
    }
    var run = configuration
    run.objective = .sft
    let same = (run.tokenizer, run.bpeMerges, run.layers, run.heads, run.dim, run.context)
      == (base.run.tokenizer, base.run.bpeMerges, base.run.layers, base.run.heads, base.run.dim, base.run.context)
    precondition(same, "a fine-tuning run keeps its base's model")
    try run.validate()
    let chat = ChatTokenizer(base: base.tokenizer)
    let data: TrainingData
    do throws(CorpusError) {
      let corpus = try TrainingData.loadCorpus(run.corpus, corporaDirectory: corporaDirectory)
      data = try TrainingData(pairs: corpus, tokenizer: chat, context: run.context, maskPrompt: run.maskPrompt)
    } catch {
      throw .corpus(error)
    }
    let trainer = try Trainer(configuration: run, data: data, evaluationInterval: evaluationInterval)
    let layout = trainer.model.layout
    let baseLayout = ParameterLayout(config: try base.run.modelConfig(vocabulary: base.tokenizer.vocabSize))
    let added = ChatTemplate.roles.count
    let channels = run.dim
    var grewMoments = false
    do throws(ModelError) {
      try trainer.model.load(parameters: grow(base.parameters, from: baseLayout, to: layout, addedRows: added, fill: .mean))
      if !base.optimizerState.isEmpty {
        var state: [String: [Float]] = [:]
        for (name, values) in base.optimizerState {
          state[name] = name.hasSuffix(".wte.weight") ? values + [Float](repeating: 0, count: added * channels) : values
        }
        try trainer.optimizer.loadState(state, stepCount: base.optimizerSteps, layout: layout)
        grewMoments = true
      }
    } catch {
      throw .fineTune(FineTuneError("\(base.source): its weights do not fit the grown model: \(error.message)"))
    }
    let report = FineTuneReport(
      added: ChatTemplate.roles.enumerated().map { ($1, chat.userID + Int32($0)) }, baseVocabulary: base.tokenizer.vocabSize,
      channels: channels, grewMoments: grewMoments)
    return (trainer, report)
  }

  enum RowFill { case mean }

  /// `parameters` of `from` laid out for `to`, whose `wte` has `addedRows` more rows at its end.
  static func grow(_ parameters: [Float], from: ParameterLayout, to: ParameterLayout, addedRows: Int, fill: RowFill) -> [Float] {
    var result: [Float] = []
    result.reserveCapacity(to.totalCount)
    for spec in to.tensors {
      guard let old = from[spec.name] else { preconditionFailure("layouts differ in more than wte") }
      result += parameters[old.range]
      if spec.name == "wte.weight" {
        let rows = old.shape[0], channels = old.shape[1]
        var mean = [Float](repeating: 0, count: channels)
        for row in 0..<rows {
          for c in 0..<channels { mean[c] += parameters[old.offset + row * channels + c] / Float(rows) }
        }
        for _ in 0..<addedRows { result += mean }
      }
    }
    return result
  }
}

/// How far the pre-training of a fine-tuning run's base has come, for a progress line.
public struct BaseProgress: Sendable, Equatable {
  public let step: Int
  public let total: Int
  /// The base corpus's file name.
  public let corpus: String
}

extension Trainer {
  /// A fine-tuning run whose base is pre-trained first (a lesson's `base_corpus`): CLM on the
  /// base corpus, flat out, for `base.steps` steps, then grown and fine-tuned as from a checkpoint.
  ///
  /// The base is kept in `cache` (a folder) under a name made from its run, and used again
  /// when its run and step match, so a lesson pre-trains it once. `progress` is called every
  /// few steps; returning false stops (the run is being replaced) with `CorpusError.cancelled`
  /// naming the base corpus.
  public static func fineTuningWithBase(
    configuration: RunConfiguration, corporaDirectory: URL? = nil, cache: URL?, evaluationInterval: Int = 50,
    progress: (BaseProgress) -> Bool = { _ in true }
  ) throws(TrainingError) -> (Trainer, FineTuneReport) {
    guard let baseRun = configuration.baseConfiguration, let steps = configuration.base?.steps else {
      preconditionFailure("fineTuningWithBase needs a run with a base")
    }
    let name = URL(fileURLWithPath: baseRun.corpus).lastPathComponent
    let file = cache.map { $0.appendingPathComponent(Self.baseFileName(baseRun, steps: steps)) }
    if let file, let saved = try? Checkpoint.read(from: file), saved.step == steps, saved.run == baseRun {
      return try fineTuning(base: BaseModel(saved: saved), configuration: configuration, corporaDirectory: corporaDirectory, evaluationInterval: evaluationInterval)
    }
    let base = try Trainer(configuration: baseRun, corporaDirectory: corporaDirectory, evaluationInterval: 0)
    guard progress(BaseProgress(step: 0, total: steps, corpus: name)) else { throw .corpus(.cancelled(path: baseRun.corpus)) }
    while base.stepCount < steps {
      let result = base.step(recordTrace: false)
      guard result.isHealthy else {
        throw .fineTune(FineTuneError("\(name): pre-training the base diverged at step \(result.step) (loss \(result.loss))"))
      }
      if base.stepCount % 10 == 0 || base.stepCount == steps {
        guard progress(BaseProgress(step: base.stepCount, total: steps, corpus: name)) else { throw .corpus(.cancelled(path: baseRun.corpus)) }
      }
    }
    if let file, let folder = cache {
      // Keeping the base is a convenience: a folder that cannot be written only costs a retrain.
      try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try? Checkpoint.save(base, to: file)
    }
    return try fineTuning(base: BaseModel(trainer: base, source: name), configuration: configuration, corporaDirectory: corporaDirectory, evaluationInterval: evaluationInterval)
  }

  /// `base-CORPUS-HASH.safetensors`: the hash (FNV-1a) covers the whole base run and its steps.
  static func baseFileName(_ run: RunConfiguration, steps: Int) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in (Checkpoint.json(run) + "#\(steps)").utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    let stem = URL(fileURLWithPath: run.corpus).deletingPathExtension().lastPathComponent
    return "base-\(CheckpointName.sanitized(stem))-\(String(hash, radix: 16)).safetensors"
  }
}
