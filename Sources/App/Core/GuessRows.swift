import Model
import Training

/// How the logits stage shows the model's guesses: one distribution, or the top guess at every position.
enum GuessMode: Sendable, Equatable {
  /// Teacher forcing: every position predicted in the step's one pass, each from the true text before it.
  case teacherForcing
  /// Free running: from the first token, the model's own top guess fed back, one pass per token.
  case freeRunning

  /// `a` cycles: the distribution → teacher forcing → free running → the distribution.
  static func next(after mode: GuessMode?) -> GuessMode? {
    switch mode {
    case nil: .teacherForcing
    case .teacherForcing: .freeRunning
    case .freeRunning: nil
    }
  }
}

/// The model's top-1 guess under every target of one batch row, with how many passes made them.
///
/// Both come from the weights the step's trace recorded before its update. Teacher forcing
/// reads the guesses off the step's own probabilities: one forward pass answered all T
/// positions, each from the true tokens before it (the causal mask keeps that honest).
/// Free running is generation: it starts from the row's first token and feeds each guess
/// back as the next input, so a wrong guess changes every later question.
struct GuessRows: Sendable, Equatable {
  let mode: GuessMode
  /// The step of the trace the guesses were read from.
  let step: Int
  /// The tokens the model read at each position: the true inputs, or its own guesses after the first.
  let inputs: [Int32]
  /// The true next token at each position.
  let targets: [Int32]
  /// The model's top guess at each position.
  let guesses: [Int32]
  /// Forward passes that produced the guesses.
  let passes: Int

  var correct: Int { zip(guesses, targets).filter { $0 == $1 }.count }

  /// The rows `mode` shows for one batch row of `trace`; nil when free running lacks the weights.
  static func compute(_ mode: GuessMode, trace: StepTrace, row: Int) -> GuessRows? {
    switch mode {
    case .teacherForcing: teacherForcing(trace, row: row)
    case .freeRunning: freeRunning(trace, row: row)
    }
  }

  /// The guesses of the step's one teacher-forced pass (CLM traces).
  static func teacherForcing(_ trace: StepTrace, row: Int) -> GuessRows {
    let T = trace.length
    let inputs = Array(trace.batch.inputs[row * T..<(row + 1) * T])
    let targets = Array(trace.batch.labels[row * T..<(row + 1) * T])
    let guesses = (0..<T).map { position in argmax(trace.probabilities(row: row, position: position)) }
    return GuessRows(mode: .teacherForcing, step: trace.step, inputs: inputs, targets: targets, guesses: guesses, passes: 1)
  }

  /// Greedy generation from the row's first token with the trace's weights: T passes, T−1 guesses fed back.
  ///
  /// Model work: the effect runner does it off the main thread (`Effect.guessRows`). Nil for a
  /// trace without all its weights, rather than guesses of a model with other weights.
  static func freeRunning(_ trace: StepTrace, row: Int) -> GuessRows? {
    let T = trace.length
    let truth = Array(trace.batch.inputs[row * T..<(row + 1) * T])
    let targets = Array(trace.batch.labels[row * T..<(row + 1) * T])
    var unused = SeededGenerator(seed: 0)
    let model = GPT(config: trace.config, maxBatch: 1, generator: &unused)
    do { try model.load(parameters: trace.parametersBefore) } catch { return nil }
    var read: [Int32] = [truth[0]]
    var guesses: [Int32] = []
    for position in 0..<T {
      let guess = argmax(model.nextTokenProbabilities(context: read)[...])
      guesses.append(guess)
      if position < T - 1 { read.append(guess) }
    }
    return GuessRows(mode: .freeRunning, step: trace.step, inputs: read, targets: targets, guesses: guesses, passes: T)
  }

  /// The first index of the largest value (the model's top-1 guess).
  static func argmax(_ values: ArraySlice<Float>) -> Int32 {
    var best = values.startIndex
    for i in values.indices where values[i] > values[best] { best = i }
    return Int32(best - values.startIndex)
  }
}
