import Foundation
import Testing

/// Headless commands that must not lose the user's work: signals, permissions.
@Suite struct NothingLostEndToEndTests {
  static let small = [
    "--corpus", "fox.en.txt", "--tokenizer", "char", "--layers", "1", "--dim", "16", "--heads", "2", "--context", "8",
    "--batch", "4",
  ]

  func scratch() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  /// Runs `script` in bash with `$NT` naming the binary; returns its output and status.
  func bash(_ script: String, in folder: URL) throws -> (status: Int32, output: String, errors: String) {
    var environment = ProcessInfo.processInfo.environment
    environment["NT"] = TmuxSession.binaryPath
    return try spawnAndWait("/bin/bash", ["-c", "cd '\(folder.path)' || exit 1\n\(script)"], environment: environment, separateStandardError: true)
  }

  @Test func trainSavesOnSIGPIPELikeOnSIGINT() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(at: directory) }
    let arguments = (Self.small + ["--eval-every", "1", "--steps", "1000000", "--json", "--out", "p.st"]).joined(separator: " ")
    let result = try bash("set -o pipefail; \"$NT\" train \(arguments) | head -1; echo \"status $?\"", in: directory)
    #expect(result.output.hasPrefix("{\"event\":\"start\""), "\(result.output)")
    #expect(result.output.hasSuffix("status 141\n"), "\(result.output) \(result.errors)")
    #expect(result.errors.contains("saved checkpoint to p.st"), "\(result.errors)")
    let generated = try bash("\"$NT\" generate --checkpoint p.st --tokens 3", in: directory)
    #expect(generated.status == 0, "\(generated.errors)")
  }

  @Test(arguments: [("TERM", 15), ("HUP", 1), ("INT", 2)])
  func trainSavesOnSignal(name: String, number: Int32) throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(at: directory) }
    let arguments = (Self.small + ["--eval-every", "1", "--steps", "1000000", "--json", "--out", "p.st"]).joined(separator: " ")
    // Waits for the first evaluation, so the signal comes mid-run.
    let script = """
      "$NT" train \(arguments) > log.json 2> err.txt & pid=$!
      until grep -q '"event":"eval"' log.json 2>/dev/null; do sleep 0.05; done
      kill -\(name) $pid; wait $pid; echo "status $?"
      """
    let result = try bash(script, in: directory)
    #expect(result.output == "status \(128 + number)\n", "\(result.output) \(result.errors)")
    let log = try String(contentsOf: directory.appendingPathComponent("log.json"), encoding: .utf8)
    #expect(log.contains("\"interrupted\":true"), "\(log)")
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("p.st").path))
  }

  @Test func overwritingACheckpointKeepsItsModeAlsoThroughASymlink() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(at: directory) }
    let arguments = (Self.small + ["--eval-every", "0", "--steps", "2"]).joined(separator: " ")
    let script = """
      umask 022
      "$NT" train \(arguments) --out private.st > /dev/null && chmod 600 private.st
      "$NT" train \(arguments) --out private.st > /dev/null && stat -c %a private.st
      ln -s private.st link.st && chmod 640 private.st
      "$NT" train \(arguments) --out link.st > /dev/null && stat -c %a private.st && stat -c %F link.st
      """
    let result = try bash(script, in: directory)
    #expect(result.output == "600\n640\nsymbolic link\n", "\(result.output) \(result.errors)")
  }

  @Test func clearOneLineErrorsForSpecialLargeAndNegativeInputs() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(at: directory) }
    let size = Self.small.dropFirst(2).joined(separator: " ")
    // A FIFO with no writer: refused by kind at once, never opened and waited on.
    let fifo = try bash("mkfifo pipe && \"$NT\" train --corpus pipe --steps 1", in: directory)
    #expect(fifo.status == 1 && fifo.errors == "Error: pipe: is not a regular file (it is a FIFO), expected a UTF-8 text file\n", "\(fifo.errors)")
    let device = try bash("\"$NT\" train --corpus /dev/zero --steps 1", in: directory)
    #expect(device.errors.contains("/dev/zero: is not a regular file (it is a device)"), "\(device.errors)")
    // 200 MB on paper (sparse): refused by its size, nothing read.
    let large = try bash("truncate -s 200M big.txt && \"$NT\" train --corpus big.txt --steps 1", in: directory)
    #expect(large.status == 1 && large.errors == "Error: big.txt: the file holds 210 MB; a corpus may hold at most 8 MB (8000000 bytes), so train on a part of it\n", "\(large.errors)")
    let threads = try bash("\"$NT\" train \(size) --corpus fox.en.txt --threads -1 --steps 1", in: directory)
    #expect(threads.status == 64 && threads.errors.hasPrefix("Error: --threads must be 1 or more (got -1)\n"), "\(threads.errors)")
    // ~/ is the home folder, as in a shell.
    try Data(String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 40).utf8).write(to: directory.appendingPathComponent("mine.txt"))
    let home = try bash("cd / && HOME='\(directory.path)' \"$NT\" train \(size) --corpus '~/mine.txt' --eval-every 0 --steps 1", in: directory)
    #expect(home.status == 0 && home.output.contains("Final: step 1"), "\(home.errors)")
  }

  @Test func anInstalledProgramUsesTheCurrentFoldersCorporaOnlyInACheckoutAndSaysWhichItUsed() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(at: directory) }
    // An installed program whose share/nexttoken is missing, run from a folder holding a hostile Corpora/.
    let setup = """
      mkdir -p inst/bin hostile/Corpora checkout/Corpora checkout/Sources/nexttoken && cp "$NT" inst/bin/nexttoken
      for i in $(seq 40); do echo 'hostile hostile hostile hostile hostile hostile'; done > hostile/Corpora/sentences.en.txt
      cp hostile/Corpora/sentences.en.txt checkout/Corpora/ && touch checkout/Package.swift
      """
    _ = try bash(setup, in: directory)
    let small = "--steps 1 --eval-every 0 --context 8 --dim 16 --heads 2 --layers 1 --batch 4"
    let hostile = try bash("cd hostile && ../inst/bin/nexttoken train --corpus sentences.en.txt \(small)", in: directory)
    #expect(hostile.status == 1 && hostile.output.isEmpty, "\(hostile.output)")
    #expect(hostile.errors.hasPrefix("Error: cannot find the Corpora folder: set NEXTTOKEN_CORPORA to it"), "\(hostile.errors)")
    #expect(hostile.errors.contains("hostile/Corpora (not used: the current folder is no source checkout)"), "\(hostile.errors)")
    // A source checkout in the current folder is used, with a note naming it.
    let checkout = try bash("cd checkout && ../inst/bin/nexttoken train --corpus sentences.en.txt \(small)", in: directory)
    #expect(checkout.status == 0, "\(checkout.errors)")
    let corpora = directory.appendingPathComponent("checkout/Corpora").standardizedFileURL.resolvingSymlinksInPath().path
    #expect(checkout.errors.contains("note: using \(corpora) from the source checkout in the current folder"), "\(checkout.errors)")
    // NEXTTOKEN_CORPORA still serves a release binary run anywhere, silently; `lessons` names the folders.
    let bundled = TmuxSession.packageRoot.appendingPathComponent("Corpora").path
    let variable = try bash("cd hostile && NEXTTOKEN_CORPORA='\(bundled)' ../inst/bin/nexttoken train --corpus fox.en.txt \(small)", in: directory)
    #expect(variable.status == 0 && variable.errors.isEmpty && variable.output.contains("on fox.en.txt"), "\(variable.errors)")
    let lessons = TmuxSession.packageRoot.appendingPathComponent("Lessons").path
    let listed = try bash("cd hostile && NEXTTOKEN_CORPORA='\(bundled)' NEXTTOKEN_LESSONS='\(lessons)' ../inst/bin/nexttoken lessons list", in: directory)
    #expect(listed.output.hasSuffix("\nLessons: \(lessons) (set by NEXTTOKEN_LESSONS)\nCorpora: \(bundled) (set by NEXTTOKEN_CORPORA)\n"), "\(listed.output)")
  }
}
