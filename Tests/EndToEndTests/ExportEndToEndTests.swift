import Foundation
import Testing

/// `nexttoken export` and `nexttoken tokenize` as a user runs them.
@Suite struct ExportEndToEndTests {
  @Test func exportsOnceRefusesBadInputAndTokenizes() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let small = ["--corpus", "fox.en.txt", "--tokenizer", "word", "--layers", "1", "--dim", "16", "--heads", "2", "--context", "8", "--batch", "4", "--eval-every", "0", "--steps", "3"]
    let clm = directory.appendingPathComponent("clm.safetensors").path
    let mlm = directory.appendingPathComponent("mlm.safetensors").path
    #expect(try runWithoutTerminal(["train"] + small + ["--out", clm]).status == 0)
    #expect(try runWithoutTerminal(["train"] + small + ["--objective", "mlm", "--out", mlm]).status == 0)
    let corrupt = directory.appendingPathComponent("corrupt.safetensors")
    try Data("not a checkpoint".utf8).write(to: corrupt)

    let out = directory.appendingPathComponent("fox-hf").path
    let exported = try runWithoutTerminal(["export", "--checkpoint", clm, "--out", out])
    #expect(exported.status == 0, "\(exported.stderr)")
    #expect(exported.stdout.contains("Exported \(clm) to \(out)/"), "\(exported.stdout)")
    #expect(FileManager.default.fileExists(atPath: out + "/tokenizer.json"))
    let again = try runWithoutTerminal(["export", "--checkpoint", clm, "--out", out, "--force"])
    #expect(again.status == 0, "\(again.stderr)")

    let cases: [([String], String)] = [
      (["--checkpoint", clm, "--out", out], "is not empty; choose a new folder, or add --force to replace it"),
      (["--checkpoint", mlm, "--out", directory.appendingPathComponent("mlm-hf").path], "is a masked LM"),
      (["--checkpoint", corrupt.path, "--out", directory.appendingPathComponent("corrupt-hf").path], "corrupt.safetensors"),
      (["--checkpoint", clm, "--out", "/nonexistent/dir/hf"], "does not exist"),
      (["--checkpoint", clm], "--out"),
    ]
    for (arguments, expected) in cases {
      let result = try runWithoutTerminal(["export"] + arguments)
      #expect(result.status != 0, "\(arguments) should fail")
      #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
      #expect(!result.stderr.contains("Fatal error"), "\(arguments) crashed: \(result.stderr)")
    }
    let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(left == ["clm.safetensors", "corrupt.safetensors", "fox-hf", "mlm.safetensors"])

    let text = directory.appendingPathComponent("text.txt")
    try "The quick fox".write(to: text, atomically: true, encoding: .utf8)
    let tokenized = try runWithoutTerminal(["tokenize", "--checkpoint", clm, "--text", text.path, "--json"])
    #expect(tokenized.status == 0, "\(tokenized.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(tokenized.stdout.utf8)) as? [String: Any])
    #expect(object["tokens"] as? [String] == ["The", " quick", " fox"])
    #expect((object["ids"] as? [Int])?.count == 3)
  }
}
