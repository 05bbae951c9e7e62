import Curriculum
import Foundation
import Model
import Testing
import TestSupport
@testable import Training

@Suite("Pace")
struct PaceTests {
  @Test("reads the front matter's choices and moves through them with [ and ]")
  func choices() {
    #expect(Pace(parsing: "10") == .stepsPerSecond(10))
    #expect(Pace(parsing: " 300/s ") == .stepsPerSecond(300))
    #expect(Pace(parsing: "MAX") == .max)
    #expect(Pace(parsing: "7") == nil)
    #expect(Pace(parsing: "0") == nil)
    #expect(Pace(parsing: "fast") == nil)
    #expect(Pace.stepsPerSecond(10).description == "10/s")
    #expect(Pace.max.description == "max")
    var pace = Pace.stepsPerSecond(1)
    var seen: [String] = [pace.description]
    for _ in 0..<8 {
      pace = pace.faster
      seen.append(pace.description)
    }
    #expect(seen == ["1/s", "3/s", "10/s", "30/s", "100/s", "300/s", "max", "max", "max"])
    #expect(Pace.max.slower == .stepsPerSecond(300))
    #expect(Pace.stepsPerSecond(1).slower == .stepsPerSecond(1))
    #expect(Pace.stepsPerSecond(50).faster == .stepsPerSecond(100), "a rate between choices moves to the next one")
    #expect(Pace.stepsPerSecond(50).slower == .stepsPerSecond(30))
  }
}

@Suite("Pacer")
struct PacerTests {
  /// The steps a pacer grants when asked at each of `times`.
  func granted(_ pacer: inout Pacer, at times: [Double]) -> [Double] {
    times.filter { pacer.takeStep(at: $0) }
  }

  @Test("a punctual caller gets ⌊t·rate⌋ + 1 steps in t seconds")
  func punctual() {
    var pacer = Pacer(pace: .stepsPerSecond(10))
    pacer.start()
    // Asked every millisecond for 2.5 s.
    let times = (0...2500).map { Double($0) / 1000 }
    let steps = granted(&pacer, at: times)
    #expect(steps.count == 26)
    #expect(steps.first == 0)
    #expect(abs(steps[1] - 0.1) < 1e-9 && abs(steps[25] - 2.5) < 1e-9)
    #expect(abs(pacer.delay(at: 2.5) - 0.1) < 1e-9)
  }

  @Test("max grants every request; a pace change applies from the last step")
  func maxAndChange() {
    var pacer = Pacer(pace: .max)
    #expect(granted(&pacer, at: [0, 0, 0, 0.001]).count == 4)
    #expect(pacer.delay(at: 0.001) == 0)
    var slow = Pacer(pace: .stepsPerSecond(1))
    slow.start()
    #expect(granted(&slow, at: [10, 10.3]) == [10])
    slow.setPace(.stepsPerSecond(3))
    #expect(granted(&slow, at: [10.32, 10.34, 10.5]) == [10.34], "a third of a second after the last step")
  }

  @Test("after a stall it goes on at its pace instead of racing to catch up")
  func stall() {
    var pacer = Pacer(pace: .stepsPerSecond(100))
    pacer.start()
    #expect(granted(&pacer, at: [0]) == [0])
    // Nobody asked for five seconds (a loaded machine); then asked every millisecond.
    let after = granted(&pacer, at: (5000...5100).map { Double($0) / 1000 })
    #expect(after.count == 11, "one step at once, then one every 10 ms: \(after.count)")
    // A short lag is made up: jitter does not cost steps.
    var jittery = Pacer(pace: .stepsPerSecond(100))
    jittery.start()
    let lagged = granted(&jittery, at: [0, 0.035, 0.035, 0.035, 0.035, 0.035])
    #expect(lagged.count == 4, "steps due at 0.01, 0.02 and 0.03 are all taken at 0.035")
  }
}

