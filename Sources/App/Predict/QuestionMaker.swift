import Curriculum
import Foundation
import Model
import TermUI
import Training

/// Makes the question asked before a stage's picture, from the very trace that picture shows.
///
/// Every truth is read from the trace (the batch, the activations, the losses), never
/// assumed, so a question is right on any corpus, at any step, in either language. A
/// question whose two best answers differ by less than the digits shown would be a coin
/// toss: it is not asked, and another is, or none.
struct QuestionMaker {
  let trace: StepTrace
  let tokenizer: any Tokenizer
  let focus: Focus
  let reference: LossReference
  let language: Language

  var L: Localized { Localized(language) }
  var T: Int { trace.length }
  var row: Int { min(max(0, focus.row), trace.batchSize - 1) }
  var position: Int { min(max(0, focus.position), T - 1) }
  var inputs: [Int32] { Array(trace.batch.inputs[row * T..<(row + 1) * T]) }
  var labels: [Int32] { Array(trace.batch.labels[row * T..<(row + 1) * T]) }
  var masked: Bool { trace.objective == .mlm }

  func show(_ id: Int32) -> String { tokenizer.displayToken(id) }

  /// The question before `stage`'s picture, or nil when the trace offers none worth asking.
  func question(for stage: Stage) -> StageQuestion? {
    switch stage {
    case .tokenize: tokenizeQuestion()
    case .labels: masked ? pickedQuestion() : targetQuestion()
    case .embed: embedQuestion()
    case .attention: (masked ? nil : mostAttendedQuestion()) ?? lookRightQuestion()
    case .logits: topTokenQuestion() ?? topTenQuestion()
    case .loss: lossQuestion()
    case .backward: gradientSignQuestion()
    case .update: updateQuestion()
    }
  }

  private func make(_ stage: Stage, _ text: String, _ answer: StageQuestion.Answer, why: String, hidesLoss: Bool = false) -> StageQuestion {
    StageQuestion(place: .stage(stage), step: trace.step, text: text, answer: answer, why: why, hidesLoss: hidesLoss)
  }

