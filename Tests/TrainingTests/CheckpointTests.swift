import Curriculum
import Foundation
import Model
import Testing
@testable import Training

/// A checkpoint of a tiny run after two steps, and ways to craft broken copies of it.
struct SavedCheckpoint {
  let scratch: Scratch
  let url: URL
  let corpus: URL

  init(objective: Objective = .clm) throws {
    scratch = try Scratch()
    corpus = try scratch.corpus()
    let trainer = try Trainer(configuration: tinyRun(corpus, objective: objective), evaluationInterval: 0)
    _ = trainer.step(recordTrace: false)
    _ = trainer.step(recordTrace: false)
    url = scratch.file("ck.safetensors")
    try Checkpoint.save(trainer, to: url)
  }

  /// A copy with `change` applied to its parsed contents, written as `name`.
  func crafted(_ name: String, _ change: (inout SafetensorsFile) -> Void) throws -> URL {
    var file = try SafetensorsFile.read(from: url)
    change(&file)
    let out = scratch.file(name)
    try file.write(to: out)
    return out
  }

  /// The error reading `url` throws, or nil when it reads.
  func readError(_ url: URL) -> CheckpointError? {
    do {
      _ = try Checkpoint.read(from: url)
      return nil
    } catch {
      return error
    }
  }
}

