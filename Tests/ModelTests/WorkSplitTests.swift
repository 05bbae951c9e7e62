import CKernels
import Dispatch
import Foundation
import Synchronization
import Testing
@testable import Model
import TestSupport

/// Every kernel gives bit-identical results on 1, 2, 3, 4 and 7 threads.
///
/// The splits use tiny blocks, so every kernel is cut into several blocks
/// even at these small shapes and does run concurrently (7 threads on fewer
/// cores run oversubscribed); odd counts exercise the scalar tails.
@Suite struct WorkSplitTests {
  let splits = [1, 2, 3, 4, 7].map { WorkSplit(threads: $0, blockWork: 1 << 12, blockRows: 8) }

  func values(_ count: Int, seed: UInt64, scale: Double = 1) -> [Float] {
    var g = SeededGenerator(seed: seed)
    return randomValues(count, scale: scale, generator: &g).map(Float.init)
  }

  @Test(arguments: [true, false]) func attentionMatchesAcrossSplits(causal: Bool) {
    let B = 4, T = 64, C = 64, H = 4
    let qkv = values(B * T * 3 * C, seed: 1)
    let dout = values(B * T * C, seed: 2)
    var results: [[Float]] = []
    for split in splits {
      var out = [Float](repeating: 0, count: B * T * C)
      var att = [Float](repeating: 0, count: B * H * T * T)
      var dqkv = [Float](repeating: 0, count: B * T * 3 * C)
      var scratch = [Float](repeating: 0, count: attentionScratchBlocks(B: B, H: H) * T * T)
      attentionForward(out: &out, att: &att, qkv: qkv, B: B, T: T, C: C, H: H, causal: causal, split: split)
      attentionBackward(
        dqkv: &dqkv, scratch: &scratch, dout: dout, qkv: qkv, att: att, B: B, T: T, C: C, H: H, causal: causal,
        split: split)
      results.append(out + att + dqkv)
    }
    #expect(results.allSatisfy { $0 == results[0] })
    #expect(results[0].contains { $0 != 0 })
  }

  @Test func elementwiseKernelsMatchAcrossSplits() {
    let count = 100_003
    let x = values(count, seed: 3, scale: 3)
    let upstream = values(count, seed: 4)
    var results: [[Float]] = []
    for split in splits {
      var out = [Float](repeating: 0, count: count)
      var sigmoid = [Float](repeating: 0, count: count)
      var dinp = [Float](repeating: 0, count: count)
      geluForward(out: &out, sigmoid: &sigmoid, inp: x, count: count, split: split)
      geluBackward(dinp: &dinp, inp: x, sigmoid: sigmoid, dout: upstream, count: count, split: split)
      results.append(out + sigmoid + dinp)
    }
    #expect(results.allSatisfy { $0 == results[0] })
  }

  @Test func layerNormAndCrossEntropyMatchAcrossSplits() {
    let N = 4099, C = 64, V = 65
    let x = values(N * C, seed: 5, scale: 2)
    let weight = values(C, seed: 6), bias = values(C, seed: 7)
    let logits = values(N * V, seed: 8, scale: 4)
    let labels = (0..<N).map { Int32($0 % 7 == 0 ? Int(ignoredLabel) : $0 % V) }
    var results: [[Float]] = []
    var totals: [Double] = []
    for split in splits {
      var out = [Float](repeating: 0, count: N * C)
      var mean = [Float](repeating: 0, count: N), rstd = [Float](repeating: 0, count: N)
      layerNormForward(
        out: &out, mean: &mean, rstd: &rstd, inp: x, weight: weight, bias: bias, rows: N, channels: C, split: split)
      var probs = [Float](repeating: 0, count: N * V), losses = [Float](repeating: 0, count: N)
      var dlogits = [Float](repeating: 0, count: N * V)
      let (total, count) = crossEntropyForward(
        probs: &probs, losses: &losses, logits: logits, labels: labels, rows: N, vocab: V, split: split)
      crossEntropyBackward(
        dlogits: &dlogits, probs: probs, labels: labels, rows: N, vocab: V, scale: 1 / Float(count), split: split)
      #expect(count == N - (N + 6) / 7)
      results.append(out + mean + rstd + probs + losses + dlogits)
      totals.append(total)
    }
    #expect(results.allSatisfy { $0 == results[0] })
    #expect(totals.allSatisfy { $0 == totals[0] })
  }

