import CKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The label that marks a position carrying no loss.
public let ignoredLabel: Int32 = -100

/// Softmax and cross-entropy per position.
///
/// probs (N, V) = softmax(logits (N, V)); losses (N) = logsumexp(logits) −
/// logits[label] where labels (N) ≠ −100, else 0. Returns the sum of the
/// losses (in Double) and the number of labelled positions.
package func crossEntropyForward(
  probs: UnsafeMutablePointer<Float>, losses: UnsafeMutablePointer<Float>,
  logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, rows N: Int, vocab V: Int,
  split: WorkSplit = .single
) -> (total: Double, count: Int) {
  nonisolated(unsafe) let probs = probs
  nonisolated(unsafe) let losses = losses
  nonisolated(unsafe) let logits = logits
  nonisolated(unsafe) let labels = labels
  split.forEach(count: N, work: 16 * N * V) { rows in
    crossEntropyRows(
      probs: probs + rows.lowerBound * V, losses: losses + rows.lowerBound, logits: logits + rows.lowerBound * V,
      labels: labels.map { $0 + rows.lowerBound }, rows: rows.count, vocab: V)
  }
  return crossEntropyTotal(losses: losses, labels: labels, rows: N)
}

/// The per-row part of `crossEntropyForward`: probs and losses of `rows` rows, on the calling thread.
package func crossEntropyRows(
  probs: UnsafeMutablePointer<Float>, losses: UnsafeMutablePointer<Float>,
  logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, rows N: Int, vocab V: Int
) {
  for row in 0..<N {
    let x = logits + row * V
    let p = probs + row * V
    var shift: Float = 0, z: Float = 0
    nt_softmax(p, x, V, &shift, &z)
    if let labels, labels[row] != ignoredLabel {
      // z ≥ 1 (the largest logit contributes e⁰), so the logarithm is finite.
      losses[row] = logf(z) + shift - x[Int(labels[row])]
    } else {
      losses[row] = 0
    }
  }
}

/// The sum of the losses of labelled rows and their number, in row order, so the total never depends on a split.
package func crossEntropyTotal(losses: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, rows N: Int) -> (
  total: Double, count: Int
) {
  var total = 0.0
  var count = 0
  if let labels {
    for row in 0..<N where labels[row] != ignoredLabel {
      total += Double(losses[row])
      count += 1
    }
  }
  return (total, count)
}

/// Backward of `crossEntropyForward` for the mean loss: dlogits (N, V) overwritten.
///
/// dlogits = (probs − onehot(label)) · scale at labelled rows (scale = 1 / the
/// number of labelled positions), 0 at ignored rows.
package func crossEntropyBackward(
  dlogits: UnsafeMutablePointer<Float>, probs: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
  rows N: Int, vocab V: Int, scale: Float, split: WorkSplit = .single
) {
  nonisolated(unsafe) let dlogits = dlogits
  nonisolated(unsafe) let probs = probs
  nonisolated(unsafe) let labels = labels
  split.forEach(count: N, work: 2 * N * V) { rows in
    crossEntropyBackward(dlogits: dlogits, probs: probs, labels: labels, rows: rows, vocab: V, scale: scale)
  }
}

/// `crossEntropyBackward` over the rows in `rows`.
func crossEntropyBackward(
  dlogits: UnsafeMutablePointer<Float>, probs: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
  rows: Range<Int>, vocab V: Int, scale: Float
) {
  for row in rows {
    let d = dlogits + row * V
    let label = labels[row]
    if label == ignoredLabel {
      d.update(repeating: 0, count: V)
      continue
    }
    let p = probs + row * V
    var i = 0
    while i + 8 <= V {
      store8(load8(p + i) * scale, d + i)
      i += 8
    }
    while i < V {
      d[i] = p[i] * scale
      i += 1
    }
    d[Int(label)] -= scale
  }
}
