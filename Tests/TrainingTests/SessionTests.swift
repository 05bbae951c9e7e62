import Curriculum
import Foundation
import Testing
@testable import Training

@Suite struct SessionTests {
  /// The snapshot once every command sent so far has been served: stepping, pausing and
  /// resetting are commands on the session's queue, so no polling is needed for them.
  func settled(_ session: TrainingSession) -> SessionSnapshot {
    session.waitUntilIdle()
    return session.snapshot
  }

  /// Waits on the queue of a running session until `condition` holds for its snapshot.
  ///
  /// Each wait ends once the slice of training ahead of it is done (at least one step), so
  /// nothing sleeps or spins; a session that stopped by itself ends the waits at once, and
  /// `slices` bounds them.
  func wait(_ session: TrainingSession, slices: Int = 20_000, until condition: (SessionSnapshot) -> Bool) -> SessionSnapshot {
    for _ in 0..<slices {
      session.waitUntilIdle()
      let snapshot = session.snapshot
      if condition(snapshot) { return snapshot }
    }
    return session.snapshot
  }

  @Test func steppingAndRunningGiveTheHeadlessLosses() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let run = tinyRun(try scratch.corpus())
    let headless = try Trainer(configuration: run, evaluationInterval: 0)
    let expected = (0..<40).map { _ in headless.step(recordTrace: false).loss }

    let session = TrainingSession(configuration: run)
    defer { session.stop() }
    session.step()
    session.step()
    var snapshot = settled(session)
    #expect(snapshot.step == 2 && snapshot.trace?.step == 2)
    session.run()
    snapshot = wait(session) { $0.step >= 30 }
    session.pause()
    session.step()
    snapshot = settled(session)
    #expect(!snapshot.state.isRunning)
    let n = min(40, snapshot.losses.count)
    #expect(n >= 30)
    #expect(Array(snapshot.losses.prefix(n)) == Array(expected.prefix(n)))
  }

  @Test func stoppingWhileTheCorpusLoadsNeitherWaitsNorFinishesTheLoad() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let run = tinyRun(try scratch.corpus())
    // On the caller's thread: nothing runs until the test serves the queue.
    let session = TrainingSession(configuration: run, clock: { 0 }, queue: .onCallersThread())
    // Not waited for: stop() returns without serving the build queued behind it.
    session.stop()
    #expect(session.snapshot.tokenizer == nil && session.snapshot.preparingCorpus == nil)
    // Served now, the build gives up at its first progress report.
    let snapshot = settled(session)
    #expect(snapshot.state == .failed(.corpus(.cancelled(path: run.corpus))), "\(snapshot.state)")
    #expect("\(CorpusError.cancelled(path: run.corpus))" == "\(run.corpus): loading cancelled")
    #expect(snapshot.preparingCorpus == CorpusProgress(phase: .reading, name: "corpus.txt", done: 0, total: try corpusSize(run)))

    // Not stopped, the same session reports every phase and builds.
    let whole = TrainingSession(configuration: run, clock: { 0 }, queue: .onCallersThread())
    defer { whole.stop() }
    let built = settled(whole)
    #expect(built.tokenizer != nil && built.preparingCorpus == nil, "a built run's snapshot starts afresh")
  }

  func corpusSize(_ run: RunConfiguration) throws -> Int {
    try FileManager.default.attributesOfItem(atPath: run.corpus)[.size] as? Int ?? -1
  }

  @Test func sessionsInLockstepStayWithinTheLead() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    var clm = tinyRun(try scratch.corpus())
    var mlm = clm
    clm.objective = .clm
    mlm.objective = .mlm
    // A bigger batch makes one side slower per step, so they would drift apart.
    mlm.batch = clm.batch * 4
    let gate = Lockstep(lead: 1)
    let fast = TrainingSession(configuration: clm, label: "fast"), slow = TrainingSession(configuration: mlm, label: "slow")
    defer { fast.stop(); slow.stop() }
    fast.join(gate)
    slow.join(gate)
    fast.run()
    slow.run()
    // The one started first runs alone until the other starts (on a loaded machine, for
    // dozens of steps); then the gap closes and from there stays within the lead.
    // The gap is read between slices: waiting on one side's queue lets both train meanwhile.
    var closed = false
    var largestGap = 0
    for turn in 0..<20_000 where gate.steps.min() ?? 0 < 150 {
      (turn.isMultiple(of: 2) ? fast : slow).waitUntilIdle()
      let steps = gate.steps
      let gap = abs(steps[0] - steps[1])
      if closed { largestGap = max(largestGap, gap) } else { closed = steps.min() ?? 0 > 0 && gap <= 1 }
    }
    #expect(gate.steps.min() ?? 0 >= 150, "both kept training: \(gate.steps)")
    #expect(closed, "the gap never closed: \(gate.steps)")
    #expect(largestGap <= 1, "gap \(largestGap)")
    // Pausing one frees the other.
    slow.pause()
    slow.waitUntilIdle()
    let paused = gate.steps[1]
    _ = wait(fast) { $0.step >= paused + 20 }
    #expect(fast.snapshot.step >= paused + 20)
  }

  @Test func snapshotsAreConsistentWhileRunning() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let session = TrainingSession(configuration: tinyRun(try scratch.corpus()))
    defer { session.stop() }
    session.run()
    // Read while the queue trains: each read follows a wait for the slice ahead, not a sleep.
    for _ in 0..<50 {
      session.waitUntilIdle()
      let snapshot = session.snapshot
      #expect(snapshot.losses.count == snapshot.step)
      #expect(snapshot.gradientNorms.count == snapshot.step)
      if let trace = snapshot.trace {
        #expect(trace.step <= snapshot.step)
        #expect(trace.loss == snapshot.losses[trace.step - 1])
      }
    }
    session.pause()
    let final = settled(session)
    #expect(final.state == .paused)
    #expect(final.step > 0 && final.losses.count == final.step && final.gradientNorms.count == final.step)
  }

  @Test func anExplodingLossPausesTheSession() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    var run = tinyRun(try scratch.corpus(), lr: 80)
    run.warmupSteps = 0
    let session = TrainingSession(configuration: run)
    defer { session.stop() }
    session.run()
    let snapshot = wait(session) { if case .diverged = $0.state { return true } else { return false } }
    guard case .diverged(_, let rate) = snapshot.state else {
      Issue.record("expected the session to stop as diverged, got \(snapshot.state)")
      return
    }
    #expect(rate == 80)
    // Lowering the rate and resetting starts over from step 0 with the new rate.
    session.setLearningRate(0.003)
    session.reset()
    let fresh = settled(session)
    #expect(fresh.step == 0 && fresh.state == .paused && fresh.tokenizer != nil)
    #expect(fresh.learningRate == 0.003)
    #expect(fresh.losses.isEmpty)
  }

  @Test func aMissingCorpusFailsTheSessionWithAMessage() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let session = TrainingSession(configuration: tinyRun(scratch.file("nope.txt")))
    defer { session.stop() }
    // The data is loaded on the session's queue when it is created.
    let snapshot = settled(session)
    guard case .failed(.corpus(.notFound(let path))) = snapshot.state else {
      Issue.record("expected a missing corpus, got \(snapshot.state)")
      return
    }
    #expect(path.hasSuffix("nope.txt"))
    #expect(snapshot.state == .failed(.corpus(.notFound(path: path))))
    guard case .failed(let error) = snapshot.state else { return }
    #expect(error.description == "\(path): corpus file not found", "the line the lesson's modal shows")
  }
}
