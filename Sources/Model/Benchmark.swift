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

extension ModelBenchmark {
  /// Seconds per step for the step's layer products alone, with its shapes and blocks, each product a job of its own.
  ///
  /// Every linear layer's product and the output head's, forward and backward,
  /// with the step's shapes, row blocks and thread split, on placeholder
  /// values. A step cannot be faster than these products, so B·T over this
  /// time is a ceiling on its tokens/s: attention, LayerNorm, GELU, the
  /// softmaxes and AdamW only lower it. It shows how much of the machine's
  /// matrix speed (OpenBLAS, the system BLAS) the whole step keeps.
  public static func layerProducts(config: ModelConfig, batch: Int, steps: Int, warmup: Int, threads: Int) -> [Double] {
    precondition(batch >= 1 && steps >= 1 && warmup >= 0, "batch and steps must be positive")
    BLAS.setThreads(threads)
    let split = WorkSplit.current
    let N = batch * config.contextLength, C = config.channels, V = config.vocabSize
    var buffers: [UnsafeMutablePointer<Float>] = []
    defer { for buffer in buffers { buffer.deallocate() } }
    func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
      let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
      // Small normal values: zeros could take shortcuts, denormals slow paths.
      for index in 0..<count { pointer[index] = Float(index % 17 - 8) * 1e-3 }
      buffers.append(pointer)
      return pointer
    }
    let inp = buffer(N * 4 * C), out = buffer(N * 4 * C), dout = buffer(N * 4 * C), dinp = buffer(N * 4 * C)
    let weight = buffer(4 * C * C), dweight = buffer(4 * C * C), bias = buffer(4 * C), dbias = buffer(4 * C)
    let wte = buffer(V * C), dwte = buffer(V * C), logits = buffer(N * V)
    // Per block: qkv, attention projection (onto the residual), MLP up, MLP down (onto the residual).
    let layers = [(C, 3 * C, false), (C, C, true), (C, 4 * C, false), (4 * C, C, true)]
    var seconds: [Double] = []
    seconds.reserveCapacity(steps)
    for index in 0..<(warmup + steps) {
      let start = DispatchTime.now().uptimeNanoseconds
      for _ in 0..<config.layers {
        for (inChannels, outChannels, residual) in layers {
          matmulForward(
            out: out, inp: inp, weight: weight, bias: bias, rows: N, inChannels: inChannels, outChannels: outChannels,
            residual: residual ? inp : nil, split: split)
        }
      }
      logitsForward(logits: logits, inp: inp, wte: wte, rows: N, channels: C, vocab: V, split: split)
      logitsBackward(dinp: dinp, dwte: dwte, dlogits: logits, inp: inp, wte: wte, rows: N, channels: C, vocab: V, split: split)
      for _ in 0..<config.layers {
        for (inChannels, outChannels, _) in layers.reversed() {
          matmulBackward(
            dinp: dinp, dweight: dweight, dbias: dbias, dout: dout, inp: inp, weight: weight, rows: N,
            inChannels: inChannels, outChannels: outChannels, split: split)
        }
      }
      let end = DispatchTime.now().uptimeNanoseconds
      if index >= warmup { seconds.append(Double(end - start) * 1e-9) }
    }
    return seconds
  }
}
