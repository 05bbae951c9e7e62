import CKernels

extension GPT {
  /// The body of `backward()`, with the kernels split as `split` says.
  ///
  /// On one thread, or when the batch is a single block of sequences, the
  /// kernels run one after another over the whole batch (`backwardByKernel`);
  /// otherwise as jobs over blocks of sequences (`backwardBySequences`), which
  /// wake the threads a few times per step instead of at every kernel. The
  /// two give the same bits, which the thread-count tests check.
  func backward(split: WorkSplit) {
    let perBlock = backwardSequencesPerBlock(split: split)
    if split.threads > 1, perBlock < lastBatch {
      backwardBySequences(split: split, perBlock: perBlock)
    } else {
      backwardByKernel(split: split)
    }
  }

  /// Sequences in a block of the backward pass: at least the forward pass's, and no more blocks than attention has
  /// scratch areas.
  private func backwardSequencesPerBlock(split: WorkSplit) -> Int {
    let B = lastBatch, areas = attentionScratchBlocks(B: B, H: config.heads)
    return Swift.max(forwardSequencesPerBlock(batch: B, length: lastLength, blockRows: split.blockRows), (B + areas - 1) / areas)
  }

  /// The backward pass one kernel at a time, each over the whole batch (and cut into blocks on `split`'s threads).
  private func backwardByKernel(split: WorkSplit) {
    let a = training
    let B = lastBatch, T = lastLength, N = B * T
    let C = config.channels, V = config.vocabSize, H = config.heads, L = config.layers
    let p = parameterStorage.baseAddress!
    let g = gradientStorage.baseAddress!
    let dres = a.dresiduals[0], dln = a.dlns[0], datty = a.datty!, dqkv = a.dqkv!
    let datt = a.datt!, dfch = a.dfch!, dlogits = a.dlogits!

    crossEntropyBackward(
      dlogits: dlogits, probs: a.probs, labels: a.labels, rows: N, vocab: V, scale: 1 / Float(lastLabelledCount), split: split)
    logitsBackward(
      dinp: dln, dwte: g + layout.wte, dlogits: dlogits, inp: a.lnf, wte: p + layout.wte, rows: N, channels: C, vocab: V, split: split)
    dres.update(repeating: 0, count: N * C)
    layerNormBackward(
      dinp: dres, dweight: g + layout.lnfWeight, dbias: g + layout.lnfBias, dout: dln, inp: a.blocks[L - 1].residual3,
      weight: p + layout.lnfWeight, mean: a.lnfMean, rstd: a.lnfRstd, rows: N, channels: C)
    // dres now holds dL/d(residual stream); each LayerNorm backward adds its
    // branch's contribution to it, which is the residual connection's backward.
    for l in stride(from: L - 1, through: 0, by: -1) {
      let s = a.blocks[l]
      let w = layout.blocks[l]
      let blockInput = l == 0 ? a.encoded : a.blocks[l - 1].residual3
      matmulBackward(
        dinp: dfch, dweight: g + w.fcProjWeight, dbias: g + w.fcProjBias, dout: dres, inp: s.fchGelu,
        weight: p + w.fcProjWeight, rows: N, inChannels: 4 * C, outChannels: C, split: split)
      geluBackward(dinp: dfch, inp: s.fch, sigmoid: s.fchSigmoid, dout: dfch, count: N * 4 * C, split: split)
      matmulBackward(
        dinp: dln, dweight: g + w.fcWeight, dbias: g + w.fcBias, dout: dfch, inp: s.ln2,
        weight: p + w.fcWeight, rows: N, inChannels: C, outChannels: 4 * C, split: split)
      layerNormBackward(
        dinp: dres, dweight: g + w.ln2Weight, dbias: g + w.ln2Bias, dout: dln, inp: s.residual2,
        weight: p + w.ln2Weight, mean: s.ln2Mean, rstd: s.ln2Rstd, rows: N, channels: C)
      matmulBackward(
        dinp: datty, dweight: g + w.attnProjWeight, dbias: g + w.attnProjBias, dout: dres, inp: s.atty,
        weight: p + w.attnProjWeight, rows: N, inChannels: C, outChannels: C, split: split)
      attentionBackward(
        dqkv: dqkv, scratch: datt, dout: datty, qkv: s.qkv, att: s.att, B: B, T: T, C: C, H: H, causal: lastCausal,
        split: split)
      matmulBackward(
        dinp: dln, dweight: g + w.qkvWeight, dbias: g + w.qkvBias, dout: dqkv, inp: s.ln1,
        weight: p + w.qkvWeight, rows: N, inChannels: C, outChannels: 3 * C, split: split)
      layerNormBackward(
        dinp: dres, dweight: g + w.ln1Weight, dbias: g + w.ln1Bias, dout: dln, inp: blockInput,
        weight: p + w.ln1Weight, mean: s.ln1Mean, rstd: s.ln1Rstd, rows: N, channels: C)
    }
    encoderBackward(dwte: g + layout.wte, dwpe: g + layout.wpe, dout: dres, inputs: a.inputs, B: B, T: T, C: C)
  }