@Suite("Milestones")
struct MilestoneTests {
  @Test("early validation: every 10 steps up to 200 when paced, the 1-2-5 steps when flat out")
  func earlyEvaluation() {
    let paced = (1...300).filter { RunWatch.isEarlyEvaluation($0, dense: true) }
    #expect(paced == [1, 2, 5] + Array(stride(from: 10, through: 200, by: 10)))
    let flatOut = (1...300).filter { RunWatch.isEarlyEvaluation($0, dense: false) }
    #expect(flatOut == [1, 2, 5, 10, 20, 50, 100, 200])
    #expect(!RunWatch.isEarlyEvaluation(0, dense: true))
  }

  @Test("a paced run measures validation every 10 steps within 400 steps of its lowest, then every 50 again")
  func denseNearTheLowest() {
    var watch = RunWatch(reference: LossReference(uniform: 4, unigram: 3, bigram: 2.5), pauseAt: [])
    for step in stride(from: 50, through: 600, by: 50) {
      _ = watch.note(step: step, loss: 2, validation: Float(step) < 500 ? 3 - Float(step) / 1000 : 3, isHealthy: true)
    }
    // The lowest so far is at step 450.
    let paced = (601...900).filter { watch.measuresValidation(after: $0, interval: 50, dense: true) }
    #expect(paced == Array(stride(from: 610, through: 850, by: 10)) + [900])
    let flatOut = (601...900).filter { watch.measuresValidation(after: $0, interval: 50, dense: false) }
    #expect(flatOut == [650, 700, 750, 800, 850, 900])
  }

  let reference = LossReference(uniform: 4, unigram: 3, bigram: 2.5)

  /// Feeds validation losses every 50 steps, with training losses falling by `trainingStep` a step.
  func run(_ validation: [Float], training: (Int) -> Float = { 4 - Float($0) * 0.001 }) -> (MilestoneTracker, [(Int, MilestoneKind)]) {
    var tracker = MilestoneTracker(reference: reference)
    var reached: [(Int, MilestoneKind)] = []
    for (index, loss) in validation.enumerated() {
      let step = (index + 1) * 50
      for s in step - 49...step { tracker.recordTraining(loss: training(s)) }
      for found in tracker.recordValidation(step: step, loss: loss) { reached.append((step, found.kind)) }
    }
    return (tracker, reached)
  }

  @Test("unigram and bigram when validation first goes below their lines")
  func lines() {
    let (tracker, reached) = run([3.9, 3.2, 2.95, 3.05, 2.6, 2.45, 2.3, 2.35])
    #expect(reached.map(\.0) == [150, 300])
    #expect(reached.map(\.1) == [.unigram, .bigram])
    #expect(tracker.milestone(.unigram)?.loss == 2.95)
    #expect(tracker.milestone(.best) == nil)
  }

  @Test("both lines in one evaluation give both milestones at that step")
  func bothAtOnce() {
    let (_, reached) = run([3.9, 2.4])
    #expect(reached.map(\.1) == [.unigram, .bigram])
    #expect(Set(reached.map(\.0)) == [100])
  }

  @Test("noise around a falling curve never confirms best; a clear rise does, at the lowest step")
  func bestIsRobustToNoise() {
    // Falling from 3.9 to about 1.2 with ±2% wobble, then flat with wobble, then rising.
    var validation: [Float] = []
    var state: UInt64 = 99
    func wobble() -> Float {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Float(Int((state >> 33) % 41) - 20) / 1000  // −0.02…+0.02
    }
    for i in 0..<40 { validation.append((1.2 + 2.7 * exp(-Float(i) / 8)) * (1 + wobble())) }
    let noisy = run(validation)
    #expect(noisy.0.milestone(.best) == nil, "wobble of 2% is not a rise: \(noisy.1)")

    var rising = validation
    let lowest = rising.enumerated().min { $0.element < $1.element }!
    for i in 1...12 { rising.append(lowest.element + Float(i) * 0.02) }
    let memorising = run(rising)
    let best = memorising.0.milestone(.best)
    #expect(best?.step == (lowest.offset + 1) * 50)
    #expect(best?.loss == lowest.element)
    // Confirmed once three evaluations in a row stand 5% and 0.05 above the lowest.
    func isClear(_ loss: Float) -> Bool { loss >= lowest.element * 1.05 && loss - lowest.element >= 0.05 }
    let confirmedAt = (best?.detectedAt ?? 0) / 50 - 1
    #expect(rising[confirmedAt - 2...confirmedAt].allSatisfy(isClear))
    #expect(!isClear(rising[confirmedAt - 3]))

    // Two high evaluations on a plateau, then back down: no best.
    var bumpy = validation
    bumpy += [lowest.element * 1.1, lowest.element * 1.12, lowest.element]
    #expect(run(bumpy).0.milestone(.best) == nil, "two bumps in a row are wobble")
  }