  /// Options in an order that gives nothing away, the same every time for the same step.
  private func scrambled(_ options: [String], correct: Int) -> StageQuestion.Answer {
    let keyed = options.enumerated().map { (index: $0.offset, text: $0.element, key: ($0.element.unicodeScalars.reduce(UInt64(trace.step)) { $0 &* 31 &+ UInt64($1.value) }) % 9973) }
    let sorted = keyed.sorted { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
    return .choice(sorted.map(\.text), correct: sorted.firstIndex { $0.index == correct } ?? 0)
  }

  /// Consecutive whole numbers around `truth` (never below `low`), ascending.
  private func numbers(around truth: Int, low: Int = 1) -> StageQuestion.Answer {
    let first = max(low, truth - 1 - trace.step % 2)
    let options = (first..<first + 4).map(String.init)
    return .choice(options, correct: truth - first)
  }

  // MARK: - Tokenize, labels, embed

  /// How many tokens the window's first words (up to a line break) become.
  ///
  /// A byte-level token may hold part of a character, so the fragment starts and ends where
  /// its bytes decode to whole characters: a quote with "�" in it asks about text the learner
  /// cannot read. A window with no such fragment quotes its tokens' bytes instead (`<0xE6>`).
  func tokenizeQuestion() -> StageQuestion? {
    let starts = inputs.indices.filter { index in
      let piece = tokenizer.decode([inputs[index]])
      return !piece.contains("\n") && !piece.trimmingCharacters(in: .whitespaces).isEmpty
    }
    for start in starts {
      let whole = fragmentEnds(from: start).last { $0 - start >= 2 && !text(start..<$0).contains("\u{FFFD}") }
      if let whole { return tokenizeQuestion(start..<whole, text: text(start..<whole)) }
    }
    guard let start = starts.first, let end = fragmentEnds(from: start).last, end - start >= 2 else { return nil }
    return tokenizeQuestion(start..<end, text: inputs[start..<end].map(tokenizer.token).joined())
  }

  private func text(_ range: Range<Int>) -> String { tokenizer.decode(Array(inputs[range])) }

  /// Where a fragment from `start` may end: before a line break, and before it grows past 24 columns once it has two tokens.
  private func fragmentEnds(from start: Int) -> [Int] {
    var ends: [Int] = []
    for end in start + 1...T {
      let text = text(start..<end)
      if text.contains("\n") || (end - start > 2 && displayWidth(of: text) > 24) { break }
      ends.append(end)
    }
    return ends
  }

  private func tokenizeQuestion(_ range: Range<Int>, text: String) -> StageQuestion {
    let shown = Self.elided(inputs[range].map(show), width: 40)
    return make(.tokenize, L.tokenizeQuestion(text), numbers(around: range.count), why: L.tokenizeWhy(shown, count: range.count))
  }

  /// `tokens` joined by "|", the middle ones left out as "…" when they would pass `width` columns.
  ///
  /// Bytes shown as `<0xE6>` take six columns each: the answer's reason must still fit its two
  /// lines above the picture, whose boxes show every token anyway.
  static func elided(_ tokens: [String], width: Int) -> String {
    let whole = tokens.joined(separator: "|")
    guard displayWidth(of: whole) > width, tokens.count > 2 else { return whole }
    var front: [String] = []
    var back: [String] = []
    var used = 1
    var low = 0
    var high = tokens.count - 1
    while low <= high {
      let takesFront = front.count <= back.count
      let token = tokens[takesFront ? low : high]
      guard used + displayWidth(of: token) + 1 <= width else { break }
      used += displayWidth(of: token) + 1
      if takesFront {
        front.append(token)
        low += 1
      } else {
        back.insert(token, at: 0)
        high -= 1
      }
    }
    return (front + ["…"] + back).joined(separator: "|")
  }

  /// CLM: the target at the picked position, among tokens of the window.
  func targetQuestion() -> StageQuestion? {
    let target = labels[position]
    guard target >= 0 else { return nil }
    var options = [show(target)]
    let candidates = [inputs[position]] + (position > 0 ? [inputs[position - 1]] : []) + inputs[min(T, position + 2)...] + inputs[..<position]
    for id in candidates where options.count < 4 && !options.contains(show(id)) { options.append(show(id)) }
    guard options.count >= 2 else { return nil }
    return make(.labels, L.targetQuestion(position: position, token: show(inputs[position])), scrambled(options, correct: 0),
                why: L.targetWhy(input: show(inputs[position]), target: show(target)))
  }

  /// MLM: how many positions of the row were picked (carry a label).
  func pickedQuestion() -> StageQuestion? {
    let picked = labels.filter { $0 >= 0 }.count
    var values = Set([picked, picked + 1, max(1, picked - 1), T])
    var extra = picked + 2
    while values.count < 4 && extra < T { values.insert(extra); extra += 1 }
    let options = values.sorted()
    guard let correct = options.firstIndex(of: picked), options.count >= 2 else { return nil }
    return make(.labels, L.pickedQuestion(length: T), .choice(options.map(String.init), correct: correct), why: L.pickedWhy(picked: picked, length: T))
  }

  /// Two equal tokens at different positions: is their input vector the same?
  func embedQuestion() -> StageQuestion? {
    let pairs = (0..<T).flatMap { i in (i + 1..<T).filter { inputs[$0] == inputs[i] }.map { (i, $0) } }
    guard let (i, j) = pairs.first(where: { $0.0 == position || $0.1 == position }) ?? pairs.first else { return nil }
    let C = trace.config.channels
    let base = row * T * C
    let first = trace.inputEmbeddings[base + i * C..<base + (i + 1) * C]
    let second = trace.inputEmbeddings[base + j * C..<base + (j + 1) * C]
    let same = zip(first, second).allSatisfy { $0 == $1 }
    return make(.embed, L.embedQuestion(token: show(inputs[i]), first: i, second: j), .choice(L.yesNo, correct: same ? 0 : 1),
                why: L.embedWhy(same: same, first: i, second: j))
  }

  // MARK: - Attention, logits

  /// The picked query's weights in the focused layer and head; only the keys it may see (CLM: itself and before).
  private var queryWeights: [(key: Int, weight: Float)] {
    let layer = min(focus.layer, trace.config.layers - 1)
    let head = min(focus.head, trace.config.heads - 1)
    let weights = trace.attention(row: row, layer: layer, head: head)
    let start = weights.startIndex + position * T
    let keys = masked ? Array(0..<T) : Array(0...position)
    return keys.map { ($0, weights[start + $0]) }
  }

  /// CLM: which key the picked query looks at most (weights shown to 2 decimals).
  func mostAttendedQuestion() -> StageQuestion? {
    let ranked = queryWeights.sorted { $0.weight > $1.weight }
    guard ranked.count >= 2, ranked[0].weight - ranked[1].weight >= 0.01 else { return nil }
    let shown = ranked.prefix(4).sorted { $0.key < $1.key }
    let options = shown.map { "\(show(inputs[$0.key]))@\($0.key)" }
    let correct = shown.firstIndex { $0.key == ranked[0].key } ?? 0
    return make(.attention, L.mostAttendedQuestion(query: show(inputs[position]), position: position, layer: focus.layer, head: focus.head),
                .choice(options, correct: correct), why: L.mostAttendedWhy(options[correct], weight: ranked[0].weight))
  }

  /// Whether the picked query (or the one before, at the window's end) may look at the token to its right.
  func lookRightQuestion() -> StageQuestion? {
    guard T >= 2 else { return nil }
    let query = min(position, T - 2)
    let layer = min(focus.layer, trace.config.layers - 1)
    let head = min(focus.head, trace.config.heads - 1)
    let weights = trace.attention(row: row, layer: layer, head: head)
    let weight = weights[weights.startIndex + query * T + query + 1]
    let may = weight > 0
    return make(.attention, L.lookRightQuestion(query: show(inputs[query]), position: query, right: show(inputs[query + 1])),
                .choice(L.yesNo, correct: may ? 0 : 1), why: L.lookRightWhy(may: may, weight: weight))
  }

  /// The token the model ranks first at the picked position (probabilities shown to 3 decimals).
  func topTokenQuestion() -> StageQuestion? {
    guard labels[position] >= 0 else { return nil }
    let probabilities = trace.probabilities(row: row, position: position)
    let base = probabilities.startIndex
    let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(4)
    guard ranked.count >= 2, probabilities[ranked[0]] - probabilities[ranked[1]] >= 0.001 else { return nil }
    let options = ranked.map { show(Int32($0 - base)) }
    let top = options[0]
    let sorted = options.sorted()
    return make(.logits, L.topTokenQuestion(position: position, token: show(inputs[position]), masked: masked),
                .choice(sorted, correct: sorted.firstIndex(of: top) ?? 0),
                why: L.topTokenWhy(top, p: probabilities[ranked[0]], target: show(labels[position]), targetP: probabilities[base + Int(labels[position])]))
  }

  /// Whether the target is among the model's ten most probable tokens at the picked position.
  func topTenQuestion() -> StageQuestion? {
    let target = labels[position]
    guard target >= 0 else { return nil }
    let probabilities = trace.probabilities(row: row, position: position)
    let p = probabilities[probabilities.startIndex + Int(target)]
    let rank = 1 + probabilities.filter { $0 > p }.count
    return make(.logits, L.topTenQuestion(target: show(target), position: position), .choice(L.yesNo, correct: rank <= 10 ? 0 : 1),
                why: L.topTenWhy(target: show(target), rank: rank, vocabulary: trace.vocabularySize, p: p))
  }

  // MARK: - Loss, backward, update

  /// Above or below the reference line nearest this step's loss, among those it differs from by 0.01 or more.
  func lossQuestion() -> StageQuestion? {
    let lines = [(L.lnVLine, reference.uniform), (L.unigramLine, reference.unigram), (L.bigramLine, reference.bigram)]
      .filter { $0.1 > 0 && abs(trace.loss - $0.1) >= 0.01 }
    guard let (name, value) = lines.min(by: { abs(trace.loss - $0.1) < abs(trace.loss - $1.1) }) else { return nil }
    let above = trace.loss > value
    return make(.loss, L.lossQuestion(line: name, value: value), .choice(L.aboveBelow, correct: above ? 0 : 1),
                why: L.lossWhy(loss: trace.loss, above: above, line: name, value: value), hidesLoss: true)
  }

  /// The sign of dL/dz on the target's logit, or on the model's top wrong guess (alternating by step).
  func gradientSignQuestion() -> StageQuestion? {
    let target = labels[position]
    guard target >= 0 else { return nil }
    let probabilities = trace.probabilities(row: row, position: position)
    let base = probabilities.startIndex
    let targetGradient = probabilities[base + Int(target)] - 1
    let wrong = probabilities.indices.filter { $0 - base != Int(target) }.max { probabilities[$0] < probabilities[$1] }.map { $0 - base }
    var candidates: [(token: Int32, gradient: Float, isTarget: Bool)] = [(target, targetGradient, true)]
    if let wrong { candidates.append((Int32(wrong), probabilities[base + wrong], false)) }
    if (trace.step + position) % 2 == 1 { candidates.reverse() }
    // Shown to 3 decimals: a gradient that rounds to 0 has no sign to predict.
    guard let pick = candidates.first(where: { abs($0.gradient) >= 0.001 }) else { return nil }
    let negative = pick.gradient < 0
    return make(.backward, L.gradientQuestion(token: show(pick.token), isTarget: pick.isTarget), .choice(L.positiveNegative, correct: negative ? 1 : 0),
                why: L.gradientWhy(gradient: pick.gradient, isTarget: pick.isTarget))
  }

  /// Whether the loss on the same batch falls after the optimizer step (shown to 3 decimals).
  func updateQuestion() -> StageQuestion? {
    let delta = trace.lossAfter - trace.loss
    guard delta.isFinite, abs(delta) >= 0.001 else { return nil }
    let lower = delta < 0
    return make(.update, L.updateQuestion, .choice(L.yesNo, correct: lower ? 0 : 1),
                why: L.updateWhy(before: trace.loss, after: trace.lossAfter, lower: lower))
  }
}

extension StageQuestion {
  /// Before `r` in a lesson whose run pauses at milestones: about when validation passes the bigram line.
  static func bigramStep(reference: LossReference, language: Language) -> StageQuestion {
    StageQuestion(place: .run, step: 0, text: Localized(language).bigramQuestion(value: reference.bigram),
                  answer: .bigramStep([10, 100, 1_000, 10_000]), why: "")
  }
}
