import CBLAS
import Foundation
import Synchronization

/// The system BLAS every matrix product goes through, and the training step's thread count.
public enum BLAS {
  /// The thread count last set, or 0 before `setThreads` is first called.
  private static let requested = Atomic<Int>(0)

  /// Sets how many threads a training step uses (results do not depend on it).
  ///
  /// The kernels cut their work into blocks by the shape alone (see
  /// `WorkSplit`) and run the blocks on this many threads: the caller and
  /// workers of a pool started here once. OpenBLAS itself stays on one thread
  /// inside each block: its own threads would split every product again by
  /// the thread count, and two pools on the same cores would fight over them.
  public static func setThreads(_ count: Int) {
    precondition(count >= 1, "thread count must be at least 1")
    requested.store(count, ordering: .relaxed)
    openblas_set_num_threads(1)
    WorkerPool.shared.ensureWorkers(count - 1)
  }

  /// The count given to the last `setThreads`, or 1 before it (the kernels then do not split).
  static var requestedThreads: Int { Swift.max(1, requested.load(ordering: .relaxed)) }

  /// The thread count a training step uses: the last `setThreads`, else OpenBLAS's own count.
  public static var threads: Int {
    let count = requested.load(ordering: .relaxed)
    return count > 0 ? count : Int(openblas_get_num_threads())
  }
}

extension BLAS {
  /// The most threads a step uses unless asked for more: beyond this the
  /// serial parts of a step (LayerNorm backward, the embedding gradient) and
  /// memory bandwidth leave little to gain at these model sizes.
  public static let defaultThreadLimit = 8

  /// The processors this process may run on.
  public static var machineCores: Int { Swift.max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// Threads for headless training: every core, at most `defaultThreadLimit`.
  public static var headlessDefaultThreads: Int { Swift.min(machineCores, defaultThreadLimit) }

  /// Threads for training behind the app's screen: every core but one, which draws (at least one).
  public static var appDefaultThreads: Int { Swift.max(1, Swift.min(machineCores - 1, defaultThreadLimit)) }
}
