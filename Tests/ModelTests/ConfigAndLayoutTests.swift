import Foundation
import Testing
import Model

@Suite struct ConfigAndLayoutTests {
  func error(_ v: Int, _ t: Int, _ c: Int, _ l: Int, _ h: Int) -> String? {
    do {
      _ = try ModelConfig(vocabSize: v, contextLength: t, channels: c, layers: l, heads: h)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func invalidSizesGiveOneLineErrors() {
    #expect(error(65, 16, 64, 1, 3) == "heads (3) must divide dim (64)")
    #expect(error(65, 1, 64, 1, 4) == "context (1) must be at least 2")
    #expect(error(1, 8, 64, 1, 4) == "vocab (1) must be at least 2")
    #expect(error(65, 8, 0, 1, 4) == "dim (0) must be greater than 0")
    #expect(error(65, 8, 64, 0, 4) == "layers (0) must be greater than 0")
    #expect(error(65, 8, 64, 1, -2) == "heads (-2) must be greater than 0")
    #expect(error(65, 8, 64, 1, 4) == nil)
  }

  @Test func decodingValidatesAndRoundTrips() throws {
    let config = try ModelConfig(vocabSize: 65, contextLength: 16, channels: 32, layers: 1, heads: 2)
    let data = try JSONEncoder().encode(config)
    #expect(try JSONDecoder().decode(ModelConfig.self, from: data) == config)
    let bad = Data(#"{"vocabSize":65,"contextLength":16,"channels":32,"layers":1,"heads":3}"#.utf8)
    #expect(throws: ModelError("heads (3) must divide dim (32)")) { try JSONDecoder().decode(ModelConfig.self, from: bad) }
  }

  @Test func layoutFollowsHuggingFaceOrderAndShapes() throws {
    let config = try ModelConfig(vocabSize: 7, contextLength: 5, channels: 4, layers: 2, heads: 2)
    let layout = ParameterLayout(config: config)
    var expected = ["wte.weight", "wpe.weight"]
    for i in 0..<2 {
      expected += [
        "ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
        "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias",
      ].map { "h.\(i).\($0)" }
    }
    expected += ["ln_f.weight", "ln_f.bias"]
    #expect(layout.tensors.map(\.name) == expected)
    #expect(layout["wte.weight"]?.shape == [7, 4])
    #expect(layout["wpe.weight"]?.shape == [5, 4])
    #expect(layout["h.1.attn.c_attn.weight"]?.shape == [4, 12])
    #expect(layout["h.1.attn.c_attn.bias"]?.shape == [12])
    #expect(layout["h.0.attn.c_proj.weight"]?.shape == [4, 4])
    #expect(layout["h.0.mlp.c_fc.weight"]?.shape == [4, 16])
    #expect(layout["h.0.mlp.c_proj.weight"]?.shape == [16, 4])
    #expect(layout["lm_head.weight"] == nil)
    var cursor = 0
    for spec in layout.tensors {
      #expect(spec.offset == cursor)
      #expect(spec.count == spec.shape.reduce(1, *))
      cursor += spec.count
    }
    #expect(layout.totalCount == cursor)
    #expect(layout.totalCount == config.parameterCount)
    #expect(layout.tensors.filter(\.isDecayed).count == 2 + 4 * 2)
  }

  @Test func initialisationFollowsGPT2() throws {
    let config = try ModelConfig(vocabSize: 300, contextLength: 64, channels: 64, layers: 4, heads: 4)
    var generator = SeededGenerator(seed: 9)
    let model = GPT(config: config, maxBatch: 1, generator: &generator)
    func std(_ values: [Float]) -> Double {
      let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
      return (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)).squareRoot()
    }
    #expect(abs(std(model.tensor(named: "wte.weight")) - 0.02) < 0.001)
    #expect(abs(std(model.tensor(named: "wpe.weight")) - 0.02) < 0.001)
    #expect(abs(std(model.tensor(named: "h.0.mlp.c_fc.weight")) - 0.02) < 0.001)
    let residual = 0.02 / (2.0 * 4).squareRoot()
    #expect(abs(std(model.tensor(named: "h.2.attn.c_proj.weight")) - residual) < 0.0005)
    #expect(abs(std(model.tensor(named: "h.3.mlp.c_proj.weight")) - residual) < 0.0005)
    #expect(model.tensor(named: "h.1.ln_2.weight").allSatisfy { $0 == 1 })
    #expect(model.tensor(named: "ln_f.bias").allSatisfy { $0 == 0 })
    #expect(model.tensor(named: "h.0.attn.c_attn.bias").allSatisfy { $0 == 0 })
  }
}

@Suite struct SeededGeneratorTests {
  @Test func sameSeedSameSequence() {
    var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
    let first = (0..<5).map { _ in a.next() }
    #expect(first == (0..<5).map { _ in b.next() })
    #expect(first != (0..<5).map { _ in c.next() })
  }

  @Test func splitmixSeedingMatchesTheReferenceConstants() {
    // splitmix64 from state 0: the first output is the published 0xE220A8397B1DCDAF.
    var state: UInt64 = 0
    #expect(SeededGenerator.splitmix64(&state) == 0xE220_A839_7B1D_CDAF)
  }

  @Test func uniformAndGaussianHaveTheRightMoments() {
    var g = SeededGenerator(seed: 7)
    let floats = (0..<20000).map { _ in g.nextFloat() }
    #expect(floats.allSatisfy { $0 >= 0 && $0 < 1 })
    #expect(abs(floats.reduce(0, +) / 20000 - 0.5) < 0.01)
    let normals = (0..<20000).map { _ in g.nextGaussian() }
    let mean = normals.reduce(0, +) / 20000
    let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20000
    #expect(abs(mean) < 0.03)
    #expect(abs(variance - 1) < 0.05)
    let ints = (0..<5000).map { _ in g.nextInt(below: 3) }
    #expect(Set(ints) == [0, 1, 2])
  }

  @Test func childStreamsAreDeterministicAndIndependent() {
    var parent = SeededGenerator(seed: 1)
    let untouched = parent
    var d1 = parent.derive(stream: 1), d1again = parent.derive(stream: 1), d2 = parent.derive(stream: 2)
    #expect(parent == untouched)
    #expect(d1.next() == d1again.next())
    #expect(d1.next() != d2.next())
    var copy = parent
    var child = parent.split()
    #expect(parent != untouched)
    _ = copy.next()
    #expect(copy == parent)
    #expect(child.next() != parent.next())
  }
}

@Suite struct SizeLimitsTests {
  @Test func everySizeHasBoundsAndTheMemoryIsEstimatedFirst() {
    #expect(throws: SizeError.outOfRange(.dim, value: 100_000, range: 1...4096)) {
      try SizeLimits.checkRun(layers: 2, heads: 4, dim: 100_000, context: 64, batch: 16, vocabulary: nil)
    }
    #expect(throws: SizeError.outOfRange(.batch, value: Int.max, range: 1...4096)) {
      try SizeLimits.checkRun(layers: 2, heads: 4, dim: 64, context: 64, batch: Int.max, vocabulary: nil)
    }
    #expect(throws: SizeError.outOfRange(.vocabulary, value: 1, range: 2...1_000_000)) {
      try SizeLimits.checkRun(layers: 2, heads: 4, dim: 64, context: 64, batch: 16, vocabulary: 1)
    }
    #expect(throws: SizeError.headsDoNotDivideDim(heads: 3, dim: 64)) {
      try SizeLimits.checkRun(layers: 2, heads: 3, dim: 64, context: 64, batch: 16, vocabulary: nil)
    }
    // The default run needs a few megabytes; the largest sizes hundreds of terabytes.
    let small = SizeLimits.trainingBytes(vocabulary: 65, context: 64, dim: 64, layers: 2, heads: 4, batch: 16)
    #expect(small > 1e6 && small < 1e8)
    #expect(throws: SizeError.needsTooMuchMemory(bytes: Int(small), limit: 1_000_000)) {
      try SizeLimits.checkRun(layers: 2, heads: 4, dim: 64, context: 64, batch: 16, vocabulary: 65, memoryLimit: 1_000_000)
    }
    let error = SizeError.needsTooMuchMemory(bytes: 480_000_000_000, limit: 12_000_000_000)
    #expect(error.message { "--" + $0.rawValue } == "this model needs ~480 GB of memory; the limit is 12.0 GB (use fewer --layers, a smaller --dim, --context or --batch)")
    #expect(SizeError.outOfRange(.layers, value: 0, range: 1...64).description == "layers must be from 1 to 64 (got 0)")
  }
}
