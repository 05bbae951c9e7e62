import Foundation
import Testing

/// `nexttoken map` and `nexttoken bpe` on real checkpoints and corpora.
@Suite struct MapCommandTests {
  static let small = ["--corpus", "fox.en.txt", "--layers", "1", "--dim", "16", "--heads", "2", "--context", "8", "--batch", "4", "--eval-every", "0"]

  func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  func checkpoint(in directory: URL, _ extra: [String] = []) throws -> String {
    let path = directory.appendingPathComponent("\(UUID().uuidString).safetensors").path
    let train = try runWithoutTerminal(["train"] + Self.small + extra + ["--steps", "5", "--out", path])
    #expect(train.status == 0, "\(train.stderr)")
    return path
  }

  /// The checkpoint's metadata: the safetensors header's `__metadata__`.
  func metadata(_ path: String) throws -> [String: String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let size = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + size))) as? [String: Any])
    return try #require(header["__metadata__"] as? [String: String])
  }

  func jsonLines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
  }

  @Test func mapPrintsEveryTokenOnceAndDrawsTheSameMap() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = try checkpoint(in: directory)
    let json = try runWithoutTerminal(["map", "--checkpoint", path, "--json"])
    #expect(json.status == 0, "\(json.stderr)")
    let rows = try jsonLines(json.stdout)
    let tokenizer = try #require(try JSONSerialization.jsonObject(with: Data(try metadata(path)["tokenizer.data"]!.utf8)) as? [String: Any])
    let vocabulary = (tokenizer["tokens"] as? [String])?.count ?? 0
    // The character tokens, [UNK] and [MASK].
    #expect(rows.count == vocabulary + 2 && rows.count > 10)
    #expect(rows.map { $0["id"] as? Int } == Array(0..<rows.count))
    #expect(rows.allSatisfy { ($0["x"] as? Double)?.isFinite == true && ($0["y"] as? Double)?.isFinite == true && $0["token"] is String })
    // Centred: the points' mean is the origin.
    let meanX = rows.compactMap { $0["x"] as? Double }.reduce(0, +) / Double(rows.count)
    #expect(abs(meanX) < 1e-4)

    let drawn = try runWithoutTerminal(["map", "--checkpoint", path, "--width", "60", "--height", "16"])
    #expect(drawn.status == 0, "\(drawn.stderr)")
    let lines = drawn.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == 16 && lines.allSatisfy { $0.count <= 60 })
    #expect(drawn.stdout.contains("step 5 · V \(rows.count) · axes:") && drawn.stdout.contains("●"))
    let ascii = try runWithoutTerminal(["map", "--checkpoint", path, "--ascii"])
    #expect(!ascii.stdout.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
  }

  @Test func bpeListsTheMergesACheckpointTrainedWith() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = try checkpoint(in: directory, ["--tokenizer", "bpe", "--bpe-merges", "40"])
    let stored = try #require(try JSONSerialization.jsonObject(with: Data(try metadata(path)["tokenizer.data"]!.utf8)) as? [String: Any])
    let merges = try #require(stored["merges"] as? [[Int]])
    let listed = try runWithoutTerminal(["bpe", "--corpus", "fox.en.txt", "--merges", "40", "--json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    let rows = try jsonLines(listed.stdout)
    #expect(rows.count == merges.count && rows.count == 40)
    #expect(rows.map { [$0["left"] as? Int ?? -1, $0["right"] as? Int ?? -1] } == merges)
    #expect(rows.map { $0["rank"] as? Int } == Array(0..<40))
    // Each merge's count is what the text's token count falls by.
    let counts = rows.map { $0["count"] as? Int ?? 0 }, after = rows.map { $0["tokens_after"] as? Int ?? 0 }
    #expect(zip(after.dropFirst(), zip(after, counts.dropFirst())).allSatisfy { $0 == $1.0 - $1.1 })
    #expect(rows[0]["token"] is String)

    let table = try runWithoutTerminal(["bpe", "--corpus", "fox.en.txt", "--merges", "3"])
    #expect(table.status == 0 && table.stdout.split(separator: "\n").count == 4, "\(table.stdout)")
  }

  @Test func badInputGetsOneLine() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = try runWithoutTerminal(["map", "--checkpoint", directory.appendingPathComponent("none.safetensors").path])
    #expect(missing.status != 0 && missing.stderr.contains("none.safetensors"))
    let corpus = try runWithoutTerminal(["bpe", "--corpus", directory.appendingPathComponent("none.txt").path])
    #expect(corpus.status != 0 && corpus.stderr.contains("none.txt"))
    let negative = try runWithoutTerminal(["bpe", "--corpus", "fox.en.txt", "--merges=-1"])
    #expect(negative.status != 0 && negative.stderr.contains("--merges"))
    for run in [missing, corpus, negative] {
      #expect(run.stdout.isEmpty)
      #expect(run.stderr.split(separator: "\n").filter { !$0.hasPrefix("Usage") && !$0.hasPrefix("  See") && !$0.isEmpty }.count == 1, "\(run.stderr)")
    }
  }
}
