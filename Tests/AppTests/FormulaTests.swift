import App
import Curriculum
import Foundation
import Model
import TermUI
import Testing
import Training

/// A trace of the fixture lesson's second step (so AdamW's moments are not zero), and its formulas.
private struct FormulaFixture {
  let trace: StepTrace
  let tokenizer: any Tokenizer
  let replay: FormulaReplay

  init(objective: Objective, steps: Int = 2, change: (inout RunConfiguration) -> Void = { _ in }) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    var run = fixture.plan(objective: objective).run
    change(&run)
    let trainer = try Trainer(configuration: run, evaluationInterval: 0)
    for _ in 1..<steps { _ = trainer.step(recordTrace: false) }
    trace = try #require(trainer.step(recordTrace: true).trace)
    tokenizer = trainer.tokenizer
    replay = try FormulaReplay(trace: trace)
  }

  func lines(_ stage: Stage, position: Int, layer: Int = 0, head: Int = 0, language: Language = .en) -> [String] {
    Formulas(trace: trace, tokenizer: tokenizer, replay: replay, language: language)
      .lines(for: stage, focus: Focus(position: position, layer: layer, head: head)).map(\.text)
  }

  func show(_ id: Int32) -> String { tokenizer.displayToken(id) }
}

/// A number as the panel prints it: a real minus sign.
private func m(_ text: String) -> String { text.replacingOccurrences(of: "-", with: "−") }

private func fixed(_ value: Float, _ decimals: Int) -> String { m(formatFixed(Double(value), decimals: decimals)) }

/// Checks that some line holds `needle`, naming the stage and position when none does.
private func expectLine(_ lines: [String], _ needle: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(lines.contains { $0.contains(needle) }, "\(context): no line holds \(needle)\n\(lines.joined(separator: "\n"))", sourceLocation: sourceLocation)
}

