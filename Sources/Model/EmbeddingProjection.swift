import CBLAS
import Foundation

/// A 2-D picture of an embedding table: every row projected on the plane of its two principal axes.
///
/// The plane is the one PCA finds (the top two eigenvectors of the centred rows' covariance);
/// within it, the two axes may be turned or mirrored to line up with an earlier projection
/// (`aligned(to:)`), so a picture redrawn every few steps does not spin or flip. Turning and
/// mirroring keep every distance between points, so the picture is still PCA's.
public struct EmbeddingProjection: Sendable, Equatable {
  /// The first and second axis, each `columns` values of unit length, orthogonal.
  public let axes: [[Double]]
  /// The mean row, subtracted before projecting.
  public let mean: [Double]
  /// Each row's coordinates on the two axes, in row order.
  public let x: [Float]
  public let y: [Float]
  /// The share of the rows' total variance each PCA axis carries (before any turn), largest first.
  public let explained: (Double, Double)

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.axes == rhs.axes && lhs.x == rhs.x && lhs.y == rhs.y
  }

  /// The projection of `table` (`rows` × `columns`, row-major), oriented like `previous` when given.
  ///
  /// Without `previous`, each axis points so that the row farthest along it is positive: the
  /// same table always gives the same picture. Needs at least two columns; rows may be any
  /// number from one (a table of identical rows projects every row to the origin).
  public init(table: [Float], rows: Int, columns: Int, previous: [[Double]]? = nil) {
    precondition(rows >= 1 && columns >= 2 && table.count == rows * columns, "a table of \(rows)×\(columns) needs \(rows * columns) values, has \(table.count)")
    var centred = table.map(Double.init)
    var mean = [Double](repeating: 0, count: columns)
    for row in 0..<rows {
      for column in 0..<columns { mean[column] += centred[row * columns + column] }
    }
    for column in 0..<columns { mean[column] /= Double(rows) }
    for row in 0..<rows {
      for column in 0..<columns { centred[row * columns + column] -= mean[column] }
    }
    // covariance (C, C) = centredᵀ · centred
    var covariance = [Double](repeating: 0, count: columns * columns)
    centred.withUnsafeBufferPointer { a in
      covariance.withUnsafeMutableBufferPointer { c in
        cblas_dgemm(
          CblasRowMajor, CblasTrans, CblasNoTrans, Int32(columns), Int32(columns), Int32(rows),
          1, a.baseAddress, Int32(columns), a.baseAddress, Int32(columns), 0, c.baseAddress, Int32(columns))
      }
    }
    let (vectors, values) = Self.topEigenvectors(covariance, size: columns, count: 2, start: previous)
    var total = 0.0
    for column in 0..<columns { total += covariance[column * columns + column] }
    explained = total > 0 ? (values[0] / total, values[1] / total) : (0, 0)
    var axes = vectors
    if let previous, previous.count == 2, previous.allSatisfy({ $0.count == columns }) {
      axes = Self.align(axes, to: previous)
    } else {
      axes = Self.orient(axes, centred: centred, rows: rows, columns: columns)
    }
    self.axes = axes
    self.mean = mean
    var x = [Float](repeating: 0, count: rows)
    var y = [Float](repeating: 0, count: rows)
    for row in 0..<rows {
      var (px, py) = (0.0, 0.0)
      let base = row * columns
      for column in 0..<columns {
        px += centred[base + column] * axes[0][column]
        py += centred[base + column] * axes[1][column]
      }
      x[row] = Float(px)
      y[row] = Float(py)
    }
    self.x = x
    self.y = y
  }

  /// The same rows re-expressed with axes turned or mirrored within their plane to match `previous` best.
  ///
  /// Of the rotations and reflections R of the plane, picks the one that maximises
  /// Σᵢ (R·axes)ᵢ · previousᵢ (2-D orthogonal Procrustes, in closed form).
  static func align(_ axes: [[Double]], to previous: [[Double]]) -> [[Double]] {
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    let m11 = dot(axes[0], previous[0]), m12 = dot(axes[0], previous[1])
    let m21 = dot(axes[1], previous[0]), m22 = dot(axes[1], previous[1])
    // new₀ = a·axes₀ + b·axes₁, new₁ = c·axes₀ + d·axes₁
    let rotation = (m11 + m22, m12 - m21)
    let reflection = (m11 - m22, m12 + m21)
    let (a, b, c, d): (Double, Double, Double, Double)
    if hypot(rotation.0, rotation.1) >= hypot(reflection.0, reflection.1) {
      // R = [[cos, −sin], [sin, cos]]: the score is cos·(m11+m22) + sin·(m12−m21).
      let angle = atan2(rotation.1, rotation.0)
      (a, b, c, d) = (cos(angle), -sin(angle), sin(angle), cos(angle))
    } else {
      // R = [[cos, sin], [sin, −cos]]: the score is cos·(m11−m22) + sin·(m12+m21).
      let angle = atan2(reflection.1, reflection.0)
      (a, b, c, d) = (cos(angle), sin(angle), sin(angle), -cos(angle))
    }
    let first = zip(axes[0], axes[1]).map { a * $0.0 + b * $0.1 }
    let second = zip(axes[0], axes[1]).map { c * $0.0 + d * $0.1 }
    return [first, second]
  }

  /// Each axis signed so the row farthest along it (in absolute value) lies on its positive side.
  private static func orient(_ axes: [[Double]], centred: [Double], rows: Int, columns: Int) -> [[Double]] {
    axes.map { axis in
      var extreme = 0.0
      for row in 0..<rows {
        var value = 0.0
        for column in 0..<columns { value += centred[row * columns + column] * axis[column] }
        if abs(value) > abs(extreme) + 1e-12 { extreme = value }
      }
      return extreme < 0 ? axis.map { -$0 } : axis
    }
  }

  /// The `count` eigenvectors of the symmetric `matrix` with the largest eigenvalues, and those values.
  ///
  /// Block power (subspace) iteration with a few spare vectors, a Rayleigh–Ritz step each
  /// round, until the wanted Ritz values settle; started from `start` when given, so a
  /// table that changed a little since the last projection converges in a few rounds.
  static func topEigenvectors(_ matrix: [Double], size: Int, count: Int, start: [[Double]]?) -> ([[Double]], [Double]) {
    let block = min(size, count + 2)
    var basis: [[Double]] = []
    for vector in start ?? [] where vector.count == size { basis.append(vector) }
    // Deterministic filler vectors: a fixed pseudo-random sequence, never the same twice.
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    while basis.count < block {
      basis.append((0..<size).map { _ in
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(Int64(bitPattern: seed >> 11) % 2001 - 1000) / 1000
      })
    }
    basis = orthonormalised(basis, size: size)
    var values = [Double](repeating: 0, count: block)
    var last = [Double](repeating: .infinity, count: count)
    for round in 0..<1000 {
      let product = basis.map { multiply(matrix, $0, size: size) }
      basis = orthonormalised(product, size: size)
      // Rayleigh–Ritz: the small projected matrix Bᵀ A B, diagonalised.
      let image = basis.map { multiply(matrix, $0, size: size) }
      let k = basis.count
      var small = [Double](repeating: 0, count: k * k)
      for i in 0..<k {
        for j in 0..<k { small[i * k + j] = zip(basis[i], image[j]).reduce(0) { $0 + $1.0 * $1.1 } }
      }
      let (smallValues, smallVectors) = jacobi(small, size: k)
      let order = (0..<k).sorted { smallValues[$0] > smallValues[$1] }
      basis = order.map { column in
        var vector = [Double](repeating: 0, count: size)
        for i in 0..<k {
          let weight = smallVectors[i * k + column]
          for index in 0..<size { vector[index] += weight * basis[i][index] }
        }
        return vector
      }
      values = order.map { smallValues[$0] }
      let scale = max(abs(values[0]), 1e-300)
      let settled = (0..<count).allSatisfy { abs(values[$0] - last[$0]) <= 1e-13 * scale }
      last = Array(values.prefix(count))
      if settled && round > 2 { break }
    }
    return (Array(basis.prefix(count)).map(normalised), Array(values.prefix(count)).map { max(0, $0) })
  }

  private static func multiply(_ matrix: [Double], _ vector: [Double], size: Int) -> [Double] {
    var out = [Double](repeating: 0, count: size)
    matrix.withUnsafeBufferPointer { a in
      vector.withUnsafeBufferPointer { v in
        out.withUnsafeMutableBufferPointer { o in
          cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(size), Int32(size), 1, a.baseAddress, Int32(size), v.baseAddress, 1, 0, o.baseAddress, 1)
        }
      }
    }
    return out
  }

  private static func normalised(_ vector: [Double]) -> [Double] {
    let norm = sqrt(vector.reduce(0) { $0 + $1 * $1 })
    return norm > 0 ? vector.map { $0 / norm } : vector
  }

  /// Gram–Schmidt (twice, for accuracy); a vector that vanishes is replaced by a unit vector not yet spanned.
  private static func orthonormalised(_ vectors: [[Double]], size: Int) -> [[Double]] {
    var out: [[Double]] = []
    for var vector in vectors {
      for _ in 0..<2 {
        for done in out {
          let projection = zip(vector, done).reduce(0) { $0 + $1.0 * $1.1 }
          for index in 0..<size { vector[index] -= projection * done[index] }
        }
      }
      var norm = sqrt(vector.reduce(0) { $0 + $1 * $1 })
      if norm < 1e-150 {
        // A degenerate direction (a matrix of low rank): fall back to a coordinate axis not yet spanned.
        for axis in 0..<size {
          var candidate = [Double](repeating: 0, count: size)
          candidate[axis] = 1
          for done in out {
            let projection = done[axis]
            for index in 0..<size { candidate[index] -= projection * done[index] }
          }
          let length = sqrt(candidate.reduce(0) { $0 + $1 * $1 })
          if length > 0.5 { vector = candidate; norm = length; break }
        }
      }
      out.append(norm > 0 ? vector.map { $0 / norm } : vector)
    }
    return out
  }

  /// Eigenvalues and eigenvectors (columns of a row-major matrix) of a small symmetric matrix, by cyclic Jacobi rotations.
  static func jacobi(_ input: [Double], size n: Int) -> ([Double], [Double]) {
    var a = input
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    for _ in 0..<100 {
      var off = 0.0
      for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { off += a[i * n + j] * a[i * n + j] } }
      if off < 1e-30 { break }
      for p in 0..<n {
        for q in (p + 1)..<max(p + 1, n) where a[p * n + q] != 0 {
          let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
          let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + sqrt(theta * theta + 1))
          let c = 1 / sqrt(t * t + 1), s = t * c
          for k in 0..<n {
            let akp = a[k * n + p], akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
          }
          for k in 0..<n {
            let apk = a[p * n + k], aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
          }
          for k in 0..<n {
            let vkp = v[k * n + p], vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
          }
        }
      }
    }
    return ((0..<n).map { a[$0 * n + $0] }, v)
  }
}
