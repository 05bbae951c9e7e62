/// The traces of log-spaced steps (1, 2, 3, 5, 10, 20, 30, 50, 100, …) and of the newest step, within a budget.
///
/// The learner pages back through them with `,` and `.`. Each is compacted to what the
/// stage and formula views show (`StepTrace.compacted()`: the weights before the step whole), and when the kept traces would pass
/// `budget` bytes the least telling go first — the 3s of every decade, then the 2s,
/// then the 5s, earliest first — so the decades themselves stay. The newest trace is
/// the session's live one and shares its storage.
public struct TraceHistory: Sendable {
  /// The default budget: the history may add at most 32 MiB.
  public static let defaultBudget = 32 << 20

  public let budget: Int
  /// The kept log-spaced traces, by step.
  public private(set) var traces: [StepTrace] = []
  /// The latest trace recorded, whatever its step.
  public private(set) var newest: StepTrace?
  /// The bytes the kept log-spaced traces hold.
  public private(set) var byteCount = 0

  public init(budget: Int = Self.defaultBudget) {
    self.budget = budget
  }

  /// Whether `step` is one of the log-spaced steps the history keeps: 1, 2, 3 or 5 times a power of ten.
  public static func isLogSpaced(_ step: Int) -> Bool {
    rank(step) != nil
  }

  /// How telling a log-spaced step is: 0 for a power of ten, then 5s, 2s and 3s.
  static func rank(_ step: Int) -> Int? {
    guard step > 0 else { return nil }
    var leading = step
    while leading % 10 == 0 { leading /= 10 }
    switch leading {
    case 1: return 0
    case 5: return 1
    case 2: return 2
    case 3: return 3
    default: return nil
    }
  }

  /// Every step the learner can go to, oldest first (the newest last).
  public var steps: [Int] {
    var steps = traces.map(\.step)
    if let newest, steps.last != newest.step { steps.append(newest.step) }
    return steps
  }

  /// The trace of `step`, if the history holds it.
  public func trace(atStep step: Int) -> StepTrace? {
    if let newest, newest.step == step { return newest }
    return traces.first { $0.step == step }
  }

  /// The latest kept step before `step`.
  public func step(before step: Int) -> Int? {
    steps.last { $0 < step }
  }

  /// The earliest kept step after `step`.
  public func step(after step: Int) -> Int? {
    steps.first { $0 > step }
  }

  /// Records a trace: as the newest, and kept (compacted) when its step is log-spaced.
  public mutating func record(_ trace: StepTrace) {
    newest = trace
    guard Self.isLogSpaced(trace.step), !traces.contains(where: { $0.step == trace.step }) else { return }
    let kept = trace.compacted()
    traces.append(kept)
    traces.sort { $0.step < $1.step }
    byteCount += kept.byteCount
    evictOverBudget()
  }

  /// Forgets everything (a restarted run).
  public mutating func removeAll() {
    traces = []
    newest = nil
    byteCount = 0
  }

  private mutating func evictOverBudget() {
    while byteCount > budget, !traces.isEmpty {
      // The least telling rank goes first; within it, the earliest step.
      var victim = 0
      for index in traces.indices.dropFirst() {
        if (Self.rank(traces[index].step) ?? 9) > (Self.rank(traces[victim].step) ?? 9) { victim = index }
      }
      byteCount -= traces[victim].byteCount
      traces.remove(at: victim)
    }
  }
}
