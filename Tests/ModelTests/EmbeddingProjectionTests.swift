import Foundation
import Model
import Testing

/// The embedding map's PCA: the plane it finds, the orientation it keeps from step to step, and cosine neighbours.
@Suite struct EmbeddingProjectionTests {
  /// Rows a·u + b·v + small noise in 6-D, with a spread three times b's: PCA's axes are ±u, ±v.
  func planeTable(rows: Int = 40, columns: Int = 6, seed: UInt64 = 1) -> (table: [Float], u: [Double], v: [Double]) {
    let u = [1.0, 1, 0, 0, 0, 0].map { $0 / 2.0.squareRoot() }
    let v = [0.0, 0, 1, -1, 0, 0].map { $0 / 2.0.squareRoot() }
    var state = seed
    func random() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
    var table: [Float] = []
    for _ in 0..<rows {
      let (a, b) = (3 * random(), random())
      for c in 0..<columns { table.append(Float(a * u[c] + b * v[c] + 0.01 * random() + 0.5)) }
    }
    return (table, u, v)
  }

  func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

  @Test func findsThePlaneOfTheRowsAndItsVarianceShares() {
    let (table, u, v) = planeTable()
    let projection = EmbeddingProjection(table: table, rows: 40, columns: 6)
    // The sample's own principal axes, not exactly u and v (a and b are drawn, not orthogonal)…
    #expect(abs(abs(dot(projection.axes[0], u)) - 1) < 1e-2)
    #expect(abs(abs(dot(projection.axes[1], v)) - 1) < 1e-2)
    // …to full precision: each axis is an eigenvector of the covariance, largest eigenvalue first.
    let mean = (0..<6).map { c in (0..<40).map { Double(table[$0 * 6 + c]) }.reduce(0, +) / 40 }
    func covariance(_ w: [Double]) -> [Double] {
      var out = [Double](repeating: 0, count: 6)
      for r in 0..<40 {
        let row = (0..<6).map { Double(table[r * 6 + $0]) - mean[$0] }
        let along = dot(row, w)
        for c in 0..<6 { out[c] += along * row[c] }
      }
      return out
    }
    let values = projection.axes.map { dot(covariance($0), $0) }
    for (axis, value) in zip(projection.axes, values) {
      let residual = zip(covariance(axis), axis).map { $0.0 - value * $0.1 }
      #expect(dot(residual, residual).squareRoot() < 1e-9 * value)
    }
    #expect(values[0] > values[1])
    #expect(abs(dot(projection.axes[0], projection.axes[1])) < 1e-9)
    #expect(projection.explained.0 > 0.8 && projection.explained.1 > 0.05 && projection.explained.0 + projection.explained.1 > 0.999)
    // Coordinates are the centred rows on the axes.
    let first = dot((0..<6).map { Double(table[$0]) - mean[$0] }, projection.axes[0])
    #expect(abs(Double(projection.x[0]) - first) < 1e-5)
  }

  @Test func withoutAPreviousMapTheFarthestRowIsPositiveOnEachAxis() {
    let (table, _, _) = planeTable()
    let projection = EmbeddingProjection(table: table, rows: 40, columns: 6)
    for values in [projection.x, projection.y] {
      let extreme = values.max { abs($0) < abs($1) }!
      #expect(extreme > 0)
    }
    // The same table always gives the same picture.
    #expect(EmbeddingProjection(table: table, rows: 40, columns: 6) == projection)
  }

  @Test func alignedToThePreviousMapItNeitherFlipsNorSpins() {
    let (table, _, _) = planeTable()
    let first = EmbeddingProjection(table: table, rows: 40, columns: 6)
    // The previous picture mirrored on x and turned: the next one follows it, whatever PCA's own signs.
    for previous in [
      [first.axes[0].map { -$0 }, first.axes[1]],
      [first.axes[1], first.axes[0].map { -$0 }],
      [first.axes[0].map { -$0 }, first.axes[1].map { -$0 }],
    ] {
      let next = EmbeddingProjection(table: table, rows: 40, columns: 6, previous: previous)
      #expect(dot(next.axes[0], previous[0]) > 0.999999, "axis 1 follows \(previous)")
      #expect(dot(next.axes[1], previous[1]) > 0.999999)
    }
    // A slightly trained table (every row nudged): each point moves a little, none jumps to the other side.
    var nudged = table
    for i in nudged.indices { nudged[i] += Float(sin(Double(i))) * 0.02 }
    let mirrored = [first.axes[0].map { -$0 }, first.axes[1].map { -$0 }]
    let previous = EmbeddingProjection(table: table, rows: 40, columns: 6, previous: mirrored)
    let next = EmbeddingProjection(table: nudged, rows: 40, columns: 6, previous: previous.axes)
    let moves = (0..<40).map { hypot(Double(next.x[$0] - previous.x[$0]), Double(next.y[$0] - previous.y[$0])) }
    #expect(moves.max()! < 0.1, "largest move \(moves.max()!)")
  }

  @Test func equalVariancesStillGiveAStablePicture() {
    // A circle of points: every direction in the plane is principal, so only alignment keeps the picture still.
    var table: [Float] = []
    for i in 0..<24 {
      let angle = Double(i) / 24 * 2 * .pi
      table += [Float(cos(angle)), Float(sin(angle)), 0, 0]
    }
    let first = EmbeddingProjection(table: table, rows: 24, columns: 4)
    let next = EmbeddingProjection(table: table, rows: 24, columns: 4, previous: first.axes)
    for i in 0..<24 {
      #expect(abs(next.x[i] - first.x[i]) < 1e-4 && abs(next.y[i] - first.y[i]) < 1e-4)
    }
  }

  @Test func degenerateTablesProjectWithoutNaNs() {
    let same = EmbeddingProjection(table: [Float](repeating: 2, count: 12), rows: 4, columns: 3)
    #expect(same.x.allSatisfy { $0 == 0 } && same.y.allSatisfy { $0 == 0 })
    let one = EmbeddingProjection(table: [1, 2, 3], rows: 1, columns: 3)
    #expect(one.x == [0] && one.y == [0])
    #expect(one.axes.allSatisfy { axis in axis.allSatisfy(\.isFinite) })
  }

  @Test func neighboursAreRankedByCosineSimilarity() {
    let table: [Float] = [1, 0, 0.9, 0.1, 0, 1, -1, 0, 2, 0.1]
    let nearest = EmbeddingNeighbours.nearest(to: 0, in: table, rows: 5, columns: 2, count: 3)
    #expect(nearest.map(\.row) == [4, 1, 2])
    #expect(abs(nearest[0].similarity - Float(2 / (4.01).squareRoot())) < 1e-6)
    #expect(EmbeddingNeighbours.nearest(to: 0, in: table, rows: 5, columns: 2, count: 3) { $0 != 4 }.map(\.row) == [1, 2, 3])
  }
}