@Suite struct FormulaTests {
  @Test(arguments: [Objective.clm, .mlm], [Language.en, .zh])
  func tokensLabelsAndEmbeddingsComeFromTheBatch(objective: Objective, language: Language) throws {
    let f = try FormulaFixture(objective: objective)
    let T = f.trace.length
    let C = f.trace.config.channels
    let inputs = Array(f.trace.batch.inputs(row: 0))
    let labels = Array(f.trace.batch.labels(row: 0))
    let originals = Array(f.trace.batch.originals(row: 0))
    for i in 0..<T {
      let context = "\(objective) \(language) position \(i)"
      let tokens = objective == .mlm ? originals : inputs
      let name = objective == .mlm ? "originals" : "inputs"
      expectLine(f.lines(.tokenize, position: i, language: language), "\(name)[\(i)] = id(“\(f.show(tokens[i]))”) = \(tokens[i])", context)
      let labelLines = f.lines(.labels, position: i, language: language)
      if objective == .clm {
        if i + 1 < T { #expect(labels[i] == inputs[i + 1]) }
        expectLine(labelLines, "targets[\(i)] = inputs[\(i + 1)] = \(labels[i])", context)
      } else {
        let u = f.trace.batch.pickDraws[i]
        if labels[i] >= 0 {
          expectLine(labelLines, "targets[\(i)] = originals[\(i)] = \(originals[i])", context)
          if u < 0.15 { expectLine(labelLines, "= \(formatFixed(u, decimals: 3)) < 0.15", context) }
          let r = f.trace.batch.kindDraws[i]
          let kind = f.trace.batch.maskKinds[i]
          #expect((r < 0.8) == (kind == .masked) && (r >= 0.9) == (kind == .kept), "\(context): r = \(r) but \(kind)")
          expectLine(labelLines, formatFixed(r, decimals: 3), context)
        } else {
          #expect(u >= 0.15)
          expectLine(labelLines, "= \(formatFixed(u, decimals: 3)) ≥ 0.15", context)
          expectLine(labelLines, "targets[\(i)] = −100", context)
        }
      }
      // x = wte[id] + wpe[i]: recomputed here from the weights, checked against the trace's x.
      let id = Int(inputs[i])
      let wte = Array(f.trace.parameter("wte.weight")), wpe = Array(f.trace.parameter("wpe.weight"))
      let x = (0..<C).map { wte[id * C + $0] + wpe[i * C + $0] }
      let recorded = Array(f.trace.inputEmbeddings[i * C..<(i + 1) * C])
      #expect(zip(x, recorded).allSatisfy { abs($0 - $1) < 1e-6 })
      let norm = Float(x.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
      let embed = f.lines(.embed, position: i, language: language)
      expectLine(embed, "(\(fixed(x[0], 4)), \(fixed(x[1], 4)), \(fixed(x[2], 4)), …)   ‖·‖ = \(formatFixed(Double(norm), decimals: 2))", context)
      expectLine(embed, "x[\(i)][0] = \(fixed(wte[id * C], 4))", context)
      // The sum is "=" only when the addends as shown add up to it as shown; rounded apart, they may be one off: "≈".
      let shown = { (value: Float) in Float((Double(value) * 1e4).rounded() / 1e4) }
      let addsUp = fixed(shown(wte[id * C]) + shown(wpe[i * C]), 4) == fixed(x[0], 4)
      expectLine(embed, (addsUp ? " = " : " ≈ ") + fixed(x[0], 4), context)
    }
  }

  @Test(arguments: [Objective.clm, .mlm]) func attentionReproducesTheTracesWeights(objective: Objective) throws {
    let f = try FormulaFixture(objective: objective)
    let T = f.trace.length
    let H = f.trace.config.heads
    for head in 0..<H {
      let weights = Array(f.trace.attention(row: 0, layer: 0, head: head))
      for i in 0..<T {
        let context = "\(objective) head \(head) query \(i)"
        let (keys, sum) = expectReplayedAttention(f, layer: 0, head: head, row: 0, query: i)
        // The panel lists the stage view's top three with the weight it prints.
        let lines = f.lines(.attention, position: i, head: head)
        let top = keys.sorted { weights[i * T + $0] > weights[i * T + $1] }.prefix(3)
        for j in top {
          let row = try #require(lines.first { $0.hasPrefix(String(repeating: " ", count: 3 - String(j).count) + "\(j) ") }, "\(context): no row for key \(j)")
          #expect(row.hasSuffix(formatFixed(Double(weights[i * T + j]), decimals: 2)), "\(context): \(row)")
        }
        expectLine(lines, "Σ_k e^s_k = \(formatFixed(sum, decimals: 3))", context)
        if objective == .clm, i + 1 < T { expectLine(lines, "−∞", context) }
      }
    }
  }

  @Test(arguments: [Objective.clm, .mlm]) func logitsLossAndGradientsMatchTheStageViews(objective: Objective) throws {
    let f = try FormulaFixture(objective: objective)
    let T = f.trace.length
    let C = f.trace.config.channels
    let labels = f.trace.batch.labels
    let N = labels.filter { $0 >= 0 }.count
    let total = zip(labels, f.trace.positionLosses).reduce(0.0) { $0 + ($1.0 >= 0 ? Double($1.1) : 0) }
    #expect(abs(total / Double(N) - Double(f.trace.loss)) < 1e-4)
    let wte = Array(f.trace.parameter("wte.weight"))
    for i in 0..<T where labels[i] >= 0 {
      let context = "\(objective) position \(i)"
      let target = Int(labels[i])
      let logits = Array(f.trace.logits(row: 0, position: i))
      let probs = Array(f.trace.probabilities(row: 0, position: i))
      // z = x·wte[t] from the replayed x, against the trace's logit; p = e^z/Σe^z against its p.
      let x = f.replay.finalVector(row: 0, position: i)
      let z = zip(x, wte[target * C..<(target + 1) * C]).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
      #expect(abs(z - Double(logits[target])) < 1e-4, "\(context)")
      let sum = logits.reduce(0.0) { $0 + exp(Double($1)) }
      #expect(abs(exp(Double(logits[target])) / sum - Double(probs[target])) < 1e-5)
      let logitLines = f.lines(.logits, position: i)
      expectLine(logitLines, "= \(fixed(logits[target], 2))", context)
      expectLine(logitLines, "Σ_j e^z_j = \(formatFixed(sum, decimals: 3))", context)
      expectLine(logitLines, "p(“\(f.show(Int32(target)))”) = e^\(fixed(logits[target], 3)) / ", context)
      expectLine(logitLines, "= \(formatFixed(Double(probs[target]), decimals: 3))", context)
      // ℓ = −ln p: the loss stage's bar for this position, and the mean in its header.
      let lossLines = f.lines(.loss, position: i)
      expectLine(lossLines, "ℓ\(subscriptDigits(i)) = −ln p(“\(f.show(Int32(target)))”)", context)
      #expect(abs(-log(Double(probs[target])) - Double(f.trace.positionLosses[i])) < 1e-4)
      expectLine(lossLines, "= \(formatFixed(Double(f.trace.positionLosses[i]), decimals: 3))", context)
      expectLine(lossLines, "/ \(N) = \(formatFixed(Double(f.trace.loss), decimals: 3))", context)
      // ∂loss/∂z = (p − 1)/N at the target: the backward bar prints p − 1.
      let bar = Double(probs[target]) - 1
      let backward = f.lines(.backward, position: i)
      expectLine(backward, "= −\(formatFixed(abs(bar), decimals: 3))/\(N) = −", context)
      // The chain ends at the update table's grad column for wte[inputs[i]][0].
      let id = Int(f.trace.batch.inputs[i])
      let grad = f.trace.gradient("wte.weight")[f.trace.gradient("wte.weight").startIndex + id * C]
      expectLine(backward, "= " + m(String(format: "%+.4f", Double(grad))), context)
    }
  }

  @Test(arguments: [Objective.clm, .mlm], [1, 3])
  func theUpdateEndsAtTheTablesAfterValue(objective: Objective, steps: Int) throws {
    let f = try FormulaFixture(objective: objective, steps: steps)
    let C = f.trace.config.channels
    for i in 0..<f.trace.length {
      let id = Int(f.trace.batch.inputs[i])
      let before = f.trace.parameter("wte.weight")[f.trace.parameter("wte.weight").startIndex + id * C]
      let after = f.trace.parameterAfter("wte.weight")[f.trace.parameterAfter("wte.weight").startIndex + id * C]
      let grad = f.trace.gradient("wte.weight")[f.trace.gradient("wte.weight").startIndex + id * C]
      // AdamW by hand, in Double, from the moments the trace kept.
      let m0 = Double(f.trace.optimizer.m[id * C]), v0 = Double(f.trace.optimizer.v[id * C])
      let t = Double(f.trace.optimizer.step)
      #expect(Int(t) == steps)
      let g = Double(grad)
      let mNew = 0.9 * m0 + 0.1 * g, vNew = 0.95 * v0 + 0.05 * g * g
      let mHat = mNew / (1 - pow(0.9, t)), vHat = vNew / (1 - pow(0.95, t))
      let w = Double(before)
      let expected = w - Double(f.trace.learningRate) * (mHat / (vHat.squareRoot() + 1e-8) + 0.1 * w)
      #expect(abs(expected - Double(after)) < 1e-6, "position \(i)")
      let lines = f.lines(.update, position: i)
      // The table prints before and after with "%7.4f".
      let shownAfter = m(String(format: "%.4f", Double(after)))
      expectLine(lines, "= \(shownAfter)", "position \(i)")
      expectLine(lines, "w = \(m(String(format: "%.4f", w))),  g = ∂loss/∂w = \(m(String(format: "%+.4f", g)))", "position \(i)")
      expectLine(lines, "m̂ = m/(1−β₁ᵗ)", "position \(i)")
      expectLine(lines, "√v̂+ε", "position \(i)")
      let result = try #require(lines.last { $0.hasPrefix("   = ") })
      #expect(result.hasSuffix("= \(shownAfter)"))
    }
  }

  @Test(arguments: [Objective.clm, .mlm]) func deeperLayersAndOtherTokenizersReplayTheSameNumbers(objective: Objective) throws {
    let f = try FormulaFixture(objective: objective) { run in
      run.layers = 2
      run.heads = 4
      run.tokenizer = .char
    }
    for layer in 0..<2 {
      for head in 0..<f.trace.config.heads {
        for i in 0..<f.trace.length { _ = expectReplayedAttention(f, layer: layer, head: head, row: 1, query: i) }
      }
    }
    let lines = f.lines(.tokenize, position: 3)
    #expect(lines.contains { $0.contains("char") && $0.contains("V = \(f.trace.vocabularySize)") })
    #expect(f.lines(.attention, position: 3, layer: 1, head: 3).first?.contains("2/2") == true)
  }

  @Test func thePlainFallbackSpellsTheMathInASCII() throws {
    let f = try FormulaFixture(objective: .clm)
    let formulas = Formulas(trace: f.trace, tokenizer: f.tokenizer, replay: f.replay, language: .en)
    let plain = Stage.allCases.flatMap { formulas.lines(for: $0, focus: Focus(position: 1), unicode: false) }.map(\.text)
    let text = plain.joined(separator: "\n")
    #expect(text.contains("sqrt(v^)+eps") && text.contains("b_1^t") && text.contains("-ln p"))
    #expect(text.contains("sum_i l_i") || text.contains("sum_i"))
    for symbol in ["√", "Σ", "∂", "ᵗ", "β", "−", "ℓ"] { #expect(!text.contains(symbol), "\(symbol) left in the plain text") }
  }

  @Test func bpeTokensListTheMergesThatBuiltThem() throws {
    let text = "the theme then these there the theory"
    let bpe = BPETokenizer.train(text: text, merges: 12)
    let id = try #require(bpe.encode(" the").first)
    #expect(id >= 256)
    let lines = Formulas.bpeExplanation(of: id, tokenizer: bpe, language: .en).map(\.text)
    // Each merge's pair becomes the next piece, ending in the token itself.
    let last = try #require(lines.last)
    #expect(last.contains("→ “\(bpe.displayToken(id))” = \(id)"))
    #expect(lines.first?.contains("bytes \(bpe.bytes(of: id).map(String.init).joined(separator: " "))") == true)
  }
}

/// softmax(q·k/√d) over the visible keys, from the replayed q and k, checked against the trace's weights.
@discardableResult
private func expectReplayedAttention(
  _ f: FormulaFixture, layer: Int, head: Int, row: Int, query i: Int, sourceLocation: SourceLocation = #_sourceLocation
) -> (keys: [Int], sum: Double) {
  let T = f.trace.length
  let H = f.trace.config.heads
  let d = Double(f.trace.config.channels / H)
  let weights = Array(f.trace.attention(row: row, layer: layer, head: head))
  let q = f.replay.headVector(0, layer: layer, head: head, heads: H, row: row, position: i)
  let keys = f.trace.objective == .clm ? Array(0...i) : Array(0..<T)
  let scores = keys.map { j in
    zip(q, f.replay.headVector(1, layer: layer, head: head, heads: H, row: row, position: j))
      .reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / d.squareRoot()
  }
  let sum = scores.reduce(0.0) { $0 + exp($1) }
  for (j, s) in zip(keys, scores) {
    #expect(abs(exp(s) / sum - Double(weights[i * T + j])) < 1e-5, "layer \(layer) head \(head) query \(i) key \(j)", sourceLocation: sourceLocation)
  }
  return (keys, sum)
}

private func subscriptDigits(_ n: Int) -> String {
  let digits = Array("₀₁₂₃₄₅₆₇₈₉")
  return String(String(n).map { digits[Int(String($0))!] })
}
