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

/// The games of one lesson, kept as JSON lines in the state folder.
struct GameResults {
  let folders: UserFolders
  let lesson: String

  /// `game-<lesson>.jsonl`.
  var fileName: String { "game-\(CheckpointName.sanitized(lesson)).jsonl" }

  /// The saved games, oldest first; lines that do not parse are skipped (a file from a newer version).
  func load() -> [GameResult] {
    let url = folders.state.appendingPathComponent(fileName)
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    let decoder = JSONDecoder()
    return text.split(separator: "\n").compactMap { try? decoder.decode(GameResult.self, from: Data($0.utf8)) }
  }

  /// Appends `result`, rewriting the file whole (a temporary file, then a rename); returns where.
  func append(_ result: GameResult) throws(UserFoldersError) -> URL {
    let url = try folders.stateFile(fileName)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var bytes = (try? Data(contentsOf: url)) ?? Data()
    if let last = bytes.last, last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
    guard let line = try? encoder.encode(result) else { throw UserFoldersError("\(url.path): the result could not be encoded") }
    bytes.append(line)
    bytes.append(UInt8(ascii: "\n"))
    try UserFolders.write(bytes, to: url)
    return url
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
