import Curriculum
import Foundation
import Model
import Training

/// Carries out the session effects: owns the `TrainingSession`s and turns what they publish into messages.
///
/// Lives on the main thread. Each poll reads every session's snapshot once and delivers it
/// only when its version changed; predictions arrive from the sessions' queues through a
/// lock and are delivered at the next poll.
final class EffectRunner {
  private(set) var sessions: [SessionID: TrainingSession] = [:]
  /// The version of each session's last delivered snapshot.
  private var versions: [SessionID: Int] = [:]
  /// The tokenizer of each session, from its snapshots (sampling needs it).
  private var tokenizers: [SessionID: any Tokenizer] = [:]
  /// One sampler per session, seeded from the run: the prompt box samples the same on every run.
  private var samplers: [SessionID: SeededGenerator] = [:]
  private let arrived = Arrivals<Prediction?>()
  private let saves = Arrivals<Result<URL, CheckpointSaveError>>()
  private let guesses = Arrivals<GuessingScores?>()
  private let maps = Arrivals<Result<EmbeddingMap, EmbeddingMapProblem>?>()
  private let replays = Arrivals<MergeReplay?>()
  /// Answers of work done off the main thread (model work, reading corpora), in the order it was asked.
  private let answers = Answers()
  private let background: SessionQueue
  /// Set to stop the corpus the form is loading (`Effect.cancelOwnText`).
  private var ownTextCancel: CancelFlag?
  /// True: sessions and background work run on the caller's thread when it waits for them (tests).
  private let onCallersThread: Bool
  let corporaDirectory: URL?
  /// Where saved checkpoints go.
  let folders: UserFolders

  /// Where exercise answers are remembered.
  let records: ExerciseRecords

  /// Where prediction scores are remembered.
  var predictions: PredictionStore

  /// - Parameter onCallersThread: run the sessions and the work done off the main thread on the
  ///   caller's thread, when it waits for them (`waitUntilIdle`): tests drive a whole app on one thread.
  init(corporaDirectory: URL?, folders: UserFolders, predictFirst: Bool = true, onCallersThread: Bool = false) {
    self.onCallersThread = onCallersThread
    background = onCallersThread ? .onCallersThread() : SessionQueue(label: "nexttoken.effects")
    self.corporaDirectory = corporaDirectory
    self.folders = folders
    records = ExerciseRecords(folders: folders)
    predictions = PredictionStore(records: PredictionRecords(folders: folders), startsOff: !predictFirst)
  }

  deinit { stopAll() }