  /// LayerNorm's backward cut two ways (rows for dinp, columns for the summed gain and bias): one pass's bits.
  @Test(arguments: [64, 19]) func layerNormBackwardCutTwoWaysMatchesOnePass(channels C: Int) {
    let N = 1031
    let x = values(N * C, seed: 17, scale: 2), upstream = values(N * C, seed: 18)
    let weight = values(C, seed: 19), bias = values(C, seed: 20)
    var mean = [Float](repeating: 0, count: N), rstd = mean, out = [Float](repeating: 0, count: N * C)
    layerNormForward(out: &out, mean: &mean, rstd: &rstd, inp: x, weight: weight, bias: bias, rows: N, channels: C)
    func fresh() -> (dinp: [Float], dweight: [Float], dbias: [Float]) {
      ([Float](repeating: 0.5, count: N * C), [Float](repeating: 0.25, count: C), [Float](repeating: -0.25, count: C))
    }
    var onePass = fresh()
    layerNormBackward(
      dinp: &onePass.dinp, dweight: &onePass.dweight, dbias: &onePass.dbias, dout: upstream, inp: x, weight: weight,
      mean: mean, rstd: rstd, rows: N, channels: C)
    for (rowBlocks, columnBlocks) in [(1, 1), (3, 2), (7, 3)] {
      var cut = fresh()
      for block in 0..<rowBlocks {
        let rows = WorkSplit.bounds(block, of: rowBlocks, count: N, alignment: 1)
        let first = rows.lowerBound
        cut.dinp.withUnsafeMutableBufferPointer { dinp in
          nt_layernorm_backward_input(
            dinp.baseAddress! + first * C, dinp.baseAddress! + first * C, upstream.withUnsafeBufferPointer { $0.baseAddress! } + first * C,
            x.withUnsafeBufferPointer { $0.baseAddress! } + first * C, weight, mean.withUnsafeBufferPointer { $0.baseAddress! } + first,
            rstd.withUnsafeBufferPointer { $0.baseAddress! } + first, rows.count, C)
        }
      }
      for block in 0..<columnBlocks {
        layerNormParameterBlock(
          block, of: columnBlocks, dweight: &cut.dweight, dbias: &cut.dbias, dout: upstream, inp: x, mean: mean,
          rstd: rstd, rows: N, channels: C)
      }
      #expect(cut.dinp == onePass.dinp, "dinp in \(rowBlocks) row blocks")
      #expect(cut.dweight == onePass.dweight && cut.dbias == onePass.dbias, "gain and bias in \(columnBlocks) column blocks")
    }
  }

  @Test func linearLayersMatchAcrossSplits() {
    let N = 517, IC = 64, OC = 100, V = 65
    let inp = values(N * IC, seed: 9), weight = values(IC * OC, seed: 10), bias = values(OC, seed: 11)
    let residual = values(N * OC, seed: 12), dout = values(N * OC, seed: 13)
    let wte = values(V * IC, seed: 14), dlogits = values(N * V, seed: 15)
    var results: [[[Float]]] = []
    for split in splits {
      var out = [Float](repeating: 0, count: N * OC)
      var dinp = [Float](repeating: 0, count: N * IC)
      var dweight = [Float](repeating: 0.5, count: IC * OC), dbias = [Float](repeating: 0.25, count: OC)
      var logits = [Float](repeating: 0, count: N * V)
      var dln = [Float](repeating: 0, count: N * IC), dwte = [Float](repeating: 0, count: V * IC)
      matmulForward(
        out: &out, inp: inp, weight: weight, bias: bias, rows: N, inChannels: IC, outChannels: OC, residual: residual,
        split: split)
      matmulBackward(
        dinp: &dinp, dweight: &dweight, dbias: &dbias, dout: dout, inp: inp, weight: weight,
        rows: N, inChannels: IC, outChannels: OC, split: split)
      logitsForward(logits: &logits, inp: inp, wte: wte, rows: N, channels: IC, vocab: V, split: split)
      logitsBackward(
        dinp: &dln, dwte: &dwte, dlogits: dlogits, inp: inp, wte: wte, rows: N, channels: IC, vocab: V, split: split)
      results.append([out, dinp, dweight, dbias, logits, dln, dwte])
    }
    for (index, name) in ["out", "dinp", "dweight", "dbias", "logits", "dln", "dwte"].enumerated() {
      for (split, result) in zip(splits, results) {
        #expect(result[index] == results[0][index], "\(name) differs between 1 and \(split.threads) threads")
      }
    }
  }

