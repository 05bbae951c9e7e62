import Foundation

/// Where a batch stream is: enough to rebuild the next batch exactly after a restart.
public struct BatchPosition: Sendable, Codable, Equatable, CustomStringConvertible {
  /// The stream's seed, drawn once from the training generator.
  public var seed: UInt64
  /// Completed passes over the split.
  public var epoch: Int
  /// The next batch's index within the epoch.
  public var index: Int

  public init(seed: UInt64, epoch: Int = 0, index: Int = 0) {
    self.seed = seed
    self.epoch = epoch
    self.index = index
  }

  /// JSON for checkpoint metadata, e.g. `{"epoch":2,"index":17,"seed":"12345"}`.
  ///
  /// The seed is written as a string because JSON numbers lose precision above 2⁵³.
  public func serialized() -> String {
    "{\"epoch\":\(epoch),\"index\":\(index),\"seed\":\"\(seed)\"}"
  }

  /// Reads `serialized()` output.
  public init(json: String) throws(BatchPositionError) {
    guard let data = json.data(using: .utf8),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { throw BatchPositionError("data position: expected a JSON object, found '\(json)'") }
    guard let seedText = object["seed"] as? String, let seed = UInt64(seedText) else {
      throw BatchPositionError("data position: field 'seed' must be an unsigned integer in a string")
    }
    guard let epoch = (object["epoch"] as? NSNumber)?.intValue, epoch >= 0 else {
      throw BatchPositionError("data position: field 'epoch' must be a non-negative integer")
    }
    guard let index = (object["index"] as? NSNumber)?.intValue, index >= 0 else {
      throw BatchPositionError("data position: field 'index' must be a non-negative integer")
    }
    self.init(seed: seed, epoch: epoch, index: index)
  }

  public var description: String { "epoch \(epoch), batch \(index)" }
}

/// Why a stored data position could not be read.
public struct BatchPositionError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Draws batches of windows from one split of a tokenised corpus.
///
/// The scheme, which makes every batch a pure function of `(seed, epoch, index)`:
/// - Windows are `T + 1` tokens for CLM (inputs and the shifted labels) and `T` for MLM.
///   They start every `T` tokens, so each token is a CLM target exactly once per epoch.
/// - A training stream shifts all of an epoch's window starts by an offset in `0..<T`
///   and shuffles them (Fisher–Yates), both with a generator seeded from
///   `(seed, epoch)`; the next epoch cuts the text at other places in another order.
///   A validation stream uses offset 0 and corpus order, every time.
/// - Batch `i` of an epoch takes windows `i·B ..< (i+1)·B` of that order; the last
///   partial batch is dropped (if the split holds fewer than B windows, the one batch
///   wraps around and repeats windows).
/// - In a training stream, every batch after an epoch's first moves its windows
///   later by a shift in `0..<T` drawn from `(seed, epoch, i)` (kept inside the
///   split). Without it, every window of an epoch would start at the same phase of
///   a text with a fixed period (a line length): the model would learn that phase
///   for a whole epoch and fail on the others, and the losses would jump at each
///   epoch. The first batch keeps the plain tiling, so a run's first step shows
///   the same windows whatever the shifts.
/// - SFT reads examples instead of windows: a row is one example (`<|user|>` prompt
///   `<|assistant|>` response `<|end|>`), padded to T; an epoch's order shuffles the
///   examples; labels are −100 on the template, the prompt and the padding (see
///   `SFTExample.labels`), padding found by position, never by token id.
/// - MLM masking draws from a generator seeded from `(seed, epoch, i)`: per row, a
///   uniform draw per position picks it with p = 0.15; a row with no pick gets one
///   position chosen uniformly; then per picked position one draw: < 0.8 `[MASK]`,
///   < 0.9 a uniform ordinary token, else unchanged.
///
/// The seed is drawn once from the caller's generator, so the same training seed gives
/// the same batches, and `position` (stored in checkpoints) resumes the stream exactly.
public struct BatchStream: Sendable {
  /// The seed every validation stream uses, so validation losses compare across runs.
  public static let validationSeed: UInt64 = 0x5EED_0000_0000_0010
  /// The fraction of positions the masked objective picks.
  public static let maskProbability = 0.15

  /// The tokens of the split this stream reads.
  public let tokens: [Int32]
  /// Which split `tokens` is.
  public let split: CorpusSplit
  public let objective: Objective
  /// B, rows per batch.
  public let batchSize: Int
  /// T, tokens per row.
  public let length: Int
  /// Whether window order and cut offsets change from epoch to epoch (training streams).
  public let shuffles: Bool
  /// The `[MASK]` id, and the count of ordinary ids random replacements are drawn from.
  public let maskID: Int32
  public let ordinaryCount: Int
  /// SFT: the split's examples (empty for CLM and MLM).
  public let examples: [SFTExample]
  /// SFT: whether the prompt and template carry no loss (false labels every next token).
  public let maskPrompt: Bool
  /// SFT: the input id of padding positions (their labels are −100 whatever it is).
  public let padID: Int32
  /// The next batch's position.
  public var position: BatchPosition {
    didSet {
      if position.epoch != cachedEpoch || position.seed != cachedSeed { cacheOrder() }
    }
  }
  private var cachedEpoch: Int = -1
  private var cachedSeed: UInt64 = 0
  private var cachedOrder: [Int] = []

