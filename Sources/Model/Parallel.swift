import Dispatch

/// How the kernels of one training step share the machine's threads.
///
/// Work is split by rows (or by whole heads, or by aligned halves of flat
/// buffers), so every output element is computed by the same arithmetic in
/// the same order as on one thread: results are bit-identical whatever the
/// split. Kernels hand their buffers to the parallel bodies as
/// `nonisolated(unsafe) let` copies of the pointers: each part writes only
/// its own rows, which the type system cannot see. Work below `minimumWork`
/// stays on the calling thread, where waking a second thread would cost more
/// than it saves.
package struct WorkSplit: Sendable {
  /// How many parts large kernels are split into (1 or 2).
  package let parts: Int

  /// Roughly the floating-point operations below which a kernel is not worth
  /// splitting: about 100 µs on one core. Nothing at the S size reaches it,
  /// so S runs the same on two threads as on one.
  package static let defaultMinimumWork = 1 << 22

  /// The work below which this split keeps a kernel on the calling thread.
  let minimumWork: Int

  /// The split for `BLAS.setThreads` (at most two parts); one part until it is called.
  ///
  /// Before `setThreads`, OpenBLAS may run threads of its own, and the
  /// kernels must not call it from two threads on top of those.
  package static var current: WorkSplit { WorkSplit(parts: Swift.min(2, BLAS.requestedThreads)) }

  /// One part: everything on the calling thread.
  package static let single = WorkSplit(parts: 1)

  /// A split into `parts` parts (1 or 2 are what the kernels expect); tests pass `minimumWork: 0` to split everything.
  package init(parts: Int, minimumWork: Int = WorkSplit.defaultMinimumWork) {
    precondition(parts >= 1, "a split needs at least one part")
    self.parts = parts
    self.minimumWork = minimumWork
  }

  /// Runs `body(range)` over `0..<count` cut into contiguous ranges, concurrently when worth it.
  ///
  /// `work` estimates the total cost in floating-point operations; ranges
  /// start at multiples of `alignment` so vector loops keep their lanes.
  package func forEach(count: Int, work: Int, alignment: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
    guard parts > 1, work >= minimumWork, count >= 2 * alignment else {
      body(0..<count)
      return
    }
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      body(bounds(part, count: count, alignment: alignment))
    }
  }

  /// Like `forEach`, also telling each body which part it is (to pick its scratch).
  ///
  package func forEachPart(count: Int, work: Int, alignment: Int = 1, _ body: @Sendable (_ part: Int, _ range: Range<Int>) -> Void) {
    guard parts > 1, work >= minimumWork, count >= 2 * alignment else {
      body(0, 0..<count)
      return
    }
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      body(part, bounds(part, count: count, alignment: alignment))
    }
  }

  /// The `part`-th of `parts` contiguous ranges of `0..<count`, with inner bounds at multiples of `alignment`.
  private func bounds(_ part: Int, count: Int, alignment: Int) -> Range<Int> {
    func cut(_ index: Int) -> Int {
      if index == parts { return count }
      return (count * index / parts) / alignment * alignment
    }
    return cut(part)..<cut(part + 1)
  }
}
