import CBLAS
import CKernels

// Every OpenBLAS product here passes β = 1 into a cleared or prefilled output:
// OpenBLAS's β = 0 path clears C in a separate slow pass, which measured
// slower than clearing it ourselves.

/// Row-major single-precision GEMM: c = alpha · op(a) · op(b) + beta · c, with op(a) m×k and op(b) k×n.
@inline(__always)
func sgemm(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
  alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// The part of a tiny product that causal attention lets `smallSgemm` skip.
enum ProductTriangle {
  /// Every element and every term.
  case none
  /// Only c[i][j] with j ≤ i is needed (blocks wholly above the diagonal are not written).
  case lowerC
  /// op(a)[i][p] is exactly 0 for p > i.
  case lowerA
  /// op(a)[i][p] is exactly 0 for p < i.
  case upperA

  var kernelValue: nt_triangle {
    switch self {
    case .none: NT_TRIANGLE_NONE
    case .lowerC: NT_TRIANGLE_LOWER_C
    case .lowerA: NT_TRIANGLE_LOWER_A
    case .upperA: NT_TRIANGLE_UPPER_A
    }
  }
}

/// Which code runs a tiny product.
package enum SmallProductKernel: Sendable {
  /// The project's kernel, in the build this CPU runs fastest (AVX2 + FMA where present).
  case fastest
  /// The project's kernel in its portable build (a test hook: what machines without AVX2 run).
  case portable
  /// OpenBLAS, computing every element and term (a test hook, and the path beyond the kernel's k limit).
  case openBLAS

  /// The build of the project's kernel this CPU runs: "avx2+fma" or "portable".
  package static var fastestVariant: String { String(cString: nt_kernels_variant()) }
}

/// Row-major GEMM for tiny products: c = alpha · op(a) · op(b) + beta · c, with op(a) m×k and op(b) k×n.
///
/// Runs the project's own small kernel (see `nt_small_sgemm`), which beats
/// OpenBLAS on attention's per-head products: OpenBLAS spends more on each
/// call than on the arithmetic there, and cannot skip causal triangles.
/// beta = 0 overwrites c without reading it, so callers need not clear it.
/// Inner dimensions beyond the kernel's limit go to OpenBLAS, which computes
/// every element and term (the skipped terms are exact zeros; the skipped
/// elements are unused by contract).
@inline(__always)
func smallSgemm(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
  alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, triangle: ProductTriangle = .none,
  kernel: SmallProductKernel = .fastest
) {
  guard kernel != .openBLAS, k <= Int(NT_SMALL_SGEMM_MAX_K) else {
    if beta == 0 {
      for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
    }
    sgemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
      alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta == 0 ? 1 : beta, c: c, ldc: ldc)
    return
  }
  let run = kernel == .portable ? nt_small_sgemm_portable : nt_small_sgemm
  run(
    transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c,
    Int32(ldc), triangle.kernelValue)
}

/// Products below this many floating-point operations run on the small kernel instead of OpenBLAS.
///
/// At the smallest model sizes a step is dozens of products of a few
/// hundred thousand operations each, where OpenBLAS's per-call work costs
/// about as much as the arithmetic. The choice depends on the shape alone,
/// so it never changes with the thread count.
let smallProductWork = 1 << 21

/// A layer's matrix product: OpenBLAS, or the small kernel for tiny shapes (see `smallProductWork`).
@inline(__always)
func layerProduct(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
  alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  if 2 * m * n * k < smallProductWork {
    smallSgemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
      alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  } else {
    sgemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
      alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  }
}

/// The row blocks of a layer product with `rows` output rows and `work` operations (see `WorkSplit.blocks`).
///
/// Blocks hold at least `split.blockRows` rows and are cut at multiples of 8.
/// With the default sizes every block of a product on OpenBLAS is itself on
/// OpenBLAS (at least `smallProductWork`), whose rows then come out exactly
/// as in one whole call; either way the cut depends on the shape alone, so
/// every thread count gives the same bits.
@inline(__always)
func productRowBlocks(rows N: Int, work: Int, split: WorkSplit) -> Int {
  split.blocks(count: N, work: work, minimumItems: Swift.max(8, split.blockRows))
}

/// The rows of block `block` of `blocks` (see `productRowBlocks`).
@inline(__always)
func productRows(_ block: Int, of blocks: Int, rows N: Int) -> Range<Int> {
  WorkSplit.bounds(block, of: blocks, count: N, alignment: 8)
}

