@testable import App
import Curriculum
import Foundation
import TermUI
import Training

/// Snapshots built by hand from a trainer stepped on this thread: no session, no queue, no waiting.
struct SnapshotMaker {
  let trainer: Trainer
  let configuration: RunConfiguration
  var version = 0

  init(_ configuration: RunConfiguration) throws {
    self.configuration = configuration
    trainer = try Trainer(configuration: configuration, evaluationInterval: 0)
  }

  /// The snapshot a session publishes once its data is loaded: a tokenizer, no step yet.
  mutating func loaded(state: SessionState = .paused, learningRate: Float? = nil) -> SessionSnapshot {
    version += 1
    var snapshot = SessionSnapshot(
      learningRate: learningRate ?? configuration.learningRate, reference: trainer.reference, configuration: configuration)
    snapshot.tokenizer = trainer.tokenizer
    snapshot.state = state
    snapshot.version = version
    return snapshot
  }

  /// The snapshot after one more step, with its trace.
  mutating func stepped(state: SessionState = .paused) -> SessionSnapshot {
    let result = trainer.step(recordTrace: true)
    var snapshot = loaded(state: state)
    snapshot.trace = result.trace
    snapshot.step = result.step
    snapshot.losses = [result.loss]
    return snapshot
  }
}

/// Effects as short strings, so tests can compare them (`Effect` holds screens, which are not equatable).
func describe(_ effects: [Effect]) -> [String] {
  effects.map { effect in
    switch effect {
    case .startSession(let id, let request): "start(\(id.raw), \(request.configuration.objective.rawValue))"
    case .lockstep(let ids): "lockstep(\(ids.map { String($0.raw) }.joined(separator: ",")))"
    case .step(let id): "step(\(id.raw))"
    case .run(let id): "run(\(id.raw))"
    case .pause(let id): "pause(\(id.raw))"
    case .reset(let id): "reset(\(id.raw))"
    case .setLearningRate(let id, let rate): "lr(\(id.raw), \(rate))"
    case .setPace(let id, let pace): "pace(\(id.raw), \(pace))"
    case .pauseAt(let id, let milestones): "pauseAt(\(id.raw), \(milestones.sorted().map(\.rawValue).joined(separator: ",")))"
    case .saveCheckpoint(let id, let name): "save(\(id.raw), \(name))"
    case .predict(let id, let tokens): "predict(\(id.raw), \(tokens.count) tokens)"
    case .sample(let id, _, _): "sample(\(id.raw))"
    case .stopSession(let id): "stop(\(id.raw))"
    case .scoreGuesses(let id, let positions, let withText): "score(\(id.raw), \(positions.count) positions\(withText ? ", text" : ""))"
    case .push(let screen): "push(\(type(of: screen)))"
    case .pop: "pop"
    case .showHelp: "help"
    case .embeddingMap(let id, let request): "map(\(id.raw)\(request.picked.map { ", picked \($0)" } ?? "")\(request.previousAxes == nil ? "" : ", aligned"))"
    case .mergeReplay(let id): "merges(\(id.raw))"
    case .restartWithMerges(let id, let merges): "restartMerges(\(id.raw), \(merges))"
    case .restartWithMask(let id, let masked): "restartWithMask(\(id.raw), \(masked))"
    case .redraw: "redraw"
    case .quit: "quit"
    case .loadExerciseAnswer(let key): "loadExercise(\(key))"
    case .saveExerciseAnswer(let key, let response, let isRight): "saveExercise(\(key), \(response), \(isRight ? "right" : "wrong"))"
    case .loadQuizHistory(let language): "loadQuiz(\(language.rawValue))"
    case .saveQuizTake(let take, let language): "saveQuiz(\(language.rawValue), \(take.form.rawValue), \(take.right)/\(take.asked))"
    case .loadGameResults(let lesson): "loadGames(\(lesson))"
    case .saveGameResult(let result): "saveGame(\(result.lesson))"
    case .close(.gamePlayed): "close(game)"
    case .loadPlayground: "loadPlayground"
    case .replayFormula(let id, let trace): "replay(\(id.raw), step \(trace.step))"
    case .guessRows(let id, let trace, let mode, _): "guesses(\(id.raw), step \(trace.step), \(mode))"
    case .openOwnText: "openOwnText"
    case .cancelOwnText: "cancelOwnText"
    case .loadPredictions: "loadPredictions"
    case .recordPrediction(let key, let outcome): "recordPrediction(\(key), \(outcome.rawValue))"
    case .savePredictionsEnabled(let enabled): "savePredictionsEnabled(\(enabled))"
    }
  }
}

extension Screen {
  /// Carries out the learner's-state effects among `effects` with `runner`, as the app would, feeding its
  /// answers back to the screen; returns every effect, described, in order (the answers' effects after).
  mutating func carryOut(_ effects: [Effect], with runner: EffectRunner) -> [String] {
    var described: [String] = []
    for effect in effects {
      described += describe([effect])
      switch effect {
      case .loadGameResults, .saveGameResult, .loadExerciseAnswer, .saveExerciseAnswer, .loadPlayground, .openOwnText:
        for message in runner.perform(effect) { described += carryOut(receive(message), with: runner) }
        runner.waitUntilIdle()
        for message in runner.poll() { described += carryOut(receive(message), with: runner) }
      default:
        break
      }
    }
    return described
  }

  /// Presses a key and carries out its learner's-state effects with `runner`; nil when no binding takes it.
  mutating func press(_ key: Key, runner: EffectRunner) -> [String]? {
    guard let effects = update(.key(key)) else { return nil }
    return carryOut(effects, with: runner)
  }

  /// Sends a key as the router would; nil when no binding takes it.
  mutating func press(_ key: Key) -> [String]? {
    update(.key(key)).map(describe)
  }

  /// Draws the screen into a monochrome buffer and returns its lines.
  func rendered(width: Int = 100, height: Int = 30) -> [String] {
    var buffer = Buffer(size: Size(width: width, height: height))
    render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
    return buffer.lines
  }
}

/// Every key a learner could press that the tests try: printable ASCII and the named keys.
let everyKey: [Key] = (32...126).map { Key.char(Character(UnicodeScalar($0)!)) } + [
  .up, .down, .left, .right, .enter, .tab, .backTab, .escape, .backspace, .delete, .home, .end, .pageUp, .pageDown,
  .function(1), .ctrl("u"), .ctrl("a"),
]
