import Foundation
import Testing

/// Your own text in a real terminal: learn --corpus, the prompt's temperature, w, learn --checkpoint, generate.
@Suite(.serialized) struct OwnTextEndToEndTests {
  static let corpus = "/usr/share/common-licenses/GPL-3"

  @Test(.enabled(if: TmuxSession.tmuxPath != nil && FileManager.default.fileExists(atPath: corpus), "needs tmux and the GPL-3 text"))
  func aLearnerTrainsOnTheirOwnTextSavesItAndReopensIt() throws {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-own-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: data) }
    let environment = "XDG_DATA_HOME=\(data.path) NEXTTOKEN_NO_PREDICT=1"
    let session = try TmuxSession(
      command: TmuxSession.shellCommand("learn --corpus \(Self.corpus) --tokenizer char --lang en", environment: environment),
      width: 100, height: 30)
    defer { session.kill() }
    let opened = try session.waitFor(text: "NextToken · GPL-3")
    #expect(opened.isReady, "no GPL-3 in the header:\n\(opened.screen)")

    // All eight stages, on this text, with their built-in narratives.
    for mark in AppEndToEndTests.stageMarks(context: 64) {
      try session.sendKeys("Space")
      let shown = try session.waitFor(text: mark)
      #expect(shown.isReady, "no '\(mark)' after space:\n\(shown.screen)")
    }

    // The prompt opens with the text's first words; t shows the temperature.
    try session.sendKeys("p")
    #expect(try session.waitFor(text: "> GNU GENERAL PUBLIC").isReady)
    try session.sendKeys("Enter")
    #expect(try session.waitFor(text: "temperature 1 · top-k all").isReady)
    try session.sendKeys("t")
    let tempered = try session.waitFor(text: "temperature 1.5")
    #expect(tempered.isReady, "t did not change the temperature:\n\(tempered.screen)")
    try session.sendKeys("Escape")

    // w keeps the model; the path is on screen.
    try session.sendKeys("w")
    let saved = try session.waitFor(text: "GPL-3-step1.safetensors")
    #expect(saved.isReady, "w did not save:\n\(saved.screen)")
    let checkpoint = data.appendingPathComponent("nexttoken/GPL-3-step1.safetensors").path
    #expect(FileManager.default.fileExists(atPath: checkpoint))
    try session.sendKeys("q")
    _ = try session.waitFor(text: "1. ")
    try session.sendKeys("q")
    #expect(try session.waitFor(text: "EXITED 0").isReady)

    // learn --checkpoint reopens it at its step; generate samples from it.
    let reopened = try TmuxSession(command: TmuxSession.shellCommand("learn --checkpoint \(checkpoint) --lang en", environment: environment), width: 100, height: 30)
    defer { reopened.kill() }
    let header = try reopened.waitFor(text: "GPL-3-step1 · step 1")
    #expect(header.isReady, "the checkpoint's step is not in the header:\n\(header.screen)")
    try reopened.sendKeys("s")
    #expect(try reopened.waitFor(text: "step 2 ").isReady)
    let generated = try runWithoutTerminal(["generate", "--checkpoint", checkpoint, "--prompt", "GNU", "--tokens", "5"])
    #expect(generated.status == 0, "\(generated.stderr)")
    #expect(generated.stdout.hasPrefix("GNU"))
  }

  @Test func aBadCheckpointGetsTrainResumesErrorWithoutATerminal() throws {
    let missing = "/nonexistent/model.safetensors"
    let learn = try runWithoutTerminal(["learn", "--checkpoint", missing])
    let train = try runWithoutTerminal(["train", "--resume", missing])
    #expect(learn.status != 0)
    #expect(learn.stderr == train.stderr, "learn: \(learn.stderr) train: \(train.stderr)")
    #expect(learn.stderr.split(separator: "\n").count == 1)
    for arguments in [["learn", "--checkpoint", missing, "--corpus", "a.txt"], ["learn", "labels", "--checkpoint", missing]] {
      let conflict = try runWithoutTerminal(arguments)
      #expect(conflict.status != 0)
      #expect(conflict.stderr.contains("not both"), "\(arguments): \(conflict.stderr)")
      #expect(conflict.stderr.split(separator: "\n").count == 1)
    }
  }
}
