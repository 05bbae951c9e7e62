import Foundation
import Training

extension Formulas {
  // MARK: - 5 logits

  /// The token the model rates highest at the picked position, other than `excluding`.
  func topToken(_ at: FormulaFocus, excluding: Int32? = nil) -> Int32 {
    let probs = trace.probabilities(row: at.row, position: at.position)
    var best: Int32 = -1
    var bestP = -Float.infinity
    for (k, p) in probs.enumerated() where Int32(k) != excluding && p > bestP {
      best = Int32(k)
      bestP = p
    }
    return best
  }

  /// z_t = x·wte[t] at the picked position, from the replayed x.
  func logit(_ at: FormulaFocus, token: Int32) -> (value: Double, terms: [(Float, Float)]) {
    let C = trace.config.channels
    let x = replay.finalVector(row: at.row, position: at.position)
    let row = trace.parameter("wte.weight").dropFirst(Int(token) * C).prefix(C)
    let terms = Array(zip(x, row))
    return (terms.reduce(0.0) { $0 + Double($1.0) * Double($1.1) }, terms)
  }

  /// Σ_j e^{z_j} over the vocabulary at the picked position.
  func partition(_ at: FormulaFocus) -> Double {
    trace.logits(row: at.row, position: at.position).reduce(0.0) { $0 + exp(Double($1)) }
  }

  func logitLines(_ at: FormulaFocus) -> [FormulaLine] {
    let i = at.position
    let x = replay.finalVector(row: at.row, position: i)
    var lines = [
      FormulaLine("logits = x @ wte.T,  p = softmax(logits)", .heading),
      FormulaLine("x[\(i)] = ln_f(blocks(x))[\(i)] = \(vector(x))"),
      FormulaLine("z_t = x[\(i)]·wte[t] = Σ_c x_c·wte[t]_c"),
    ]
    let target = at.target
    if target == nil {
      lines.append(FormulaLine(t("position \(i) has no target (not picked): its p is not scored", "位置 \(i) 没有目标（未选中）：它的 p 不计分"), .note))
    }
    let top = topToken(at, excluding: target == topToken(at) ? target : nil)
    let sum = partition(at)
    let shown = [target, top].compactMap { $0 }
    for token in shown {
      let (z, terms) = logit(at, token: token)
      let expansion = terms.prefix(2).map { "\(parenthesised3($0.0))·\(parenthesised3($0.1))" }.joined(separator: " + ")
      let who = token == target ? t("target", "目标") : t("top", "最高")
      lines.append(FormulaLine("\(who) \(quoted(token)) t=\(token): z = \(expansion) + … = \(fixed(z, 2))"))
    }
    lines.append(FormulaLine("p_t = e^z_t / Σ_j e^z_j,   Σ_j e^z_j = \(fixed(sum, 3))   (V = \(trace.vocabularySize))"))
    for token in shown {
      let z = Double(trace.logits(row: at.row, position: i)[trace.logits(row: at.row, position: i).startIndex + Int(token)])
      let p = exp(z) / sum
      // z with one more digit than the bars show, so e^z can be checked by hand.
      lines.append(FormulaLine("p(\(quoted(token))) = e^\(fixed(z, 3)) / \(fixed(sum, 3)) = \(fixed(exp(z), 3)) / \(fixed(sum, 3)) = \(fixed(p, 3))", .result))
    }
    return lines
  }

  func parenthesised3(_ value: Float) -> String {
    value < 0 ? "(" + fixed(value, 3) + ")" : fixed(value, 3)
  }

  // MARK: - 6 loss

  /// N, the labelled positions of the whole batch, and Σ ℓ over them.
  func lossSum() -> (count: Int, sum: Double) {
    var count = 0
    var sum = 0.0
    for (k, label) in trace.batch.labels.enumerated() where label >= 0 {
      count += 1
      sum += Double(trace.positionLosses[k])
    }
    return (count, sum)
  }

