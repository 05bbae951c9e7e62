import Curriculum
import Foundation
import Model

/// The outcome of one optimizer step.
public struct StepResult: Sendable {
  public let step: Int
  public let loss: Float
  public let gradientNorm: Float
  public let learningRate: Float
  public let trace: StepTrace?

  /// False when the loss is non-finite or has exploded: the run must stop.
  public let isHealthy: Bool
}

/// The next-token distribution at one position, for the prompt box.
public struct Prediction: Sendable {
  public let tokens: [Int32]
  /// The position whose distribution this is.
  public let position: Int
  /// The logits z there (the prompt box redraws softmax(z/T) from them).
  public let logits: [Float]
  /// softmax(z): the model's own distribution, temperature 1.
  public let probabilities: [Float]

  public init(tokens: [Int32], position: Int, logits: [Float], probabilities: [Float]) {
    self.tokens = tokens
    self.position = position
    self.logits = logits
    self.probabilities = probabilities
  }
}

/// One model, its optimizer and its data stream, stepped on a single thread.
///
/// Not `Sendable`: a `TrainingSession` owns one on its queue; the headless commands own one
/// on the main thread. Randomness comes from generators derived from the run's seed, one per
/// purpose (weights, training batches, sampling), so recording a trace, evaluating or
/// sampling never changes the training losses.
public final class Trainer: LanguageModel {
  public let configuration: RunConfiguration
  public let tokenizer: any Tokenizer
  public let model: GPT
  public private(set) var optimizer: any Optimizer
  public let reference: LossReference
  public var baseLearningRate: Float
  /// Evaluate on the validation split every this many steps (0 = never).
  public var evaluationInterval: Int
  /// Validation batches per evaluation.
  public var evaluationBatches = 4

  private var stream: BatchStream
  private let validationStream: BatchStream
  private var sampler: SeededGenerator
  private var initialLoss: Float?
  public private(set) var stepCount = 0
  /// Tokens in the whole corpus (checkpoints check the corpus did not change).
  public let corpusTokenCount: Int
  /// The validation split's tokens (the last 10% of the corpus), in order.
  public let validationTokens: [Int32]
  /// How often each token id occurs in the whole corpus (the embedding map labels the most frequent).
  public let tokenCounts: [Int]
  /// The corpus text the tokenizer was learned from (the BPE view replays its merges on it).
  public let corpusText: String

  /// Where the training stream stands, for checkpoints.
  public var dataPosition: BatchPosition { stream.position }

  /// Continues a run from a checkpoint's step and data position.
  func restore(step: Int, position: BatchPosition) {
    stepCount = step
    stream.position = position
  }

  /// Batches per epoch of the training stream at `epoch`.
  func batchesPerEpoch(epoch: Int) -> Int { stream.batchesPerEpoch(epoch: epoch) }

  public var tokensPerStep: Int { configuration.batch * configuration.context }
  public var epoch: Int { stream.position.epoch }
  public var isCausal: Bool { configuration.objective.isCausal }
  public var contextLength: Int { configuration.context }

  /// True when the step just taken is one the validation loss is due after.
  public var isEvaluationDue: Bool {
    evaluationInterval > 0 && stepCount > 0 && stepCount % evaluationInterval == 0
  }

  /// Loads the corpus, trains the tokenizer, and initialises the model from the seed.
  ///
  /// `progress` hears how far reading and tokenizing the corpus got; answering false stops
  /// with `CorpusError.cancelled`.
  public convenience init(
    configuration: RunConfiguration, corporaDirectory: URL? = nil, evaluationInterval: Int = 50,
    tokenizer: (any Tokenizer)? = nil, progress: (CorpusProgress) -> Bool = { _ in true }
  ) throws(TrainingError) {
    try configuration.validate()
    let data: TrainingData
    do throws(CorpusError) {
      data = try TrainingData(configuration: configuration, corporaDirectory: corporaDirectory, tokenizer: tokenizer, progress: progress)
    } catch {
      throw .corpus(error)
    }
    try self.init(configuration: configuration, data: data, evaluationInterval: evaluationInterval)
  }

  /// Trains on `text` instead of a corpus file (benchmarks and tests).
  public convenience init(configuration: RunConfiguration, text: String, evaluationInterval: Int = 50) throws(TrainingError) {
    try configuration.validate()
    let corpus = Corpus(path: configuration.corpus, text: text)
    let data: TrainingData
    do throws(CorpusError) {
      if configuration.objective == .sft {
        let chat = try TrainingData.pairsTokenizer(corpus: corpus, kind: configuration.tokenizer, bpeMerges: configuration.bpeMerges)
        data = try TrainingData(pairs: corpus, tokenizer: chat, context: configuration.context, maskPrompt: configuration.maskPrompt)
      } else {
        data = try TrainingData(
          corpus: corpus, tokenizer: configuration.tokenizer, bpeMerges: configuration.bpeMerges, context: configuration.context)
      }
    } catch {
      throw .corpus(error)
    }
    try self.init(configuration: configuration, data: data, evaluationInterval: evaluationInterval)
  }

