import Foundation
import Curriculum
import Model

/// Shannon's guessing game as a value: the text, the position being guessed, the learner's guesses and score.
///
/// The learner guesses each next token until right; the number of guesses is their rank of
/// the true token. Wrong guesses stay listed; giving up counts as rank V, so it never
/// flatters. A guess outside the vocabulary, or one already made here, does not count.
struct GuessingGame {
  /// The validation text's token ids.
  let tokens: [Int32]
  /// V: the rank a give-up counts as.
  let vocabularySize: Int
  /// The first position played (the tokens before it are the context shown at the start).
  let start: Int
  /// The index of the token being guessed now.
  private(set) var position: Int
  /// This position's wrong guesses, in order.
  private(set) var wrong: [Int32] = []
  /// Every position played, oldest first.
  private(set) var played: [PlayedPosition] = []
  /// The learner's ranks, scored as Shannon did.
  private(set) var score = GuessScore()

  /// The tokens shown before the first guess: some context, as Shannon gave his subjects.
  static let shownContext = 16

  init(tokens: [Int32], vocabularySize: Int, start: Int = 0) {
    self.tokens = tokens
    self.vocabularySize = vocabularySize
    let first = max(1, min(start + Self.shownContext, tokens.count))
    self.start = first
    position = first
  }

  /// False once the text has no token left to guess.
  var isPlaying: Bool { position < tokens.count }

  /// The token to guess now.
  var answer: Int32? { isPlaying ? tokens[position] : nil }

  /// What one guess did.
  enum Outcome: Equatable {
    /// Right after `guesses` guesses; the game moved on.
    case right(guesses: Int)
    case wrong
    /// Guessed before at this position: not counted again.
    case repeated
    /// No token has this text: not counted.
    case unknown
  }

  /// Guesses `id` (nil: the text typed is no token) for the current position.
  mutating func guess(_ id: Int32?) -> Outcome {
    guard let answer else { return .unknown }
    guard let id else { return .unknown }
    if wrong.contains(id) { return .repeated }
    guard id == answer else {
      wrong.append(id)
      return .wrong
    }
    let guesses = wrong.count + 1
    finish(rank: guesses, gaveUp: false)
    return .right(guesses: guesses)
  }

  /// Gives up on the current position: it counts as rank V.
  mutating func giveUp() {
    guard isPlaying else { return }
    finish(rank: max(1, vocabularySize), gaveUp: true)
  }

  private mutating func finish(rank: Int, gaveUp: Bool) {
    played.append(PlayedPosition(index: position, token: tokens[position], guesses: rank, gaveUp: gaveUp))
    // A give-up also costs log₂ V bits in the upper bound: the token must still be named.
    if gaveUp { score.recordGiveUp(vocabularySize: rank) } else { score.record(rank: rank) }
    wrong = []
    position += 1
  }

  /// The indices played, for the model to score.
  var playedIndices: [Int] { played.map(\.index) }

  /// The model's score over the positions played, from its predictions (those it has sent).
  func modelScore(_ predictions: [Int: TokenPrediction]) -> GuessScore {
    var score = GuessScore()
    for position in played {
      if let prediction = predictions[position.index] { score.record(prediction) }
    }
    return score
  }
}

/// One position the learner finished.
struct PlayedPosition: Equatable {
  let index: Int
  let token: Int32
  /// The learner's rank: guesses until right, or V after giving up.
  let guesses: Int
  let gaveUp: Bool
}

extension GuessingGame {
  /// The token a typed guess names: the answer when the texts match but for spaces (words are typed without theirs).
  func resolve(_ text: String, tokenizer: any Tokenizer) -> Int32? {
    if let answer, tokenizer.kind != .char {
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      if !trimmed.isEmpty, tokenizer.token(answer).trimmingCharacters(in: .whitespaces) == trimmed { return answer }
    }
    return tokenizer.guessID(text)
  }
}

extension Tokenizer {
  /// The ordinary token whose text is `text`, or (for words typed without their space) whose trimmed text is.
  func guessID(_ text: String) -> Int32? {
    guard !text.isEmpty else { return nil }
    let ids = (0..<Int32(ordinaryCount))
    if let exact = ids.first(where: { token($0) == text }) { return exact }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { return nil }
    return ids.first { token($0).trimmingCharacters(in: .whitespaces) == trimmed }
  }
}