  func lossLines(_ at: FormulaFocus) -> [FormulaLine] {
    let i = at.position
    let T = trace.length
    let (N, sum) = lossSum()
    var lines = [
      FormulaLine("loss = cross_entropy(logits, targets) = (1/N)·Σ_i ℓ_i", .heading),
      FormulaLine("ℓ_i = −ln p_i(targets[i])" + t("  (ln: the natural log)", "（ln：自然对数）")),
    ]
    if let target = at.target {
      let probs = trace.probabilities(row: at.row, position: i)
      let p = Double(probs[probs.startIndex + Int(target)])
      lines.append(FormulaLine("ℓ\(sub(i)) = −ln p(\(quoted(target))) = −ln \(MathText.number(p, digits: 4)) = \(fixed(-log(p), 3))", .result))
    } else {
      lines.append(FormulaLine(t("position \(i) carries no label: its ℓ is not in the sum", "位置 \(i) 没有标签：它的 ℓ 不计入求和"), .note))
    }
    let rows = trace.batchSize
    let what = trace.objective == .mlm
      ? t("N = \(N) picked positions in \(rows) rows", "N = \(rows) 行中被选中的 \(N) 个位置")
      : trace.objective == .sft
      ? t("N = \(N) answer positions (labels ≠ −100) of \(rows) rows × \(T); prompt, template and padding are −100",
          "N = \(N) 个回答位置（标签 ≠ −100），共 \(rows) 行 × \(T)；提示、模板和填充都是 −100")
      : t("N = \(N) labelled positions (\(rows) rows × \(T))", "N = \(N) 个有标签的位置（\(rows) 行 × \(T)）")
    lines.append(FormulaLine(what))
    let rowLosses = (0..<T).filter { at.labels[$0] >= 0 }.prefix(3).map { fixed(trace.positionLosses[at.row * T + $0], 3) }
    lines.append(FormulaLine("Σ_i ℓ_i = \(rowLosses.joined(separator: " + ")) + … = \(fixed(sum, 3))"))
    lines.append(FormulaLine("loss = \(fixed(sum, 3)) / \(N) = \(fixed(N > 0 ? sum / Double(N) : 0, 3))", .result))
    let V = trace.vocabularySize
    lines.append(FormulaLine(t("a uniform guess p = 1/V scores ln V = ln \(V) = \(fixed(log(Double(V)), 3))",
                               "均匀猜测 p = 1/V 的损失是 ln V = ln \(V) = \(fixed(log(Double(V)), 3))"), .note))
    return lines
  }

  // MARK: - 7 backward

  func backwardLines(_ at: FormulaFocus) -> [FormulaLine] {
    let i = at.position
    let (N, _) = lossSum()
    let probs = trace.probabilities(row: at.row, position: i)
    var lines = [
      FormulaLine("loss.backward():  ∂loss/∂logits[i][j] = (p_j − 1[j = target])/N", .heading)
    ]
    if let target = at.target {
      let wrong = topToken(at, excluding: target)
      for (token, isTarget) in [(target, true), (wrong, false)] {
        let p = Double(probs[probs.startIndex + Int(token)])
        let bar = p - (isTarget ? 1 : 0)
        let who = isTarget ? t("target", "目标") : t("top wrong", "最高错误")
        lines.append(FormulaLine(
          "\(who) \(quoted(token)): (\(fixed(p, 3)) − \(isTarget ? 1 : 0))/\(N) = \(MathText.signed(bar, 3))/\(N) = \(bar < 0 ? "−" : "+")\(number(abs(bar) / Double(max(1, N))))",
          .result))
      }
      lines.append(FormulaLine(t("the target's logit goes up, every other one down, in proportion to p",
                                 "目标的 logit 被推高，其余按 p 的大小被压低"), .note))
    } else {
      lines.append(FormulaLine(t("position \(i) has no label: every ∂loss/∂logits[\(i)][j] is 0", "位置 \(i) 没有标签：所有 ∂loss/∂logits[\(i)][j] 都是 0"), .note))
    }
    lines += chainLines(at, N: N)
    return lines
  }

  /// The two paths by which the loss reaches one weight of wte, with their sums.
  private func chainLines(_ at: FormulaFocus, N: Int) -> [FormulaLine] {
    let token = at.inputs[at.position]
    guard token >= 0, Int(token) < trace.vocabularySize else { return [] }
    let C = trace.config.channels
    let V = trace.vocabularySize
    let index = Int(token) * C
    let gradient = Double(trace.gradient("wte.weight")[trace.gradient("wte.weight").startIndex + index])
    // logits = x @ wte.T: every labelled position's dlogits for this token, times its x[0].
    var outputSide = 0.0
    let labels = trace.batch.labels
    for k in labels.indices where labels[k] >= 0 {
      let p = Double(trace.probabilities[k * V + Int(token)])
      let d = (p - (labels[k] == token ? 1 : 0)) / Double(N)
      outputSide += d * Double(replay.finalNormed[k * C])
    }
    let inputSide = gradient - outputSide
    return [
      FormulaLine(t("the chain to one weight, wte[\(token)][0] (the update table's first row):",
                    "一路传到一个权重 wte[\(token)][0]（更新表的第一行）："), .note),
      FormulaLine("∂loss/∂wte[\(token)][0] = Σ_i ∂loss/∂logits[i][\(token)]·x[i][0]   (logits = x @ wte.T)"),
      FormulaLine("  + ∂loss/∂x⁰ " + t("summed where inputs = \(token)   (back through blocks to x = wte[inputs] + …)",
                                      "在 inputs = \(token) 处求和（穿过 blocks 回到 x = wte[inputs] + …）")),
      FormulaLine("  = \(MathText.signed(outputSide, 4)) + (\(MathText.signed(inputSide, 4))) = \(MathText.signed(gradient, 4))", .result),
    ]
  }

  // MARK: - 8 update

