import Curriculum
import Dispatch
import Foundation
import TermUI
import Training

/// Measures rendering and diffing the busiest screen: the live dashboard and stage view.
public enum RenderBench {
  public struct Result: Sendable {
    /// Median seconds to render and diff one frame.
    public let median: Double
    public let frames: Int
    /// Cells sent to the terminal per frame (median).
    public let cellsChanged: Int
  }

  /// Renders `frames` frames of a `width`×`height` dashboard, alternating two real traces.
  public static func busiestFrame(width: Int, height: Int, frames: Int) throws -> Result {
    let configuration = RunConfiguration(
      corpus: "benchmark", objective: .clm, tokenizer: .char, layers: 2, heads: 4, dim: 64, context: 64, batch: 4,
      learningRate: 3e-3, warmupSteps: 0, seed: 7)
    let text = String(repeating: "the quick brown fox jumps over the lazy dog. 注意力机制让模型学会关注。\n", count: 60)
    let trainer = try Trainer(configuration: configuration, text: text, evaluationInterval: 0)
    var snapshots: [SessionSnapshot] = []
    var losses: [Float] = []
    for _ in 0..<2 {
      let result = trainer.step(recordTrace: true)
      losses.append(result.loss)
      var snapshot = SessionSnapshot(learningRate: 3e-3, reference: trainer.reference, configuration: configuration)
      snapshot.trace = result.trace
      snapshot.tokenizer = trainer.tokenizer
      snapshot.step = result.step
      // A long history, so the plot and sparkline draw every column.
      snapshot.losses = (0..<2000).map { i in 4.2 * exp(-Float(i) / 600) + 1.2 + 0.05 * sin(Float(i + result.step)) }
      snapshot.gradientNorms = snapshot.losses.map { $0 / 3 }
      snapshot.validation = stride(from: 50, to: 2000, by: 50).map { ($0, 4.2 * exp(-Float($0) / 600) + 1.3) }
      snapshot.sample = trainer.sampleContinuation(prompt: "the ", tokens: 80)
      snapshot.tokensPerSecond = 123_456
      snapshot.state = .running
      snapshots.append(snapshot)
    }
    return timeFrames(size: Size(width: width, height: height), frames: frames) { frame, buffer, theme in
      let snapshot = snapshots[frame % 2]
      let halves = Rect(size: buffer.size).split(.horizontal, [.percentage(55), .fill(1)], spacing: 1)
      Dashboard(snapshot: snapshot, focus: Focus(position: frame % 64), language: .en, text: nil)
        .render(in: halves[0], buffer: &buffer, theme: theme)
      StageView(
        stage: .attention, trace: snapshot.trace!, tokenizer: snapshot.tokenizer!, focus: Focus(position: frame % 64),
        language: .en, reference: snapshot.reference
      ).render(in: halves[1], buffer: &buffer, theme: theme)
    }
  }

  /// Times `frames` frames of `draw` into a cleared buffer and the diff against the frame before.
  ///
  /// The first five frames warm up and are not counted.
  static func timeFrames(
    size: Size, frames: Int, draw: (_ frame: Int, _ buffer: inout Buffer, _ theme: Theme) -> Void
  ) -> Result {
    let theme = Theme(capability: .truecolor)
    var previous = Buffer(size: size)
    var current = Buffer(size: size)
    var seconds: [Double] = []
    var changed: [Int] = []
    for frame in 0..<frames {
      let start = DispatchTime.now().uptimeNanoseconds
      current.reset()
      draw(frame, &current, theme)
      let changes = current.diff(from: previous)
      let end = DispatchTime.now().uptimeNanoseconds
      swap(&previous, &current)
      if frame >= 5 {
        seconds.append(Double(end - start) * 1e-9)
        changed.append(changes.count)
      }
    }
    seconds.sort()
    changed.sort()
    return Result(median: seconds[seconds.count / 2], frames: seconds.count, cellsChanged: changed[changed.count / 2])
  }
}

extension RenderBench {
  /// Renders `frames` frames of the embedding map screen, alternating two aligned maps of a BPE model (trails included).
  ///
  /// The map is projected once, as the session does off the main thread; a frame is the
  /// drawing alone (labels, dots, trails) and the diff.
  public static func mapFrame(width: Int, height: Int, frames: Int) throws -> Result {
    let configuration = RunConfiguration(
      corpus: "benchmark", objective: .clm, tokenizer: .bpe, bpeMerges: 400, layers: 1, heads: 2, dim: 64, context: 32, batch: 4,
      learningRate: 3e-3, warmupSteps: 0, seed: 7)
    let text = String(repeating: "the quick brown fox jumps over the lazy dog. 注意力机制让模型学会关注。 Pack my box with five dozen liquor jugs!\n", count: 80)
    let trainer = try Trainer(configuration: configuration, text: text, evaluationInterval: 0)
    var maps: [EmbeddingMap] = []
    for _ in 0..<6 {
      _ = trainer.step(recordTrace: false)
      let picked = maps.first.map { $0.tokens[$0.frequencyOrder[3]] }
      maps.append(try EmbeddingMap(model: trainer.model, counts: trainer.tokenCounts, step: trainer.stepCount, request: EmbeddingMapRequest(previousAxes: maps.last?.axes, picked: picked)))
    }
    return timeFrames(size: Size(width: width, height: height), frames: frames) { frame, buffer, theme in
      EmbeddingMapView(map: maps[4 + frame % 2], tokenizer: trainer.tokenizer, history: Array(maps.prefix(4)), language: .en)
        .render(in: Rect(size: buffer.size), buffer: &buffer, theme: theme)
    }
  }
}
