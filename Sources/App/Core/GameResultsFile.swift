import Curriculum
import Foundation
import Training

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