  @Test("a rise with training loss rising too is instability: no best")
  func instabilityIsNotBest() {
    let (tracker, _) = run([3.5, 2.0, 2.6, 3.0], training: { Float($0) * 0.01 })
    #expect(tracker.milestone(.best) == nil)
  }

  @Test("a later, lower best moves the mark")
  func bestMoves() {
    let (tracker, reached) = run([2.0, 2.3, 2.4, 2.5, 1.8, 1.85, 2.2, 2.3, 2.4])
    #expect(reached.filter { $0.1 == .best }.map(\.0) == [200, 450])
    #expect(tracker.milestone(.best)?.step == 250)
    #expect(tracker.milestones.filter { $0.kind == .best }.count == 1)
  }

  @Test("divergence is noted once")
  func diverged() {
    var tracker = MilestoneTracker(reference: reference)
    let first = tracker.recordDivergence(step: 12, loss: .nan)
    let second = tracker.recordDivergence(step: 13, loss: .nan)
    #expect(first?.kind == .diverged)
    #expect(second == nil)
    #expect(tracker.milestone(.diverged)?.step == 12)
  }
}

/// A clock that moves only when the test says.
final class ManualClock: Sendable {
  private let time = Locked<Double>(1000)
  var now: Double { time.withLock { $0 } }
  func advance(by seconds: Double) { time.withLock { $0 += seconds } }
}

@Suite("Watching a session")
struct WatchingSessionTests {
  /// A session whose queue this thread serves, paced by `clock`: every step is taken here, in order.
  func session(_ run: RunConfiguration, clock: ManualClock) -> TrainingSession {
    TrainingSession(configuration: run, clock: { clock.now }, queue: .onCallersThread())
  }

  /// Serves the session's queue, a slice of training at a time, until `condition` holds or `slices` were served.
  func wait(_ session: TrainingSession, slices: Int = 2_000, until condition: (SessionSnapshot) -> Bool) -> SessionSnapshot {
    for _ in 0..<slices {
      session.waitUntilIdle()
      if condition(session.snapshot) { break }
    }
    return session.snapshot
  }

