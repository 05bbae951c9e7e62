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

  @Test func exportNeverDeletesItsInputTheCurrentFolderOrWhatTheUserCouldNotDelete() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("deep/a"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let small = ["--corpus", "fox.en.txt", "--tokenizer", "word", "--layers", "1", "--dim", "16", "--heads", "2", "--context", "8", "--batch", "4", "--eval-every", "0", "--steps", "3"]
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("f1"), withIntermediateDirectories: true)
    let model = directory.appendingPathComponent("f1/model.st").path
    #expect(try runWithoutTerminal(["train"] + small + ["--out", model]).status == 0)
    /// Runs export from `folder`, as a user in a shell there.
    func export(in folder: String, _ arguments: [String], user: Bool = false) throws -> (status: Int32, output: String, errors: String) {
      let quoted = ([TmuxSession.binaryPath, "export"] + arguments).map { "'\($0)'" }.joined(separator: " ")
      let command = user ? "cd '\(folder)' && exec setpriv --reuid=65534 --regid=65534 --clear-groups \(quoted)" : "cd '\(folder)' && exec \(quoted)"
      return try spawnAndWait("/bin/sh", ["-c", command], environment: ProcessInfo.processInfo.environment, separateStandardError: true)
    }
    let cases: [(String, [String], String)] = [
      (directory.path, ["--checkpoint", "f1/model.st", "--out", "f1", "--force"], "--out \(directory.path)/f1 holds the checkpoint being exported"),
      (directory.path + "/deep", ["--checkpoint", "../f1/model.st", "--out", ".", "--force"], "--out \(directory.path)/deep is the current folder; choose a new folder"),
      (directory.path + "/deep/a", ["--checkpoint", model, "--out", "..", "--force"], "holds the current folder (\(directory.path)/deep/a); choose a new folder"),
    ]
    for (folder, arguments, expected) in cases {
      let result = try export(in: folder, arguments)
      #expect(result.status == 1 && result.errors.contains(expected), "\(arguments): \(result.errors)")
    }
    #expect(FileManager.default.fileExists(atPath: model))
    #expect(FileManager.default.fileExists(atPath: directory.path + "/deep/a"))

    // --force over a read-only folder, as an ordinary user: refused, as rm -rf would fail.
    guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
    chmod(directory.path, 0o755)
    chmod(model, 0o644)
    let mine = directory.appendingPathComponent("mine")
    try FileManager.default.createDirectory(at: mine.appendingPathComponent("ro"), withIntermediateDirectories: true)
    try Data("notes".utf8).write(to: mine.appendingPathComponent("ro/notes.txt"))
    for path in [mine.path, mine.path + "/ro", mine.path + "/ro/notes.txt"] { chown(path, 65534, 65534) }
    chmod(mine.path + "/ro", 0o555)
    let refused = try export(in: mine.path, ["--checkpoint", model, "--out", "ro", "--force"], user: true)
    #expect(refused.status == 1, "\(refused)")
    #expect(refused.errors.contains("--out \(mine.path)/ro: --force will not replace it: \(mine.path)/ro is read-only for you (rm -rf could not empty it either)"), "\(refused.errors)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: mine.path + "/ro") == ["notes.txt"])
    var info = stat()
    #expect(stat(mine.path + "/ro", &info) == 0 && info.st_mode & 0o777 == 0o555)
  }
}
