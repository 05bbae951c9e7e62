import CKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An update rule that moves a model's parameters along its gradients.
public protocol Optimizer: AnyObject {
  /// Short lowercase name, e.g. "adamw".
  var name: String { get }
  /// The fixed hyperparameters by name (the learning rate is passed per step).
  var hyperparameters: [String: Double] { get }
  /// How many steps have been taken.
  var stepCount: Int { get }
  /// Updates `model`'s parameters from its current gradients.
  func step(_ model: GPT, learningRate: Float)
  /// The optimizer state for a checkpoint, one tensor per parameter and buffer,
  /// named `optim.m.<param>` / `optim.v.<param>` with the parameter's shape.
  func stateTensors() -> [(name: String, shape: [Int], values: [Float])]
  /// Restores state written by `stateTensors()` for a model with `layout`.
  func loadState(_ tensors: [String: [Float]], stepCount: Int, layout: ParameterLayout) throws(ModelError)
}

/// Moment buffers laid out like the parameters, allocated on first use.
final class MomentBuffer {
  private(set) var values: UnsafeMutableBufferPointer<Float>

  init(count: Int) {
    values = .allocate(capacity: count)
    values.initialize(repeating: 0)
  }

  deinit { values.deallocate() }

  func tensors(prefix: String, layout: ParameterLayout) -> [(name: String, shape: [Int], values: [Float])] {
    layout.tensors.map { spec in (prefix + spec.name, spec.shape, Array(values[spec.range])) }
  }

  func load(prefix: String, from tensors: [String: [Float]], layout: ParameterLayout) throws(ModelError) {
    for spec in layout.tensors {
      let name = prefix + spec.name
      guard let source = tensors[name] else { throw ModelError("optimizer state is missing \(name)") }
      guard source.count == spec.count else {
        throw ModelError("\(name) holds \(source.count) values, expected \(spec.count) for shape \(spec.shape)")
      }
      for (i, value) in source.enumerated() { values[spec.offset + i] = value }
    }
  }
}

/// AdamW with bias correction and decoupled weight decay (nanoGPT's defaults).
///
/// At step t (counting from 1), for every parameter p with gradient g:
///
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
///     p ← p − lr · (m̂ / (√v̂ + ε) + λ·p)
///
/// λ = `weightDecay` for tensors with ≥ 2 dims (wte, wpe and the four weight
/// matrices of each block) and 0 for biases and LayerNorm parameters.
public final class AdamW: Optimizer {
  /// β₁, the decay of the first-moment average.
  public let beta1: Float
  /// β₂, the decay of the second-moment average.
  public let beta2: Float
  /// ε, added to √v̂ in the denominator.
  public let eps: Float
  /// λ, the decoupled weight decay for tensors with ≥ 2 dims.
  public let weightDecay: Float
  /// Steps taken so far (t of the last step).
  public private(set) var stepCount = 0
  private var m: MomentBuffer?
  private var v: MomentBuffer?
  private var stateLayout: ParameterLayout?

  /// An optimizer with zeroed moments; the defaults are nanoGPT's.
  public init(beta1: Float = 0.9, beta2: Float = 0.95, eps: Float = 1e-8, weightDecay: Float = 0.1) {
    self.beta1 = beta1
    self.beta2 = beta2
    self.eps = eps
    self.weightDecay = weightDecay
  }

  public var name: String { "adamw" }

  public var hyperparameters: [String: Double] {
    ["beta1": Double(beta1), "beta2": Double(beta2), "eps": Double(eps), "weight_decay": Double(weightDecay)]
  }

  private func buffers(for layout: ParameterLayout) -> (MomentBuffer, MomentBuffer) {
    if let m, let v, stateLayout == layout { return (m, v) }
    let newM = MomentBuffer(count: layout.totalCount)
    let newV = MomentBuffer(count: layout.totalCount)
    m = newM
    v = newV
    stateLayout = layout
    return (newM, newV)
  }

  public func step(_ model: GPT, learningRate: Float) {
    step(model, learningRate: learningRate, split: .current)
  }

  /// `step` with the update split as `split` says (a test hook; the result does not depend on it).
  package func step(_ model: GPT, learningRate: Float, split: WorkSplit) {
    let (mBuffer, vBuffer) = buffers(for: model.layout)
    stepCount += 1
    let t = Double(stepCount)
    let correction1 = Float(1 - pow(Double(beta1), t))
    let correction2 = Float(1 - pow(Double(beta2), t))
    let b1 = beta1, b2 = beta2, eps = eps
    let inverse1 = 1 / correction1, inverse2 = 1 / correction2
    model.withParametersAndGradients { parameters, gradients in
      nonisolated(unsafe) let p = parameters.baseAddress!, g = gradients.baseAddress!
      nonisolated(unsafe) let mp = mBuffer.values.baseAddress!, vp = vBuffer.values.baseAddress!
      let tensors = model.layout.tensors
      let weightDecay = weightDecay
      // Each block takes the same aligned share of every tensor, so the vector
      // lanes, and so the results, match one pass over the whole buffer. A
      // parameter's update (seven values read or written, a square root and a
      // division) takes about as long as a hundred of a product's operations,
      // so a model of 100k parameters is already worth two threads.
      // When it is worth threads at all, four times as many blocks as that: a
      // worker joins a job tens of microseconds after it starts, and small
      // blocks let the caller take more of them meanwhile instead of leaving
      // the worker the last one to finish alone.
      let threadsWorth = split.blocks(count: model.layout.totalCount / 8, work: 96 * model.layout.totalCount)
      let blocks = threadsWorth > 1 ? Swift.min(4 * threadsWorth, WorkSplit.maximumBlocks) : 1
      split.run(blocks: blocks) { block in
        for spec in tensors {
          let decay = spec.isDecayed ? weightDecay : 0
          let share = WorkSplit.bounds(block, of: blocks, count: spec.count, alignment: 8)
          let start = spec.offset + share.lowerBound
          nt_adamw(
            p + start, g + start, mp + start, vp + start, share.count, learningRate, b1, b2, inverse1, inverse2, eps,
            decay)
        }
      }
    }
  }

