import Foundation
import Testing
import CKernels
@testable import Model
import TestSupport

/// Finite differences in Double (on the reference layers) against each Float kernel's backward.
@Suite struct LayerGradientTests {
  /// Compares each analytic gradient group with central differences of `f` over all groups together.
  func expectGradients(
    _ label: String, inputs: [[Double]], analytic: [[Float]], relative: Double = 1e-3, absolute: Double = 1e-4,
    _ f: ([[Double]]) -> Double
  ) {
    let sizes = inputs.map(\.count)
    func split(_ flat: [Double]) -> [[Double]] {
      var groups: [[Double]] = []
      var start = 0
      for size in sizes {
        groups.append(Array(flat[start..<(start + size)]))
        start += size
      }
      return groups
    }
    let numeric = split(numericalGradient(at: inputs.flatMap { $0 }) { f(split($0)) })
    for (index, (got, expected)) in zip(analytic, numeric).enumerated() {
      #expect(mismatch(got, expected, relative: relative, absolute: absolute, label: "\(label) input \(index)") == nil)
    }
  }

  func floats(_ values: [Double]) -> [Float] { values.map(Float.init) }

  @Test func encoderBackwardAddsEachPositionToItsTokenAndPositionRows() {
    var g = SeededGenerator(seed: 1)
    let B = 2, T = 3, C = 5, V = 4
    let inputs: [Int32] = [1, 3, 1, 0, 1, 2]  // token 1 repeats, so its gradient sums three rows
    let wte = randomValues(V * C, generator: &g), wpe = randomValues(T * C, generator: &g)
    let upstream = randomValues(B * T * C, generator: &g)
    var out = [Float](repeating: 0, count: B * T * C)
    encoderForward(out: &out, inputs: inputs, wte: floats(wte), wpe: floats(wpe), B: B, T: T, C: C)
    for b in 0..<B {
      for t in 0..<T {
        for c in 0..<C {
          let expected = Float(wte[Int(inputs[b * T + t]) * C + c]) + Float(wpe[t * C + c])
          #expect(out[(b * T + t) * C + c] == expected)
        }
      }
    }
    var dwte = [Float](repeating: 0, count: V * C), dwpe = [Float](repeating: 0, count: T * C)
    encoderBackward(dwte: &dwte, dwpe: &dwpe, dout: floats(upstream), inputs: inputs, B: B, T: T, C: C)
    expectGradients("encoder", inputs: [wte, wpe], analytic: [dwte, dwpe]) { p in
      var total = 0.0
      for r in 0..<(B * T) {
        for c in 0..<C { total += upstream[r * C + c] * (p[0][Int(inputs[r]) * C + c] + p[1][(r % T) * C + c]) }
      }
      return total
    }
  }

  @Test(arguments: [5, 16, 19])
  func layerNormMatchesReference(channels C: Int) {
    var g = SeededGenerator(seed: 2)
    let N = 3
    let x = randomValues(N * C, scale: 2, generator: &g)
    let w = randomValues(C, generator: &g).map { 1 + 0.5 * $0 }, b = randomValues(C, generator: &g)
    let upstream = randomValues(N * C, generator: &g)
    var out = [Float](repeating: 0, count: N * C), mean = [Float](repeating: 0, count: N), rstd = mean
    layerNormForward(out: &out, mean: &mean, rstd: &rstd, inp: floats(x), weight: floats(w), bias: floats(b), rows: N, channels: C)
    let reference = referenceLayerNorm(x, weight: w, bias: b, rows: N, channels: C)
    #expect(mismatch(out, reference, relative: 1e-5, absolute: 1e-5, label: "layernorm forward") == nil)
    // Start the accumulating outputs at 1 to check that backward adds.
    var dx = [Float](repeating: 1, count: N * C), dw = [Float](repeating: 1, count: C), db = dw
    layerNormBackward(
      dinp: &dx, dweight: &dw, dbias: &db, dout: floats(upstream), inp: floats(x), weight: floats(w),
      mean: mean, rstd: rstd, rows: N, channels: C)
    expectGradients("layernorm", inputs: [x, w, b], analytic: [dx, dw, db].map { $0.map { $0 - 1 } }) { p in
      zip(referenceLayerNorm(p[0], weight: p[1], bias: p[2], rows: N, channels: C), upstream).map(*).reduce(0, +)
    }
  }

