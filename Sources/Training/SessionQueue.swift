import Dispatch
import Model

/// Where a session's commands run, one at a time and in the order they were sent.
///
/// The app gives each session its own serial dispatch queue. Tests of screens may ask for a
/// queue that runs nothing by itself: its work waits until the caller's thread serves it
/// (`waitUntilIdle`), so a whole app is driven on one thread, with no sleeping and no
/// second thread, while the session's own code does the training.
package final class SessionQueue: Sendable {
  /// nil: the caller's thread serves the work when it waits.
  private let dispatch: DispatchQueue?
  private let pending = Locked<[@Sendable () -> Void]>([])
  /// True while the caller's thread serves work, so work that waits for the queue runs at once.
  private let serving = Locked(false)

  /// A serial dispatch queue of its own.
  package init(label: String) {
    dispatch = DispatchQueue(label: label, qos: .userInitiated)
  }

  private init() {
    dispatch = nil
  }

  /// A queue whose work runs on the caller's thread when it waits for the queue (tests).
  package static func onCallersThread() -> SessionQueue { SessionQueue() }

  /// Runs `work` after the work sent before it.
  package func async(_ work: @escaping @Sendable () -> Void) {
    if let dispatch { dispatch.async(execute: work) } else { pending.withLock { $0.append(work) } }
  }

  /// Runs `work` after `seconds` at the earliest; on the caller's thread, at its next wait.
  package func async(after seconds: Double, _ work: @escaping @Sendable () -> Void) {
    if let dispatch {
      dispatch.asyncAfter(deadline: .now() + seconds, execute: work)
    } else {
      async(work)
    }
  }

  /// Serves the work sent so far, then runs `work`; returns once both are done.
  ///
  /// On the caller's thread, work that the served work sends in turn (a running session's
  /// next slice) waits for the next call, as it would wait behind `sync` on a dispatch queue.
  package func sync<Value>(_ work: () -> Value) -> Value {
    if let dispatch { return dispatch.sync(execute: work) }
    if serving.withLock({ $0 }) { return work() }
    serving.withLock { $0 = true }
    let due = pending.withLock { list in
      defer { list = [] }
      return list
    }
    for job in due { job() }
    serving.withLock { $0 = false }
    return work()
  }
}
