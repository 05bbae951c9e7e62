import Foundation
import Testing
import Model

@Suite struct SafetensorsTests {
  func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  let sample = SafetensorsFile(
    tensors: [
      "wte.weight": .init(shape: [2, 3], floats: [1, -2.5, 3e-8, .infinity, 0, -0]),
      "batch.input_ids": .init(shape: [1, 2], ints: [7, -100]),
      "loss": .init(shape: [], floats: [2.25]),
      "big": .init(shape: [2], values: .i64([Int64(1) << 40, -3])),
      "empty": .init(shape: [0, 4], floats: []),
    ],
    metadata: ["config": #"{"layers": 2}"#, "note": "line\nbreak \"quoted\" 中文 \u{1}"])

  @Test func roundTripsThroughAFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("model.safetensors")
    try sample.write(to: url)
    let read = try SafetensorsFile.read(from: url)
    #expect(read == sample)
    #expect(try read.floats("wte.weight") == [1, -2.5, 3e-8, .infinity, 0, -0])
    #expect(try read.int32s("batch.input_ids") == [7, -100])
    #expect(throws: SafetensorsError(file: "x", reason: "tensor big holds 1099511627776, which does not fit in Int32")) {
      try read.int32s("big", file: "x")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
  }

  @Test func headerIsSortedPaddedAndAligned() throws {
    let data = sample.encoded()
    let length = data.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
    #expect((8 + length) % 8 == 0)
    let header = String(decoding: data[8..<(8 + length)], as: UTF8.self)
    #expect(header.hasPrefix(#"{"__metadata__":{"config":"{\"layers\": 2}","note":"line\nbreak \"quoted\" 中文 \u0001"},"batch.input_ids":{"data_offsets":[0,8],"dtype":"I32","shape":[1,2]}"#))
    #expect(header.contains(#""loss":{"data_offsets":[24,28],"dtype":"F32","shape":[]}"#))
    let json = try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any]
    #expect(json?.count == 6)
    #expect(data.count == 8 + length + 8 + 16 + 0 + 4 + 24)  // I32, I64, empty, scalar, 2×3 F32
  }

  func bytes(header: String, data: [UInt8] = []) -> Data {
    var out = Data()
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: Array(header.utf8))
    out.append(contentsOf: data)
    return out
  }

  func reason(_ data: Data) -> String? {
    do {
      _ = try SafetensorsFile(data: data, file: "broken.safetensors")
      return nil
    } catch {
      #expect(error.description.hasPrefix("broken.safetensors: "))
      return error.reason
    }
  }

  @Test func everyCorruptionIsAClearError() {
    let notSafetensors = "is not a safetensors file (expected an 8-byte header length, then a JSON header)"
    #expect(reason(Data([1, 2, 3])) == "\(notSafetensors); it holds only 3 bytes")
    var huge = Data()
    withUnsafeBytes(of: UInt64(4096).littleEndian) { huge.append(contentsOf: $0) }
    huge.append(contentsOf: [0x7B, 0x7D])
    #expect(reason(huge) == "header length 4096 runs past the end of the file (10 bytes): the file is truncated or not a safetensors file")
    #expect(reason(Data("hello, this is a text file\n".utf8)) == notSafetensors)
    #expect(reason(bytes(header: "{not json")) == "header is not valid JSON")
    #expect(reason(bytes(header: "[1, 2]")) == notSafetensors)
    #expect(reason(bytes(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0])) == "tensor a: data_offsets [0, 8] outside the data (4 bytes)")
    #expect(reason(bytes(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8))) == "tensor a: 8 bytes of data, but shape [3] of F32 needs 12")
    #expect(reason(bytes(header: #"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 4))) == "tensor a: unsupported dtype F16, expected F32, I32 or I64")
    #expect(reason(bytes(header: #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 4))) == "tensor a: shape must be an array of non-negative integers")
    #expect(reason(bytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4]}}"#, data: Array(repeating: 0, count: 4))) == "tensor a: data_offsets must be two integers")
    #expect(reason(bytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, data: Array(repeating: 0, count: 4))) == "tensor a: data_offsets [4, 0] outside the data (4 bytes)")
    #expect(reason(bytes(header: #"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 4))) == "tensor a: dtype missing or not a string")
    #expect(reason(bytes(header: #"{"a":[1]}"#)) == "tensor a: entry is not an object")
    #expect(reason(bytes(header: #"{"__metadata__":{"k":1}}"#)) == "__metadata__.k is not a string")
    let overlapping = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]}}"#
    #expect(reason(bytes(header: overlapping, data: Array(repeating: 0, count: 8))) == "tensors a and b overlap in the data")
    let valid = bytes(header: #"{"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"#, data: [5, 0, 0, 0])
    #expect(reason(valid) == nil)
    // Exact accounting: trailing bytes, a gap between tensors, or a header one byte short.
    #expect(reason(valid + Data([0])) == "1 byte of trailing data after the last tensor (the header length or the file size is wrong)")
    let gap = #"{"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}"#
    #expect(reason(bytes(header: gap, data: Array(repeating: 0, count: 12))) == "a gap of 4 bytes at data offset 4, between tensors")
    var short = valid
    short[0] -= 1
    #expect(reason(short) == "header is not valid JSON")
    var paddedShort = bytes(header: #"{"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}  "#, data: [5, 0, 0, 0])
    paddedShort[0] -= 1
    #expect(reason(paddedShort) == "1 byte of trailing data after the last tensor (the header length or the file size is wrong)")
  }

  @Test func missingFilesAndWrongTypesNameTheFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("nope.safetensors")
    #expect(throws: SafetensorsError.self) { try SafetensorsFile.read(from: missing) }
    do {
      _ = try SafetensorsFile.read(from: missing)
    } catch {
      #expect(error.description == missing.path + ": no such file, expected a safetensors file")
    }
    #expect(throws: SafetensorsError(file: directory.path, reason: "is a folder, expected a safetensors file")) {
      try SafetensorsFile.read(from: directory)
    }
    let fifo = directory.appendingPathComponent("fifo")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    #expect(throws: SafetensorsError(file: fifo.path, reason: "is not a regular file (it is a FIFO), expected a safetensors file")) {
      try SafetensorsFile.read(from: fifo)
    }
    #expect(throws: SafetensorsError(file: "/dev/zero", reason: "is not a regular file (it is a device), expected a safetensors file")) {
      try SafetensorsFile.read(from: URL(fileURLWithPath: "/dev/zero"))
    }
    #expect(throws: SafetensorsError(file: "f", reason: "tensor batch.input_ids has dtype I32, expected F32")) {
      try sample.floats("batch.input_ids", file: "f")
    }
    #expect(throws: SafetensorsError(file: "f", reason: "missing tensor nope")) { try sample.floats("nope", file: "f") }
    let unwritable = directory.appendingPathComponent("no-such-dir/x.safetensors")
    #expect(throws: SafetensorsError.self) { try sample.write(to: unwritable) }
  }
}

