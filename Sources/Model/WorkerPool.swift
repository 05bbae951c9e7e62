import Dispatch
import Foundation
import Synchronization

/// Threads that live as long as the process and run the blocks of kernel calls.
///
/// A caller publishes a job (a number of blocks and a body), wakes up to
/// `helpers` sleeping workers and runs blocks itself; every participant
/// claims the next unclaimed block until none is left. The caller never waits
/// for a worker to start, so a job finishes even when every worker is busy
/// elsewhere (the compare view trains two models at once), and which thread
/// runs which block never matters: each block writes only its own outputs.
final class WorkerPool: Sendable {
  /// The process's pool; it starts threads only when a split asks for them.
  static let shared = WorkerPool()

  /// At most this many threads run a job (no step has more blocks, see `WorkSplit.maximumBlocks`).
  static let maximumThreads = 64

  private struct State {
    /// Jobs whose callers have not closed them, oldest first.
    var open: [Job] = []
    /// Worker threads started so far (they never exit).
    var started = 0
  }

  private let state = Locked(State())
  private let wake = DispatchSemaphore(value: 0)

  /// Starts worker threads until there are at least `count` (at most `maximumThreads` − 1).
  func ensureWorkers(_ count: Int) {
    let wanted = Swift.min(count, Self.maximumThreads - 1)
    let starting = state.withLock { state -> Int in
      let missing = Swift.max(0, wanted - state.started)
      state.started += missing
      return missing
    }
    for _ in 0..<starting {
      let thread = Thread { [self] in work() }
      thread.name = "nexttoken-worker"
      thread.start()
    }
  }

  /// Runs `body(block)` for every block in `0..<blocks`, on this thread and up to `helpers` workers.
  ///
  /// Returns when every block has run and no worker holds `body` any more.
  func run(blocks: Int, helpers: Int, _ body: @Sendable (Int) -> Void) {
    withoutActuallyEscaping(body) { body in
      let job = Job(blocks: blocks, helpers: helpers, body: body)
      state.withLock { $0.open.append(job) }
      for _ in 0..<Swift.min(helpers, blocks - 1) { wake.signal() }
      job.runBlocks()
      let mustWait = state.withLock { state -> Bool in
        state.open.removeAll { $0 === job }
        job.completion.closed.store(true, ordering: .relaxed)
        return job.completion.working.load(ordering: .relaxed) > 0
      }
      if mustWait { job.completion.finished.wait() }
    }
  }

  /// A worker thread's life: sleep until woken, then help with open jobs until none needs help.
  private func work() {
    while let completion = helpOnce() {
      if let finished = leave(completion) { finished.signal() }
    }
  }

  /// Sleeps until woken, then runs blocks of the oldest job that has some left.
  ///
  /// Returns the job's completion, to leave it by. The job itself (and so its
  /// body) is released when this returns, before the worker leaves: once the
  /// caller sees no worker inside, none holds its body.
  @inline(never)
  private func helpOnce() -> Completion? {
    var job = join()
    while job == nil {
      wake.wait()
      job = join()
    }
    guard let job else { return nil }
    job.runBlocks()
    return job.completion
  }

  private func join() -> Job? {
    state.withLock { state in
      guard
        let job = state.open.first(where: {
          $0.next.load(ordering: .relaxed) < $0.blocks && $0.completion.working.load(ordering: .relaxed) < $0.helpers
        })
      else { return nil }
      job.completion.working.add(1, ordering: .relaxed)
      return job
    }
  }

  private func leave(_ completion: Completion) -> DispatchSemaphore? {
    state.withLock { _ in
      let remaining = completion.working.subtract(1, ordering: .relaxed).newValue
      return remaining == 0 && completion.closed.load(ordering: .relaxed) ? completion.finished : nil
    }
  }
}

/// Who is still inside a job: kept apart from the job so a worker can leave without holding its body.
private final class Completion: Sendable {
  /// Workers that joined and have not left (changed only under the pool's lock).
  let working = Atomic<Int>(0)
  /// Set by the caller, under the pool's lock, once it stops accepting workers.
  let closed = Atomic<Bool>(false)
  /// Signalled by the last worker to leave a closed job.
  let finished = DispatchSemaphore(value: 0)
}

/// One kernel call's blocks, claimed one at a time by whoever runs them.
private final class Job: Sendable {
  let blocks: Int
  /// Workers allowed to join besides the caller.
  let helpers: Int
  let body: @Sendable (Int) -> Void
  /// The next unclaimed block.
  let next = Atomic<Int>(0)
  let completion = Completion()

  init(blocks: Int, helpers: Int, body: @escaping @Sendable (Int) -> Void) {
    self.blocks = blocks
    self.helpers = helpers
    self.body = body
  }

  func runBlocks() {
    while true {
      let block = next.add(1, ordering: .relaxed).oldValue
      guard block < blocks else { return }
      body(block)
    }
  }
}
