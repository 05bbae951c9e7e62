import Curriculum
import Foundation
import Training

/// What the "Your own text" form asks for, remembered between runs in the state folder.
public struct PlaygroundChoices: Codable, Equatable, Sendable {
  /// The model and batch presets: the benchmark sizes of the design (S trains fastest).
  public enum ModelSize: String, Codable, CaseIterable, Sendable {
    case s = "S", m = "M", l = "L"

    /// (layers, heads, dim, context, batch).
    var shape: (layers: Int, heads: Int, dim: Int, context: Int, batch: Int) {
      switch self {
      case .s: (1, 2, 32, 16, 8)
      case .m: (2, 4, 64, 64, 32)
      case .l: (4, 4, 128, 128, 32)
      }
    }
  }

  /// The learning rates the form offers.
  public static let learningRates: [Float] = [3e-4, 1e-3, 3e-3, 1e-2, 3e-2]
  /// The file in the state folder that remembers the last choices.
  public static let fileName = "playground.json"

  /// A bundled corpus's name, or a path to any text file.
  public var corpus = "sentences.en.txt"
  public var tokenizer: TokenizerKind = .char
  public var objective: Objective = .clm
  public var size: ModelSize = .s
  public var learningRate: Float = 3e-3
  public var seed: UInt64 = 1337

  public init() {}

  /// The run these choices describe.
  public var run: RunConfiguration {
    let shape = size.shape
    return RunConfiguration(
      corpus: corpus, objective: objective, tokenizer: tokenizer, layers: shape.layers, heads: shape.heads, dim: shape.dim,
      context: shape.context, batch: shape.batch, learningRate: learningRate, seed: seed)
  }

  /// The lesson these choices open, or `train`'s one-line error (shown inline in the form).
  ///
  /// `progress` hears how far reading and tokenizing got; answering false stops with `CorpusError.cancelled`.
  public func lesson(
    language: Language, corporaDirectory: URL?, progress: (CorpusProgress) -> Bool = { _ in true }
  ) -> Result<LessonPlan, any Error> {
    Result {
      let lesson = try Lesson.ownText(run: run, language: language, corporaDirectory: corporaDirectory, progress: progress)
      return LessonPlan(lesson: lesson, corporaDirectory: corporaDirectory)
    }
  }

  /// The last choices saved in `folders`, or the defaults when there are none (or they cannot be read).
  public static func remembered(in folders: UserFolders) -> PlaygroundChoices {
    let url = folders.state.appendingPathComponent(fileName)
    guard let data = try? Data(contentsOf: url), let choices = try? JSONDecoder().decode(Self.self, from: data) else {
      return PlaygroundChoices()
    }
    return choices
  }

  /// Saves the choices atomically in the state folder.
  public func remember(in folders: UserFolders) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try UserFolders.write(try encoder.encode(self), to: try folders.stateFile(Self.fileName))
  }
}
