/// How the kernels of one training step share the machine's threads.
///
/// Every kernel cuts its work into blocks by the shape alone — rows, whole
/// heads, aligned stretches of flat buffers, or column blocks of a product —
/// never by the thread count, and the blocks are scheduled on `threads`
/// threads (the caller and workers of a persistent pool, see `WorkerPool`).
/// Each block writes only its own outputs, in the same order whichever thread
/// runs it, so results are bit-identical for every thread count. Kernels hand
/// their buffers to the block bodies as `nonisolated(unsafe) let` copies of
/// the pointers, which the type system cannot see are disjoint. Work below two
/// blocks' worth stays one block on the calling thread, where waking another
/// thread would cost more than it saves.
package struct WorkSplit: Sendable {
  /// Threads that run a kernel's blocks at once, the calling thread included.
  package let threads: Int

  /// Roughly the floating-point operations of one block: about 50 µs on one
  /// core, long enough that waking a thread is cheap beside it. A kernel
  /// with less than two blocks' worth runs whole; nothing at the S size splits.
  package static let defaultBlockWork = 1 << 22

  /// The fewest rows in a block of a layer product (twice as many columns
  /// for a weight gradient's blocks): OpenBLAS packs the other operand again
  /// for every block, memory traffic that costs little only when blocks are
  /// this large.
  package static let defaultBlockRows = 512

  /// No kernel is cut into more blocks than this.
  package static let maximumBlocks = 64

  /// The work of one block (a test hook: tests make it small so tiny shapes split).
  package let blockWork: Int

  /// The fewest rows or columns in a block of a layer product (a test hook like `blockWork`).
  package let blockRows: Int

  /// The split for `BLAS.setThreads`; one thread until it is called.
  ///
  /// Before `setThreads`, OpenBLAS may run threads of its own, and the
  /// kernels must not call it from several threads on top of those.
  package static var current: WorkSplit { WorkSplit(threads: BLAS.requestedThreads) }

  /// Everything on the calling thread.
  package static let single = WorkSplit(threads: 1)

  /// Everything on the calling thread, each kernel in one block (for work that is itself one block of a larger job).
  package static let whole = WorkSplit(threads: 1, blockWork: .max)

  /// Blocks scheduled on `threads` threads (more than `WorkerPool.maximumThreads` run as that many).
  package init(
    threads: Int, blockWork: Int = WorkSplit.defaultBlockWork, blockRows: Int = WorkSplit.defaultBlockRows
  ) {
    precondition(threads >= 1, "a split needs at least one thread")
    precondition(blockWork >= 1 && blockRows >= 1, "blocks need some work and rows")
    self.threads = Swift.min(threads, WorkerPool.maximumThreads)
    self.blockWork = blockWork
    self.blockRows = blockRows
    if self.threads > 1 { WorkerPool.shared.ensureWorkers(self.threads - 1) }
  }

  /// How many blocks `count` items costing `work` operations in all are cut
  /// into, each of at least `minimumItems` items: the shape alone decides.
  package func blocks(count: Int, work: Int, minimumItems: Int = 1) -> Int {
    Swift.max(1, Swift.min(work / blockWork, count / Swift.max(1, minimumItems), Self.maximumBlocks))
  }

  /// Runs `body(block)` for every block in `0..<blocks`, concurrently when there are threads for it.
  ///
  /// A kernel whose blocks add up to less than two blocks' `work` runs them all on the
  /// calling thread: waking a worker costs more than it saves (the same blocks, the same bits).
  package func run(blocks: Int, work: Int = .max, _ body: @Sendable (_ block: Int) -> Void) {
    guard threads > 1, blocks > 1, work >= 2 * blockWork else {
      for block in 0..<blocks { body(block) }
      return
    }
    WorkerPool.shared.run(blocks: blocks, helpers: threads - 1, body)
  }

  /// Runs `body(block, range)` over `0..<count` cut into blocks by `work` (see `blocks`).
  ///
  /// `work` estimates the total cost in floating-point operations; inner
  /// bounds fall on multiples of `alignment` so vector loops keep their lanes.
  package func forEachBlock(
    count: Int, work: Int, alignment: Int = 1, maximumBlocks: Int = WorkSplit.maximumBlocks,
    _ body: @Sendable (_ block: Int, _ range: Range<Int>) -> Void
  ) {
    let blocks = Swift.min(self.blocks(count: count, work: work, minimumItems: alignment), maximumBlocks)
    run(blocks: blocks) { block in
      body(block, Self.bounds(block, of: blocks, count: count, alignment: alignment))
    }
  }

  /// `forEachBlock` for bodies that need only the range.
  package func forEach(count: Int, work: Int, alignment: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
    forEachBlock(count: count, work: work, alignment: alignment) { _, range in body(range) }
  }

  /// The `block`-th of `blocks` contiguous ranges of `0..<count`, with inner bounds at multiples of `alignment`.
  package static func bounds(_ block: Int, of blocks: Int, count: Int, alignment: Int) -> Range<Int> {
    func cut(_ index: Int) -> Int {
      if index == blocks { return count }
      return (count * index / blocks) / alignment * alignment
    }
    return cut(block)..<cut(block + 1)
  }
}
