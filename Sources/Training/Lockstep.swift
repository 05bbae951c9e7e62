import Model

/// Keeps sessions that train side by side within `lead` steps of each other.
///
/// The compare view runs CLM and MLM on two queues; left alone, one pulls
/// ahead and the two curves stop lining up. A running member may take step n
/// only while n ≤ (the fewest steps of the other running members) + `lead`;
/// otherwise it parks, and the member that catches up wakes it. Paused,
/// stepped-by-hand and diverged members hold no one back.
public final class Lockstep: Sendable {
  /// How many steps a member may be ahead of the slowest other running member.
  public let lead: Int

  private struct Member {
    var steps = 0
    var isRunning = false
    var isParked = false
    var wake: @Sendable () -> Void
  }

  private let members = Locked<[Member]>([])

  public init(lead: Int = 1) {
    precondition(lead >= 0, "lead must not be negative")
    self.lead = lead
  }

  /// Adds a member; `wake` is called (from whichever thread frees it) when a parked member may go on.
  func join(wake: @escaping @Sendable () -> Void) -> Int {
    members.withLock { list in
      list.append(Member(wake: wake))
      return list.count - 1
    }
  }

  /// Whether `member` may take its step number `next`; if not, it counts as parked until woken.
  func mayStep(_ member: Int, next: Int) -> Bool {
    members.withLock { list in
      let allowed = Self.allows(list, member, next: next, lead: lead)
      if !allowed { list[member].isParked = true }
      return allowed
    }
  }

  /// Records a member's step count and whether it runs, and wakes members that may now go on.
  func update(_ member: Int, steps: Int, isRunning: Bool) {
    // Called after every step: nothing is allocated unless a member is woken.
    let woken = members.withLock { list -> [@Sendable () -> Void]? in
      list[member].steps = steps
      list[member].isRunning = isRunning
      if !isRunning { list[member].isParked = false }
      var woken: [@Sendable () -> Void]?
      for index in list.indices where list[index].isParked {
        if Self.allows(list, index, next: list[index].steps + 1, lead: lead) {
          list[index].isParked = false
          woken = (woken ?? []) + [list[index].wake]
        }
      }
      return woken
    }
    for wake in woken ?? [] { wake() }
  }

  /// Each member's recorded step count, in joining order (for tests).
  package var steps: [Int] { members.withLock { $0.map(\.steps) } }

  private static func allows(_ list: [Member], _ member: Int, next: Int, lead: Int) -> Bool {
    var slowest = Int.max
    for index in list.indices where index != member && list[index].isRunning {
      slowest = min(slowest, list[index].steps)
    }
    return slowest == Int.max || next <= slowest + lead
  }
}