  /// The backward pass as jobs over blocks of `perBlock` whole sequences.
  ///
  /// What flows back through the rows is local to a row or to a sequence, as
  /// in the forward pass: the products' input gradients, GELU's, the
  /// LayerNorms', the residual stream's and attention's. Only the parameter
  /// gradients sum over every row. So the head and then each block (last to
  /// first) is two jobs: one over blocks of whole sequences, which takes them
  /// through every row-local pass, then one over the parameter gradients
  /// (column blocks of each weight gradient, a block for each bias, column
  /// blocks of the LayerNorms' gains and biases). The gradients these read
  /// are kept until they have run: three buffers take turns for the residual
  /// stream's. The output head's weight gradient reads only the logits' gradient
  /// and ln_f's output, which the last block's rows leave alone, so it runs in
  /// that block's job, first: one thread starts on it while the others take the
  /// sequences, instead of a job of its own in which the others would wait for
  /// it. Each parameter gets the same calls, in the same order, as from
  /// `backwardByKernel`.
  private func backwardBySequences(split: WorkSplit, perBlock: Int) {
    let a = training
    let B = lastBatch, T = lastLength, N = B * T
    let C = config.channels, V = config.vocabSize
    let blocks = (B + perBlock - 1) / perBlock
    let rowWork = forwardWork(rows: N, length: T)
    let scale = 1 / Float(lastLabelledCount), causal = lastCausal
    nonisolated(unsafe) let model = self, activations = a, g = gradientStorage.baseAddress!
    let wte = layout.wte
    split.run(blocks: blocks, work: rowWork) { block in
      let sequences = block * perBlock..<Swift.min(B, (block + 1) * perBlock)
      model.backwardHead(activations, sequences: sequences, length: T, scale: scale)
    }
    headNormGradients(a, rows: N)
    let embedding = logitsParameterBlocks(rows: N, channels: C, vocab: V, split: split)
    // The residual stream's gradient as the block's backward gets it: a.dresiduals[first].
    var first = 0
    for layer in stride(from: config.layers - 1, through: 0, by: -1) {
      let residual = first
      let head = layer == config.layers - 1 ? embedding : 0
      split.run(blocks: head + blocks, work: rowWork) { block in
        guard block >= head else {
          weightGradientBlock(
            block, of: head, dweight: g + wte, a: activations.dlogits!, b: activations.lnf, rows: V, columns: C,
            positions: N)
          return
        }
        let rowsBlock = block - head
        let sequences = rowsBlock * perBlock..<Swift.min(B, (rowsBlock + 1) * perBlock)
        model.backwardRows(
          activations, layer: layer, sequences: sequences, length: T, causal: causal, residual: residual,
          scratch: rowsBlock)
      }
      parameterGradients(a, layer: layer, rows: N, residual: residual, split: split)
      first = (first + 2) % 3
    }
    encoderBackward(
      dwte: g + layout.wte, dwpe: g + layout.wpe, dout: a.dresiduals[first], inputs: a.inputs, B: B, T: T, C: C)
  }

