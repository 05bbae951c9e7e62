import Curriculum
import Foundation
import Model
import Training

/// One finished game, as saved: one JSON line in the lesson's results file.
struct GameResult: Codable, Equatable {
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

  enum CodingKeys: String, CodingKey {
    case date, lesson, step, positions, start, end
    case youTop1 = "you_top1_accuracy", youUpperBits = "you_upper_bound_bits", youLowerBits = "you_lower_bound_bits"
    case modelTop1 = "model_top1_accuracy", modelBits = "model_cross_entropy_bits"
  }
}

/// Every lesson's finished games, in the state store (`games.json`), keyed by lesson id.
///
/// Earlier versions kept one `game-<lesson>.jsonl` per lesson: those are read while
/// `games.json` does not exist and renamed `*.migrated` by the first save.
enum GameRecords: StateKind {
  typealias Record = GameResult
  static let name = "games"

  static func legacy(in folder: URL) -> StateLegacy {
    StateLegacy.jsonLines(in: folder, prefix: "game-", suffix: ".jsonl", keyField: "lesson")
  }
}

/// The games of one lesson.
struct GameResults {
  let store: StateStore
  let lesson: String

  init(folders: UserFolders, lesson: String) {
    store = StateStore(folders: folders)
    self.lesson = lesson
  }

  /// The saved games, oldest first; records this version cannot read are skipped (and kept).
  func load() -> [GameResult] {
    store.records(GameRecords.self)[lesson]
  }

  /// Adds `result` to the games saved, also those another instance saved meanwhile.
  func append(_ result: GameResult) throws(UserFoldersError) -> StateSave {
    try store.update(GameRecords.self) { $0.append(result, to: lesson) }
  }
}

extension LessonScreen {
  /// Takes the learner's upper bound from the game just closed, for the loss plot (bits → nats).
  mutating func readGameResult(folders: UserFolders = UserFolders()) -> [Effect] {
    awaitsGame = false
    guard let last = GameResults(folders: folders, lesson: plan.id).load().last, last.youUpperBits > 0 else { return [] }
    youNats = last.youUpperBits * M_LN2
    return [.redraw]
  }
}