/// Linear layer (Hugging Face Conv1D): out = inp · weight + bias, plus `residual` when given.
///
/// out (N, OC), inp (N, IC), weight (IC, OC) row-major [in][out], bias (OC),
/// residual (N, OC) (the skip connection: out = residual + inp · weight + bias).
/// `out` is filled with residual + bias first and the product added with
/// β = 1: OpenBLAS's β = 0 path clears C in a slow separate pass. Large
/// products run in row blocks (see `productRowBlocks`) on `split`'s threads.
package func matmulForward(
  out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
  bias: UnsafePointer<Float>?, rows N: Int, inChannels IC: Int, outChannels OC: Int,
  residual: UnsafePointer<Float>? = nil, split: WorkSplit = .single
) {
  nonisolated(unsafe) let out = out, inp = inp, weight = weight, bias = bias, residual = residual
  let blocks = productRowBlocks(rows: N, work: 2 * N * IC * OC, split: split)
  split.run(blocks: blocks) { block in
    let rows = productRows(block, of: blocks, rows: N)
    for row in rows {
      let y = out + row * OC
      switch (residual, bias) {
      case (let residual?, let bias?): add(y, residual + row * OC, bias, OC)
      case (let residual?, nil): y.update(from: residual + row * OC, count: OC)
      case (nil, let bias?): y.update(from: bias, count: OC)
      case (nil, nil): y.update(repeating: 0, count: OC)
      }
    }
    layerProduct(
      transposeA: false, transposeB: false, m: rows.count, n: OC, k: IC,
      alpha: 1, a: inp + rows.lowerBound * IC, lda: IC, b: weight, ldb: OC, beta: 1,
      c: out + rows.lowerBound * OC, ldc: OC)
  }
}

/// The blocks of a weight-gradient product: column blocks of the (rows × columns) output, cut at multiples of 16.
///
/// The gradient sums over every position (k = N), so it is never cut along
/// k, which would change the order of the sum; its columns are cut instead,
/// at multiples of OpenBLAS's register block so every column block computes
/// exactly as in one whole call.
@inline(__always)
func gradientColumnBlocks(columns: Int, work: Int, split: WorkSplit) -> Int {
  split.blocks(count: columns, work: work, minimumItems: Swift.max(16, 2 * split.blockRows))
}

/// Column block `block` of `blocks` of a weight gradient: dweight (rows, columns) += aᵀ · b over N positions.
///
/// a (N, rows) and b (N, columns) are row-major; the block's columns start at a multiple of 16.
@inline(__always)
func weightGradientBlock(
  _ block: Int, of blocks: Int, dweight: UnsafeMutablePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
  rows: Int, columns: Int, positions N: Int
) {
  let range = WorkSplit.bounds(block, of: blocks, count: columns, alignment: 16)
  layerProduct(
    transposeA: true, transposeB: false, m: rows, n: range.count, k: N,
    alpha: 1, a: a, lda: rows, b: b + range.lowerBound, ldb: columns, beta: 1,
    c: dweight + range.lowerBound, ldc: columns)
}

/// Backward of `matmulForward`.
///
/// dinp (N, IC) = dout · weightᵀ is overwritten; dweight (IC, OC) += inpᵀ · dout
/// and dbias (OC) += Σ_rows dout accumulate. Runs as column blocks of dweight,
/// row blocks of dinp and one block for dbias, all on `split`'s threads; each
/// is cut by the shape alone, so the results do not depend on the thread count.
package func matmulBackward(
  dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>?,
  dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
  rows N: Int, inChannels IC: Int, outChannels OC: Int, split: WorkSplit = .single
) {
  nonisolated(unsafe) let dinp = dinp, dweight = dweight, dbias = dbias, dout = dout, inp = inp, weight = weight
  // The parameters' blocks first: the weight gradient's are the largest, so claiming them early balances the threads.
  let parameterBlocks = linearParameterBlocks(rows: N, inChannels: IC, outChannels: OC, hasBias: dbias != nil, split: split)
  let inputBlocks = dinp == nil ? 0 : productRowBlocks(rows: N, work: 2 * N * IC * OC, split: split)
  split.run(blocks: parameterBlocks + inputBlocks, work: 2 * N * IC * OC) { block in
    if block < parameterBlocks {
      linearParameterBlock(
        block, of: parameterBlocks, dweight: dweight, dbias: dbias, dout: dout, inp: inp, rows: N, inChannels: IC,
        outChannels: OC)
    } else if let dinp {
      let rows = productRows(block - parameterBlocks, of: inputBlocks, rows: N)
      linearInputGradient(
        dinp: dinp + rows.lowerBound * IC, dout: dout + rows.lowerBound * OC, weight: weight, rows: rows.count,
        inChannels: IC, outChannels: OC)
    }
  }
}

/// A linear layer's input gradient for `rows` rows, on the calling thread: dinp (rows, IC) = dout · weightᵀ, overwritten.
@inline(__always)
func linearInputGradient(
  dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, weight: UnsafePointer<Float>,
  rows: Int, inChannels IC: Int, outChannels OC: Int
) {
  dinp.update(repeating: 0, count: rows * IC)
  layerProduct(
    transposeA: false, transposeB: true, m: rows, n: IC, k: OC,
    alpha: 1, a: dout, lda: OC, b: weight, ldb: OC, beta: 1, c: dinp, ldc: IC)
}

