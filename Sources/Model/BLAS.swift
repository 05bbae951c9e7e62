import CBLAS
import Synchronization

/// The system BLAS every matrix product goes through, and the training step's thread count.
public enum BLAS {
  /// The thread count last set, or 0 before `setThreads` is first called.
  private static let requested = Atomic<Int>(0)

  /// Sets how many threads a training step uses (results do not depend on it).
  ///
  /// With one thread OpenBLAS runs on one thread. With more, the kernels
  /// split their own work two ways, by rows, heads or whole products (see
  /// `WorkSplit`), and OpenBLAS stays on one thread: at these sizes its own
  /// threads, handed work per call, cost more than they gain. Products are
  /// cut only where the shape alone decides (see `rowBlockWork`), so every
  /// result is bit-identical to one thread.
  public static func setThreads(_ count: Int) {
    precondition(count >= 1, "thread count must be at least 1")
    requested.store(count, ordering: .relaxed)
    openblas_set_num_threads(1)
  }

  /// The count given to the last `setThreads`, or 1 before it (the kernels then do not split).
  static var requestedThreads: Int { Swift.max(1, requested.load(ordering: .relaxed)) }

  /// The thread count a training step uses: the last `setThreads`, else OpenBLAS's own count.
  public static var threads: Int {
    let count = requested.load(ordering: .relaxed)
    return count > 0 ? count : Int(openblas_get_num_threads())
  }
}
