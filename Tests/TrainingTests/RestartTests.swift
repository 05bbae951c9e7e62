import Curriculum
import Foundation
import Testing
@testable import Training

/// Restarting a run over and over, as a learner pressing `x` does: each restart keeps the
/// run before it whole, whether the session was running or paused.
///
/// Restarting once crashed the release build: the optimizer retained the kept previous run
/// only after the old snapshot had freed it (Tests/Miscompiles/RetainSinking.swift). These
/// tests wait on the session's queue and move its clock by hand, so they never sleep.
@Suite struct RestartTests {
  /// Every run restarts from the same seed at the same rate, so every run's losses are these.
  func headlessLosses(_ run: RunConfiguration, steps: Int) throws -> [Float] {
    let trainer = try Trainer(configuration: run, evaluationInterval: 0)
    return (0..<steps).map { _ in trainer.step(recordTrace: false).loss }
  }

  /// Checks the snapshot right after restart number `round`, which followed a run of at least `minimum` steps.
  func expectFreshRun(_ snapshot: SessionSnapshot, after minimum: Int, expected: [Float], round: Int) {
    #expect(snapshot.step == 0 && snapshot.losses.isEmpty && snapshot.state == .paused, "round \(round): \(snapshot.step) \(snapshot.state)")
    #expect(snapshot.tokenizer != nil && snapshot.history.steps.isEmpty, "round \(round)")
    #expect(snapshot.pace == .stepsPerSecond(10), "round \(round): the pace belongs to the session")
    guard let previous = snapshot.previousRun else {
      Issue.record("round \(round): the run before the restart is gone")
      return
    }
    #expect(previous.losses.count >= minimum && previous.losses.count <= expected.count, "round \(round): \(previous.losses.count) losses")
    #expect(previous.losses == Array(expected.prefix(previous.losses.count)), "round \(round): the kept curve changed")
    #expect(previous.learningRates == [snapshot.learningRate], "round \(round)")
  }

  @Test func theRunBeforeARestartNamesOnlyTheRatesItTrainedWith() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let session = TrainingSession(configuration: tinyRun(try scratch.corpus(), lr: 3e-3))
    defer { session.stop() }
    session.step()
    session.setLearningRate(6e-3)
    session.step()
    // Set after the last step, as after a divergence: it never trained this run.
    session.setLearningRate(1e-3)
    session.reset()
    session.waitUntilIdle()
    let previous = try #require(session.snapshot.previousRun)
    #expect(previous.learningRates == [3e-3, 6e-3], "\(previous.learningRates)")
    #expect(session.snapshot.learningRate == 1e-3, "the rate set last starts the new run")
  }

  @Test("restarting twice a second, 100 times while running and 100 times paused, keeps each previous run whole")
  func restartsTwiceASecond() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let run = tinyRun(try scratch.corpus())
    let expected = try headlessLosses(run, steps: 40)
    let clock = ManualClock()
    let session = TrainingSession(configuration: run, clock: { clock.now })
    defer { session.stop() }
    session.setPace(.stepsPerSecond(10))
    for round in 0..<200 {
      if round % 2 == 0 {
        // Running: run() takes the first step at once; the next waits on the queue for its pace.
        session.run()
        session.waitUntilIdle()
        #expect(session.snapshot.step >= 1, "round \(round)")
        // Half a second later by the session's clock, with a paced slice still pending, restart.
        clock.advance(by: 0.5)
        session.reset()
        session.waitUntilIdle()
        expectFreshRun(session.snapshot, after: 1, expected: expected, round: round)
      } else {
        // Paused: two steps by hand, then restart half a second later.
        session.step()
        session.step()
        clock.advance(by: 0.5)
        session.reset()
        session.waitUntilIdle()
        expectFreshRun(session.snapshot, after: 2, expected: expected, round: round)
      }
    }
  }

  @Test("restarts sent back to back, while the queue is busy running, leave one fresh run")
  func restartsBackToBack() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let run = tinyRun(try scratch.corpus())
    let expected = try headlessLosses(run, steps: 50)
    let session = TrainingSession(configuration: run, clock: { 0 })
    defer { session.stop() }
    for round in 0..<25 {
      // Flat out, commands land between slices: a restart, a run, another restart, a step.
      session.run()
      session.reset()
      session.run()
      session.step()
      session.reset()
      session.step()
      session.waitUntilIdle()
      let snapshot = session.snapshot
      #expect(snapshot.step == 1 && snapshot.losses == [expected[0]], "round \(round): step \(snapshot.step)")
      // The run before: a slice of steps flat out, then one by hand.
      let previous = try #require(snapshot.previousRun, "round \(round)")
      let compared = min(previous.losses.count, expected.count)
      #expect(previous.losses.count >= 2, "round \(round)")
      #expect(previous.losses.prefix(compared) == expected.prefix(compared), "round \(round): the kept curve changed")
    }
  }
}
