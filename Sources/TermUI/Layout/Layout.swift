/// How much of a split one part should get.
public enum Constraint: Sendable, Hashable {
  /// Exactly this many cells (less only when there is not enough room).
  case fixed(Int)
  /// This percentage of the space left after spacing.
  case percentage(Int)
  /// At least this many cells, growing into leftover space when no `fill` part wants it.
  case min(Int)
  /// A share of the leftover space proportional to the weight.
  case fill(Int)
}

/// The direction in which a rectangle is split.
public enum Direction: Sendable, Hashable {
  /// Parts stacked top to bottom.
  case vertical
  /// Parts side by side, left to right.
  case horizontal
}

/// Splits rectangles by constraints: a pure function, testable without a terminal.
public enum Layout {
  /// Splits `rect` into one rectangle per constraint, in order, with `spacing` cells between them.
  ///
  /// Fixed, percentage and minimum parts are given their size first, in order,
  /// until the space runs out; what is left goes to `fill` parts by weight,
  /// or, when there are none, is shared among `min` parts.
  public static func split(
    _ rect: Rect, _ direction: Direction, _ constraints: [Constraint], spacing: Int = 0
  ) -> [Rect] {
    guard !constraints.isEmpty else { return [] }
    let length = direction == .vertical ? rect.height : rect.width
    let gaps = max(0, spacing) * (constraints.count - 1)
    let available = max(0, length - gaps)
    var sizes = [Int](repeating: 0, count: constraints.count)
    var remaining = available
    for (i, constraint) in constraints.enumerated() {
      let wanted: Int
      switch constraint {
      case .fixed(let n), .min(let n): wanted = max(0, n)
      case .percentage(let p): wanted = available * Swift.max(0, Swift.min(100, p)) / 100
      case .fill: wanted = 0
      }
      sizes[i] = Swift.min(wanted, remaining)
      remaining -= sizes[i]
    }
    if remaining > 0 {
      let fills = constraints.indices.compactMap { i -> (Int, Int)? in
        if case .fill(let w) = constraints[i] { return (i, Swift.max(0, w)) }
        return nil
      }
      let mins = constraints.indices.filter { if case .min = constraints[$0] { true } else { false } }
      let totalWeight = fills.reduce(0) { $0 + $1.1 }
      if !fills.isEmpty && totalWeight > 0 {
        var given = 0
        for (i, weight) in fills {
          let share = remaining * weight / totalWeight
          sizes[i] += share
          given += share
        }
        // Rounding leftovers go one by one to the first fill parts.
        var extra = remaining - given
        var k = 0
        while extra > 0 {
          let (i, weight) = fills[k % fills.count]
          if weight > 0 { sizes[i] += 1; extra -= 1 }
          k += 1
        }
      } else if !mins.isEmpty {
        let share = remaining / mins.count
        var extra = remaining - share * mins.count
        for i in mins {
          sizes[i] += share + (extra > 0 ? 1 : 0)
          extra -= 1
        }
      }
    }
    var result: [Rect] = []
    result.reserveCapacity(sizes.count)
    var offset = direction == .vertical ? rect.y : rect.x
    for size in sizes {
      switch direction {
      case .vertical:
        result.append(Rect(x: rect.x, y: offset, width: rect.width, height: size))
      case .horizontal:
        result.append(Rect(x: offset, y: rect.y, width: size, height: rect.height))
      }
      offset += size + max(0, spacing)
    }
    return result
  }
}

extension Rect {
  /// This rectangle split by constraints; see ``Layout/split(_:_:_:spacing:)``.
  public func split(_ direction: Direction, _ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
    Layout.split(self, direction, constraints, spacing: spacing)
  }
}
