import CBLAS

/// The system BLAS every matrix product goes through.
public enum BLAS {
  /// Sets how many threads OpenBLAS uses for each product (1 gives bit-identical runs).
  public static func setThreads(_ count: Int) {
    precondition(count >= 1, "thread count must be at least 1")
    openblas_set_num_threads(Int32(count))
  }

  /// The number of threads OpenBLAS currently uses.
  public static var threads: Int { Int(openblas_get_num_threads()) }
}
