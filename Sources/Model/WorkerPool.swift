import CKernels
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
///
/// Waking a sleeping thread takes tens of microseconds (more in a virtual
/// machine), about a block's worth, and a training step runs a job every
/// millisecond or so. So a worker that runs out of blocks watches for the next
/// job for `watchNanoseconds` before it sleeps, and a caller whose workers
/// are still finishing their last blocks watches for them before it sleeps:
/// between the jobs of a step nobody sleeps, and an idle pool still sleeps.
/// With more threads than cores nobody watches: a watching thread would hold
/// the core the one it waits for needs.
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
    /// Workers that found no job and sleep on `wake`, or are about to: each is owed one signal.
    var sleeping = 0
  }

  /// How long a thread with nothing to do watches for work before it sleeps: longer than the gaps between a
  /// step's jobs, short beside a step.
  static let watchNanoseconds: UInt64 = 1_000_000

  /// The cores this process may run on: threads watch only while the pool has no more threads than this.
  private static let cores = ProcessInfo.processInfo.activeProcessorCount

  private let state = Locked(State())
  private let wake = DispatchSemaphore(value: 0)
  /// Counts the jobs published, so a watching worker sees a new one without taking the lock.
  private let published = Atomic<Int>(0)

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
      let (sleepers, crowded) = state.withLock { state -> (Int, Bool) in
        state.open.append(job)
        let woken = Swift.min(state.sleeping, helpers, blocks - 1)
        state.sleeping -= woken
        return (woken, state.started >= Self.cores)
      }
      published.add(1, ordering: .releasing)
      for _ in 0..<sleepers { wake.signal() }
      job.runBlocks()
      let mustWait = state.withLock { state -> Bool in
        state.open.removeAll { $0 === job }
        job.completion.closed.store(true, ordering: .relaxed)
        return job.completion.working.load(ordering: .relaxed) > 0
      }
      guard mustWait else { return }
      // The workers inside are on their last blocks: watch them leave before sleeping until the last one signals.
      if !crowded { Self.watch { job.completion.working.load(ordering: .acquiring) == 0 } }
      job.completion.finished.wait()
    }
  }

  /// Spins until `done()` or `watchNanoseconds` have passed; returns whether `done()` became true.
  @discardableResult
  private static func watch(until done: () -> Bool) -> Bool {
    let start = DispatchTime.now().uptimeNanoseconds
    while true {
      for _ in 0..<64 {
        if done() { return true }
        nt_spin_pause()
      }
      if DispatchTime.now().uptimeNanoseconds - start >= watchNanoseconds { return false }
    }
  }

  /// A worker thread's life: sleep until woken, then help with open jobs until none needs help.
  private func work() {
    while let completion = helpOnce() {
      if let finished = leave(completion) { finished.signal() }
    }
  }

  /// Watches for a job (see `watchNanoseconds`), else sleeps until woken, then runs blocks of the oldest job that
  /// has some left.
  ///
  /// Returns the job's completion, to leave it by. The job itself (and so its
  /// body) is released when this returns, before the worker leaves: once the
  /// caller sees no worker inside, none holds its body.
  @inline(never)
  private func helpOnce() -> Completion? {
    var seen = published.load(ordering: .acquiring)
    let (first, crowded) = state.withLock { (join(&$0), $0.started >= Self.cores) }
    var job = first
    if job == nil, !crowded {
      Self.watch {
        let now = published.load(ordering: .acquiring)
        guard now != seen else { return false }
        seen = now
        job = state.withLock { join(&$0) }
        return job != nil
      }
    }
    while job == nil {
      // Still nothing: say so under the lock, so the next job's caller knows to wake this thread.
      let found = state.withLock { state -> Job? in
        if let job = join(&state) { return job }
        state.sleeping += 1
        return nil
      }
      if let found {
        job = found
      } else {
        wake.wait()
        job = state.withLock { join(&$0) }
      }
    }
    guard let job else { return nil }
    job.runBlocks()
    return job.completion
  }

  /// The oldest open job that has blocks left and room for a helper, joined; the pool's lock is held.
  private func join(_ state: inout State) -> Job? {
    guard
      let job = state.open.first(where: {
        $0.next.load(ordering: .relaxed) < $0.blocks && $0.completion.working.load(ordering: .relaxed) < $0.helpers
      })
    else { return nil }
    job.completion.working.add(1, ordering: .relaxed)
    return job
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
