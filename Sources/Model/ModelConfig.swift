/// A clear, one-line description of what is wrong with a model's shape or data.
public struct ModelError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The message shown to the user, e.g. "heads (3) must divide dim (64)".
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

/// The size of a GPT: vocabulary, context, width, depth and heads.
///
/// A value that exists has passed `validate()`: every initialiser, including
/// decoding, checks it.
public struct ModelConfig: Sendable, Codable, Equatable, Hashable {
  /// V: the number of token ids.
  public let vocabSize: Int
  /// T: the longest sequence the position embedding covers.
  public let contextLength: Int
  /// C: the width of the residual stream.
  public let channels: Int
  /// L: the number of transformer blocks.
  public let layers: Int
  /// H: the number of attention heads per block.
  public let heads: Int

  /// Creates a configuration, throwing a one-line error when the sizes do not fit together.
  public init(vocabSize: Int, contextLength: Int, channels: Int, layers: Int, heads: Int) throws(ModelError) {
    self.vocabSize = vocabSize
    self.contextLength = contextLength
    self.channels = channels
    self.layers = layers
    self.heads = heads
    try validate()
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      vocabSize: container.decode(Int.self, forKey: .vocabSize),
      contextLength: container.decode(Int.self, forKey: .contextLength),
      channels: container.decode(Int.self, forKey: .channels),
      layers: container.decode(Int.self, forKey: .layers),
      heads: container.decode(Int.self, forKey: .heads))
  }

  /// Checks that the sizes describe a model that can be built, within `SizeLimits`.
  public func validate() throws(ModelError) {
    if vocabSize < 2 { throw ModelError("vocab (\(vocabSize)) must be at least 2") }
    if contextLength < 2 { throw ModelError("context (\(contextLength)) must be at least 2") }
    if channels <= 0 { throw ModelError("dim (\(channels)) must be greater than 0") }
    if layers <= 0 { throw ModelError("layers (\(layers)) must be greater than 0") }
    if heads <= 0 { throw ModelError("heads (\(heads)) must be greater than 0") }
    if channels % heads != 0 { throw ModelError("heads (\(heads)) must divide dim (\(channels))") }
    let sizes: [(SizeSetting, Int)] = [(.vocabulary, vocabSize), (.context, contextLength), (.dim, channels), (.layers, layers), (.heads, heads)]
    for (setting, value) in sizes where !SizeLimits.range(setting).contains(value) {
      throw ModelError("\(setting == .vocabulary ? "vocab" : setting.rawValue) (\(value)) must be at most \(SizeLimits.range(setting).upperBound)")
    }
  }

  /// The width of one attention head, C / H.
  public var headSize: Int { channels / heads }

  /// The number of trainable scalars (the tied output head is counted once).
  ///
  /// Per block: two LayerNorms (4C), qkv (3C² + 3C), attention projection
  /// (C² + C), MLP up (4C² + 4C) and down (4C² + C): 12C² + 13C.
  public var parameterCount: Int {
    let c = channels
    return vocabSize * c + contextLength * c + layers * (12 * c * c + 13 * c) + 2 * c
  }
}