  /// The head's backward for `sequences`: the loss, the logits and ln_f into the residual stream's gradient.
  private func backwardHead(_ a: Activations, sequences: Range<Int>, length T: Int, scale: Float) {
    let C = config.channels, V = config.vocabSize
    let r = sequences.lowerBound * T, n = sequences.count * T
    let p = parameterStorage.baseAddress!
    let dln = a.dlns[0] + r * C, dres = a.dresiduals[0] + r * C
    crossEntropyBackward(dlogits: a.dlogits!, probs: a.probs, labels: a.labels, rows: r..<(r + n), vocab: V, scale: scale)
    logitsInputGradient(dinp: dln, dlogits: a.dlogits! + r * V, wte: p + layout.wte, rows: n, channels: C, vocab: V)
    nt_layernorm_backward_input(
      dres, nil, dln, a.blocks[config.layers - 1].residual3 + r * C, p + layout.lnfWeight, a.lnfMean + r,
      a.lnfRstd + r, n, C)
  }

  /// ln_f's gain and bias gradients, on this thread: the last block's rows overwrite the gradient they read.
  private func headNormGradients(_ a: Activations, rows N: Int) {
    let C = config.channels
    let g = gradientStorage.baseAddress!
    // One block of every column: each column sums its rows in order however the columns are cut.
    layerNormParameterBlock(
      0, of: 1, dweight: g + layout.lnfWeight, dbias: g + layout.lnfBias, dout: a.dlns[0],
      inp: a.blocks[a.blocks.count - 1].residual3, mean: a.lnfMean, rstd: a.lnfRstd, rows: N, channels: C)
  }

  /// Block `layer`'s backward for `sequences`, everything but its parameter gradients.
  ///
  /// The residual stream's gradient comes in a.dresiduals[residual]; with ln_2's
  /// part it is the next buffer, with ln_1's the one after (the next block's).
  private func backwardRows(
    _ a: Activations, layer: Int, sequences: Range<Int>, length T: Int, causal: Bool, residual: Int, scratch: Int
  ) {
    let C = config.channels, H = config.heads
    let r = sequences.lowerBound * T, n = sequences.count * T
    let p = parameterStorage.baseAddress!
    let s = a.blocks[layer], w = layout.blocks[layer]
    let blockInput = layer == 0 ? a.encoded : a.blocks[layer - 1].residual3
    let dresIn = a.dresiduals[residual] + r * C
    let dresMid = a.dresiduals[(residual + 1) % 3] + r * C
    let dresOut = a.dresiduals[(residual + 2) % 3] + r * C
    let dfch = a.dfch! + r * 4 * C, dln2 = a.dlns[0] + r * C, dln1 = a.dlns[1] + r * C
    let datty = a.datty! + r * C, dqkv = a.dqkv! + r * 3 * C
    linearInputGradient(dinp: dfch, dout: dresIn, weight: p + w.fcProjWeight, rows: n, inChannels: 4 * C, outChannels: C)
    nt_gelu_backward(dfch, s.fch + r * 4 * C, s.fchSigmoid + r * 4 * C, dfch, n * 4 * C)
    linearInputGradient(dinp: dln2, dout: dfch, weight: p + w.fcWeight, rows: n, inChannels: C, outChannels: 4 * C)
    nt_layernorm_backward_input(
      dresMid, dresIn, dln2, s.residual2 + r * C, p + w.ln2Weight, s.ln2Mean + r, s.ln2Rstd + r, n, C)
    linearInputGradient(dinp: datty, dout: dresMid, weight: p + w.attnProjWeight, rows: n, inChannels: C, outChannels: C)
    attentionBackward(
      dqkv: dqkv, scratch: a.datt! + scratch * T * T, dout: datty, qkv: s.qkv + r * 3 * C,
      att: s.att + sequences.lowerBound * H * T * T, B: sequences.count, T: T, C: C, H: H, causal: causal,
      split: .whole)
    linearInputGradient(dinp: dln1, dout: dqkv, weight: p + w.qkvWeight, rows: n, inChannels: C, outChannels: 3 * C)
    nt_layernorm_backward_input(
      dresOut, dresMid, dln1, blockInput + r * C, p + w.ln1Weight, s.ln1Mean + r, s.ln1Rstd + r, n, C)
  }