  @Test func matmulMatchesReference() {
    var g = SeededGenerator(seed: 3)
    let N = 3, IC = 5, OC = 11
    let x = randomValues(N * IC, generator: &g), w = randomValues(IC * OC, generator: &g)
    let b = randomValues(OC, generator: &g), upstream = randomValues(N * OC, generator: &g)
    var out = [Float](repeating: 0, count: N * OC)
    matmulForward(out: &out, inp: floats(x), weight: floats(w), bias: floats(b), rows: N, inChannels: IC, outChannels: OC)
    let reference = referenceLinear(x, weight: w, bias: b, rows: N, inChannels: IC, outChannels: OC)
    #expect(mismatch(out, reference, relative: 1e-5, absolute: 1e-6, label: "linear forward") == nil)
    // with a skip connection: out = residual + x·W + b
    let skip = randomValues(N * OC, generator: &g)
    var residual = [Float](repeating: 0, count: N * OC)
    matmulForward(out: &residual, inp: floats(x), weight: floats(w), bias: floats(b), rows: N, inChannels: IC, outChannels: OC, residual: floats(skip))
    #expect(mismatch(residual, zip(reference, skip).map(+), relative: 1e-5, absolute: 1e-6, label: "residual") == nil)
    var noBias = [Float](repeating: 5, count: N * OC)
    matmulForward(out: &noBias, inp: floats(x), weight: floats(w), bias: nil, rows: N, inChannels: IC, outChannels: OC)
    let unbiased = referenceLinear(x, weight: w, bias: nil, rows: N, inChannels: IC, outChannels: OC)
    #expect(mismatch(noBias, unbiased, relative: 1e-5, absolute: 1e-6, label: "no bias") == nil)
    var dx = [Float](repeating: 7, count: N * IC)  // overwritten
    var dw = [Float](repeating: 0, count: IC * OC), db = [Float](repeating: 0, count: OC)
    matmulBackward(
      dinp: &dx, dweight: &dw, dbias: &db, dout: floats(upstream), inp: floats(x), weight: floats(w),
      rows: N, inChannels: IC, outChannels: OC)
    expectGradients("linear", inputs: [x, w, b], analytic: [dx, dw, db]) { p in
      zip(referenceLinear(p[0], weight: p[1], bias: p[2], rows: N, inChannels: IC, outChannels: OC), upstream).map(*).reduce(0, +)
    }
  }

  @Test func tiedLogitsMatchReference() {
    var g = SeededGenerator(seed: 4)
    let N = 4, C = 6, V = 9
    let x = randomValues(N * C, generator: &g), wte = randomValues(V * C, generator: &g)
    let upstream = randomValues(N * V, generator: &g)
    func reference(_ x: [Double], _ wte: [Double]) -> [Double] {
      var transposed = [Double](repeating: 0, count: C * V)
      for v in 0..<V { for c in 0..<C { transposed[c * V + v] = wte[v * C + c] } }
      return referenceLinear(x, weight: transposed, bias: nil, rows: N, inChannels: C, outChannels: V)
    }
    var logits = [Float](repeating: 0, count: N * V)
    logitsForward(logits: &logits, inp: floats(x), wte: floats(wte), rows: N, channels: C, vocab: V)
    #expect(mismatch(logits, reference(x, wte), relative: 1e-5, absolute: 1e-6, label: "logits") == nil)
    var dx = [Float](repeating: 0, count: N * C), dwte = [Float](repeating: 0, count: V * C)
    logitsBackward(dinp: &dx, dwte: &dwte, dlogits: floats(upstream), inp: floats(x), wte: floats(wte), rows: N, channels: C, vocab: V)
    expectGradients("logits", inputs: [x, wte], analytic: [dx, dwte]) { p in
      zip(reference(p[0], p[1]), upstream).map(*).reduce(0, +)
    }
  }

  @Test func geluMatchesTanhFormula() {
    var g = SeededGenerator(seed: 5)
    let x = randomValues(21, scale: 4, generator: &g) + [-30, -9, 0, 9, 30]
    let upstream = randomValues(x.count, generator: &g)
    var out = [Float](repeating: 0, count: x.count), sigmoid = out
    geluForward(out: &out, sigmoid: &sigmoid, inp: floats(x), count: x.count)
    #expect(mismatch(out, referenceGELU(x), relative: 1e-5, absolute: 1e-6, label: "gelu forward") == nil)
    var dx = [Float](repeating: 0, count: x.count)
    geluBackward(dinp: &dx, inp: floats(x), sigmoid: sigmoid, dout: floats(upstream), count: x.count)
    expectGradients("gelu", inputs: [x], analytic: [dx], absolute: 1e-5) { p in
      zip(referenceGELU(p[0]), upstream).map(*).reduce(0, +)
    }
  }

