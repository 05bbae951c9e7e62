import Foundation
import Model

// Double-precision reference versions of the model's layers, written as
// plainly as possible (no shared code with the kernels), for finite
// differences and for checking the Float forward pass.

/// Reference LayerNorm: rows (N, C) → (N, C), biased variance, ε = 1e-5.
public func referenceLayerNorm(_ x: [Double], weight: [Double], bias: [Double], rows: Int, channels c: Int) -> [Double] {
  var out = [Double](repeating: 0, count: rows * c)
  for r in 0..<rows {
    let row = Array(x[(r * c)..<((r + 1) * c)])
    let mean = row.reduce(0, +) / Double(c)
    let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(c)
    let rstd = 1 / (variance + 1e-5).squareRoot()
    for i in 0..<c { out[r * c + i] = (row[i] - mean) * rstd * weight[i] + bias[i] }
  }
  return out
}

/// Reference linear layer: x (N, IC) · W (IC, OC) + b.
public func referenceLinear(_ x: [Double], weight: [Double], bias: [Double]?, rows: Int, inChannels ic: Int, outChannels oc: Int) -> [Double] {
  var out = [Double](repeating: 0, count: rows * oc)
  for r in 0..<rows {
    for o in 0..<oc {
      var total = bias?[o] ?? 0
      for i in 0..<ic { total += x[r * ic + i] * weight[i * oc + o] }
      out[r * oc + o] = total
    }
  }
  return out
}

