import Foundation

/// A size a run is built from: each has bounds in `SizeLimits`.
public enum SizeSetting: String, Sendable, CaseIterable {
  case layers, heads, dim, context, batch, vocabulary, steps, merges
}

/// Why a set of sizes cannot be used; `message(naming:)` names each size as the caller's user wrote it.
public enum SizeError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A size outside its bounds.
  case outOfRange(SizeSetting, value: Int, range: ClosedRange<Int>)
  /// The heads do not divide the width.
  case headsDoNotDivideDim(heads: Int, dim: Int)
  /// The model, its optimizer and its activations would need more memory than the limit.
  case needsTooMuchMemory(bytes: Int, limit: Int)

  /// The message with each size named by `name` (a flag, a lesson key, a metadata field).
  public func message(naming name: (SizeSetting) -> String) -> String {
    switch self {
    case .outOfRange(let setting, let value, let range):
      let bounds = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
      return "\(name(setting)) must be \(bounds) (got \(value))"
    case .headsDoNotDivideDim(let heads, let dim):
      return "\(name(.heads)) (\(heads)) must divide \(name(.dim)) (\(dim))"
    case .needsTooMuchMemory(let bytes, let limit):
      return "this model needs ~\(SizeLimits.formatBytes(bytes)) of memory; the limit is \(SizeLimits.formatBytes(limit)) (use fewer \(name(.layers)), a smaller \(name(.dim)), \(name(.context)) or \(name(.batch)))"
    }
  }

  public var description: String { message(naming: \.rawValue) }
}

/// The one place that bounds every size a run is built from, wherever it comes from
/// (flags, lesson files, checkpoint metadata), and estimates the memory a model needs
/// before anything is allocated.
///
/// The bounds are far above what a laptop trains in minutes, and low enough that no
/// product of them overflows an `Int`.
public enum SizeLimits {
  /// The accepted values of each size.
  public static func range(_ setting: SizeSetting) -> ClosedRange<Int> {
    switch setting {
    case .layers: 1...64
    case .heads: 1...64
    case .dim: 1...4096
    case .context: 2...4096
    case .batch: 1...4096
    case .vocabulary: 2...1_000_000
    case .steps: 0...1_000_000_000
    case .merges: 0...100_000
    }
  }

  /// Checks one size against its bounds.
  public static func check(_ setting: SizeSetting, _ value: Int) throws(SizeError) {
    let range = range(setting)
    guard range.contains(value) else { throw .outOfRange(setting, value: value, range: range) }
  }

  /// At most half the machine's memory: a model that needs more would thrash or be killed.
  public static var memoryLimit: Int {
    Int(clamping: ProcessInfo.processInfo.physicalMemory / 2)
  }

  /// Bytes the training of a model needs: parameters, gradients, two optimizer moments,
  /// the activations of a batch and the backward scratch.
  ///
  /// Counted in floating point, so absurd sizes give an absurd estimate rather than an overflow.
  public static func trainingBytes(vocabulary: Int, context: Int, dim: Int, layers: Int, heads: Int, batch: Int) -> Double {
    let v = Double(vocabulary), t = Double(context), c = Double(dim), l = Double(layers), h = Double(heads)
    let n = Double(batch) * t
    // Weights, gradients, m and v: V·C + T·C + L·(12C² + 13C) + 2C each.
    let parameters = v * c + t * c + l * (12 * c * c + 13 * c) + 2 * c
    // Per block 20 values per position and channel, 4 per position, and B·H·T² attention weights;
    // then the final LayerNorm, logits, probabilities and the backward scratch.
    let activations = l * (n * (20 * c + 4) + Double(batch) * h * t * t) + n * 13 * c + n * 3 * v + 2 * t * t + 4 * n
    return 4 * (4 * parameters + activations)
  }

  /// Checks every size of a training run and the memory it needs; `vocabulary` is
  /// nil while the corpus has not been tokenised yet.
  public static func checkRun(
    layers: Int, heads: Int, dim: Int, context: Int, batch: Int, vocabulary: Int?, memoryLimit: Int = memoryLimit
  ) throws(SizeError) {
    try check(.layers, layers)
    try check(.heads, heads)
    try check(.dim, dim)
    if dim % heads != 0 { throw .headsDoNotDivideDim(heads: heads, dim: dim) }
    try check(.context, context)
    try check(.batch, batch)
    if let vocabulary { try check(.vocabulary, vocabulary) }
    let bytes = trainingBytes(
      vocabulary: vocabulary ?? range(.vocabulary).lowerBound, context: context, dim: dim, layers: layers, heads: heads, batch: batch)
    if bytes > Double(memoryLimit) { throw .needsTooMuchMemory(bytes: Int(min(bytes, 9e18)), limit: memoryLimit) }
  }

  /// "480 GB", "12.5 MB": bytes in the largest unit that keeps the number at least 1.
  public static func formatBytes(_ bytes: Int) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    if unit == 0 { return "\(bytes) bytes" }
    return String(format: value >= 100 ? "%.0f" : "%.1f", value) + " " + units[unit]
  }
}
