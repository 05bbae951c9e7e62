import Curriculum

/// One finished game, as saved: one JSON line in the lesson's results file.
struct GameResult: Codable, Equatable, Sendable {
  var date: String
  var lesson: String
  /// The model's step when the game ended.
  var step: Int
  var positions: Int
  /// The first validation position played and the one after the last: the next game starts there.
  var start: Int
  var end: Int
  var youTop1: Double
  var youUpperBits: Double
  var youLowerBits: Double
  var modelTop1: Double
  var modelBits: Double?
  /// The language of the lesson's text the game was played on (`en`, `zh`); nil in games
  /// saved before games were kept per language, which were English.
  var language: String?

  /// The validation positions played.
  var played: Range<Int> { start..<max(start, end) }

  /// Whether the game was played on the lesson's text in `language`.
  func isPlayed(in language: Language) -> Bool { (self.language ?? Language.en.rawValue) == language.rawValue }

  enum CodingKeys: String, CodingKey {
    case date, lesson, step, positions, start, end, language = "lang"
    case youTop1 = "you_top1_accuracy", youUpperBits = "you_upper_bound_bits", youLowerBits = "you_lower_bound_bits"
    case modelTop1 = "model_top1_accuracy", modelBits = "model_cross_entropy_bits"
  }
}
