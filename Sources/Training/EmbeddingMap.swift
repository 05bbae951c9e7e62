import Model

/// What the embedding map is asked for: the axes to stay aligned with, and the picked token.
public struct EmbeddingMapRequest: Sendable, Equatable {
  /// The previous map's axes: the new one is turned or mirrored to match them (nil: plain PCA orientation).
  public var previousAxes: [[Double]]?
  /// The token whose nearest neighbours are wanted.
  public var picked: Int32?
  public var neighbourCount: Int

  public init(previousAxes: [[Double]]? = nil, picked: Int32? = nil, neighbourCount: Int = 5) {
    self.previousAxes = previousAxes
    self.picked = picked
    self.neighbourCount = neighbourCount
  }
}

/// Why an embedding table cannot be drawn as a map.
public struct EmbeddingMapProblem: Error, Sendable, Equatable, CustomStringConvertible {
  public let vocabulary: Int
  public let dim: Int

  public init(vocabulary: Int, dim: Int) {
    self.vocabulary = vocabulary
    self.dim = dim
  }

  public var description: String {
    "a map needs at least 3 tokens and 2 embedding dimensions; this model has \(vocabulary) tokens of \(dim) dimensions"
  }
}

/// The token embeddings of a model at one step, projected to 2-D by PCA (see `EmbeddingProjection`).
public struct EmbeddingMap: Sendable {
  /// The optimizer step the model had reached.
  public let step: Int
  /// The tokens projected, in id order: every token, unless the vocabulary exceeds `fitLimit`
  /// (then the most frequent `fitLimit`, which also define the axes).
  public let tokens: [Int32]
  /// Coordinates of `tokens`, in the same order.
  public let x: [Float]
  public let y: [Float]
  /// How often each of `tokens` occurs in the corpus (0: never, or unknown).
  public let counts: [Int]
  /// Indices into `tokens` of those that occur in the corpus, most frequent first (ties: lower id first).
  public let frequencyOrder: [Int]
  /// The plane's two axes, to align the next map with.
  public let axes: [[Double]]
  /// The share of the embeddings' variance the two PCA axes carry.
  public let explained: (Double, Double)
  public let vocabSize: Int
  /// The picked token and its nearest tokens by cosine similarity in the full embedding space.
  public let picked: Int32?
  public let neighbours: [(token: Int32, similarity: Float)]

  /// The most rows a live map fits its axes on: beyond this, the most frequent tokens.
  public static let fitLimit = 8192

  /// Projects `model`'s `wte`; `counts` (per token id) choose the rows when the vocabulary is large.
  public init(model: GPT, counts: [Int], step: Int, request: EmbeddingMapRequest = EmbeddingMapRequest(), fitLimit: Int = EmbeddingMap.fitLimit) throws(EmbeddingMapProblem) {
    let config = model.config
    let (rows, columns) = (config.vocabSize, config.channels)
    guard rows >= 3, columns >= 2 else { throw EmbeddingMapProblem(vocabulary: rows, dim: columns) }
    let table = model.tensor(named: "wte.weight")
    let counts = (0..<rows).map { $0 < counts.count ? counts[$0] : 0 }
    var chosen = Array(0..<rows)
    if rows > fitLimit {
      chosen = Array(chosen.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }.prefix(fitLimit)).sorted()
    }
    var fitted: [Float] = []
    fitted.reserveCapacity(chosen.count * columns)
    for row in chosen { fitted += table[(row * columns)..<((row + 1) * columns)] }
    let projection = EmbeddingProjection(table: fitted, rows: chosen.count, columns: columns, previous: request.previousAxes)
    self.step = step
    tokens = chosen.map { Int32($0) }
    x = projection.x
    y = projection.y
    let chosenCounts = chosen.map { counts[$0] }
    self.counts = chosenCounts
    frequencyOrder = chosenCounts.indices.filter { chosenCounts[$0] > 0 }.sorted {
      chosenCounts[$0] != chosenCounts[$1] ? chosenCounts[$0] > chosenCounts[$1] : $0 < $1
    }
    axes = projection.axes
    explained = projection.explained
    vocabSize = rows
    if let picked = request.picked, picked >= 0, Int(picked) < rows {
      self.picked = picked
      neighbours = EmbeddingNeighbours.nearest(to: Int(picked), in: table, rows: rows, columns: columns, count: request.neighbourCount) { counts[$0] > 0 }
        .map { (Int32($0.row), $0.similarity) }
    } else {
      self.picked = nil
      neighbours = []
    }
  }

  /// The index of `token` in `tokens`, if it was projected.
  public func index(of token: Int32) -> Int? {
    if tokens.count == vocabSize { return Int(token) >= 0 && Int(token) < vocabSize ? Int(token) : nil }
    return tokens.firstIndex(of: token)
  }
}