  func updateLines(_ at: FormulaFocus) -> [FormulaLine] {
    let token = at.inputs[at.position]
    let C = trace.config.channels
    let index = Int(token) * C
    let w = element(trace.parameter("wte.weight"), index)
    let g = element(trace.gradient("wte.weight"), index)
    let after = element(trace.parameterAfter("wte.weight"), index)
    let lr = trace.learningRate
    let optimizer = trace.optimizer
    var lines = [
      // The step count waits for AdamW's bias correction, the one place it is used: SGD never
      // reads it, and a bare "t = 1" beside a quoted token reads as the token when the token is "t".
      FormulaLine(t("optimizer.step(): w = wte[\(token)][0] (token \(quoted(token))), lr = \(MathText.constant(Double(lr)))",
                    "optimizer.step()：w = wte[\(token)][0]（词元\(quoted(token))），lr = \(MathText.constant(Double(lr)))"), .heading),
      FormulaLine("w = \(fixed(w, 4)),  g = ∂loss/∂w = \(MathText.signed(Double(g), 4))"),
    ]
    switch optimizer.rule {
    case .sgd(_, let decay):
      if decay == 0 {
        let next = w - lr * g
        lines.append(FormulaLine("w′ = w − lr·g = \(fixed(w, 4)) − \(MathText.constant(Double(lr)))·\(parenthesised(g)) = \(fixed(next, 4))", .result))
      } else {
        let next = w - lr * (g + decay * w)
        lines.append(FormulaLine("w′ = w − lr·(g + λ·w), λ = \(MathText.constant(Double(decay)))"))
        lines.append(FormulaLine("   = \(fixed(w, 4)) − \(MathText.constant(Double(lr)))·(\(fixed(g, 4)) + \(MathText.constant(Double(decay)))·\(parenthesised(w))) = \(fixed(next, 4))", .result))
      }
    case .adamw(let b1, let b2, let eps, let decay):
      let m0 = optimizer.m.indices.contains(index) ? optimizer.m[index] : 0
      let v0 = optimizer.v.indices.contains(index) ? optimizer.v[index] : 0
      // The kernel's arithmetic, in Float and in its order, so w′ is the table's value.
      let m = b1 * m0 + (1 - b1) * g
      let v = b2 * v0 + (1 - b2) * g * g
      let step = Double(optimizer.step)
      let c1 = Float(1 - pow(Double(b1), step)), c2 = Float(1 - pow(Double(b2), step))
      let mHat = m * (1 / c1), vHat = v * (1 / c2)
      let ratio = mHat / (vHat.squareRoot() + eps)
      let next = w - lr * (ratio + decay * w)
      let n = { (x: Float) in self.number(Double(x)) }
      let f = { (x: Float) in MathText.factor(Double(x)) }
      let k = { (x: Float) in MathText.constant(Double(x)) }
      lines += [
        FormulaLine("β₁ = \(k(b1)), β₂ = \(k(b2)), ε = \(k(eps)), λ = \(k(decay)); "
          + (optimizer.step == 1 ? t("m, v start at 0", "m、v 从 0 开始") : t("m, v as step \(optimizer.step - 1) left them", "m、v 取第 \(optimizer.step - 1) 步之后的值"))),
        FormulaLine("m = β₁·m + (1−β₁)·g = \(k(b1))·\(f(m0)) + \(k(1 - b1))·\(f(g)) = \(n(m))"),
        FormulaLine("v = β₂·v + (1−β₂)·g² = \(k(b2))·\(f(v0)) + \(k(1 - b2))·\(f(g * g)) = \(n(v))"),
        FormulaLine(t("bias correction, t = \(optimizer.step) (the optimizer's step count):", "偏差修正，t = \(optimizer.step)（优化器走过的步数）："), .note),
        FormulaLine("m̂ = m/(1−β₁ᵗ) = \(n(m))/\(n(c1)) = \(n(mHat))"),
        FormulaLine("v̂ = v/(1−β₂ᵗ) = \(n(v))/\(n(c2)) = \(n(vHat))"),
        FormulaLine("w′ = w − lr·(m̂/(√v̂+ε) + λ·w)"),
        FormulaLine("   = \(fixed(w, 4)) − \(k(lr))·(\(n(mHat))/(\(n(vHat.squareRoot()))+ε) + \(k(decay))·\(parenthesised(w)))"),
        FormulaLine("   = \(fixed(w, 4)) − \(k(lr))·\(f(ratio + decay * w)) = \(fixed(next, 4))", .result),
      ]
    }
    lines.append(FormulaLine(t("the table's “after”: \(fixed(after, 4))", "表中的“之后”：\(fixed(after, 4))"), .note))
    return lines
  }

  private func element(_ values: ArraySlice<Float>, _ index: Int) -> Float {
    values.indices.contains(values.startIndex + index) ? values[values.startIndex + index] : 0
  }
}
