import Foundation
import Testing

/// `nexttoken shannon` on real checkpoints: the JSON it prints and the inputs it refuses.
@Suite struct ShannonEndToEndTests {
  static let small = ["--corpus", "fox.en.txt", "--layers", "1", "--dim", "16", "--heads", "2", "--context", "8", "--batch", "4", "--eval-every", "0"]

  func checkpoint(in directory: URL, _ extra: [String] = []) throws -> String {
    let path = directory.appendingPathComponent("\(UUID().uuidString).safetensors").path
    let train = try runWithoutTerminal(["train"] + Self.small + extra + ["--steps", "5", "--out", path])
    #expect(train.status == 0, "\(train.stderr)")
    return path
  }

  func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  @Test func jsonScoresEveryTokenAfterTheFirst() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let checkpoint = try checkpoint(in: directory)
    let text = directory.appendingPathComponent("text.txt")
    try "The quick brown fox.\n".write(to: text, atomically: true, encoding: .utf8)
    let run = try runWithoutTerminal(["shannon", "--checkpoint", checkpoint, "--text", text.path, "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(object["positions"] as? Int == 20)
    let frequencies = try #require(object["rank_frequencies"] as? [String: Double])
    #expect(abs(frequencies.values.reduce(0, +) - 1) < 1e-6)
    let upper = try #require(object["upper_bound_bits"] as? Double)
    let lower = try #require(object["lower_bound_bits"] as? Double)
    let crossEntropy = try #require(object["cross_entropy_bits"] as? Double)
    // Not lower ≤ upper: over a few positions the q_r need not fall with r, as the bounds assume.
    #expect(lower >= 0 && upper > 0)
    #expect(crossEntropy > 0)
    #expect(abs((object["top1_accuracy"] as? Double ?? -1) - (frequencies["1"] ?? 0)) < 1e-6)

    // Without --text, the validation split; the table names what it scored.
    let table = try runWithoutTerminal(["shannon", "--checkpoint", checkpoint])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("on the validation split of fox.en.txt"), "\(table.stdout)")
    #expect(table.stdout.contains("bits/token"))
  }

  @Test func refusesWhatItCannotScoreInOneLine() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let clm = try checkpoint(in: directory)
    let mlm = try checkpoint(in: directory, ["--objective", "mlm"])
    let unknown = directory.appendingPathComponent("unknown.txt")
    try "The fox\nsaw a ☃.\n".write(to: unknown, atomically: true, encoding: .utf8)
    let single = directory.appendingPathComponent("single.txt")
    try "T".write(to: single, atomically: true, encoding: .utf8)
    let cases: [([String], String)] = [
      (["--checkpoint", mlm], "is a masked LM"),
      (["--checkpoint", clm, "--text", unknown.path], "unknown.txt:2:7: the character \"☃\" is not in the checkpoint's vocabulary"),
      (["--checkpoint", clm, "--text", single.path], "single.txt has 1 token; expected at least 2"),
      (["--checkpoint", clm, "--text", directory.appendingPathComponent("missing.txt").path], "missing.txt"),
      (["--checkpoint", directory.appendingPathComponent("missing.safetensors").path], "missing.safetensors"),
    ]
    for (arguments, expected) in cases {
      let result = try runWithoutTerminal(["shannon"] + arguments)
      #expect(result.status != 0, "\(arguments) should fail")
      #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
      #expect(result.stdout.isEmpty)
    }
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal"))
  func aProgressBarOnATerminalOnlyAndNeverWithJSON() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let checkpoint = try checkpoint(in: directory)
    let corpus = TmuxSession.packageRoot.appendingPathComponent("Corpora/fox.en.txt").path
    func onTerminal(_ arguments: String) throws -> String {
      var environment = ProcessInfo.processInfo.environment
      environment["TERM"] = "xterm"
      let command = "'\(TmuxSession.binaryPath)' shannon --checkpoint '\(checkpoint)' --text '\(corpus)' \(arguments)"
      return try spawnAndWait("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment).output
    }
    // On a terminal: the bar (reading, then scoring with positions), wiped before the table.
    let table = try onTerminal("")
    #expect(table.contains("\rreading fox.en.txt ") && table.contains("\rscoring "), "\(table)")
    #expect(table.contains(" positions ") && table.contains(" left"), "\(table)")
    let wiped = try #require(table.range(of: "\r\u{1B}[K", options: .backwards))
    #expect(table[wiped.upperBound...].hasPrefix("\(checkpoint) (step 5) on \(corpus)"), "\(table)")
    // With --json, or into a pipe, nothing but the result.
    let json = try onTerminal("--json")
    #expect(!json.contains("scoring") && !json.contains("reading") && json.hasPrefix("{\"positions\":"), "\(json)")
    let piped = try runWithoutTerminal(["shannon", "--checkpoint", checkpoint, "--text", corpus])
    #expect(piped.status == 0 && piped.stderr.isEmpty && piped.stdout.hasPrefix(checkpoint), "\(piped.stderr)")
  }
}
