/// The rows of an embedding table most similar to one row, by cosine similarity in the full space.
public enum EmbeddingNeighbours {
  /// One neighbour: its row and its cosine similarity with the picked row.
  public struct Neighbour: Sendable, Equatable {
    public let row: Int
    public let similarity: Float

    public init(row: Int, similarity: Float) {
      self.row = row
      self.similarity = similarity
    }
  }

  /// The `count` rows other than `row` with the highest cosine similarity to it, highest first.
  ///
  /// Only rows `candidate` accepts are considered; ties go to the lower row. A zero row has
  /// similarity 0 with everything.
  public static func nearest(
    to row: Int, in table: [Float], rows: Int, columns: Int, count: Int, candidate: (Int) -> Bool = { _ in true }
  ) -> [Neighbour] {
    precondition(row >= 0 && row < rows && table.count == rows * columns, "row \(row) must be in 0..<\(rows) of a \(rows)×\(columns) table")
    func norm(_ r: Int) -> Double {
      var sum = 0.0
      for c in 0..<columns { sum += Double(table[r * columns + c]) * Double(table[r * columns + c]) }
      return sum.squareRoot()
    }
    let pickedNorm = norm(row)
    var found: [Neighbour] = []
    for other in 0..<rows where other != row && candidate(other) {
      var dot = 0.0
      for c in 0..<columns { dot += Double(table[row * columns + c]) * Double(table[other * columns + c]) }
      let denominator = pickedNorm * norm(other)
      found.append(Neighbour(row: other, similarity: denominator > 0 ? Float(dot / denominator) : 0))
    }
    found.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.row < $1.row }
    return Array(found.prefix(max(0, count)))
  }
}
