import ArgumentParser
import Model

/// `--threads N`, shared by every command that runs the model (train, trace, bench, shannon, learn, the browser).
///
/// Any count gives bit-identical results (the work is cut by the shape, not
/// the thread count), so it changes only speed; asking for more threads than
/// cores works, it is just no faster.
struct ThreadsOption: ParsableArguments {
  // Unconditional, so `--threads -1` reaches validate() and is refused as a count rather
  // than read as a flag ("Missing value").
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Threads for the model's passes; the results are the same for any count (default: the cores, at most \(BLAS.defaultThreadLimit); the app leaves one core to the screen).",
      valueName: "n"))
  var threads: Int?

  /// The count for a headless command.
  var headless: Int { threads ?? BLAS.headlessDefaultThreads }

  /// The count for training behind the app's screen.
  var app: Int { threads ?? BLAS.appDefaultThreads }

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more (got \(threads))") }
  }
}
