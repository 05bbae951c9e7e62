import ArgumentParser
import Foundation
import Model
import Training

/// `nexttoken trace`: train K−1 steps, then record step K's every tensor to a file.
struct TraceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Export one training step's every tensor (safetensors) to check the math elsewhere.",
    discussion: "See the README for the names and a NumPy snippet that loads the file.")

  @OptionGroup var options: RunOptions

  @Option(help: "The step to record (1 = the first).")
  var step: Int = 1

  @Option(help: "Where to write the trace.")
  var out: String = "trace.safetensors"

  func validate() throws {
    guard step >= 1 else { throw ValidationError("--step must be 1 or more (got \(step))") }
    try checkSize(.steps, step, flag: "--step")
    try OutputPath.validate([("--out", out)], inputs: [OutputPath.corpusInput(options.configuration.corpus)].compactMap { $0 })
  }

  func run() throws {
    BLAS.setThreads(options.threading.headless)
    let trainer = try options.makeTrainer(evaluationInterval: 0)
    while trainer.stepCount < step - 1 {
      let result = trainer.step(recordTrace: false)
      guard result.isHealthy else {
        throw CommandFailure("the loss exploded (\(result.loss)) at step \(result.step); try a smaller --lr")
      }
    }
    let result = trainer.step(recordTrace: true)
    guard let trace = result.trace else { return }
    try TraceFile.write(trace, trainer: trainer, to: URL(fileURLWithPath: out))
    print("Wrote step \(trace.step) (loss \(trace.loss.formatted4) → \(trace.lossAfter.formatted4) after the update) to \(out)")
  }
}