@Suite struct CheckpointTensorTests {
  static let config = try! ModelConfig(vocabSize: 7, contextLength: 4, channels: 8, layers: 1, heads: 2)

  @Test func checkpointRoundTripsThroughAFile() throws {
    var generator = SeededGenerator(seed: 1)
    let model = GPT(config: Self.config, maxBatch: 2, generator: &generator)
    let optimizer = AdamW()
    model.forward(inputs: [1, 2, 3, 4], labels: [2, 3, 4, 5], batch: 1, length: 4, causal: true)
    model.zeroGradients()
    model.backward()
    optimizer.step(model, learningRate: 0.01)
    let file = SafetensorsFile(tensors: model.parameterTensors().merging(optimizer.stateSafetensors()) { a, _ in a })
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try file.write(to: url)
    let read = try SafetensorsFile.read(from: url)
    var other = SeededGenerator(seed: 2)
    let restored = GPT(config: Self.config, maxBatch: 2, generator: &other)
    try restored.load(parameters: read.tensors, file: url.path)
    #expect(restored.parameters == model.parameters)
    let restoredOptimizer = AdamW()
    try restoredOptimizer.loadState(safetensors: read.tensors, stepCount: 1, layout: restored.layout, file: url.path)
    #expect(restoredOptimizer.stateTensors().map(\.values) == optimizer.stateTensors().map(\.values))
  }

  @Test func mismatchedCheckpointsNameTheTensor() throws {
    var generator = SeededGenerator(seed: 1)
    let model = GPT(config: Self.config, maxBatch: 1, generator: &generator)
    var tensors = model.parameterTensors()
    tensors["h.0.ln_1.weight"] = .init(shape: [4], floats: [1, 1, 1, 1])
    #expect(throws: ModelError("c.safetensors: tensor h.0.ln_1.weight has shape [4], expected [8]")) {
      try model.load(parameters: tensors, file: "c.safetensors")
    }
    tensors["h.0.ln_1.weight"] = nil
    #expect(throws: ModelError("c.safetensors: missing tensor h.0.ln_1.weight")) {
      try model.load(parameters: tensors, file: "c.safetensors")
    }
  }

  @Test func traceTensorsHaveDesignShapes() {
    var generator = SeededGenerator(seed: 1)
    let model = GPT(config: Self.config, maxBatch: 2, generator: &generator)
    model.forward(inputs: [1, 2, 3, 4, 5, 6], labels: [2, 3, -100, 5, 6, 0], batch: 2, length: 3, causal: true)
    model.zeroGradients()
    model.backward()
    let trace = model.activationTensors().merging(model.gradientTensors()) { a, _ in a }
    #expect(trace["batch.input_ids"]?.shape == [2, 3])
    #expect(trace["batch.labels"]?.values == .i32([2, 3, -100, 5, 6, 0]))
    #expect(trace["act.h.0.attn.weights"]?.shape == [2, 2, 3, 3])
    #expect(trace["act.logits"]?.shape == [2, 3, 7])
    #expect(trace["act.losses"]?.shape == [2, 3])
    #expect(trace["loss"]?.shape == [])
    #expect(trace["grad.h.0.attn.c_attn.weight"]?.shape == [8, 24])
    let embedding = model.inputEmbedding, tokens = model.tokenEmbeddingSlice, positions = model.positionEmbeddingSlice
    #expect(positions.count == 3 * 8)
    for i in 0..<embedding.count { #expect(embedding[i] == tokens[i] + positions[i % 24]) }
  }
}