/// Reference GELU, tanh approximation, written with tanh itself.
public func referenceGELU(_ x: [Double]) -> [Double] {
  x.map { 0.5 * $0 * (1 + tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }
}

/// Reference attention: qkv (B, T, 3C) → (out (B, T, C), weights (B, H, T, T)).
public func referenceAttention(_ qkv: [Double], batch: Int, length t: Int, channels c: Int, heads h: Int, causal: Bool)
  -> (out: [Double], weights: [Double])
{
  let hs = c / h
  var out = [Double](repeating: 0, count: batch * t * c)
  var weights = [Double](repeating: 0, count: batch * h * t * t)
  for b in 0..<batch {
    for head in 0..<h {
      for i in 0..<t {
        var scores = [Double](repeating: -Double.infinity, count: t)
        for j in 0..<t where !causal || j <= i {
          var s = 0.0
          for d in 0..<hs {
            s += qkv[(b * t + i) * 3 * c + head * hs + d] * qkv[(b * t + j) * 3 * c + c + head * hs + d]
          }
          scores[j] = s / Double(hs).squareRoot()
        }
        let top = scores.max()!
        let exps = scores.map { $0 == -Double.infinity ? 0 : exp($0 - top) }
        let total = exps.reduce(0, +)
        for j in 0..<t {
          let w = exps[j] / total
          weights[((b * h + head) * t + i) * t + j] = w
          for d in 0..<hs { out[(b * t + i) * c + head * hs + d] += w * qkv[(b * t + j) * 3 * c + 2 * c + head * hs + d] }
        }
      }
    }
  }
  return (out, weights)
}

/// Reference softmax cross-entropy: logits (N, V) → (mean loss over labelled rows, per-row losses, probs).
public func referenceCrossEntropy(_ logits: [Double], labels: [Int32], rows: Int, vocab v: Int)
  -> (loss: Double, losses: [Double], probs: [Double])
{
  var losses = [Double](repeating: 0, count: rows)
  var probs = [Double](repeating: 0, count: rows * v)
  var total = 0.0
  var count = 0
  for r in 0..<rows {
    let row = Array(logits[(r * v)..<((r + 1) * v)])
    let top = row.max()!
    let z = row.map { exp($0 - top) }.reduce(0, +)
    for i in 0..<v { probs[r * v + i] = exp(row[i] - top) / z }
    if labels[r] != -100 {
      losses[r] = log(z) + top - row[Int(labels[r])]
      total += losses[r]
      count += 1
    }
  }
  return (count > 0 ? total / Double(count) : 0, losses, probs)
}

/// A Double-precision GPT-2 forward pass over the flat parameter vector in `ParameterLayout` order.
public struct ReferenceGPT {
  public let config: ModelConfig
  public let layout: ParameterLayout

  public init(config: ModelConfig) {
    self.config = config
    layout = ParameterLayout(config: config)
  }

  /// The outputs of one forward pass.
  public struct Output {
    public var loss: Double
    public var losses: [Double]
    public var probs: [Double]
    public var logits: [Double]
    public var attention: [[Double]]
    public var embedding: [Double]
  }

  public func forward(parameters p: [Double], inputs: [Int32], labels: [Int32], batch: Int, length t: Int, causal: Bool) -> Output {
    let c = config.channels, v = config.vocabSize, n = batch * t
    func tensor(_ name: String) -> [Double] { Array(p[layout[name]!.range]) }
    let wte = tensor("wte.weight"), wpe = tensor("wpe.weight")
    var x = [Double](repeating: 0, count: n * c)
    for b in 0..<batch {
      for i in 0..<t {
        for k in 0..<c { x[(b * t + i) * c + k] = wte[Int(inputs[b * t + i]) * c + k] + wpe[i * c + k] }
      }
    }
    let embedding = x
    var attention: [[Double]] = []
    for l in 0..<config.layers {
      let prefix = "h.\(l)."
      let ln1 = referenceLayerNorm(x, weight: tensor(prefix + "ln_1.weight"), bias: tensor(prefix + "ln_1.bias"), rows: n, channels: c)
      let qkv = referenceLinear(ln1, weight: tensor(prefix + "attn.c_attn.weight"), bias: tensor(prefix + "attn.c_attn.bias"), rows: n, inChannels: c, outChannels: 3 * c)
      let (atty, weights) = referenceAttention(qkv, batch: batch, length: t, channels: c, heads: config.heads, causal: causal)
      attention.append(weights)
      let proj = referenceLinear(atty, weight: tensor(prefix + "attn.c_proj.weight"), bias: tensor(prefix + "attn.c_proj.bias"), rows: n, inChannels: c, outChannels: c)
      for i in 0..<(n * c) { x[i] += proj[i] }
      let ln2 = referenceLayerNorm(x, weight: tensor(prefix + "ln_2.weight"), bias: tensor(prefix + "ln_2.bias"), rows: n, channels: c)
      let fc = referenceLinear(ln2, weight: tensor(prefix + "mlp.c_fc.weight"), bias: tensor(prefix + "mlp.c_fc.bias"), rows: n, inChannels: c, outChannels: 4 * c)
      let mlp = referenceLinear(referenceGELU(fc), weight: tensor(prefix + "mlp.c_proj.weight"), bias: tensor(prefix + "mlp.c_proj.bias"), rows: n, inChannels: 4 * c, outChannels: c)
      for i in 0..<(n * c) { x[i] += mlp[i] }
    }
    let lnf = referenceLayerNorm(x, weight: tensor("ln_f.weight"), bias: tensor("ln_f.bias"), rows: n, channels: c)
    var logits = [Double](repeating: 0, count: n * v)
    for r in 0..<n {
      for j in 0..<v {
        var s = 0.0
        for k in 0..<c { s += lnf[r * c + k] * wte[j * c + k] }
        logits[r * v + j] = s
      }
    }
    let ce = referenceCrossEntropy(logits, labels: labels, rows: n, vocab: v)
    return Output(loss: ce.loss, losses: ce.losses, probs: ce.probs, logits: logits, attention: attention, embedding: embedding)
  }
}

/// Central finite differences of `f` at `x`, one coordinate at a time.
public func numericalGradient(at x: [Double], step: Double = 1e-6, indices: [Int]? = nil, _ f: ([Double]) -> Double) -> [Double] {
  var gradient = [Double](repeating: 0, count: x.count)
  var probe = x
  for i in indices ?? Array(x.indices) {
    probe[i] = x[i] + step
    let up = f(probe)
    probe[i] = x[i] - step
    let down = f(probe)
    probe[i] = x[i]
    gradient[i] = (up - down) / (2 * step)
  }
  return gradient
}

/// nil when every |actual − expected| ≤ absolute + relative·|expected|, else a description of the worst element.
public func mismatch(
  _ actual: [Float], _ expected: [Double], relative: Double = 1e-3, absolute: Double = 1e-5, label: String = "",
  indices: [Int]? = nil
) -> String? {
  guard actual.count == expected.count else { return "\(label): \(actual.count) values, expected \(expected.count)" }
  var worst: (index: Int, excess: Double)?
  for i in indices ?? Array(actual.indices) {
    let error = abs(Double(actual[i]) - expected[i])
    let allowed = absolute + relative * abs(expected[i])
    if error > allowed, error - allowed > (worst?.excess ?? 0) { worst = (i, error - allowed) }
  }
  guard let worst else { return nil }
  return "\(label)[\(worst.index)]: got \(actual[worst.index]), expected \(expected[worst.index])"
}

/// `count` values uniform in [−scale, scale), from a fixed seed, rounded to Float.
public func randomValues(_ count: Int, scale: Double = 1, generator: inout SeededGenerator) -> [Double] {
  (0..<count).map { _ in Double(Float((generator.nextDouble() * 2 - 1) * scale)) }
}
