import Foundation
import Testing

/// What a hostile or careless user tries on the command line: no input is lost, nothing crashes.
@Suite struct SafetyEndToEndTests {
  static let small = ["--layers", "1", "--dim", "16", "--heads", "2", "--context", "16", "--batch", "4", "--steps", "2", "--eval-every", "0"]

  /// A scratch folder holding a copy of a bundled corpus as `c.txt`.
  struct Folder {
    let url: URL
    init() throws {
      url = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-safety-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      try FileManager.default.copyItem(
        at: TmuxSession.packageRoot.appendingPathComponent("Corpora/sentences.en.txt"), to: url.appendingPathComponent("c.txt"))
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: url) }
  }

  /// Runs the binary and checks it failed with one `Error:` line and no crash.
  func refused(_ arguments: [String], usage: Bool) throws -> String {
    let result = try runWithoutTerminal(arguments)
    #expect(result.status == (usage ? 64 : 1), "\(arguments): \(result.status) \(result.stderr)")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.first?.hasPrefix("Error: ") == true, "\(arguments): \(result.stderr)")
    #expect(usage == result.stderr.contains("Usage:"), "\(arguments): \(result.stderr)")
    #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(arguments) crashed: \(result.stderr)")
    return String(lines.first ?? "")
  }

  @Test func anOutputNeverReplacesAnInputOrASpecialFile() throws {
    let folder = try Folder()
    defer { folder.remove() }
    let corpus = folder.path("c.txt")
    let original = try Data(contentsOf: URL(fileURLWithPath: corpus))
    for flag in ["--out", "--best-out"] {
      let line = try refused(["train", "--corpus", corpus] + Self.small + ["--eval-every", "1", flag, corpus], usage: true)
      #expect(line == "Error: \(flag) \(corpus) is the corpus; writing there would destroy it, so name another file")
    }
    let traced = try refused(["trace", "--corpus", corpus, "--out", corpus], usage: true)
    #expect(traced.contains("is the corpus"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: corpus)) == original, "the corpus changed")

    let fifo = folder.path("fifo")
    #expect(mkfifo(fifo, 0o600) == 0)
    let line = try refused(["train", "--corpus", corpus] + Self.small + ["--out", fifo], usage: true)
    #expect(line == "Error: --out \(fifo): is not a regular file (it is a FIFO), expected a file to write to")
    var info = stat()
    #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced")
    #expect(try refused(["train", "--corpus", corpus] + Self.small + ["--out", "/dev/null"], usage: true).contains("it is a device"))
  }

  @Test func aSymlinkedOutputIsWrittenThroughAndResumeIsProtected() throws {
    let folder = try Folder()
    defer { folder.remove() }
    let corpus = folder.path("c.txt")
    let target = folder.path("real.safetensors")
    let link = folder.path("link.safetensors")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.safetensors")
    let train = try runWithoutTerminal(["train", "--corpus", corpus] + Self.small + ["--out", link])
    #expect(train.status == 0, "\(train.stderr)")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.safetensors")
    #expect((try? Data(contentsOf: URL(fileURLWithPath: target)).count) ?? 0 > 1000)
    // The resumed checkpoint is an input: neither it nor the link to it may be an output.
    for out in [target, link] {
      let line = try refused(["train", "--resume", link, "--steps", "4", "--out", out], usage: true)
      #expect(line.hasSuffix("is the checkpoint --resume reads; writing there would destroy it, so name another file"), "\(line)")
    }
  }

  /// Another user's file in a sticky folder (like /tmp) cannot be replaced: said before training.
  @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"), "needs root to act as another user"))
  func anOutputThatCannotBeReplacedIsRefusedBeforeTraining() throws {
    let folder = try Folder()
    defer { folder.remove() }
    #expect(chmod(folder.url.path, 0o1777) == 0 && chmod(folder.path("c.txt"), 0o644) == 0)
    let theirs = folder.path("theirs.safetensors")
    try Data("not yours".utf8).write(to: URL(fileURLWithPath: theirs))
    let result = try spawnAndWait(
      "/usr/sbin/runuser", ["-u", "nobody", "--", TmuxSession.binaryPath, "train", "--corpus", folder.path("c.txt")] + Self.small + ["--out", theirs],
      environment: ProcessInfo.processInfo.environment, separateStandardError: true)
    // nobody may not reach the binary on every machine: only judge a run that started.
    guard !result.errors.contains("Permission denied") else { return }
    #expect(result.status == 64, "\(result.errors)")
    #expect(result.errors.hasPrefix("Error: --out \(theirs): cannot be replaced: it belongs to another user"), "\(result.errors)")
    #expect(!result.output.contains("Training"), "training started anyway")
    #expect(try String(contentsOfFile: theirs, encoding: .utf8) == "not yours")
  }

  @Test func aCheckpointGeneratesAfterItsCorpusMoved() throws {
    let folder = try Folder()
    defer { folder.remove() }
    let checkpoint = folder.path("ck.safetensors")
    let train = try runWithoutTerminal(["train", "--corpus", folder.path("c.txt")] + Self.small + ["--out", checkpoint])
    #expect(train.status == 0, "\(train.stderr)")
    try FileManager.default.moveItem(atPath: folder.path("c.txt"), toPath: folder.path("moved.txt"))
    let generated = try runWithoutTerminal(["generate", "--checkpoint", checkpoint, "--prompt", "The", "--tokens", "10"])
    #expect(generated.status == 0, "\(generated.stderr)")
    #expect(generated.stdout.hasPrefix("The") && generated.stdout.count > 4, "\(generated.stdout)")
    let resumed = try refused(["train", "--resume", checkpoint, "--steps", "4"], usage: false)
    #expect(resumed.contains("training on needs its corpus"), "\(resumed)")
  }

  @Test func absurdSizesGetOneLineBeforeAnythingIsAllocated() throws {
    let cases: [([String], String)] = [
      (["train", "--dim", "100000"], "Error: --dim must be from 1 to 4096 (got 100000)"),
      (["train", "--batch", "9223372036854775807"], "Error: --batch must be from 1 to 4096 (got 9223372036854775807)"),
      (["train", "--dim", "2147483648"], "Error: --dim must be from 1 to 4096 (got 2147483648)"),
      (["train", "--context", "9223372036854775807"], "Error: --context must be from 2 to 4096 (got 9223372036854775807)"),
      (["train", "--layers", "1000000"], "Error: --layers must be from 1 to 64 (got 1000000)"),
      (["train", "--bpe-merges", "9223372036854775807", "--tokenizer", "bpe"], "Error: --bpe-merges must be from 0 to 100000 (got 9223372036854775807)"),
      (["bench", "--steps", "9223372036854775807"], "Error: --steps must be from 1 to 1000000 (got 9223372036854775807)"),
      (["trace", "--step", "9223372036854775807"], "Error: --step must be from 0 to 1000000000 (got 9223372036854775807)"),
    ]
    for (arguments, expected) in cases {
      #expect(try refused(arguments, usage: true) == expected)
    }
    let memory = try refused(["train", "--layers", "64", "--dim", "4096", "--context", "4096", "--batch", "4096"], usage: true)
    #expect(memory.hasPrefix("Error: this model needs ~") && memory.contains("of memory; the limit is"), "\(memory)")
  }

  @Test func unreadableCheckpointsAreNamedForWhatTheyAre() throws {
    let folder = try Folder()
    defer { folder.remove() }
    let fifo = folder.path("fifo")
    #expect(mkfifo(fifo, 0o600) == 0)
    let cases: [(String, String)] = [
      (folder.url.path, "\(folder.url.path): is a folder, expected a safetensors file"),
      (folder.path("c.txt"), "\(folder.path("c.txt")): is not a safetensors file (expected an 8-byte header length, then a JSON header)"),
      (fifo, "\(fifo): is not a regular file (it is a FIFO), expected a safetensors file"),
      ("/dev/zero", "/dev/zero: is not a regular file (it is a device), expected a safetensors file"),
    ]
    for (path, expected) in cases {
      #expect(try refused(["generate", "--checkpoint", path], usage: false) == "Error: " + expected)
    }
  }

  @Test func runtimeFailuresAreNotUsageErrors() throws {
    let folder = try Folder()
    defer { folder.remove() }
    let checkpoint = folder.path("mlm.safetensors")
    let train = try runWithoutTerminal(["train", "--corpus", folder.path("c.txt"), "--objective", "mlm"] + Self.small + ["--out", checkpoint])
    #expect(train.status == 0, "\(train.stderr)")
    let noMask = try refused(["generate", "--checkpoint", checkpoint, "--prompt", "no marker"], usage: false)
    #expect(noMask.contains("is a masked LM: --prompt must contain [MASK]"))
    let long = String(repeating: "word ", count: 20) + "[MASK]"
    let tooLong = try refused(["generate", "--checkpoint", checkpoint, "--prompt", long], usage: false)
    #expect(tooLong.contains("this model reads at most 16"), "\(tooLong)")
    let exploded = try refused(["trace", "--corpus", folder.path("c.txt"), "--lr", "1e30", "--step", "30"], usage: false)
    #expect(exploded.contains("the loss exploded"), "\(exploded)")
  }
}
