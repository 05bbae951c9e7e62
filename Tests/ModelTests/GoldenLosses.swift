/// The committed golden fixture: the first ten losses of `TrainingRunTests.goldenRun()`.
///
/// Recorded on x86-64 with OpenBLAS; other CPUs round BLAS sums differently,
/// hence the 1e-4 tolerance. To re-record after an intended change of the
/// math, run the test with NEXTTOKEN_PRINT_GOLDEN=1 and paste the printed values.
enum GoldenLosses {
  static let firstTen: [Float] = [
    2.619547, 2.545705, 2.5113647, 2.4894474, 2.4352028, 2.372774, 2.3230379, 2.3184328, 2.295641, 2.2354164,
  ]
}
