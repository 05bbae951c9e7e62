@testable import App
import Curriculum
import Foundation
import Testing
import Training

/// The app's sessions write only into the folders it was given.
@Suite struct SessionFoldersTests {
  /// Short question-and-answer pairs in the characters of the fixture's corpus.
  static let pairs = (0..<24).map { i in
    let animal = ["fox", "dog", "cat"][i % 3]
    return "### user\nThe \(animal)\n### assistant\nThe \(animal) runs.\n"
  }.joined(separator: "\n")

  @Test func aFineTuningLessonKeepsItsPreTrainedBaseInTheInjectedDataFolder() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let pairs = fixture.directory.appendingPathComponent("pairs.txt")
    try Self.pairs.write(to: pairs, atomically: true, encoding: .utf8)
    let run = RunConfiguration(
      corpus: pairs.path, objective: .sft, tokenizer: .char, layers: 1, heads: 2, dim: 16, context: 32, batch: 2,
      learningRate: 3e-3, warmupSteps: 0, seed: 5, base: BaseRun(corpus: fixture.corpus.path, steps: 3))
    let runner = EffectRunner(corporaDirectory: nil, folders: fixture.folders, onCallersThread: true)
    defer { runner.stopAll() }
    _ = runner.perform(.startSession(.next(), SessionRequest(configuration: run, prompt: "", label: "sft")))
    runner.waitUntilIdle()
    let snapshots = runner.poll().compactMap { message -> SessionSnapshot? in
      if case .snapshot(_, let snapshot) = message { snapshot } else { nil }
    }
    let snapshot = try #require(snapshots.last)
    #expect(snapshot.tokenizer != nil && snapshot.configuration.objective == .sft, "the run was built: \(snapshot.state)")

    let bases = fixture.folders.bases
    #expect(bases.path.hasPrefix(fixture.directory.path))
    let kept = try FileManager.default.contentsOfDirectory(atPath: bases.path)
    #expect(kept.count == 1 && kept.allSatisfy { $0.hasPrefix("base-fox-") && $0.hasSuffix(".safetensors") }, "\(kept)")
    // The name hashes the whole base run, the fixture's unique path included: no other run writes it.
    for name in kept {
      #expect(!FileManager.default.fileExists(atPath: UserFolders().bases.appendingPathComponent(name).path), "not in the real data folder")
    }
  }
}