  @Test(arguments: [
    (true, 5, SmallProductKernel.fastest), (true, 5, .openBLAS), (false, 5, .fastest), (false, 5, .openBLAS),
    (true, 23, .fastest), (true, 23, .portable), (false, 23, .portable),
  ])
  func attentionMatchesReference(causal: Bool, length T: Int, kernel: SmallProductKernel) {
    var g = SeededGenerator(seed: causal ? 6 : 7)
    let B = 2, C = 12, H = 3
    let qkv = randomValues(B * T * 3 * C, scale: 1.5, generator: &g)
    let upstream = randomValues(B * T * C, generator: &g)
    // Stale values must not leak in: every element is overwritten or zeroed.
    var out = [Float](repeating: 7, count: B * T * C), att = [Float](repeating: .nan, count: B * H * T * T)
    attentionForward(
      out: &out, att: &att, qkv: floats(qkv), B: B, T: T, C: C, H: H, causal: causal, kernel: kernel)
    let reference = referenceAttention(qkv, batch: B, length: T, channels: C, heads: H, causal: causal)
    #expect(mismatch(out, reference.out, relative: 1e-5, absolute: 1e-6, label: "attention out") == nil)
    #expect(mismatch(att, reference.weights, relative: 1e-5, absolute: 1e-7, label: "attention weights") == nil)
    for row in 0..<(B * H * T) {
      let t = row % T
      for s in 0..<T where causal && s > t { #expect(att[row * T + s] == 0) }
    }
    var dqkv = [Float](repeating: 9, count: B * T * 3 * C), scratch = [Float](repeating: .nan, count: T * T)
    attentionBackward(
      dqkv: &dqkv, scratch: &scratch, dout: floats(upstream), qkv: floats(qkv), att: att, B: B, T: T, C: C, H: H,
      causal: causal, kernel: kernel)
    expectGradients("attention", inputs: [qkv], analytic: [dqkv]) { p in
      zip(referenceAttention(p[0], batch: B, length: T, channels: C, heads: H, causal: causal).out, upstream).map(*).reduce(0, +)
    }
  }

  @Test func crossEntropyIgnoresUnlabelledRows() {
    var g = SeededGenerator(seed: 8)
    let N = 4, V = 11
    let logits = randomValues(N * V, scale: 3, generator: &g)
    let labels: [Int32] = [3, -100, 0, 10]
    var probs = [Float](repeating: 0, count: N * V), losses = [Float](repeating: 5, count: N)
    let (total, count) = crossEntropyForward(probs: &probs, losses: &losses, logits: floats(logits), labels: labels, rows: N, vocab: V)
    let reference = referenceCrossEntropy(logits, labels: labels, rows: N, vocab: V)
    #expect(count == 3)
    #expect(abs(total / 3 - reference.loss) < 1e-5)
    #expect(losses[1] == 0)
    #expect(mismatch(losses, reference.losses, relative: 1e-5, absolute: 1e-6, label: "losses") == nil)
    #expect(mismatch(probs, reference.probs, relative: 1e-5, absolute: 1e-7, label: "probs") == nil)
    var dlogits = [Float](repeating: 3, count: N * V)
    crossEntropyBackward(dlogits: &dlogits, probs: probs, labels: labels, rows: N, vocab: V, scale: 1 / 3)
    #expect(dlogits[V..<(2 * V)].allSatisfy { $0 == 0 })
    expectGradients("cross-entropy", inputs: [logits], analytic: [dlogits]) { p in
      referenceCrossEntropy(p[0], labels: labels, rows: N, vocab: V).loss
    }
  }

  @Test func vectorExpIsAccurate() {
    let inputs = (-870...880).map { Float($0) / 10 } + [-1000, 1000]
    var outputs = [Float](repeating: 0, count: inputs.count)
    nt_exp(inputs, &outputs, inputs.count)
    var worst: Float = 0
    for (x, e) in zip(inputs, outputs).dropLast(2) {
      worst = max(worst, abs(e - Float(exp(Double(x)))) / Float(exp(Double(x))))
    }
    #expect(worst < 5e-7)
    #expect(outputs[outputs.count - 2] < 1e-37)
    #expect(outputs[outputs.count - 1].isFinite)
  }
}
