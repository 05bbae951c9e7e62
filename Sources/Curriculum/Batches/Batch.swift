/// The training objectives a batch can be built for.
public enum Objective: String, Sendable, Codable, CaseIterable {
  /// Causal language modelling (GPT): predict the next token, causal attention.
  case clm
  /// Masked language modelling (BERT): predict hidden tokens, bidirectional attention.
  case mlm
  /// Supervised fine-tuning: next-token prediction on (prompt, response) pairs in a chat
  /// template, with a loss only on the response and its `<|end|>`.
  case sft

  /// Whether the model must use a causal attention mask for this objective.
  public var isCausal: Bool { self != .mlm }
}

/// What the masked objective did to one position.
public enum MaskKind: UInt8, Sendable, Codable, CaseIterable {
  /// Not picked: the input is the original token and the position has no label.
  case none
  /// Picked and replaced by `[MASK]` (80% of picks).
  case masked
  /// Picked and replaced by a random ordinary token (10% of picks).
  case random
  /// Picked but left unchanged (10% of picks).
  case kept

  /// Whether the position carries a label.
  public var isPicked: Bool { self != .none }
}

/// One batch of B rows of T tokens, laid out row-major (index = row × T + position).
public struct Batch: Sendable, Equatable {
  /// The label of a position that carries no loss.
  public static let ignoredLabel: Int32 = -100

  /// The model's input ids, B × T.
  public let inputs: [Int32]
  /// The target ids, B × T; `ignoredLabel` where a position carries no loss.
  public let labels: [Int32]
  /// B, the number of rows.
  public let batchSize: Int
  /// T, the tokens per row.
  public let length: Int
  /// The tokens of the corpus before any masking, B × T (equal to `inputs` for CLM).
  public let originals: [Int32]
  /// What masking did at each position, B × T (all `.none` for CLM).
  public let maskKinds: [MaskKind]
  /// Token offset of each row's window in its split (SFT: the index of its example in the split).
  public let windowStarts: [Int]
  /// The epoch and batch index within the epoch this batch was drawn at.
  public let epoch: Int
  public let index: Int
  /// The objective the labels were built for.
  public let objective: Objective
  /// The split the windows were cut from.
  public let split: CorpusSplit
  /// MLM: the uniform draw that decided whether each position is picked (< 0.15), B × T;
  /// empty for CLM.
  public let pickDraws: [Double]
  /// MLM: the draw that decided what a picked position became (< 0.8 `[MASK]`, < 0.9
  /// random, else kept), B × T; −1 where the position was not picked; empty for CLM.
  public let kindDraws: [Double]
  /// SFT: the tokens of each row's example (B); positions from there on are padding, their
  /// labels −100 by position. Empty for CLM and MLM, whose rows hold no padding.
  public let exampleLengths: [Int]

  public init(
    inputs: [Int32], labels: [Int32], batchSize: Int, length: Int, originals: [Int32],
    maskKinds: [MaskKind], windowStarts: [Int], epoch: Int, index: Int, objective: Objective,
    split: CorpusSplit, pickDraws: [Double] = [], kindDraws: [Double] = [], exampleLengths: [Int] = []
  ) {
    precondition(inputs.count == batchSize * length && labels.count == inputs.count, "batch shape mismatch")
    precondition(originals.count == inputs.count && maskKinds.count == inputs.count, "batch shape mismatch")
    precondition(windowStarts.count == batchSize, "one window start per row")
    self.inputs = inputs
    self.labels = labels
    self.batchSize = batchSize
    self.length = length
    self.originals = originals
    self.maskKinds = maskKinds
    self.windowStarts = windowStarts
    self.epoch = epoch
    self.index = index
    self.objective = objective
    self.split = split
    self.pickDraws = pickDraws
    self.kindDraws = kindDraws
    self.exampleLengths = exampleLengths
  }

  /// Whether a position is padding after its row's example (SFT only).
  public func isPadding(row: Int, position: Int) -> Bool {
    row < exampleLengths.count && position >= exampleLengths[row]
  }

  /// The number of positions that carry a label.
  public var labelledCount: Int { labels.reduce(0) { $0 + ($1 == Self.ignoredLabel ? 0 : 1) } }

  /// The inputs of one row.
  public func inputs(row: Int) -> ArraySlice<Int32> { inputs[(row * length)..<((row + 1) * length)] }
  /// The labels of one row.
  public func labels(row: Int) -> ArraySlice<Int32> { labels[(row * length)..<((row + 1) * length)] }
  /// The unmasked tokens of one row.
  public func originals(row: Int) -> ArraySlice<Int32> { originals[(row * length)..<((row + 1) * length)] }
  /// The mask kinds of one row.
  public func maskKinds(row: Int) -> ArraySlice<MaskKind> { maskKinds[(row * length)..<((row + 1) * length)] }
}