@Suite struct CheckpointTests {
  @Test func aCheckpointGeneratesWithoutItsCorpus() throws {
    let saved = try SavedCheckpoint()
    defer { saved.scratch.remove() }
    let original = try Checkpoint.loadModel(from: saved.url)
    var generator = SeededGenerator(seed: 5)
    let before = (0..<20).map { _ in original.sampleNext(after: [0], temperature: 1, topK: nil, generator: &generator) }

    try FileManager.default.moveItem(at: saved.corpus, to: saved.scratch.file("moved.txt"))
    let model = try Checkpoint.loadModel(from: saved.url)
    generator = SeededGenerator(seed: 5)
    let after = (0..<20).map { _ in model.sampleNext(after: [0], temperature: 1, topK: nil, generator: &generator) }
    #expect(before == after)
    #expect(model.saved.step == 2)
    // Training on needs the corpus again, and says so.
    #expect(throws: CheckpointError.corpusUnavailable(
      path: saved.url.path, corpus: saved.corpus.path,
      reason: CorpusError.notFound(path: saved.corpus.path).description)) {
      try Checkpoint.load(from: saved.url)
    }
  }

  @Test func aChangedCorpusIsRefusedWhenTrainingOn() throws {
    let saved = try SavedCheckpoint()
    defer { saved.scratch.remove() }
    let text = try String(contentsOf: saved.corpus, encoding: .utf8)
    try (text + "the fox sat.\n").write(to: saved.corpus, atomically: true, encoding: .utf8)
    #expect {
      try Checkpoint.load(from: saved.url)
    } throws: { error in
      guard case .corpusChanged(_, _, let then, let now) = error as? CheckpointError else { return false }
      return now == then + 13
    }
  }

  @Test func craftedMetadataGetsOneLine() throws {
    let saved = try SavedCheckpoint()
    defer { saved.scratch.remove() }
    let path = { (name: String) in saved.scratch.file(name).path }

    let empty = try saved.crafted("empty.safetensors") { $0.metadata["tokenizer.data"] = #"{"kind":"char","tokens":[]}"# }
    #expect(saved.readError(empty) == .invalidMetadata(path: path("empty.safetensors"), key: "tokenizer.data", reason: "has an empty vocabulary"))

    let step = try saved.crafted("step.safetensors") { $0.metadata["step"] = String(Int.max) }
    #expect(saved.readError(step) == .invalidMetadata(path: path("step.safetensors"), key: "step", reason: "must be a whole number from 0 to 1000000000"))

    let position = try saved.crafted("position.safetensors") {
      $0.metadata["data_position"] = #"{"epoch":0,"index":9223372036854775807,"seed":"1"}"#
    }
    guard case .invalidMetadata(_, "data_position", _) = saved.readError(position) else {
      Issue.record("a huge data position was accepted")
      return
    }
    let pastEpoch = try saved.crafted("past-epoch.safetensors") { $0.metadata["data_position"] = #"{"epoch":0,"index":100000,"seed":"1"}"# }
    #expect(saved.readError(pastEpoch) == nil, "reading does not need the corpus")
    #expect(throws: CheckpointError.invalidMetadata(
      path: path("past-epoch.safetensors"), key: "data_position", reason: "is past the end of its epoch (epoch 0, batch 100000)")) {
      try Checkpoint.load(from: saved.scratch.file("past-epoch.safetensors"))
    }

    let layers = try saved.crafted("layers.safetensors") { file in
      file.metadata["run"] = file.metadata["run"]!.replacingOccurrences(of: #""layers":1"#, with: #""layers":1000000"#)
    }
    #expect(saved.readError(layers) == .size(path: path("layers.safetensors"), .outOfRange(.layers, value: 1_000_000, range: 1...64)))

    let config = try saved.crafted("config.safetensors") { file in
      file.metadata["config"] = file.metadata["config"]!.replacingOccurrences(of: #""layers":1"#, with: #""layers":2"#)
    }
    guard case .invalidMetadata(_, "config", _) = saved.readError(config) else {
      Issue.record("a config that does not match the run was accepted")
      return
    }

    let format = try saved.crafted("format.safetensors") { $0.metadata["format"] = "other.v9" }
    #expect(saved.readError(format) == .unsupportedFormat(path: path("format.safetensors"), found: "other.v9"))
    let foreign = try saved.crafted("foreign.safetensors") { $0.metadata = [:] }
    #expect(saved.readError(foreign) == .notACheckpoint(path: path("foreign.safetensors"), missing: "format"))
  }

  @Test func weightsThatAreNotFiniteOrAbsurdAreRefused() throws {
    let saved = try SavedCheckpoint()
    defer { saved.scratch.remove() }
    for (index, value) in [Float.nan, .infinity, -.infinity, 3e38].enumerated() {
      let name = "bad-\(index).safetensors"
      let url = try saved.crafted(name) { file in
        var values = try! file.floats("wpe.weight")
        values[3] = value
        file.tensors["wpe.weight"] = .init(shape: file.tensors["wpe.weight"]!.shape, floats: values)
      }
      guard case .badValue(_, "wpe.weight", 3, let found) = saved.readError(url) else {
        Issue.record("\(value) was accepted")
        continue
      }
      #expect(found.bitPattern == value.bitPattern)
    }
    let negative = try saved.crafted("negative-v.safetensors") { file in
      var values = try! file.floats("optim.v.wte.weight")
      values[0] = -1
      file.tensors["optim.v.wte.weight"] = .init(shape: file.tensors["optim.v.wte.weight"]!.shape, floats: values)
    }
    #expect(saved.readError(negative) == .badValue(path: negative.path, tensor: "optim.v.wte.weight", index: 0, value: -1))
  }

  @Test func bytesMissingOrLeftOverAreRefused() throws {
    let saved = try SavedCheckpoint()
    defer { saved.scratch.remove() }
    let bytes = try Data(contentsOf: saved.url)
    let trailing = saved.scratch.file("trailing.safetensors")
    try (bytes + Data([0, 0, 0, 0])).write(to: trailing)
    guard case .file(let error) = saved.readError(trailing) else { Issue.record("trailing bytes were accepted"); return }
    #expect(error.reason.contains("trailing data"))
    let missing = saved.scratch.file("missing.safetensors")
    try bytes.dropLast(4).write(to: missing)
    guard case .file = saved.readError(missing) else { Issue.record("missing bytes were accepted"); return }
    // The header length one byte short: the writer pads headers with spaces, so the JSON still parses.
    var short = bytes
    short[0] -= 1
    let shifted = saved.scratch.file("shifted.safetensors")
    try short.write(to: shifted)
    guard case .file = saved.readError(shifted) else { Issue.record("a shifted header was accepted"); return }
  }

  @Test func aTinyTemperatureGivesTheMostLikelyToken() throws {
    let saved = try SavedCheckpoint()
    defer { saved.scratch.remove() }
    let model = try Checkpoint.loadModel(from: saved.url)
    let greedy = model.model.nextTokenProbabilities(context: [0, 1], temperature: 0)
    let tiny = model.model.nextTokenProbabilities(context: [0, 1], temperature: 1e-45)
    #expect(tiny.firstIndex(of: tiny.max()!) == greedy.firstIndex(of: 1))
    #expect(tiny.max()! > 0.99)
  }
}