  /// A stream whose seed is `seed`.
  public init(
    tokens: [Int32], split: CorpusSplit, objective: Objective, batchSize: Int, length: Int,
    maskID: Int32, ordinaryCount: Int, seed: UInt64, shuffles: Bool = true
  ) {
    precondition(batchSize >= 1 && length >= 1, "batch size and length must be positive")
    precondition(tokens.count >= length + (objective == .clm ? 1 : 0), "split shorter than one window")
    precondition(ordinaryCount >= 1 && Int(maskID) >= ordinaryCount, "vocabulary without ordinary tokens")
    self.tokens = tokens
    self.split = split
    self.objective = objective
    self.batchSize = batchSize
    self.length = length
    self.maskID = maskID
    self.ordinaryCount = ordinaryCount
    self.shuffles = shuffles
    self.examples = []
    self.maskPrompt = true
    self.padID = 0
    self.position = BatchPosition(seed: seed)
    cacheOrder()
  }

  /// An SFT stream over `examples`, each at most `length` tokens.
  public init(
    examples: [SFTExample], split: CorpusSplit, batchSize: Int, length: Int, maskPrompt: Bool, padID: Int32,
    maskID: Int32, ordinaryCount: Int, seed: UInt64, shuffles: Bool = true
  ) {
    precondition(batchSize >= 1 && length >= 1, "batch size and length must be positive")
    precondition(!examples.isEmpty && examples.allSatisfy { $0.tokens.count <= length }, "examples must fit the context")
    self.tokens = examples.flatMap(\.tokens)
    self.split = split
    self.objective = .sft
    self.batchSize = batchSize
    self.length = length
    self.maskID = maskID
    self.ordinaryCount = ordinaryCount
    self.shuffles = shuffles
    self.examples = examples
    self.maskPrompt = maskPrompt
    self.padID = padID
    self.position = BatchPosition(seed: seed)
    cacheOrder()
  }

  /// A training stream over `corpus.tokens(of: split)`, its seed drawn from `generator`.
  public init(
    corpus: TokenizedCorpus, split: CorpusSplit = .train, objective: Objective, batchSize: Int,
    length: Int, tokenizer: some Tokenizer, generator: inout some RandomNumberGenerator
  ) {
    self.init(
      tokens: corpus.tokens(of: split), split: split, objective: objective, batchSize: batchSize,
      length: length, maskID: tokenizer.maskID, ordinaryCount: tokenizer.ordinaryCount,
      seed: generator.next(), shuffles: true)
  }

  /// The fixed validation stream: corpus order, offset 0, `validationSeed`.
  public static func validation(
    corpus: TokenizedCorpus, objective: Objective, batchSize: Int, length: Int, tokenizer: some Tokenizer
  ) -> BatchStream {
    BatchStream(
      tokens: corpus.validation, split: .validation, objective: objective, batchSize: batchSize,
      length: length, maskID: tokenizer.maskID, ordinaryCount: tokenizer.ordinaryCount,
      seed: validationSeed, shuffles: false)
  }

  /// Tokens per window: T + 1 for CLM (inputs and shifted labels), T for MLM.
  public var windowLength: Int { objective == .clm ? length + 1 : length }

  /// The window starts of `epoch`, in the order its batches use them.
  public func windowOrder(epoch: Int) -> [Int] {
    var generator = SplitMix64(seed: Randomness.mix(position.seed, UInt64(epoch), 0xE90C))
    if objective == .sft {
      var order = Array(examples.indices)
      if shuffles { Randomness.shuffle(&order, &generator) }
      return order
    }
    var offset = 0
    if shuffles && length > 1 {
      offset = Randomness.below(length, &generator)
      if offset + windowLength > tokens.count { offset = 0 }
    }
    var starts = Array(stride(from: offset, through: tokens.count - windowLength, by: length))
    if shuffles { Randomness.shuffle(&starts, &generator) }
    return starts
  }

  /// Batches in `epoch` (at least one).
  public func batchesPerEpoch(epoch: Int) -> Int {
    let windows = isCached(epoch) ? cachedOrder.count : windowOrder(epoch: epoch).count
    return max(1, windows / batchSize)
  }

  /// The batch at `position` and moves to the next one (into the next epoch after the last).
  public mutating func next() -> Batch {
    let batch = makeBatch(epoch: position.epoch, index: position.index, order: cachedOrder)
    if position.index + 1 >= max(1, cachedOrder.count / batchSize) {
      position = BatchPosition(seed: position.seed, epoch: position.epoch + 1, index: 0)
    } else {
      position.index += 1
    }
    return batch
  }

