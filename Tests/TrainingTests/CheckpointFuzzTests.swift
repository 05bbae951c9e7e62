import Curriculum
import Foundation
import Model
import Testing
@testable import Training

/// Two hundred seeded mutations of a real checkpoint, each read in-process: every one must
/// end in a one-line error or a checkpoint that generates, never in a crash.
@Suite struct CheckpointFuzzTests {
  static let nastyValues = [
    "", "-1", "0", "1", "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e308", "NaN",
    "{}", "[]", "null", "\"\"", #"{"tokens":[]}"#, #"{"kind":"char","tokens":[]}"#, #"{"epoch":-1,"index":0,"seed":"1"}"#,
    #"{"epoch":0,"index":9223372036854775807,"seed":"1"}"#, "\u{0}", String(repeating: "9", count: 400),
  ]

  /// One mutation of `bytes` or of the file's parsed contents, chosen by `generator`.
  static func mutate(_ bytes: [UInt8], file: SafetensorsFile, generator: inout SeededGenerator) -> [UInt8] {
    switch generator.nextInt(below: 6) {
    case 0:  // flip a few bytes anywhere (header bytes most often, where parsing happens)
      var out = bytes
      for _ in 0..<(1 + generator.nextInt(below: 4)) {
        let index = generator.nextInt(below: 2) == 0 ? generator.nextInt(below: min(out.count, 4096)) : generator.nextInt(below: out.count)
        out[index] ^= UInt8(1 << generator.nextInt(below: 8))
      }
      return out
    case 1:  // cut or extend
      let cut = generator.nextInt(below: bytes.count)
      return generator.nextInt(below: 2) == 0 ? Array(bytes.prefix(cut)) : bytes + [UInt8](repeating: 0, count: 1 + cut % 9)
    case 2:  // change the header length
      var out = bytes
      out[generator.nextInt(below: 8)] &+= UInt8(1 + generator.nextInt(below: 255))
      return out
    case 3, 4:  // a metadata field set to a hostile value, or a number in it changed
      var changed = file
      let keys = changed.metadata.keys.sorted()
      let key = keys[generator.nextInt(below: keys.count)]
      if generator.nextInt(below: 2) == 0 {
        changed.metadata[key] = nastyValues[generator.nextInt(below: nastyValues.count)]
      } else {
        let value = changed.metadata[key]!
        let replacement = ["0", "-1", "1000000", "9223372036854775807", "99999999999999999999"][generator.nextInt(below: 5)]
        changed.metadata[key] = value.replacingOccurrences(of: #"\d+"#, with: replacement, options: .regularExpression, range: nil)
      }
      return [UInt8](changed.encoded())
    default:  // a weight set to NaN, ±∞ or a huge number, or a tensor reshaped
      var changed = file
      let names = changed.tensors.keys.sorted()
      let name = names[generator.nextInt(below: names.count)]
      let tensor = changed.tensors[name]!
      if case .f32(var values) = tensor.values, !values.isEmpty, generator.nextInt(below: 3) > 0 {
        values[generator.nextInt(below: values.count)] = [Float.nan, .infinity, -.infinity, 3e38, 1e5][generator.nextInt(below: 5)]
        changed.tensors[name] = .init(shape: tensor.shape, floats: values)
      } else {
        changed.tensors[name] = .init(shape: [tensor.values.count], values: tensor.values)
      }
      return [UInt8](changed.encoded())
    }
  }

  @Test func mutatedCheckpointsGiveAnErrorOrAWorkingModel() throws {
    let saved = try SavedCheckpoint(objective: .clm)
    defer { saved.scratch.remove() }
    let bytes = [UInt8](try Data(contentsOf: saved.url))
    let file = try SafetensorsFile.read(from: saved.url)
    var generator = SeededGenerator(seed: 2026)
    var loaded = 0
    var refused: Set<String> = []
    for round in 0..<200 {
      let mutated = Self.mutate(bytes, file: file, generator: &generator)
      do {
        let parsed = try SafetensorsFile(data: Data(mutated), file: "fuzz-\(round)")
        let run = try SavedRun(file: parsed, path: "fuzz-\(round)")
        // What loads must work: the model predicts a distribution over its vocabulary.
        let model = TrainedModel(run)
        let probabilities = model.model.nextTokenProbabilities(context: [0], temperature: 1)
        #expect(probabilities.count == run.tokenizer.vocabSize)
        #expect(probabilities.allSatisfy { $0.isFinite }, "round \(round) loaded weights that predict NaN")
        loaded += 1
      } catch let error as SafetensorsError {
        #expect(!error.description.contains("\n"))
        refused.insert("safetensors")
      } catch let error as CheckpointError {
        #expect(!error.description.contains("\n") && error.description.hasPrefix("fuzz-\(round): "), "\(error)")
        refused.insert("\(error)".split(separator: ":")[1].split(separator: " ").prefix(2).joined(separator: " "))
      }
    }
    // Both outcomes happen, and the refusals come from many different checks.
    #expect(loaded > 0)
    #expect(refused.count > 8, "\(refused)")
  }
}