  @Test func adamWMatchesAcrossSplits() throws {
    let config = try ModelConfig(vocabSize: 65, contextLength: 64, channels: 128, layers: 2, heads: 4)
    var models: [GPT] = []
    for split in splits {
      var g = SeededGenerator(seed: 16)
      let model = GPT(config: config, maxBatch: 1, generator: &g)
      let tokens = (0...64).map { Int32($0 * 7 % 65) }
      model.forward(inputs: Array(tokens[0..<64]), labels: Array(tokens[1...]), batch: 1, length: 64, causal: true)
      model.zeroGradients()
      model.backward()
      let optimizer = AdamW()
      optimizer.step(model, learningRate: 1e-3, split: split)
      optimizer.step(model, learningRate: 1e-3, split: split)
      models.append(model)
    }
    let parameters = models.map { model in model.withParametersAndGradients { p, _ in Array(p) } }
    #expect(parameters.allSatisfy { $0 == parameters[0] })
  }

  /// The forward pass runs as one job over blocks of whole sequences: however the batch is cut, the same bits.
  ///
  /// One sequence a block, several (cut across a layer's rows at odd places),
  /// and the whole batch in one block, on one and on several threads.
  @Test(arguments: [true, false]) func forwardPassMatchesForEveryCutIntoSequences(causal: Bool) throws {
    let config = try ModelConfig(vocabSize: 23, contextLength: 12, channels: 24, layers: 2, heads: 3)
    let B = 9, T = 12, N = B * T
    var generator = SeededGenerator(seed: 5)
    let model = GPT(config: config, maxBatch: B, generator: &generator)
    let inputs = (0..<N).map { _ in Int32(generator.nextInt(below: 23)) }
    let labels = (0..<N).map { index in index % 5 == 0 ? ignoredLabel : Int32(generator.nextInt(below: 23)) }
    model.forward(inputs: inputs, labels: labels, batch: B, length: T, causal: causal)
    let a = model.training
    var results: [[Float]] = []
    var totals: [Double] = []
    for blockRows in [1, 30, 1000] {
      for threads in [1, 3] {
        let split = WorkSplit(threads: threads, blockWork: 1 << 10, blockRows: blockRows)
        let (total, count) = model.run(a, batch: B, length: T, causal: causal, hasLabels: true, split: split)
        #expect(count == labels.filter { $0 != ignoredLabel }.count)
        totals.append(total)
        let last = a.blocks[config.layers - 1]
        results.append(
          Array(UnsafeBufferPointer(start: a.probs, count: N * 23)) + Array(UnsafeBufferPointer(start: a.losses, count: N))
            + Array(UnsafeBufferPointer(start: last.residual3, count: N * 24))
            + Array(UnsafeBufferPointer(start: last.att, count: B * 3 * T * T)))
      }
    }
    #expect(model.forwardSequencesPerBlock(batch: B, length: T, blockRows: 30) == 3)
    #expect(results.allSatisfy { $0 == results[0] })
    #expect(totals.allSatisfy { $0 == totals[0] })
  }

  /// The backward pass by blocks of sequences gives every gradient the bits of the one-kernel-at-a-time pass.
  ///
  /// One thread runs the kernels one after another; several run the jobs
  /// over blocks of four, five or nine sequences (attention has fewer scratch
  /// areas than there are sequences here).
  @Test(arguments: [true, false]) func backwardBySequencesMatchesKernelByKernel(causal: Bool) throws {
    let config = try ModelConfig(vocabSize: 23, contextLength: 12, channels: 24, layers: 2, heads: 3)
    let B = 40, T = 12, N = B * T
    var generator = SeededGenerator(seed: 6)
    let model = GPT(config: config, maxBatch: B, generator: &generator)
    let inputs = (0..<N).map { _ in Int32(generator.nextInt(below: 23)) }
    let labels = (0..<N).map { index in index % 7 == 0 ? ignoredLabel : Int32(generator.nextInt(below: 23)) }
    model.forward(inputs: inputs, labels: labels, batch: B, length: T, causal: causal)
    var gradients: [[Float]] = []
    // Blocks of at least 48 rows keep each weight gradient in one column block (a cut there would move small
    // column blocks to the small-product kernel, whichever way the rows flow); sequences go 4, 5 and 9 to a block.
    for (threads, blockRows) in [(1, 512), (2, 48), (3, 60), (7, 100)] {
      model.zeroGradients()
      model.backward(split: WorkSplit(threads: threads, blockWork: 1 << 10, blockRows: blockRows))
      gradients.append(model.withParametersAndGradients { _, g in Array(g) })
    }
    #expect(gradients[0].contains { $0 != 0 })
    for (index, gradient) in gradients.enumerated().dropFirst() {
      let differing = zip(gradient, gradients[0]).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
      #expect(differing.isEmpty, "cut \(index): \(differing.count) gradients differ from one kernel at a time, first at \(differing.prefix(3))")
    }
  }