/// How many blocks a linear layer's parameter gradients take: column blocks of dweight, then one for dbias.
@inline(__always)
func linearParameterBlocks(rows N: Int, inChannels IC: Int, outChannels OC: Int, hasBias: Bool, split: WorkSplit) -> Int {
  gradientColumnBlocks(columns: OC, work: 2 * N * IC * OC, split: split) + (hasBias ? 1 : 0)
}

/// Block `block` of a linear layer's `blocks` parameter-gradient blocks: dweight += inpᵀ · dout, or dbias += Σ_rows dout.
///
/// The sums run over all N positions in order, so every cut of the columns gives the same bits.
@inline(__always)
func linearParameterBlock(
  _ block: Int, of blocks: Int, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>?,
  dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, rows N: Int, inChannels IC: Int, outChannels OC: Int
) {
  let weightBlocks = blocks - (dbias == nil ? 0 : 1)
  if block < weightBlocks {
    weightGradientBlock(block, of: weightBlocks, dweight: dweight, a: inp, b: dout, rows: IC, columns: OC, positions: N)
  } else if let dbias {
    nt_bias_backward(dbias, dout, N, OC)
  }
}

/// Tied output head: logits = inp · wteᵀ, no bias.
///
/// logits (N, V), inp (N, C), wte (V, C). Cut into row blocks like `matmulForward`.
package func logitsForward(
  logits: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, wte: UnsafePointer<Float>,
  rows N: Int, channels C: Int, vocab V: Int, split: WorkSplit = .single
) {
  nonisolated(unsafe) let logits = logits, inp = inp, wte = wte
  let blocks = productRowBlocks(rows: N, work: 2 * N * C * V, split: split)
  split.run(blocks: blocks) { block in
    let rows = productRows(block, of: blocks, rows: N)
    (logits + rows.lowerBound * V).update(repeating: 0, count: rows.count * V)
    layerProduct(
      transposeA: false, transposeB: true, m: rows.count, n: V, k: C,
      alpha: 1, a: inp + rows.lowerBound * C, lda: C, b: wte, ldb: C, beta: 1,
      c: logits + rows.lowerBound * V, ldc: V)
  }
}

/// Backward of `logitsForward`: dinp (N, C) = dlogits · wte is overwritten; dwte (V, C) += dlogitsᵀ · inp.
///
/// Cut like `matmulBackward`: column blocks of dwte, then row blocks of dinp.
package func logitsBackward(
  dinp: UnsafeMutablePointer<Float>, dwte: UnsafeMutablePointer<Float>,
  dlogits: UnsafePointer<Float>, inp: UnsafePointer<Float>, wte: UnsafePointer<Float>,
  rows N: Int, channels C: Int, vocab V: Int, split: WorkSplit = .single
) {
  nonisolated(unsafe) let dinp = dinp, dwte = dwte, dlogits = dlogits, inp = inp, wte = wte
  let work = 2 * N * C * V
  let weightBlocks = logitsParameterBlocks(rows: N, channels: C, vocab: V, split: split)
  let inputBlocks = productRowBlocks(rows: N, work: work, split: split)
  split.run(blocks: weightBlocks + inputBlocks, work: work) { block in
    if block < weightBlocks {
      weightGradientBlock(block, of: weightBlocks, dweight: dwte, a: dlogits, b: inp, rows: V, columns: C, positions: N)
    } else {
      let rows = productRows(block - weightBlocks, of: inputBlocks, rows: N)
      logitsInputGradient(
        dinp: dinp + rows.lowerBound * C, dlogits: dlogits + rows.lowerBound * V, wte: wte, rows: rows.count,
        channels: C, vocab: V)
    }
  }
}

/// The output head's input gradient for `rows` rows, on the calling thread: dinp (rows, C) = dlogits · wte, overwritten.
@inline(__always)
func logitsInputGradient(
  dinp: UnsafeMutablePointer<Float>, dlogits: UnsafePointer<Float>, wte: UnsafePointer<Float>, rows: Int,
  channels C: Int, vocab V: Int
) {
  dinp.update(repeating: 0, count: rows * C)
  layerProduct(
    transposeA: false, transposeB: false, m: rows, n: C, k: V,
    alpha: 1, a: dlogits, lda: V, b: wte, ldb: C, beta: 1, c: dinp, ldc: C)
}

/// How many column blocks the output head's weight gradient dwte (V, C) takes.
@inline(__always)
func logitsParameterBlocks(rows N: Int, channels C: Int, vocab V: Int, split: WorkSplit) -> Int {
  gradientColumnBlocks(columns: C, work: 2 * N * C * V, split: split)
}
