/// The moments of a run worth stopping at, in the order a healthy run reaches them.
///
/// A lesson names them in `pause_at:` and narrates them in `## at NAME` sections.
public enum MilestoneKind: String, Sendable, Codable, CaseIterable, Comparable {
  /// Validation loss first below the unigram line: the model has learned which tokens are common.
  case unigram
  /// Validation loss first below the bigram line: it uses more than the previous token.
  case bigram
  /// Validation loss at its lowest, confirmed once it has clearly risen since: memorising began.
  case best
  /// The loss exploded or became non-finite; training stopped.
  case diverged

  /// The heading of the lesson section that narrates this milestone: `at bigram`.
  public var sectionName: String { "at " + rawValue }

  public static func < (lhs: MilestoneKind, rhs: MilestoneKind) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }
}