  @Test("a paced session takes the steps its clock allows, and no more")
  func pacedByClock() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let clock = ManualClock()
    let session = session(tinyRun(try scratch.corpus()), clock: clock)
    defer { session.stop() }
    session.setPace(.stepsPerSecond(10))
    session.run()
    #expect(wait(session) { $0.step >= 1 }.step == 1, "the first step is due at once")
    // Every tenth of a second, one step.
    for expected in 2...6 {
      clock.advance(by: 0.1)
      #expect(wait(session) { $0.step >= expected }.step == expected)
    }
    // The clock stands still, so however many slices the queue serves, no step is due.
    #expect(wait(session, slices: 30) { $0.step > 6 }.step == 6)
    #expect(session.snapshot.state == .running && session.snapshot.pace == .stepsPerSecond(10))
    // After a stall of a whole second it takes one step, not the ten it missed.
    clock.advance(by: 1.0)
    #expect(wait(session) { $0.step >= 7 }.step == 7)
    #expect(wait(session, slices: 30) { $0.step > 7 }.step == 7)
    clock.advance(by: 0.1)
    #expect(wait(session) { $0.step >= 8 }.step == 8)
    session.setPace(.max)
    #expect(wait(session) { $0.step >= 100 }.step >= 100, "max does not look at the clock")
    session.pause()
    #expect(!wait(session) { !$0.state.isRunning }.state.isRunning)
  }

  @Test("a session pauses by itself at a listed milestone")
  func pausesAtMilestone() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let session = session(tinyRun(try scratch.corpus(), lr: 0.01), clock: ManualClock())
    defer { session.stop() }
    session.setPauseAt([.unigram])
    session.run()
    let snapshot = wait(session) { $0.pausedAt != nil }
    let milestone = try #require(snapshot.pausedAt)
    #expect(milestone.kind == .unigram)
    #expect(snapshot.state == .paused)
    #expect(snapshot.step == milestone.step)
    #expect(milestone.loss < snapshot.reference.unigram)
    #expect(snapshot.milestones.contains(milestone))
    let before = snapshot.validation.filter { $0.step < milestone.step }
    #expect(before.allSatisfy { $0.loss >= snapshot.reference.unigram }, "the first validation below the line")
    // Running on clears the pause and does not stop there again.
    session.run()
    let later = wait(session) { $0.step >= milestone.step + 30 }
    #expect(later.pausedAt == nil && later.state.isRunning)
  }

  @Test("a paced session that pauses at a milestone has that very step's trace for the views")
  func pacedPauseHasItsStepsTrace() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // Every look at this clock finds a second gone: each step is due, yet the run is paced.
    let clock = ManualClock()
    let session = TrainingSession(
      configuration: tinyRun(try scratch.corpus(), lr: 0.01),
      clock: {
        clock.advance(by: 1)
        return clock.now
      }, queue: .onCallersThread())
    defer { session.stop() }
    session.setPace(.stepsPerSecond(300))
    session.setPauseAt([.bigram])
    session.run()
    let snapshot = wait(session) { $0.pausedAt != nil }
    let milestone = try #require(snapshot.pausedAt)
    #expect(snapshot.step == milestone.step)
    #expect(snapshot.trace?.step == milestone.step, "paused at \(milestone.step), trace of \(snapshot.trace?.step ?? -1)")
    #expect(!TraceHistory.isLogSpaced(milestone.step), "a step the log spacing would not have recorded: \(milestone.step)")
  }

  @Test("history keeps log-spaced steps and the newest; a restart keeps the old curves as the previous run")
  func historyAndRestart() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // Every look at this clock finds a second gone: paced, yet each step is due.
    let clock = ManualClock()
    let session = TrainingSession(
      configuration: tinyRun(try scratch.corpus()),
      clock: {
        clock.advance(by: 1)
        return clock.now
      }, queue: .onCallersThread())
    defer { session.stop() }
    session.setPace(.stepsPerSecond(300))
    session.run()
    var snapshot = wait(session) { $0.step >= 120 }
    session.pause()
    snapshot = wait(session) { !$0.state.isRunning }
    let steps = snapshot.history.steps
    #expect(Array(steps.prefix(9)) == [1, 2, 3, 5, 10, 20, 30, 50, 100], "\(steps)")
    #expect(steps.last == snapshot.trace?.step)
    #expect(snapshot.history.trace(atStep: 20)?.step == 20)
    #expect(snapshot.history.step(before: 20) == 10 && snapshot.history.step(after: 20) == 30)
    #expect(snapshot.validation.prefix(4).map(\.step) == [1, 2, 5, 10], "validation from the first step on")

    let firstRun = snapshot.losses
    session.setLearningRate(0.006)
    session.step()
    let changed = wait(session) { $0.step == firstRun.count + 1 }
    #expect(changed.learningRateChanges == [LearningRateChange(step: firstRun.count, rate: 0.006)])
    session.reset()
    let fresh = wait(session) { $0.step == 0 && $0.tokenizer != nil }
    let previous = try #require(fresh.previousRun)
    #expect(Array(previous.losses.prefix(firstRun.count)) == firstRun)
    #expect(previous.learningRates == [0.003, 0.006])
    #expect(fresh.learningRate == 0.006 && fresh.learningRateChanges.isEmpty)
    #expect(fresh.history.steps.isEmpty && fresh.milestones.isEmpty)
    #expect(fresh.pace == .stepsPerSecond(300), "the pace belongs to the session, not the run")
  }
}

