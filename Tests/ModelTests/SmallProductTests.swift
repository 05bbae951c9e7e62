import Testing
@testable import Model
import TestSupport

/// The small matrix kernel against a Double reference, in every layout, edge and triangle.
@Suite struct SmallProductTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int
    var testDescription: String { "\(transposeA ? "T" : "N")\(transposeB ? "T" : "N") \(m)×\(n)×\(k)" }
  }

  /// Full blocks (6 rows × 16 columns), every remainder, k = 1 and k = 0.
  static let cases: [Case] = [(6, 16, 8), (7, 17, 5), (13, 33, 24), (1, 1, 1), (5, 15, 0), (64, 64, 16), (37, 9, 41)]
    .flatMap { m, n, k in
      [(false, false), (false, true), (true, false), (true, true)].map { Case(transposeA: $0.0, transposeB: $0.1, m: m, n: n, k: k) }
    }

  func values(_ count: Int, seed: UInt64) -> [Float] {
    var g = SeededGenerator(seed: seed)
    return randomValues(count, generator: &g).map(Float.init)
  }

  /// op(x)[i][j] for a row-major x stored with leading dimension `ld`.
  func element(_ x: [Float], _ i: Int, _ j: Int, transposed: Bool, ld: Int) -> Double {
    Double(transposed ? x[j * ld + i] : x[i * ld + j])
  }

  /// Runs the kernel and the reference; returns (kernel, reference) for every element of c.
  func run(
    _ c: Case, alpha: Float, beta: Float, triangle: ProductTriangle, zeroA: Bool, kernel: SmallProductKernel
  ) -> [(Float, Double)] {
    let (m, n, k) = (c.m, c.n, c.k)
    // Padded leading dimensions catch reads past a row.
    let lda = (c.transposeA ? m : k) + 3, ldb = (c.transposeB ? k : n) + 2, ldc = n + 5
    var a = values((c.transposeA ? k : m) * lda, seed: 1)
    let b = values((c.transposeB ? n : k) * ldb, seed: 2)
    let initial = values(m * ldc, seed: 3)
    // The triangles promise exact zeros in op(a); make it so.
    if zeroA {
      for i in 0..<m {
        for p in 0..<k where (triangle == .lowerA && p > i) || (triangle == .upperA && p < i) {
          if c.transposeA { a[p * lda + i] = 0 } else { a[i * lda + p] = 0 }
        }
      }
    }
    var out = beta == 0 ? [Float](repeating: .nan, count: m * ldc) : initial
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        out.withUnsafeMutableBufferPointer { out in
          smallSgemm(
            transposeA: c.transposeA, transposeB: c.transposeB, m: m, n: n, k: k, alpha: alpha,
            a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb, beta: beta, c: out.baseAddress!, ldc: ldc,
            triangle: triangle, kernel: kernel)
        }
      }
    }
    var pairs: [(Float, Double)] = []
    for i in 0..<m {
      for j in 0..<n {
        if triangle == .lowerC && j > i { continue }
        var sum = 0.0
        for p in 0..<k {
          sum += element(a, i, p, transposed: c.transposeA, ld: lda) * element(b, p, j, transposed: c.transposeB, ld: ldb)
        }
        let previous = beta == 0 ? 0 : Double(beta) * Double(initial[i * ldc + j])
        pairs.append((out[i * ldc + j], Double(alpha) * sum + previous))
      }
    }
    return pairs
  }

  func expectClose(_ pairs: [(Float, Double)], _ label: String) {
    let worst = pairs.map { abs(Double($0.0) - $0.1) / max(1, abs($0.1)) }.max() ?? 0
    #expect(worst < 1e-5, "\(label): worst relative error \(worst)")
    #expect(!pairs.contains { $0.0.isNaN }, "\(label): NaN leaked from c")
  }

  @Test(arguments: cases, [SmallProductKernel.fastest, .portable, .openBLAS])
  func matchesReference(_ c: Case, kernel: SmallProductKernel) {
    expectClose(run(c, alpha: 0.75, beta: 0, triangle: .none, zeroA: false, kernel: kernel), "β = 0")
    expectClose(run(c, alpha: -1.5, beta: 1, triangle: .none, zeroA: false, kernel: kernel), "β = 1")
    expectClose(run(c, alpha: 1, beta: 0.5, triangle: .none, zeroA: false, kernel: kernel), "β = 0.5")
  }

  @Test(arguments: cases.filter { $0.m == $0.n || $0.m == $0.k }, [SmallProductKernel.fastest, .portable])
  func trianglesMatchReference(_ c: Case, kernel: SmallProductKernel) {
    expectClose(run(c, alpha: 0.5, beta: 0, triangle: .lowerC, zeroA: false, kernel: kernel), "lower c")
    expectClose(run(c, alpha: 0.5, beta: 1, triangle: .lowerA, zeroA: true, kernel: kernel), "lower a")
    expectClose(run(c, alpha: 0.5, beta: 0, triangle: .upperA, zeroA: true, kernel: kernel), "upper a")
  }

  /// Each element is one chain over k, so computing rows apart gives the same bits.
  @Test func rowsComputedApartAreBitIdentical() {
    let m = 29, n = 35, k = 19
    let a = values(m * k, seed: 4), b = values(k * n, seed: 5)
    var whole = [Float](repeating: 0, count: m * n), parts = whole
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        whole.withUnsafeMutableBufferPointer { c in
          smallSgemm(
            transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a.baseAddress!, lda: k,
            b: b.baseAddress!, ldb: n, beta: 0, c: c.baseAddress!, ldc: n)
        }
        parts.withUnsafeMutableBufferPointer { c in
          for (first, count) in [(0, 11), (11, 1), (12, 17)] {
            smallSgemm(
              transposeA: false, transposeB: false, m: count, n: n, k: k, alpha: 1, a: a.baseAddress! + first * k,
              lda: k, b: b.baseAddress!, ldb: n, beta: 0, c: c.baseAddress! + first * n, ldc: n)
          }
        }
      }
    }
    #expect(whole == parts)
  }
}
