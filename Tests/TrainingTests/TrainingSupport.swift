import Curriculum
import Foundation
import Training

/// A temporary folder with a small deterministic corpus, removed by the caller.
struct Scratch {
  let directory: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

  /// Writes a corpus of simple sentences drawn from a fixed word list.
  func corpus(named name: String = "corpus.txt", sentences: Int = 400) throws -> URL {
    let words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "cat", "sat", "on", "mat", "a", "red", "ball"]
    var state: UInt64 = 12345
    func next(_ bound: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int((state >> 33) % UInt64(bound))
    }
    var lines: [String] = []
    for _ in 0..<sentences {
      lines.append((0..<(4 + next(6))).map { _ in words[next(words.count)] }.joined(separator: " ") + ".")
    }
    let url = file(name)
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A tiny run on `corpus`.
func tinyRun(_ corpus: URL, objective: Objective = .clm, lr: Float = 3e-3, seed: UInt64 = 7) -> RunConfiguration {
  RunConfiguration(
    corpus: corpus.path, objective: objective, tokenizer: .char, layers: 1, heads: 2, dim: 16, context: 8, batch: 4,
    optimizer: .adamw, learningRate: lr, warmupSteps: 3, seed: seed)
}
