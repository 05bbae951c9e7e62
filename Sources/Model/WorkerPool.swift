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
/// A step at the M size is about thirty jobs, most under a millisecond, with
/// short one-thread stretches between them. Waking a sleeping thread costs
/// tens of microseconds, so a worker that finishes a job spins for a while
/// (`spinNanoseconds`) watching for the next before it sleeps, and a caller
/// whose workers are still inside its job spins as long before it sleeps too.
final class WorkerPool: Sendable {
  /// The process's pool; it starts threads only when a split asks for them.
  static let shared = WorkerPool()

  /// At most this many threads run a job (no step has more blocks, see `WorkSplit.maximumBlocks`).
  static let maximumThreads = 64

  /// How long a thread spins for work (or for its workers) before it sleeps.
  ///
  /// Longer than the gaps between a step's jobs at the M size, short enough
  /// that an idle pool stops costing a core almost at once.
  static let spinNanoseconds: UInt64 = 200_000

  private struct State {
    /// Jobs whose callers have not closed them, oldest first.
    var open: [Job] = []
    /// Worker threads started so far (they never exit).
    var started = 0
    /// Workers asleep on `wake` that no caller has signalled yet.
    var sleeping = 0
  }

  private let state = Locked(State())
  private let wake = DispatchSemaphore(value: 0)
  /// Bumped after every job is published, so spinning workers notice it without taking the lock.
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
      // Only sleepers need a signal: spinning workers see `published` move.
      let waking = state.withLock { state -> Int in
        state.open.append(job)
        let waking = Swift.min(state.sleeping, helpers, blocks - 1)
        state.sleeping -= waking
        return waking
      }
      published.add(1, ordering: .releasing)
      for _ in 0..<waking { wake.signal() }
      job.runBlocks()
      let mustWait = state.withLock { state -> Bool in
        state.open.removeAll { $0 === job }
        job.completion.closed.store(true, ordering: .relaxed)
        return job.completion.working.load(ordering: .relaxed) > 0
      }
      guard mustWait else { return }
      // A worker is finishing its last block: usually a matter of microseconds.
      let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
      var spins = 0
      while job.completion.working.load(ordering: .acquiring) > 0 {
        nt_cpu_relax()
        spins += 1
        if spins % 64 == 0, DispatchTime.now().uptimeNanoseconds > deadline {
          job.completion.finished.wait()
          return
        }
      }
    }
  }

  /// A worker thread's life: find work (spinning, then sleeping), help with it, repeat.
  private func work() {
    while let completion = helpOnce() {
      if let finished = leave(completion) { finished.signal() }
    }
  }

  /// Waits for a job that has blocks left and runs them.
  ///
  /// Returns the job's completion, to leave it by. The job itself (and so its
  /// body) is released when this returns, before the worker leaves: once the
  /// caller sees no worker inside, none holds its body.
  @inline(never)
  private func helpOnce() -> Completion? {
    var job = join(sleepIfNone: false)
    if job == nil { job = spinForJob() }
    while job == nil {
      wake.wait()
      job = join(sleepIfNone: true)
    }
    guard let job else { return nil }
    job.runBlocks()
    return job.completion
  }

  /// Spins until a job is published and joined, or `spinNanoseconds` pass; then registers as a sleeper.
  ///
  /// Returns the joined job, or nil once this worker counts as sleeping and must wait on `wake`.
  private func spinForJob() -> Job? {
    let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
    var seen = published.load(ordering: .acquiring)
    var spins = 0
    while true {
      nt_cpu_relax()
      spins += 1
      let now = published.load(ordering: .acquiring)
      if now != seen {
        seen = now
        if let job = join(sleepIfNone: false) { return job }
      }
      if spins % 64 == 0, DispatchTime.now().uptimeNanoseconds > deadline {
        return join(sleepIfNone: true)
      }
    }
  }

  /// Joins the oldest job that has blocks left and room for a worker.
  ///
  /// With none and `sleepIfNone`, counts this worker as sleeping in the same
  /// critical section, so a caller publishing next is sure to signal it.
  private func join(sleepIfNone: Bool) -> Job? {
    state.withLock { state in
      guard
        let job = state.open.first(where: {
          $0.next.load(ordering: .relaxed) < $0.blocks && $0.completion.working.load(ordering: .relaxed) < $0.helpers
        })
      else {
        if sleepIfNone { state.sleeping += 1 }
        return nil
      }
      job.completion.working.add(1, ordering: .relaxed)
      return job
    }
  }

  private func leave(_ completion: Completion) -> DispatchSemaphore? {
    state.withLock { _ in
      let remaining = completion.working.subtract(1, ordering: .releasing).newValue
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