@Suite("Trace history")
struct TraceHistoryTests {
  @Test("log-spaced steps are 1, 2, 3 and 5 times a power of ten")
  func spacing() {
    let kept = (1...1000).filter(TraceHistory.isLogSpaced)
    #expect(kept == [1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000])
  }

  @Test("at the largest lesson the history stays within 32 MiB and keeps every decade")
  func memoryBound() throws {
    let root = packageRoot()
    let corpora = root.appendingPathComponent("Corpora")
    var largest: (lesson: Lesson, bytes: Int)?
    for language in Language.allCases {
      let (lessons, _) = LessonLibrary.loadAll(directory: root.appendingPathComponent("Lessons"), language: language, corporaDirectory: corpora)
      for lesson in lessons {
        let m = lesson.model
        // The bulk of a kept trace: attention, logits and probabilities, embeddings.
        let bytes = 4 * m.batch * m.context * (m.layers * m.heads * m.context + 2 * 256 + m.dim)
        if bytes > largest?.bytes ?? 0 { largest = (lesson, bytes) }
      }
    }
    let lesson = try #require(largest?.lesson)
    let m = lesson.model
    let run = RunConfiguration(
      corpus: lesson.corpusPath(corporaDirectory: corpora), tokenizer: lesson.tokenizer, bpeMerges: lesson.bpeMerges,
      layers: m.layers, heads: m.heads, dim: m.dim, context: m.context, batch: m.batch, seed: lesson.seed)
    let trainer = try Trainer(configuration: run, corporaDirectory: corpora, evaluationInterval: 0)
    let trace = try #require(trainer.step(recordTrace: true).trace)
    #expect(trace.compacted().byteCount < trace.byteCount)

    var history = TraceHistory()
    // A million steps; every step records its trace, as stepping by hand does.
    for step in (1...1_000_000).filter({ TraceHistory.isLogSpaced($0) || $0 % 99_991 == 0 }) {
      history.record(trace.restamped(step: step))
      #expect(history.byteCount <= TraceHistory.defaultBudget)
    }
    let steps = Set(history.steps)
    for decade in [1, 10, 100, 1000, 10_000, 100_000, 1_000_000] {
      #expect(steps.contains(decade), "\(decade) of \(history.steps.sorted())")
    }
    #expect(history.traces.count >= 7)
    let compact = try #require(history.trace(atStep: 10))
    #expect(compact.parameter("wte.weight") == trace.parameter("wte.weight"))
    #expect(compact.parameterAfter("wpe.weight") == trace.parameterAfter("wpe.weight"))
    // Every weight before the step stays (the formula view replays the step on them); after it, the embeddings only.
    #expect(compact.parametersBefore == trace.parametersBefore)
    #expect(compact.parameterAfter("h.0.attn.c_attn.weight").isEmpty && compact.gradient("h.0.attn.c_attn.weight").isEmpty)
    #expect(Array(compact.attention(row: 0, layer: 0, head: 0)) == Array(trace.attention(row: 0, layer: 0, head: 0)))
  }
}

extension StepTrace {
  /// The same trace, said to be of another step.
  func restamped(step: Int) -> StepTrace {
    StepTrace(
      step: step, objective: objective, config: config, layout: layout, batch: batch,
      parametersBefore: parametersBefore, gradients: gradients, parametersAfter: parametersAfter,
      attention: attention, inputEmbeddings: inputEmbeddings, logits: logits, probabilities: probabilities,
      positionLosses: positionLosses, loss: loss, lossAfter: lossAfter, learningRate: learningRate, optimizer: optimizer,
      gradientNorms: gradientNorms, updateRatios: updateRatios)
  }
}
