import CKernels
import Testing
@testable import Model
import TestSupport

/// The portable build of every elementwise kernel agrees with the build this CPU runs.
///
/// The layer tests check the running build against references; this checks
/// the other one, which CPUs without AVX2 and other architectures run, on
/// any machine. The builds may differ by rounding (fused multiply-adds), not more.
@Suite struct KernelBuildTests {
  func values(_ count: Int, seed: UInt64, scale: Double = 1) -> [Float] {
    var g = SeededGenerator(seed: seed)
    return randomValues(count, scale: scale, generator: &g).map(Float.init)
  }

  func expectClose(_ a: [Float], _ b: [Float], _ label: String, tolerance: Float = 2e-6) {
    #expect(a.count == b.count)
    let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    #expect(worst <= tolerance, "\(label): builds differ by \(worst)")
  }

  @Test func exponential() {
    let x = values(1003, seed: 1, scale: 30)
    var fastest = [Float](repeating: 0, count: x.count), portable = fastest
    nt_exp(x, &fastest, x.count)
    nt_exp_portable(x, &portable, x.count)
    expectClose(fastest, portable, "exp")
  }

  @Test func gelu() {
    let count = 1003
    let x = values(count, seed: 2, scale: 3), upstream = values(count, seed: 3)
    var results: [[Float]] = []
    for portable in [false, true] {
      var out = [Float](repeating: 0, count: count), sigmoid = out, dinp = out
      if portable {
        nt_gelu_forward_portable(&out, &sigmoid, x, count)
        nt_gelu_backward_portable(&dinp, x, sigmoid, upstream, count)
      } else {
        nt_gelu_forward(&out, &sigmoid, x, count)
        nt_gelu_backward(&dinp, x, sigmoid, upstream, count)
      }
      results.append(out + sigmoid + dinp)
    }
    expectClose(results[0], results[1], "gelu")
  }

  @Test(arguments: [19, 64]) func layerNorm(channels C: Int) {
    let N = 7
    // Column blocks start at multiples of 8: one vector, four, three, and a tail of single columns.
    let edges = [0, 8, 40, C].filter { $0 <= C }
    let cuts = zip(edges, edges.dropFirst()).map { $0..<$1 }
    let x = values(N * C, seed: 4, scale: 2), weight = values(C, seed: 5), bias = values(C, seed: 6)
    let upstream = values(N * C, seed: 7)
    var results: [[Float]] = []
    for portable in [false, true] {
      var out = [Float](repeating: 0, count: N * C), mean = [Float](repeating: 0, count: N), rstd = mean
      var dinp = [Float](repeating: 0.5, count: N * C), dweight = [Float](repeating: 0.25, count: C)
      var dbias = [Float](repeating: -0.125, count: C)
      var cutDinp = dinp, cutDweight = dweight, cutDbias = dbias
      let base = cutDinp
      if portable {
        nt_layernorm_forward_portable(&out, &mean, &rstd, x, weight, bias, N, C, layerNormEpsilon)
        nt_layernorm_backward_portable(&dinp, &dweight, &dbias, upstream, x, weight, mean, rstd, N, C)
        nt_layernorm_backward_input_portable(&cutDinp, base, upstream, x, weight, mean, rstd, N, C)
        for columns in cuts {
          nt_layernorm_backward_parameters_portable(
            &cutDweight, &cutDbias, upstream, x, mean, rstd, N, C, columns.lowerBound, columns.upperBound)
        }
      } else {
        nt_layernorm_forward(&out, &mean, &rstd, x, weight, bias, N, C, layerNormEpsilon)
        nt_layernorm_backward(&dinp, &dweight, &dbias, upstream, x, weight, mean, rstd, N, C)
        nt_layernorm_backward_input(&cutDinp, base, upstream, x, weight, mean, rstd, N, C)
        for columns in cuts {
          nt_layernorm_backward_parameters(
            &cutDweight, &cutDbias, upstream, x, mean, rstd, N, C, columns.lowerBound, columns.upperBound)
        }
      }
      // Within a build, the backward cut two ways is the one pass, bit for bit.
      #expect(cutDinp == dinp && cutDweight == dweight && cutDbias == dbias)
      results.append(out + mean + rstd + dinp + dweight + dbias)
    }
    expectClose(results[0], results[1], "layer norm", tolerance: 1e-5)
  }

  /// The bias gradient is each column's sum, row after row, onto what dbias held: exactly, in both builds.
  ///
  /// 70 rows take the kernel across two of its 32-row tiles and into a third.
  @Test(arguments: [5, 64, 77]) func biasGradient(columns: Int) {
    let rows = 70
    let upstream = values(rows * columns, seed: 31, scale: 3), start = values(columns, seed: 32)
    var expected = start
    for row in 0..<rows {
      for column in 0..<columns { expected[column] += upstream[row * columns + column] }
    }
    for portable in [false, true] {
      var dbias = start
      if portable {
        nt_bias_backward_portable(&dbias, upstream, rows, columns)
      } else {
        nt_bias_backward(&dbias, upstream, rows, columns)
      }
      #expect(dbias.map(\.bitPattern) == expected.map(\.bitPattern), "portable: \(portable)")
    }
  }