  /// Carries out one effect; returns the messages it answers with at once.
  func perform(_ effect: Effect) -> [Message] {
    switch effect {
    case .startSession(let id, let request):
      let queue = onCallersThread ? SessionQueue.onCallersThread() : SessionQueue(label: "nexttoken.training.\(request.label)")
      if let checkpoint = request.checkpoint {
        sessions[id] = TrainingSession(
          checkpoint: checkpoint, configuration: request.configuration, prompt: request.prompt, label: request.label,
          corporaDirectory: corporaDirectory, queue: queue)
      } else {
        sessions[id] = TrainingSession(
          configuration: request.configuration, prompt: request.prompt, label: request.label, corporaDirectory: corporaDirectory,
          bases: folders.bases, queue: queue)
      }
      samplers[id] = SeededGenerator(seed: request.configuration.seed &+ 99)
    case .lockstep(let ids):
      let gate = Lockstep()
      for id in ids { sessions[id]?.join(gate) }
    case .step(let id): sessions[id]?.step()
    case .run(let id): sessions[id]?.run()
    case .pause(let id): sessions[id]?.pause()
    case .reset(let id): sessions[id]?.reset()
    case .setLearningRate(let id, let rate): sessions[id]?.setLearningRate(rate)
    case .setPace(let id, let pace): sessions[id]?.setPace(pace)
    case .pauseAt(let id, let milestones): sessions[id]?.setPauseAt(milestones)
    case .predict(let id, let tokens):
      let arrived = self.arrived
      sessions[id]?.predict(tokens: tokens) { prediction in
        arrived.put((id, prediction))
      }
    case .sample(let id, let logits, let controls):
      guard let tokenizer = tokenizers[id], var sampler = samplers[id] else { return [] }
      // Among ordinary tokens only: generated text never holds [MASK] or [UNK].
      let token = controls.sample(logits: logits, allowed: tokenizer.generationMask, generator: &sampler)
      samplers[id] = sampler
      return [.sampled(id, token)]
    case .saveCheckpoint(let id, let name):
      let saves = self.saves
      sessions[id]?.saveCheckpoint(in: folders, name: name) { result in saves.put((id, result)) }
    case .scoreGuesses(let id, let positions, let withText):
      let guesses = self.guesses
      sessions[id]?.scoreGuesses(positions: positions, withText: withText) { scores in guesses.put((id, scores)) }
    case .embeddingMap(let id, let request):
      let maps = self.maps
      sessions[id]?.embeddingMap(request) { map in maps.put((id, map)) }
    case .mergeReplay(let id):
      let replays = self.replays
      sessions[id]?.mergeReplay { replay in replays.put((id, replay)) }
    case .restartWithMerges(let id, let merges):
      sessions[id]?.restart(bpeMerges: merges)
    case .restartWithMask(let id, let masked):
      sessions[id]?.restart(maskPrompt: masked)
    case .stopSession(let id):
      sessions[id]?.stop()
      sessions[id] = nil
      versions[id] = nil
      tokenizers[id] = nil
      samplers[id] = nil
    case .loadExerciseAnswer(let key):
      return [.exerciseAnswer(key, records.answer(for: key))]
    case .saveExerciseAnswer(let key, let response, let isRight):
      do {
        let saved = try records.save(ExerciseAnswer(response: response, isRight: isRight, date: Date()), for: key)
        // Saved, but an unreadable answers file was moved aside first: the learner should know.
        if let note = saved.note { return [.exerciseSaveFailed(.movedAside(note: note))] }
      } catch {
        return [.exerciseSaveFailed(.failed(error))]
      }
    case .loadQuizHistory(let language):
      let (history, problem) = QuizRecords(folders: folders).history(language)
      return [.quizHistory(history, problem: problem)]
    case .saveQuizTake(let take, let language):
      do {
        let note = try QuizRecords(folders: folders).append(take, language: language)
        return [.quizSaved(note: note, failure: nil)]
      } catch {
        return [.quizSaved(note: nil, failure: error.description)]
      }
    case .loadGameResults(let lesson):
      return [.gameResults(GameResults(folders: folders, lesson: lesson).load())]
    case .saveGameResult(let result):
      do throws(UserFoldersError) {
        return [.gameSaved(.success(try GameResults(folders: folders, lesson: result.lesson).append(result).note))]
      } catch {
        return [.gameSaved(.failure(error))]
      }
    case .replayFormula(let id, let trace):
      inBackground {
        do throws(FormulaReplayError) {
          return .formulaReplay(id, step: trace.step, .success(try FormulaReplay(trace: trace)))
        } catch {
          return .formulaReplay(id, step: trace.step, .failure(error))
        }
      }
    case .guessRows(let id, let trace, let mode, let row):
      inBackground { .guessRows(id, step: trace.step, mode, GuessRows.compute(mode, trace: trace, row: row)) }
    case .loadPlayground:
      let directory = corporaDirectory
      let names = directory.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) } ?? []
      return [
        .playground(
          corpora: names.filter { $0.hasSuffix(".txt") }.sorted(), choices: PlaygroundChoices.remembered(in: folders),
          folder: FileManager.default.currentDirectoryPath)
      ]
    case .openOwnText(let choices, let language):
      let (directory, folders, answers) = (corporaDirectory, folders, answers)
      let cancel = CancelFlag()
      ownTextCancel?.set()
      ownTextCancel = cancel
      inBackground {
        // Progress reaches the form at the next poll; a whole percent or a new phase is worth a message.
        let last = Locked<(CorpusProgress.Phase, Int)?>(nil)
        let result = choices.lesson(language: language, corporaDirectory: directory) { progress in
          let percent = Int(progress.fraction * 100)
          let isNew = last.withLock { seen in
            defer { seen = (progress.phase, percent) }
            return seen.map { $0.0 != progress.phase || $0.1 != percent } ?? true
          }
          if isNew { answers.put(.ownTextProgress(progress)) }
          return !cancel.isSet
        }
        switch result {
        case .success(let plan):
          // Remembering is a convenience: an unwritable state folder does not stop the run.
          try? choices.remember(in: folders)
          return .ownTextOpened(.success(plan))
        case .failure(let failure):
          return .ownTextOpened(.failure(OwnTextError(message: "\(failure)", isCancelled: cancel.isSet)))
        }
      }
    case .cancelOwnText:
      ownTextCancel?.set()
      ownTextCancel = nil
    case .loadPredictions:
      return [predictions.perform(.load)]
    case .recordPrediction(let key, let outcome):
      return [predictions.perform(.record(key, outcome))]
    case .savePredictionsEnabled(let enabled):
      return [predictions.perform(.setEnabled(enabled))]
    case .push, .pop, .close, .showHelp, .redraw, .quit:
      break
    }
    return []
  }

  /// The new snapshots (one read per session) and the predictions that arrived since the last poll.
  func poll() -> [Message] {
    var messages: [Message] = []
    for (id, session) in sessions.sorted(by: { $0.key.raw < $1.key.raw }) {
      let snapshot = session.snapshot
      guard snapshot.version != versions[id] else { continue }
      versions[id] = snapshot.version
      if let tokenizer = snapshot.tokenizer { tokenizers[id] = tokenizer }
      messages.append(.snapshot(id, snapshot))
    }
    messages += answers.takeAll()
    let predictions = arrived.takeAll()
    messages += predictions.filter { sessions[$0.0] != nil }.map { Message.prediction($0.0, $0.1) }
    messages += guesses.takeAll().filter { sessions[$0.0] != nil }.map { Message.guessScores($0.0, $0.1) }
    messages += maps.takeAll().filter { sessions[$0.0] != nil }.map { Message.embeddingMap($0.0, $0.1) }
    messages += replays.takeAll().filter { sessions[$0.0] != nil }.map { Message.mergeReplay($0.0, $0.1) }
    messages += saves.takeAll().filter { sessions[$0.0] != nil }.map { Message.saved($0.0, $0.1) }
    return messages
  }

  /// Does `work` off the main thread; its answer is delivered at the next poll.
  private func inBackground(_ work: @escaping @Sendable () -> Message) {
    let answers = self.answers
    background.async { answers.put(work()) }
  }

  /// Blocks until every session has served its commands and the background work is done (tests, before a frame).
  func waitUntilIdle() {
    for session in sessions.values { session.waitUntilIdle() }
    background.sync {}
  }

  func stopAll() {
    for session in sessions.values { session.stop() }
  }
}

/// Answers (predictions, saves) handed from the sessions' queues to the main thread.
private final class Arrivals<Value: Sendable>: Sendable {
  private let list = Locked<[(SessionID, Value)]>([])

  func put(_ arrival: (SessionID, Value)) { list.withLock { $0.append(arrival) } }
  func takeAll() -> [(SessionID, Value)] { list.withLock { list in defer { list = [] }; return list } }
}

/// Messages answered off the main thread, handed to it at the next poll.
/// A flag work off the main thread checks to stop early.
final class CancelFlag: Sendable {
  private let flag = Locked(false)
  func set() { flag.withLock { $0 = true } }
  var isSet: Bool { flag.withLock { $0 } }
}

private final class Answers: Sendable {
  private let list = Locked<[Message]>([])

  func put(_ message: Message) { list.withLock { $0.append(message) } }
  func takeAll() -> [Message] { list.withLock { list in defer { list = [] }; return list } }
}