  /// The batch at any position, without moving the stream.
  public func batch(epoch: Int, index: Int) -> Batch {
    makeBatch(epoch: epoch, index: index, order: isCached(epoch) ? cachedOrder : windowOrder(epoch: epoch))
  }

  /// The first `limit` batches of epoch 0: for a validation stream, the fixed
  /// validation set.
  public func firstBatches(limit: Int) -> [Batch] {
    let count = min(max(0, limit), batchesPerEpoch(epoch: 0))
    return (0..<count).map { batch(epoch: 0, index: $0) }
  }

  private func isCached(_ epoch: Int) -> Bool {
    epoch == cachedEpoch && position.seed == cachedSeed
  }

  private mutating func cacheOrder() {
    cachedOrder = windowOrder(epoch: position.epoch)
    cachedEpoch = position.epoch
    cachedSeed = position.seed
  }

  /// How far batch `index` of `epoch` moves its windows: 0 for an epoch's first batch and for validation.
  public func batchShift(epoch: Int, index: Int) -> Int {
    guard shuffles, index > 0, length > 1, objective != .sft else { return 0 }
    var generator = SplitMix64(seed: Randomness.mix(position.seed, UInt64(epoch), UInt64(index), 0x5F17))
    return Randomness.below(length, &generator)
  }

  private func makeBatch(epoch: Int, index: Int, order: [Int]) -> Batch {
    if objective == .sft { return makeExampleBatch(epoch: epoch, index: index, order: order) }
    let rows = batchSize
    let width = length
    var starts: [Int] = []
    starts.reserveCapacity(rows)
    let shift = batchShift(epoch: epoch, index: index)
    for row in 0..<rows {
      starts.append(min(order[(index * rows + row) % order.count] + shift, tokens.count - windowLength))
    }
    var inputs = [Int32](repeating: 0, count: rows * width)
    var labels = [Int32](repeating: Batch.ignoredLabel, count: rows * width)
    var originals = [Int32](repeating: 0, count: rows * width)
    var kinds = [MaskKind](repeating: .none, count: rows * width)
    var pickDraws: [Double] = []
    var kindDraws: [Double] = []
    switch objective {
    case .clm, .sft:
      for row in 0..<rows {
        let start = starts[row]
        for position in 0..<width {
          inputs[row * width + position] = tokens[start + position]
          labels[row * width + position] = tokens[start + position + 1]
        }
      }
      originals = inputs
    case .mlm:
      var generator = SplitMix64(seed: Randomness.mix(position.seed, UInt64(epoch), UInt64(index), 0x3A5C))
      var picked = [Bool](repeating: false, count: width)
      pickDraws = [Double](repeating: 0, count: rows * width)
      kindDraws = [Double](repeating: -1, count: rows * width)
      for row in 0..<rows {
        let start = starts[row]
        var anyPicked = false
        for position in 0..<width {
          let draw = Randomness.unit(&generator)
          pickDraws[row * width + position] = draw
          picked[position] = draw < Self.maskProbability
          anyPicked = anyPicked || picked[position]
        }
        if !anyPicked { picked[Randomness.below(width, &generator)] = true }
        for position in 0..<width {
          let slot = row * width + position
          let original = tokens[start + position]
          originals[slot] = original
          guard picked[position] else {
            inputs[slot] = original
            continue
          }
          labels[slot] = original
          let draw = Randomness.unit(&generator)
          kindDraws[slot] = draw
          if draw < 0.8 {
            inputs[slot] = maskID
            kinds[slot] = .masked
          } else if draw < 0.9 {
            inputs[slot] = Int32(Randomness.below(ordinaryCount, &generator))
            kinds[slot] = .random
          } else {
            inputs[slot] = original
            kinds[slot] = .kept
          }
        }
      }
    }
    return Batch(
      inputs: inputs, labels: labels, batchSize: rows, length: width, originals: originals,
      maskKinds: kinds, windowStarts: starts, epoch: epoch, index: index, objective: objective,
      split: split, pickDraws: pickDraws, kindDraws: kindDraws)
  }

  /// SFT: one example per row, padded to T.
  private func makeExampleBatch(epoch: Int, index: Int, order: [Int]) -> Batch {
    let rows = batchSize
    let width = length
    var inputs = [Int32](repeating: padID, count: rows * width)
    var labels: [Int32] = []
    labels.reserveCapacity(rows * width)
    var starts: [Int] = []
    var lengths: [Int] = []
    for row in 0..<rows {
      let chosen = order[(index * rows + row) % order.count]
      let example = examples[chosen]
      starts.append(chosen)
      lengths.append(example.tokens.count)
      for (position, id) in example.tokens.enumerated() { inputs[row * width + position] = id }
      labels += example.labels(length: width, maskPrompt: maskPrompt)
    }
    return Batch(
      inputs: inputs, labels: labels, batchSize: rows, length: width, originals: inputs,
      maskKinds: [MaskKind](repeating: .none, count: rows * width), windowStarts: starts, epoch: epoch, index: index,
      objective: .sft, split: split, exampleLengths: lengths)
  }
}
