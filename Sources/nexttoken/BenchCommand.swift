import App
import ArgumentParser
import Foundation
import Model
import Training

/// `nexttoken bench`: training throughput at the design's sizes, and the cost of a frame.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure training tokens/s at the S, M and L sizes, and the busiest frame's render time.",
    discussion: """
      Random tokens, vocabulary 65. Tokens per second is batch × context per full step \
      (forward, backward, AdamW), the median over steps after a warm-up. GFLOP/s counts \
      6·N·tokens plus the attention products (6·L·T·C per token, fwd+bwd; no causal saving). \
      Each size also times its layer products alone (every linear layer and the output head, \
      forward and backward, with the step's shapes and blocks, each product a job of its own): \
      no step can beat that time, so B·T over it is a ceiling on tokens/s on this machine, \
      and the step's share of it shows how much the rest of the step costs. Without \
      --threads, each size runs on 1, 2, \
      … threads up to the cores (at most \(BLAS.defaultThreadLimit), then all of them), with the \
      speed-up over one thread.
      """)

  enum SizeChoice: String, ExpressibleByArgument, CaseIterable {
    case s = "S", m = "M", l = "L", all
    init?(argument: String) { self.init(rawValue: argument == "all" ? "all" : argument.uppercased()) }
  }

  @Option(help: "S, M, L or all.")
  var size: SizeChoice = .all

  @OptionGroup var threading: ThreadsOption

  @Option(help: "Measured steps per size (default: by size).")
  var steps: Int?

  @Flag(help: "One JSON object per measurement.")
  var json = false

  @Flag(name: .customLong("skip-render"), help: "Skip the frame rendering measurement.")
  var skipRender = false

  /// The app's budgets: a frame of the busiest screen, training with the UI open, the first frame.
  func measureApp() throws {
    let frame = try RenderBench.busiestFrame(width: 200, height: 60, frames: 200)
    if json {
      print(#"{"kind":"render","width":200,"height":60,"ms_per_frame":\#(String(format: "%.4f", frame.median * 1e3)),"cells_changed":\#(frame.cellsChanged)}"#)
    } else {
      print(String(format: "render+diff of the busiest screen (200×60): %.3f ms per frame (median of %d), %d cells changed per frame", frame.median * 1e3, frame.frames, frame.cellsChanged))
    }
    let map = try RenderBench.mapFrame(width: 200, height: 60, frames: 200)
    if json {
      print(#"{"kind":"render-map","width":200,"height":60,"ms_per_frame":\#(String(format: "%.4f", map.median * 1e3)),"cells_changed":\#(map.cellsChanged)}"#)
    } else {
      print(String(format: "render+diff of the embedding map (200×60): %.3f ms per frame (median of %d), %d cells changed per frame", map.median * 1e3, map.frames, map.cellsChanged))
    }
    fflush(nil)
    // Training with the live dashboard drawing at 30 fps, against nothing watching (M size).
    let run = RunConfiguration(
      corpus: "benchmark", objective: .clm, tokenizer: .char, layers: 2, heads: 4, dim: 64, context: 64, batch: 32,
      learningRate: 1e-3, warmupSteps: 0, seed: 1)
    let text = (0..<4000).map { i in "step \(i): the quick brown fox jumps over the lazy dog \(i % 7).\n" }.joined()
    // As the app runs: training on every core but one, the UI on that one.
    BLAS.setThreads(BLAS.appDefaultThreads)
    let overhead = try AppBench.uiOverhead(configuration: run, text: text, seconds: 8)
    if json {
      print(#"{"kind":"ui_overhead","headless_tokens_per_second":\#(Int(overhead.headlessTokensPerSecond)),"ui_tokens_per_second":\#(Int(overhead.withUITokensPerSecond)),"loss_percent":\#(String(format: "%.2f", overhead.loss * 100)),"frames":\#(overhead.framesDrawn),"early_steps":\#(overhead.earlySteps),"early_loss_percent":\#(String(format: "%.2f", overhead.earlyLoss * 100))}"#)
    } else {
      print(String(format: "training with the UI open: %.0f tokens/s vs %.0f headless (%.1f%% lost, %d frames drawn)", overhead.withUITokensPerSecond, overhead.headlessTokensPerSecond, overhead.loss * 100, overhead.framesDrawn))
      print(String(format: "  its first %d steps, with validation for the log axis and the history's traces: %.0f tokens/s vs %.0f headless (%.1f%% lost, once per run)", overhead.earlySteps, overhead.earlyWithUITokensPerSecond, overhead.earlyHeadlessTokensPerSecond, overhead.earlyLoss * 100))
    }
    fflush(nil)
    let first = try FirstFrameCommand.measureInChild()
    if json {
      print(#"{"kind":"first_frame","ms":\#(String(format: "%.2f", first * 1e3))}"#)
    } else {
      print(String(format: "first frame after launch (lesson browser, lessons loaded): %.1f ms", first * 1e3))
    }
  }

  struct Size {
    let name: String
    let config: ModelConfig
    let batch: Int
    let steps: Int
  }

  static func sizes() throws -> [Size] {
    [
      Size(name: "S", config: try ModelConfig(vocabSize: 65, contextLength: 16, channels: 32, layers: 1, heads: 2), batch: 8, steps: 2000),
      Size(name: "M", config: try ModelConfig(vocabSize: 65, contextLength: 64, channels: 64, layers: 2, heads: 4), batch: 32, steps: 100),
      Size(name: "L", config: try ModelConfig(vocabSize: 65, contextLength: 128, channels: 128, layers: 4, heads: 4), batch: 32, steps: 20),
    ]
  }

  func validate() throws {
    // Each measured step keeps its time: a million is hours of measuring and 8 MB of times.
    if let steps, !(1...1_000_000).contains(steps) { throw ValidationError("--steps must be from 1 to 1000000 (got \(steps))") }
  }

  /// The thread counts measured without --threads: 1 to the cores (at most the default limit), then all cores.
  static func defaultThreadCounts(cores: Int = BLAS.machineCores) -> [Int] {
    let counts = Array(1...max(1, min(cores, BLAS.defaultThreadLimit)))
    return cores > BLAS.defaultThreadLimit ? counts + [cores] : counts
  }

  func run() throws {
    let chosen = try Self.sizes().filter { size == .all || $0.name == size.rawValue }
    let threadCounts = threading.threads.map { [$0] } ?? Self.defaultThreadCounts()
    if !json {
      print("kernels: \(ModelBenchmark.kernels), larger products on OpenBLAS; \(BLAS.machineCores) cores")
      print("size  threads  tokens/s   ms/step   GFLOP/s  speed-up  parameters")
    }
    for size in chosen {
      var oneThreadRate: Double?
      for threadCount in threadCounts {
        let measured = steps ?? size.steps
        let seconds = ModelBenchmark.run(config: size.config, batch: size.batch, steps: measured, warmup: max(3, measured / 10), threads: threadCount)
        let median = seconds.sorted()[seconds.count / 2]
        let tokens = Double(size.batch * size.config.contextLength)
        let rate = tokens / median
        if threadCount == 1 { oneThreadRate = rate }
        let speedup = oneThreadRate.map { rate / $0 }
        let c = size.config
        let flopsPerToken = 6 * Double(c.parameterCount) + 6 * Double(c.layers * c.contextLength * c.channels)
        let gflops = flopsPerToken * rate / 1e9
        let products = ModelBenchmark.layerProducts(
          config: size.config, batch: size.batch, steps: measured, warmup: max(3, measured / 10), threads: threadCount)
        let productsMedian = products.sorted()[products.count / 2]
        let ceiling = tokens / productsMedian
        // Forward: 2·N·(12·C²·L + C·V); backward twice that.
        let productFlops = 6 * tokens * Double(12 * c.channels * c.channels * c.layers + c.channels * c.vocabSize)
        let productGflops = productFlops / productsMedian / 1e9
        if json {
          let speedupField = speedup.map { #","speedup":\#(String(format: "%.3f", $0))"# } ?? ""
          print(#"{"kind":"train","size":"\#(size.name)","threads":\#(threadCount),"tokens_per_second":\#(Int(rate)),"ms_per_step":\#(String(format: "%.4f", median * 1e3)),"gflops":\#(String(format: "%.2f", gflops))\#(speedupField),"parameters":\#(c.parameterCount),"steps":\#(measured),"kernels":"\#(ModelBenchmark.kernels)","products_ms_per_step":\#(String(format: "%.4f", productsMedian * 1e3)),"products_gflops":\#(String(format: "%.2f", productGflops)),"ceiling_tokens_per_second":\#(Int(ceiling))}"#)
        } else {
          let speedupText = speedup.map { String(format: "%7.2f×", $0) } ?? "       –"
          print(size.name.padding(toLength: 5, withPad: " ", startingAt: 0) + String(format: " %7d  %9.0f  %8.3f  %8.2f ", threadCount, rate, median * 1e3, gflops) + speedupText + "  \(c.parameterCount)")
          print(String(format: "      layer products alone: %.3f ms, %.1f GFLOP/s: ceiling %.0f tokens/s, the step reaches %.0f%%", productsMedian * 1e3, productGflops, ceiling, rate / ceiling * 100))
        }
        fflush(nil)
      }
    }
    guard !skipRender else { return }
    try measureApp()
  }
}
