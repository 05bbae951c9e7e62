import Foundation
import Testing

/// The real app in a real terminal (tmux): browse, step a lesson, run, compare, prompt, resize, quit.
@Suite(.serialized) struct AppEndToEndTests {
  init() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: TmuxSession.binaryPath),
      "build the binary first: swift build --product nexttoken")
  }

  /// A phrase each stage's view shows, in order, for a run of context `context`.
  static func stageMarks(context: Int) -> [String] {
    [
      "T = \(context) tokens", "targets[i] = tokens[i+1]", "input vectors of every position", "rows = query",
      "the target is", "mean −log p(target)", "p − onehot", "loss on this batch",
    ]
  }

  /// The step count the live strip shows ("running  step 12 ·"), or nil.
  ///
  /// Not the dashboard's attention title ("…, step 801"): that is the last trace's step,
  /// and on a loaded machine traces are recorded seconds apart.
  static func step(in screen: String) -> Int? {
    guard let match = screen.firstMatch(of: /(?:running|paused)  step (\d+)/) else { return nil }
    return Int(match.1)
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func aLearnerWalksThroughALesson() throws {
    let session = try TmuxSession(command: TmuxSession.shellCommand("--lang en", environment: "NEXTTOKEN_NO_PREDICT=1"), width: 100, height: 30)
    defer { session.kill() }

    let browser = try session.waitFor(text: "1. Labels from the text itself")
    #expect(browser.isReady, "the browser did not list the lessons:\n\(browser.screen)")
    try session.sendKeys("Enter")
    #expect(try session.waitFor(text: "Press space to run the first iteration").isReady)

    // One iteration, stage by stage: each view shows its own real numbers.
    for mark in Self.stageMarks(context: 16) {
      try session.sendKeys("Space")
      var shown = try session.waitFor { $0.contains(mark) || $0.contains("Check · ") }
      if !shown.screen.contains(mark), shown.screen.contains("Check · ") {
        // The lesson's check, offered once after its last stage: closed unanswered, then on.
        try session.sendKeys("Escape")
        #expect(try session.waitFor { !$0.contains("Check · ") }.isReady)
        try session.sendKeys("Space")
        shown = try session.waitFor(text: mark)
      }
      #expect(shown.isReady, "no '\(mark)' after space:\n\(shown.screen)")
    }

    // Run live for a while: the step count moves and the dashboard plots the loss.
    try session.sendKeys("r")
    let running = try session.waitFor(timeout: .seconds(60)) { (Self.step(in: $0) ?? 0) >= 20 && $0.contains("running") }
    #expect(running.isReady, "training did not run:\n\(running.screen)")
    try session.sendKeys("Tab")
    let dashboard = try session.waitFor(text: "the model continues the prompt")
    #expect(dashboard.isReady, "no dashboard:\n\(dashboard.screen)")
    #expect(dashboard.screen.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "no braille loss plot:\n\(dashboard.screen)")
    let before = Self.step(in: dashboard.screen) ?? 0
    let later = try session.waitFor(timeout: .seconds(30)) { (Self.step(in: $0) ?? 0) > before }
    #expect(later.isReady, "the step count did not move:\n\(later.screen)")
    try session.sendKeys("r", "Tab")
    #expect(try session.waitFor(text: "paused").isReady)

    // Compare CLM and MLM side by side.
    try session.sendKeys("c")
    #expect(try session.waitFor(text: "MLM — recover masked tokens").isReady)
    try session.sendKeys("s")
    let compared = try session.waitFor { $0.components(separatedBy: "step 1 ").count - 1 >= 2 }
    #expect(compared.isReady, "compare did not step both sessions:\n\(compared.screen)")
    try session.sendKeys("q")
    #expect(try session.waitFor(text: "Labels from the text itself").isReady)

    // The prompt box: type, see the distribution, sample one token per key.
    try session.sendKeys("p")
    #expect(try session.waitFor(text: "generate, one token at a time").isReady)
    try session.sendKeys("-l", " The fox")
    try session.sendKeys("Enter")
    let distribution = try session.waitFor(text: "next-token distribution")
    #expect(distribution.isReady, "no distribution:\n\(distribution.screen)")
    try session.sendKeys("Space")
    let sampled = try session.waitFor { $0 != distribution.screen && $0.contains("next-token distribution") }
    #expect(sampled.isReady)
    try session.sendKeys("Escape")

    // Resize down to the minimum, below it, and back.
    try session.resize(width: 80, height: 24)
    #expect(try session.waitFor(text: "NextToken · Labels").isReady)
    try session.resize(width: 60, height: 20)
    #expect(try session.waitFor(text: "Please enlarge the terminal to 80×24").isReady)
    try session.resize(width: 100, height: 30)
    let restored = try session.waitFor(text: "NextToken · Labels")
    #expect(restored.isReady, "the lesson did not come back at 100×30:\n\(restored.screen)")

    // Quit: back to the browser, then out, with the terminal restored.
    try session.sendKeys("q")
    let browserAgain = try session.waitFor(text: "1. Labels from the text itself")
    #expect(browserAgain.isReady, "q did not go back to the browser:\n\(browserAgain.screen)")
    try session.sendKeys("q")
    let exited = try session.waitFor(text: "EXITED 0")
    #expect(exited.isReady, "the app did not quit:\n\(exited.screen)")
    #expect(!exited.screen.contains("NextToken"))
    #expect(!exited.screen.contains("┌"))
  }

  @Test func headlessCommandsRefuseBadInputWithOneLine() throws {
    let cases: [([String], String)] = [
      (["train", "--corpus", "/nonexistent/x.txt", "--steps", "1"], "x.txt"),
      (["train", "--heads", "3", "--dim", "64"], "--heads (3) must divide --dim (64)"),
      (["train", "--objective", "xlm"], "xlm"),
      (["train", "--steps=-5"], "--steps must be from 0 to 1000000000 (got -5)"),
      (["train", "--out", "/nonexistent/dir/ck.safetensors"], "does not exist"),
      (["learn", "no-such-lesson"], "unknown lesson 'no-such-lesson'"),
      (["generate", "--checkpoint", "/nonexistent.safetensors"], "nonexistent.safetensors"),
    ]
    for (arguments, expected) in cases {
      let result = try runWithoutTerminal(arguments)
      #expect(result.status != 0, "\(arguments) should fail")
      #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
      #expect(!result.stderr.contains("Fatal error"), "\(arguments) crashed: \(result.stderr)")
    }
  }

  @Test func trainGenerateAndTraceWorkHeadless() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let checkpoint = directory.appendingPathComponent("fox.safetensors").path
    let small = ["--corpus", "fox.en.txt", "--tokenizer", "word", "--layers", "1", "--dim", "32", "--heads", "2", "--context", "16", "--batch", "8"]
    let train = try runWithoutTerminal(["train"] + small + ["--steps", "30", "--eval-every", "10", "--out", checkpoint])
    #expect(train.status == 0, "\(train.stderr)")
    #expect(FileManager.default.fileExists(atPath: checkpoint))
    let generate = try runWithoutTerminal(["generate", "--checkpoint", checkpoint, "--prompt", "The quick", "--tokens", "5"])
    #expect(generate.status == 0, "\(generate.stderr)")
    // Resuming asks for a total: fewer steps than the checkpoint holds is refused in one line.
    let stale = try runWithoutTerminal(["train", "--resume", checkpoint, "--steps", "10"])
    #expect(stale.status != 0)
    #expect(stale.stderr.contains("already at step 30"), "\(stale.stderr)")
    #expect(stale.stderr.contains("--steps 40"), "\(stale.stderr)")
    let trace = directory.appendingPathComponent("trace.safetensors").path
    let traced = try runWithoutTerminal(["trace"] + small + ["--step", "2", "--out", trace])
    #expect(traced.status == 0, "\(traced.stderr)")
    #expect(FileManager.default.fileExists(atPath: trace))
  }

  @Test(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; skipping terminal tests"))
  func ctrlCStopsTrainingAndStillWritesTheCheckpoint() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let checkpoint = directory.appendingPathComponent("stopped.safetensors").path
    let session = try TmuxSession(
      command: TmuxSession.shellCommand(
        "train --corpus fox.en.txt --layers 1 --dim 32 --heads 2 --context 16 --batch 8 --steps 1000000 --out \(checkpoint)"),
      width: 120, height: 20)
    defer { session.kill() }
    // On a terminal: a progress bar with the step, loss, tokens/s and time left.
    let progress = try session.waitFor(timeout: .seconds(60)) { $0.contains("tok/s") && $0.contains("left") && $0.contains("val ") }
    #expect(progress.isReady, "no progress bar:\n\(progress.screen)")
    try session.sendKeys("C-c")
    let stopped = try session.waitFor(text: "EXITED 130", timeout: .seconds(60))
    #expect(stopped.isReady, "Ctrl-C did not stop training:\n\(stopped.screen)")
    let screen = stopped.screen.replacingOccurrences(of: "\n", with: " ")
    let step = try #require(
      screen.range(of: #"Interrupted \([^)]*\) at step (\d+)"#, options: .regularExpression).flatMap { Int(screen[$0].split(separator: " ").last ?? "") },
      "\(stopped.screen)")
    #expect(screen.contains("Final: step \(step), train loss"), "\(stopped.screen)")
    #expect(screen.contains("Saved checkpoint to"), "\(stopped.screen)")
    // The checkpoint holds the step training stopped at: resuming asks for a larger total.
    let resumed = try runWithoutTerminal(["train", "--resume", checkpoint, "--steps", "\(step + 5)", "--eval-every", "5"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("Final: step \(step + 5), train loss"), "\(resumed.stdout)")
  }

  @Test func trainWithJSONPrintsOnlyJSONLines() throws {
    let run = try runWithoutTerminal([
      "train", "--corpus", "fox.en.txt", "--layers", "1", "--dim", "32", "--heads", "2", "--context", "16", "--batch", "8",
      "--steps", "20", "--eval-every", "10", "--json",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let objects = try run.stdout.split(separator: "\n").map { line in
      try #require(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
    }
    #expect(objects.map { $0["event"] as? String } == ["start", "eval", "eval", "done"])
    #expect(objects.first?["bigram_entropy"] as? Double ?? 0 > 0)
    #expect(objects.last?["step"] as? Int == 20)
    #expect(objects.last?["interrupted"] as? Bool == false)
    #expect(objects.last?["best_step"] as? Int != nil)
  }

  @Test func trainSaysWhenValidationLossTurnsUpAndKeepsTheBest() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let bestPath = directory.appendingPathComponent("best.safetensors").path
    // A 3,000-character corpus and a model that memorises it within a few hundred steps.
    let run = try runWithoutTerminal([
      "train", "--corpus", "mixed.txt", "--layers", "2", "--heads", "4", "--dim", "64", "--context", "32",
      "--batch", "8", "--lr", "0.01", "--steps", "600", "--eval-every", "50", "--best-out", bestPath,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    let final = try #require(lines.first { $0.hasPrefix("Final: step 600") }, "\(run.stdout)")
    let finalLoss = try #require(Float(final.split(separator: " ").last ?? ""))
    let note = try #require(lines.first { $0.hasPrefix("Validation loss was lowest at step ") }, "\(run.stdout)")
    #expect(note.contains("memorising its training text"))
    // Without a terminal: one plain line per evaluation, "step 50/600  loss …  val …  … tok/s  0:01 elapsed".
    let evaluations = lines.compactMap { line -> (step: Int, loss: Float)? in
      let words = line.split(separator: " ")
      guard words.count >= 8, words[0] == "step", words[4] == "val", words[7] == "tok/s",
        let step = Int(words[1].split(separator: "/")[0]), let loss = Float(words[5])
      else { return nil }
      return (step, loss)
    }
    #expect(evaluations.map(\.step) == Array(stride(from: 50, through: 600, by: 50)), "\(run.stdout)")
    // The note's step and loss are the lowest of the evaluation lines.
    let best = try #require(evaluations.min { $0.loss < $1.loss })
    #expect(note.contains("at step \(best.step) (\(String(format: "%.4f", best.loss)))"), "\(note)")
    #expect(finalLoss > best.loss)
    // --best-out holds the model of that evaluation: resuming it starts from its step.
    #expect(run.stdout.contains("Saved the lowest validation loss of this run (step \(best.step),"), "\(run.stdout)")
    let resumed = try runWithoutTerminal(["train", "--resume", bestPath, "--steps", "\(best.step)"])
    #expect(resumed.stderr.contains("is already at step \(best.step);"), "\(resumed.stderr)")
    let same = try runWithoutTerminal(["train", "--out", bestPath, "--best-out", bestPath])
    #expect(same.status != 0)
    #expect(same.stderr.contains("expected two different files"), "\(same.stderr)")
  }

  @Test func trainOnFourThreadsMatchesOneThreadExactly() throws {
    // The CLI's default model at 64 × 16 tokens: its products and attention are cut into blocks.
    func losses(threads: Int) throws -> [String] {
      let run = try runWithoutTerminal(["train", "--steps", "4", "--eval-every", "2", "--json", "--threads", "\(threads)"])
      #expect(run.status == 0, "\(run.stderr)")
      // Everything but the timings, which differ run to run.
      return run.stdout.split(separator: "\n").map {
        String($0).replacing(/"(tokens_per_second|elapsed|seconds)":[0-9.]+,?/, with: "")
      }
    }
    let one = try losses(threads: 1)
    #expect(one.count == 4 && one.contains { $0.contains(#""val_loss":"#) }, "\(one)")
    #expect(try losses(threads: 4) == one)
  }

  @Test func benchPrintsOneJSONObjectPerMeasurement() throws {
    let environment = ProcessInfo.processInfo.environment
    let result = try spawnAndWait(
      TmuxSession.binaryPath, ["bench", "--size", "S", "--steps", "5", "--skip-render", "--json"],
      environment: environment, separateStandardError: true)
    #expect(result.status == 0, "\(result.errors)")
    let lines = result.output.split(separator: "\n").map(String.init)
    // One line per thread count: 1, 2, … up to the cores.
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let counts = Array(1...min(cores, 8)) + (cores > 8 ? [cores] : [])
    #expect(lines.count == counts.count, "one line per thread count: \(lines)")
    for (line, threads) in zip(lines, counts) {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      #expect(object?["kind"] as? String == "train")
      #expect(object?["size"] as? String == "S")
      #expect(object?["threads"] as? Int == threads)
      #expect((object?["tokens_per_second"] as? Int ?? 0) > 0, "\(line)")
      #expect((object?["gflops"] as? Double ?? 0) > 0, "\(line)")
      #expect(object?["parameters"] as? Int == 15360)
      #expect(["avx2+fma", "portable"].contains(object?["kernels"] as? String ?? ""), "\(line)")
      // The ceiling is batch × context (8 × 16 at S) over the layer products' time alone.
      let productsMilliseconds = object?["products_ms_per_step"] as? Double ?? 0
      let stepMilliseconds = object?["ms_per_step"] as? Double ?? 0
      #expect(productsMilliseconds > 0 && (object?["products_gflops"] as? Double ?? 0) > 0, "\(line)")
      let ceiling = object?["ceiling_tokens_per_second"] as? Int ?? 0
      let expected = 8 * 16 / (productsMilliseconds / 1e3)
      #expect(abs(Double(ceiling) - expected) <= expected * 0.01, "\(line)")
      #expect(stepMilliseconds > 0)
      // The speed-up over one thread: exactly 1 for one thread itself.
      let speedup = object?["speedup"] as? Double ?? 0
      #expect(threads == 1 ? speedup == 1 : speedup > 0, "\(line)")
    }
    let bad = try runWithoutTerminal(["bench", "--threads", "0"])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("--threads must be 1 or more (got 0)"), "\(bad.stderr)")
  }
}
