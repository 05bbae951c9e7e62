/// How fast a running session steps: a few steps a second, so the eye can follow, or flat out.
///
/// Training flat out outruns the eye: a one-layer lesson takes a thousand steps a second,
/// and its whole fall from ln V to the bigram line is over before a learner has looked.
public enum Pace: Sendable, Hashable, CustomStringConvertible {
  /// At most this many steps a second.
  case stepsPerSecond(Int)
  /// As fast as the machine trains.
  case max

  /// The paces `[` and `]` move through, slowest first.
  public static let choices: [Pace] = [1, 3, 10, 30, 100, 300].map(Pace.stepsPerSecond) + [.max]

  /// The choices as front matter and flags write them: `1` … `300`, `max`.
  public static var choiceNames: String { choices.map(\.name).joined(separator: ", ") }

  /// Reads `10`, `10/s` or `max`; only the listed choices are accepted.
  public init?(parsing text: String) {
    let trimmed = text.trimmingWhitespace().lowercased()
    if trimmed == "max" {
      self = .max
      return
    }
    let number = trimmed.hasSuffix("/s") ? String(trimmed.dropLast(2)) : trimmed
    guard let rate = Int(number), Self.choices.contains(.stepsPerSecond(rate)) else { return nil }
    self = .stepsPerSecond(rate)
  }

  /// The steps a second, or nil when flat out.
  public var rate: Int? {
    if case .stepsPerSecond(let rate) = self { return rate }
    return nil
  }

  /// The next slower choice (the slowest stays).
  public var slower: Pace { neighbour(-1) }
  /// The next faster choice (`max` stays).
  public var faster: Pace { neighbour(+1) }

  /// `10` or `max`, as the front matter writes it.
  public var name: String { rate.map(String.init) ?? "max" }

  /// `10/s` or `max`, as the status line shows it.
  public var description: String { rate.map { "\($0)/s" } ?? "max" }

  private func neighbour(_ offset: Int) -> Pace {
    // A rate not in the list (set in code) moves to the nearest choice in that direction.
    let index: Int
    if let exact = Self.choices.firstIndex(of: self) {
      index = exact + offset
    } else {
      let rate = self.rate ?? Int.max
      let above = Self.choices.firstIndex { ($0.rate ?? Int.max) > rate } ?? Self.choices.count - 1
      index = offset > 0 ? above : above - 1
    }
    return Self.choices[Swift.max(0, Swift.min(Self.choices.count - 1, index))]
  }
}
