import ArgumentParser
import Curriculum
import Foundation
import Model
import Training

/// `nexttoken shannon`: Shannon's guessing game played by a checkpoint over a whole text.
struct ShannonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shannon",
    abstract: "Score how well a checkpoint guesses each next token of a text, in bits per token.",
    discussion: """
      Every token after the first is predicted from the up-to-T tokens before it (T, the \
      model's context, slides along the text). Its rank is 1 + the number of tokens the model \
      found strictly more likely. Prints the cross-entropy, the top-1 accuracy and Shannon's \
      (1951) upper and lower bounds on the entropy from the rank frequencies q_r: \
      upper −Σ q_r log₂ q_r, lower Σ r·(q_r − q_{r+1})·log₂ r. CLM checkpoints only. On a \
      terminal, standard error shows a progress bar while scoring (not with --json).
      """)

  @Option(help: "A CLM checkpoint written by `nexttoken train --out`.")
  var checkpoint: String

  @Option(help: "A UTF-8 text file to score (default: the validation split of the checkpoint's corpus).")
  var text: String?

  @Flag(help: "Print one JSON object instead of the table.")
  var json = false

  @OptionGroup var threading: ThreadsOption

  func run() throws {
    BLAS.setThreads(threading.headless)
    let url = URL(fileURLWithPath: checkpoint)
    // Only the default text, the validation split, needs the corpus.
    let scorer: any LanguageModel
    let step: Int
    let ids: [Int32]
    let source: String
    let saved = try Checkpoint.read(from: url)
    guard saved.run.objective.isCausal else {
      throw CommandFailure("\(checkpoint) is a masked LM: it predicts hidden tokens from both sides, not the next token; shannon needs a CLM checkpoint")
    }
    if let text {
      let trained = TrainedModel(saved)
      ids = try Self.tokens(ofFile: text, tokenizer: trained.tokenizer, progress: StderrProgress(enabled: !json))
      (scorer, step, source) = (trained, trained.saved.step, text)
    } else {
      let trainer = try Checkpoint.load(from: url, evaluationInterval: 0)
      ids = trainer.validationTokens
      (scorer, step, source) = (trainer, trainer.stepCount, "the validation split of \(trainer.configuration.corpus)")
    }
    guard ids.count >= 2 else {
      throw CommandFailure("\(source) has \(ids.count) token\(ids.count == 1 ? "" : "s"); expected at least 2 (the first is only context)")
    }
    var score = GuessScore()
    // A long text takes minutes: a bar on a terminal's standard error, nothing in a pipe or with --json.
    let bar = StderrProgress(enabled: !json)
    let total = ids.count - 1
    let predictions = scorer.model.predictions(of: ids) { done in
      let left = done > 0 ? bar.elapsed / Double(done) * Double(total - done) : 0
      bar.draw("scoring", fraction: Double(done) / Double(total), detail: "\(done)/\(total) positions \(ProgressReporter.clock(left)) left")
    }
    bar.clear()
    for prediction in predictions { score.record(prediction) }
    if json {
      print(Self.json(score))
    } else {
      print(Self.table(score, source: source, checkpoint: checkpoint, step: step))
    }
  }

  /// The ids of a text file, refusing text the vocabulary lacks (it would be scored as [UNK]).
  static func tokens(ofFile path: String, tokenizer: any Tokenizer, progress: StderrProgress? = nil) throws -> [Int32] {
    let corpus: Corpus
    defer { progress?.clear() }
    do {
      corpus = try Corpus.load(path: path) { progress?.corpus($0) ?? true }
    } catch {
      throw CommandFailure("--text \(error)")
    }
    if let unknown = tokenizer.firstUnknownPiece(in: corpus.text) {
      let what = tokenizer.kind == .char ? "the character" : "the word"
      throw CommandFailure(
        "--text \(path):\(unknown.line):\(unknown.column): \(what) \(Self.quoted(unknown.text)) is not in the checkpoint's vocabulary")
    }
    return tokenizer.encode(corpus.text)
  }

  static func quoted(_ text: String) -> String {
    let escaped = text.unicodeScalars.map { scalar -> String in
      scalar.properties.generalCategory == .control || scalar.properties.isWhitespace && scalar != " "
        ? "U+" + String(scalar.value, radix: 16, uppercase: true) : String(scalar)
    }
    return "\"" + escaped.joined() + "\""
  }

  /// One JSON object; `rank_frequencies` maps each rank that occurred to q_r.
  static func json(_ score: GuessScore) -> String {
    func number(_ value: Double) -> String { value.isFinite ? String(format: "%.6f", value) : "null" }
    let ranks = score.rankFrequencies.map { #""\#($0.rank)":\#(String(format: "%.8g", $0.frequency))"# }
    return #"{"positions":\#(score.positions),"cross_entropy_bits":\#(number(score.crossEntropyBits ?? .nan)),"top1_accuracy":\#(number(score.top1Accuracy)),"upper_bound_bits":\#(number(score.upperBoundBits)),"lower_bound_bits":\#(number(score.lowerBoundBits)),"rank_frequencies":{\#(ranks.joined(separator: ","))}}"#
  }

  /// The plain report: the scores, then q_r for ranks 1–10 and summed over wider bands.
  static func table(_ score: GuessScore, source: String, checkpoint: String, step: Int) -> String {
    var lines = [
      "\(checkpoint) (step \(step)) on \(source): \(score.positions) positions",
      String(format: "cross-entropy    %.4f bits/token", score.crossEntropyBits ?? .nan),
      String(format: "top-1 accuracy   %.2f%%", score.top1Accuracy * 100),
      String(format: "Shannon's bounds %.4f ≤ entropy ≤ %.4f bits/token", score.lowerBoundBits, score.upperBoundBits),
      "rank      q_r",
    ]
    var bands: [(label: String, range: ClosedRange<Int>)] = (1...10).map { ("\($0)", $0...$0) }
    var start = 11
    while let largest = score.rankCounts.keys.max(), start <= largest {
      let end = (start - 1) * 10
      bands.append(("\(start)–\(end)", start...end))
      start = end + 1
    }
    for band in bands {
      let count = score.rankCounts.reduce(0) { band.range.contains($1.key) ? $0 + $1.value : $0 }
      guard count > 0 else { continue }
      let label = band.label.padding(toLength: 9, withPad: " ", startingAt: 0)
      lines.append(label + String(format: " %.4f", Double(count) / Double(score.positions)))
    }
    return lines.joined(separator: "\n")
  }
}