  /// Block `layer`'s parameter gradients, from what `backwardRows` left over every row.
  private func parameterGradients(_ a: Activations, layer: Int, rows N: Int, residual: Int, split: WorkSplit) {
    let C = config.channels
    nonisolated(unsafe) let g = gradientStorage.baseAddress!, s = a.blocks[layer]
    let w = layout.blocks[layer]
    nonisolated(unsafe) let dresIn = a.dresiduals[residual], dresMid = a.dresiduals[(residual + 1) % 3]
    nonisolated(unsafe) let dfch = a.dfch!, dqkv = a.dqkv!, dln2 = a.dlns[0], dln1 = a.dlns[1]
    nonisolated(unsafe) let blockInput = layer == 0 ? a.encoded : a.blocks[layer - 1].residual3
    // The largest first, so claiming them early balances the threads: c_fc, mlp's c_proj, c_attn, attn's c_proj.
    // Inline arrays, so the step allocates nothing.
    nonisolated(unsafe) let linears: InlineArray<4, LinearGradient> = [
      LinearGradient(weight: w.fcWeight, bias: w.fcBias, dout: dfch, inp: s.ln2, inChannels: C, outChannels: 4 * C),
      LinearGradient(
        weight: w.fcProjWeight, bias: w.fcProjBias, dout: dresIn, inp: s.fchGelu, inChannels: 4 * C, outChannels: C),
      LinearGradient(weight: w.qkvWeight, bias: w.qkvBias, dout: dqkv, inp: s.ln1, inChannels: C, outChannels: 3 * C),
      LinearGradient(
        weight: w.attnProjWeight, bias: w.attnProjBias, dout: dresMid, inp: s.atty, inChannels: C, outChannels: C),
    ]
    var counts = InlineArray<4, Int>(repeating: 0)
    for i in linears.indices {
      counts[i] = linearParameterBlocks(
        rows: N, inChannels: linears[i].inChannels, outChannels: linears[i].outChannels, hasBias: true, split: split)
    }
    let norm = layerNormParameterBlocks(channels: C)
    let linearBlocks = counts[0] + counts[1] + counts[2] + counts[3]
    let blockCounts = counts
    split.run(blocks: linearBlocks + 2 * norm, work: 2 * N * 12 * C * C) { block in
      var b = block
      for i in linears.indices {
        let linear = linears[i], count = blockCounts[i]
        if b < count {
          linearParameterBlock(
            b, of: count, dweight: g + linear.weight, dbias: g + linear.bias, dout: linear.dout, inp: linear.inp,
            rows: N, inChannels: linear.inChannels, outChannels: linear.outChannels)
          return
        }
        b -= count
      }
      if b < norm {
        layerNormParameterBlock(
          b, of: norm, dweight: g + w.ln2Weight, dbias: g + w.ln2Bias, dout: dln2, inp: s.residual2, mean: s.ln2Mean,
          rstd: s.ln2Rstd, rows: N, channels: C)
      } else {
        layerNormParameterBlock(
          b - norm, of: norm, dweight: g + w.ln1Weight, dbias: g + w.ln1Bias, dout: dln1, inp: blockInput,
          mean: s.ln1Mean, rstd: s.ln1Rstd, rows: N, channels: C)
      }
    }
  }
}

/// One linear layer's parameter gradient in a job of them: its offsets in the gradients, what flows into its output,
/// and its input.
private struct LinearGradient {
  let weight, bias: Int
  let dout, inp: UnsafeMutablePointer<Float>
  let inChannels, outChannels: Int
}
