import Dispatch

/// Times full training steps (forward, backward, AdamW) on random tokens.
public enum ModelBenchmark {
  /// Which build of the step's own kernels this CPU runs: "avx2+fma" or "portable".
  public static var kernels: String { SmallProductKernel.fastestVariant }

  /// Seconds per step for `steps` measured steps after `warmup` unmeasured ones.
  ///
  /// The model is seeded (seed 0), the batch is B × contextLength uniform
  /// random ids with CLM labels (the inputs shifted by one), and BLAS runs
  /// with `threads` threads. Tokens per second is B·T divided by a step's time.
  public static func run(config: ModelConfig, batch: Int, steps: Int, warmup: Int, threads: Int) -> [Double] {
    precondition(batch >= 1 && steps >= 1 && warmup >= 0, "batch and steps must be positive")
    BLAS.setThreads(threads)
    var generator = SeededGenerator(seed: 0)
    let model = GPT(config: config, maxBatch: batch, generator: &generator)
    let optimizer = AdamW()
    let T = config.contextLength
    let stream = (0..<(batch * T + 1)).map { _ in Int32(generator.nextInt(below: config.vocabSize)) }
    let inputs = Array(stream[0..<(batch * T)])
    let labels = Array(stream[1...])
    var seconds: [Double] = []
    seconds.reserveCapacity(steps)
    for index in 0..<(warmup + steps) {
      let start = DispatchTime.now().uptimeNanoseconds
      model.forward(inputs: inputs, labels: labels, batch: batch, length: T, causal: true)
      model.zeroGradients()
      model.backward()
      optimizer.step(model, learningRate: 1e-4)
      let end = DispatchTime.now().uptimeNanoseconds
      if index >= warmup { seconds.append(Double(end - start) * 1e-9) }
    }
    return seconds
  }
}