  public func stateTensors() -> [(name: String, shape: [Int], values: [Float])] {
    guard let m, let v, let stateLayout else { return [] }
    return m.tensors(prefix: "optim.m.", layout: stateLayout) + v.tensors(prefix: "optim.v.", layout: stateLayout)
  }

  /// The first and second moments of one parameter tensor (zeros before the first step).
  public func moments(of name: String, layout: ParameterLayout) -> (m: [Float], v: [Float])? {
    guard let spec = layout[name] else { return nil }
    guard let m, let v, stateLayout == layout else {
      return ([Float](repeating: 0, count: spec.count), [Float](repeating: 0, count: spec.count))
    }
    return (Array(m.values[spec.range]), Array(v.values[spec.range]))
  }

  public func loadState(_ tensors: [String: [Float]], stepCount: Int, layout: ParameterLayout) throws(ModelError) {
    guard stepCount >= 0 else { throw ModelError("optimizer step count (\(stepCount)) must not be negative") }
    let newM = MomentBuffer(count: layout.totalCount)
    let newV = MomentBuffer(count: layout.totalCount)
    try newM.load(prefix: "optim.m.", from: tensors, layout: layout)
    try newV.load(prefix: "optim.v.", from: tensors, layout: layout)
    m = newM
    v = newV
    stateLayout = layout
    self.stepCount = stepCount
  }
}

/// Stochastic gradient descent with optional momentum and L2 weight decay.
///
/// For every parameter p with gradient g:
///
///     d = g + λ·p          (λ = `weightDecay` on tensors with ≥ 2 dims, else 0)
///     b ← μ·b + d          (b starts at 0; skipped when μ = 0, so b = d)
///     p ← p − lr · b
///
/// With μ = 0 and λ = 0 this is plain p ← p − lr·g. The momentum buffer is
/// saved as `optim.m.<param>`.
public final class SGD: Optimizer {
  /// μ, the momentum (0 for plain SGD).
  public let momentum: Float
  /// λ, the L2 decay for tensors with ≥ 2 dims.
  public let weightDecay: Float
  /// Steps taken so far.
  public private(set) var stepCount = 0
  private var buffer: MomentBuffer?
  private var stateLayout: ParameterLayout?

  /// An optimizer with an empty momentum buffer; the defaults give plain SGD.
  public init(momentum: Float = 0, weightDecay: Float = 0) {
    self.momentum = momentum
    self.weightDecay = weightDecay
  }

  public var name: String { "sgd" }

  public var hyperparameters: [String: Double] {
    ["momentum": Double(momentum), "weight_decay": Double(weightDecay)]
  }

  public func step(_ model: GPT, learningRate: Float) {
    stepCount += 1
    var velocity: UnsafeMutablePointer<Float>?
    if momentum != 0 {
      if buffer == nil || stateLayout != model.layout {
        buffer = MomentBuffer(count: model.layout.totalCount)
        stateLayout = model.layout
      }
      velocity = buffer!.values.baseAddress!
    }
    let mu = momentum
    model.withParametersAndGradients { parameters, gradients in
      let p = parameters.baseAddress!, g = gradients.baseAddress!
      for spec in model.layout.tensors {
        let decay = spec.isDecayed ? weightDecay : 0
        for i in spec.range {
          var d = g[i] + decay * p[i]
          if let velocity {
            d += mu * velocity[i]
            velocity[i] = d
          }
          p[i] -= learningRate * d
        }
      }
    }
  }

  public func stateTensors() -> [(name: String, shape: [Int], values: [Float])] {
    guard let buffer, let stateLayout else { return [] }
    return buffer.tensors(prefix: "optim.m.", layout: stateLayout)
  }

  public func loadState(_ tensors: [String: [Float]], stepCount: Int, layout: ParameterLayout) throws(ModelError) {
    guard stepCount >= 0 else { throw ModelError("optimizer step count (\(stepCount)) must not be negative") }
    if momentum != 0 {
      let loaded = MomentBuffer(count: layout.totalCount)
      try loaded.load(prefix: "optim.m.", from: tensors, layout: layout)
      buffer = loaded
      stateLayout = layout
    }
    self.stepCount = stepCount
  }
}