  @Test func blocksDependOnTheShapeAlone() {
    // The default sizes: a product at the M size is cut into row blocks of at
    // least 128 rows, the same for every thread count; S-size work stays whole.
    for threads in [1, 2, 7] {
      let split = WorkSplit(threads: threads)
      #expect(split.blocks(count: 2048, work: 2 * 2048 * 64 * 192, minimumItems: 128) == 12)
      #expect(split.blocks(count: 128, work: 2 * 128 * 32 * 96, minimumItems: 128) == 1)
      #expect(split.blocks(count: 1 << 20, work: 1 << 40) == WorkSplit.maximumBlocks)
    }
    let bounds = (0..<3).map { WorkSplit.bounds($0, of: 3, count: 100, alignment: 8) }
    #expect(bounds == [0..<32, 32..<64, 64..<100])
  }

  @Test func aWorkerJoinsWhetherItWatchedOrSlept() {
    // Each job's two blocks wait for each other, so a job ends only once a
    // worker has taken one: right after the last job (the worker still
    // watches for work) and after a pause longer than the watch (it sleeps,
    // and the job must wake it). A worker that never came would leave the
    // blocks waiting until their deadline, far beyond any wake-up.
    let split = WorkSplit(threads: 2, blockWork: 1)
    for round in 0..<6 {
      if round % 2 == 1 { Thread.sleep(forTimeInterval: 0.02) }
      let meeting = Meeting()
      split.run(blocks: 2) { _ in meeting.arriveAndWait(for: 2) }
      #expect(meeting.met.load(ordering: .relaxed) == 2, "round \(round): the blocks ran one after the other")
    }
  }

  @Test func poolRunsEveryBlockOnceWhileAnotherCallerUsesIt() async {
    // Two callers share the pool at once, as the compare view's two sessions do.
    let split = WorkSplit(threads: 4, blockWork: 1)
    await withTaskGroup(of: [Int].self) { group in
      for _ in 0..<2 {
        group.addTask {
          var totals: [Int] = []
          for round in 0..<200 {
            let blocks = 1 + round % 9
            // Each block bumps only its own counter, so plain memory will do.
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: blocks)
            counts.initialize(repeating: 0)
            nonisolated(unsafe) let shared = counts
            split.run(blocks: blocks) { block in shared[block] += 1 }
            totals.append(counts.reduce(0, +))
            #expect(counts.allSatisfy { $0 == 1 })
            counts.deallocate()
          }
          return totals
        }
      }
      for await totals in group {
        #expect(totals == (0..<200).map { 1 + $0 % 9 })
      }
    }
  }
}

/// Blocks that wait for one another, to show they ran at the same time on different threads.
private final class Meeting: Sendable {
  let arrived = Atomic<Int>(0)
  /// How many arrivals saw everyone come before the deadline.
  let met = Atomic<Int>(0)

  /// Arrives, then waits (at most 10 s) until `count` have arrived.
  func arriveAndWait(for count: Int) {
    arrived.add(1, ordering: .sequentiallyConsistent)
    let deadline = DispatchTime.now().uptimeNanoseconds + 10_000_000_000
    while DispatchTime.now().uptimeNanoseconds < deadline {
      if arrived.load(ordering: .sequentiallyConsistent) >= count {
        met.add(1, ordering: .sequentiallyConsistent)
        return
      }
    }
  }
}