  init(configuration: RunConfiguration, data: TrainingData, evaluationInterval: Int) throws(TrainingError) {
    self.configuration = configuration
    self.baseLearningRate = configuration.learningRate
    self.evaluationInterval = evaluationInterval
    self.corpusTokenCount = data.tokens.tokens.count
    self.validationTokens = data.tokens.validation
    var counts = [Int](repeating: 0, count: data.tokenizer.vocabSize)
    for token in data.tokens.tokens where Int(token) < counts.count && token >= 0 { counts[Int(token)] += 1 }
    self.tokenCounts = counts
    self.corpusText = data.corpus.text
    self.tokenizer = data.tokenizer
    self.reference = data.reference
    // The vocabulary is known only now: check the memory the model needs before allocating it.
    let modelConfig = try configuration.modelConfig(vocabulary: data.tokenizer.vocabSize)
    let root = SeededGenerator(seed: configuration.seed)
    var weights = root.derive(stream: 1)
    self.model = GPT(config: modelConfig, maxBatch: configuration.batch, generator: &weights)
    self.optimizer = Self.makeOptimizer(configuration.optimizer, model: model)
    var batches = root.derive(stream: 2)
    self.stream = data.trainingStream(
      objective: configuration.objective, batchSize: configuration.batch, length: configuration.context, generator: &batches)
    self.validationStream = data.validationStream(
      objective: configuration.objective, batchSize: configuration.batch, length: configuration.context)
    self.sampler = root.derive(stream: 3)
  }

  static func makeOptimizer(_ kind: OptimizerKind, model: GPT) -> any Optimizer {
    switch kind {
    case .adamw: return AdamW()
    case .sgd: return SGD()
    }
  }

  /// The learning rate the next step will use.
  public var currentLearningRate: Float {
    configuration.learningRate(atStep: stepCount, base: baseLearningRate)
  }

  /// Draws the next batch, runs forward and backward, and updates the weights.
  public func step(recordTrace: Bool) -> StepResult {
    let batch = stream.next()
    let lr = currentLearningRate
    let before = recordTrace ? model.parameters : []
    let loss = model.forward(
      inputs: batch.inputs, labels: batch.labels, batch: batch.batchSize, length: batch.length,
      causal: isCausal) ?? .nan
    model.zeroGradients()
    model.backward()
    let norms = recordTrace ? model.gradientNorms() : []
    let totalNorm = model.gradientNorm()
    var captured: (attention: [[Float]], embed: [Float], logits: [Float], probs: [Float], losses: [Float], grads: [Float])?
    if recordTrace {
      captured = (
        (0..<model.config.layers).map { model.attentionWeights(layer: $0) },
        model.inputEmbedding, model.logits, model.probabilities, model.positionLosses, model.gradients
      )
    }
    let optimizerBefore = recordTrace ? OptimizerTrace(before: optimizer, model: model) : nil
    optimizer.step(model, learningRate: lr)
    stepCount += 1
    if initialLoss == nil { initialLoss = loss }
    let healthy = loss.isFinite && totalNorm.isFinite && loss < max(3 * reference.uniform, (initialLoss ?? loss) + 5)
    var trace: StepTrace?
    if let captured, let optimizerBefore {
      let after = model.parameters
      let lossAfter = model.forward(
        inputs: batch.inputs, labels: batch.labels, batch: batch.batchSize, length: batch.length,
        causal: isCausal) ?? .nan
      trace = StepTrace(
        step: stepCount, objective: configuration.objective, config: model.config, layout: model.layout,
        batch: batch, parametersBefore: before, gradients: captured.grads, parametersAfter: after,
        attention: captured.attention, inputEmbeddings: captured.embed, logits: captured.logits,
        probabilities: captured.probs, positionLosses: captured.losses, loss: loss, lossAfter: lossAfter,
        learningRate: lr, optimizer: optimizerBefore, gradientNorms: norms.map { TensorStat(name: $0.name, value: $0.norm) },
        updateRatios: Self.updateRatios(layout: model.layout, before: before, after: after))
    }
    return StepResult(step: stepCount, loss: loss, gradientNorm: totalNorm, learningRate: lr, trace: trace, isHealthy: healthy)
  }

  /// ‖after − before‖ / ‖before‖ for every tensor.
  static func updateRatios(layout: ParameterLayout, before: [Float], after: [Float]) -> [TensorStat] {
    layout.tensors.map { spec in
      var delta: Double = 0
      var weight: Double = 0
      for i in spec.offset..<spec.offset + spec.count {
        let d = Double(after[i] - before[i])
        delta += d * d
        weight += Double(before[i]) * Double(before[i])
      }
      // A tensor that starts at zero (biases) has no ratio: infinity marks "moved from 0".
      if weight == 0 { return TensorStat(name: spec.name, value: delta > 0 ? .infinity : 0) }
      return TensorStat(name: spec.name, value: Float((delta / weight).squareRoot()))
    }
  }

  /// The mean loss over a fixed set of validation batches (the same batches every time).
  public func evaluate() -> Float {
    var stream = validationStream
    var total: Double = 0
    for _ in 0..<evaluationBatches {
      let batch = stream.next()
      let loss = model.forward(
        inputs: batch.inputs, labels: batch.labels, batch: batch.batchSize, length: batch.length,
        causal: isCausal) ?? .nan
      total += Double(loss)
    }
    return Float(total / Double(evaluationBatches))
  }

  /// Samples `count` new tokens after `prompt` (CLM) or fills its masks (MLM), for live views.
  public func sampleContinuation(prompt: String, tokens count: Int, temperature: Float = 0.8, topK: Int? = nil) -> String {
    if configuration.objective == .sft {
      guard (try? chatPrompt(prompt)) != nil else { return "" }
      return (try? chatAnswer(to: prompt, temperature: temperature, topK: topK, generator: &sampler).answer) ?? ""
    }
    if !isCausal {
      return prompt.contains(SpecialToken.mask) ? fillMasks(in: prompt, temperature: temperature, topK: topK, generator: &sampler) : ""
    }
    var ids = tokenizer.encode(prompt)
    if ids.isEmpty { ids = [0] }
    let promptCount = ids.count
    for _ in 0..<count {
      ids.append(sampleNext(after: ids, temperature: temperature, topK: topK, generator: &sampler))
    }
    return tokenizer.decode(Array(ids[promptCount...]))
  }
}