  @Test(arguments: [true, false], [21, 24]) func softmaxes(causal: Bool, T: Int) {
    let scores = values(T * T, seed: 8, scale: 4), upstream = values(T * T, seed: 9)
    let logits = values(65, seed: 10, scale: 5)
    var results: [[Float]] = []
    for portable in [false, true] {
      var weights = scores, gradient = upstream, probs = [Float](repeating: 0, count: 65)
      var shift: Float = 0, total: Float = 0
      if portable {
        nt_attention_softmax_portable(&weights, T, causal ? 1 : 0, nil, 0)
        nt_attention_softmax_backward_portable(&gradient, weights, T, causal ? 1 : 0, nil, 0)
        nt_softmax_portable(&probs, logits, 65, &shift, &total)
      } else {
        nt_attention_softmax(&weights, T, causal ? 1 : 0, nil, 0)
        nt_attention_softmax_backward(&gradient, weights, T, causal ? 1 : 0, nil, 0)
        nt_softmax(&probs, logits, 65, &shift, &total)
      }
      results.append(weights + gradient + probs + [shift, total])
      // Rows sum to 1 over what they see; the masked part is exactly 0.
      for t in 0..<T {
        let row = weights[(t * T)..<(t * T + T)]
        #expect(abs(row.reduce(0, +) - 1) < 1e-5)
        if causal { #expect(row.dropFirst(t + 1).allSatisfy { $0 == 0 }) }
        // A whole row (rows in pairs when T is a multiple of 8) is the plain softmax of its scores, bit for bit.
        if !causal {
          var alone = [Float](repeating: 0, count: T), rowShift: Float = 0, rowTotal: Float = 0
          let rowScores = Array(scores[(t * T)..<(t * T + T)])
          if portable {
            nt_softmax_portable(&alone, rowScores, T, &rowShift, &rowTotal)
          } else {
            nt_softmax(&alone, rowScores, T, &rowShift, &rowTotal)
          }
          #expect(row.map(\.bitPattern) == alone.map(\.bitPattern), "row \(t)")
        }
      }
    }
    expectClose(results[0], results[1], "softmaxes", tolerance: 1e-5)
  }

  /// Causal rows of a head whose T is a multiple of 8 take their last few values as one vector, two rows at a time;
  /// every bit is as value by value, one row at a time.
  ///
  /// Row t sees its first t + 1 scores whatever T is, so a 24-wide head (the
  /// vector tail, rows in pairs) and the same rows in a 25-wide one (the
  /// value-by-value tail, row by row) must agree exactly, forward and
  /// backward; 64 and 65 take the pairs through rows of several vectors. The
  /// hidden part is filled with NaN, as the scores product may leave it: none
  /// of it may leak.
  @Test(arguments: [false, true], [24, 64]) func attentionSoftmaxTailsRoundAsValueByValue(portable: Bool, T: Int) {
    let wide = T + 1
    let scores = values(wide * wide, seed: 21, scale: 4), upstream = values(wide * wide, seed: 22)
    func run(_ width: Int) -> (weights: [Float], gradient: [Float]) {
      var weights = [Float](repeating: .nan, count: width * width), gradient = weights
      for t in 0..<width {
        for s in 0...t {
          weights[t * width + s] = scores[t * wide + s]
          gradient[t * width + s] = upstream[t * wide + s]
        }
      }
      if portable {
        nt_attention_softmax_portable(&weights, width, 1, nil, 0)
        nt_attention_softmax_backward_portable(&gradient, weights, width, 1, nil, 0)
      } else {
        nt_attention_softmax(&weights, width, 1, nil, 0)
        nt_attention_softmax_backward(&gradient, weights, width, 1, nil, 0)
      }
      return (weights, gradient)
    }
    let vector = run(T), valueByValue = run(wide)
    for t in 0..<T {
      let row = vector.weights[(t * T)..<(t * T + T)].map(\.bitPattern)
      let reference = valueByValue.weights[(t * wide)..<(t * wide + T)].map(\.bitPattern)
      #expect(row == reference, "softmax row \(t)")
      let gradientRow = vector.gradient[(t * T)..<(t * T + T)].map(\.bitPattern)
      let gradientReference = valueByValue.gradient[(t * wide)..<(t * wide + T)].map(\.bitPattern)
      #expect(gradientRow == gradientReference, "softmax backward row \(t)")
    }
  }

  @Test func adamW() {
    let count = 1003
    let gradient = values(count, seed: 11), start = values(count, seed: 12)
    var results: [[Float]] = []
    for portable in [false, true] {
      var p = start, m = values(count, seed: 13, scale: 0.1), v = values(count, seed: 14, scale: 0.01).map(abs)
      let update = portable ? nt_adamw_portable : nt_adamw
      update(&p, gradient, &m, &v, count, 1e-3, 0.9, 0.95, 1 / 0.1, 1 / 0.05, 1e-8, 0.1)
      results.append(p + m + v)
    }
    expectClose(results[0], results[1], "AdamW")
  }
}
