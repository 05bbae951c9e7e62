import Foundation
import Curriculum
import Synchronization
import TermUI
import Training

/// Names one training session the runner owns; screens hold ids, never sessions.
struct SessionID: Hashable, Sendable, CustomStringConvertible {
  let raw: Int

  /// A fresh id, unique in this process.
  static func next() -> SessionID {
    SessionID(raw: counter.add(1, ordering: .relaxed).newValue)
  }

  private static let counter = Atomic<Int>(0)

  var description: String { "session \(raw)" }
}

/// Something that happened, delivered to the screens by the router.
///
/// Keys come from the terminal; snapshots, predictions and samples are the runner's
/// answers to effects, delivered to the screen that owns the session.
enum Message: Sendable {
  case key(Key)
  /// A click or the wheel, with the hotspots under the pointer in the frame the learner saw (topmost first).
  case mouse(MouseEvent, [Hotspot])
  /// The loop polled and found no input; the runner has delivered any new snapshots first.
  case tick
  case resize(Size)
  /// A session published a new snapshot (its version changed since the last one delivered).
  case snapshot(SessionID, SessionSnapshot)
  /// The distribution asked for with `Effect.predict`; nil when the session could not compute it.
  case prediction(SessionID, Prediction?)
  /// The replay `Effect.replayFormula` asked for (of the trace of `step`), or why the trace cannot be replayed.
  case formulaReplay(SessionID, step: Int, Result<FormulaReplay, FormulaReplayError>)
  /// The guesses `Effect.guessRows` asked for; nil when free running lacks the trace's weights.
  case guessRows(SessionID, step: Int, GuessMode, GuessRows?)
  /// The token drawn by `Effect.sample`.
  case sampled(SessionID, Int32)
  /// Where `Effect.saveCheckpoint` wrote the model, or why it could not.
  case saved(SessionID, Result<URL, CheckpointSaveError>)
  /// The remembered answer asked for with `Effect.loadExerciseAnswer` (nil: never answered).
  case exerciseAnswer(String, ExerciseAnswer?)
  /// The answer could not be remembered, or an unreadable answers file was moved aside to save it.
  case exerciseSaveFailed(ExerciseSaveProblem)
  /// The screen is on top again: the one above it closed (the browser re-reads the quiz's scores).
  case uncovered
  /// The course quiz's takes in one language, asked for with `Effect.loadQuizHistory`; `problem`: the file could not be read.
  case quizHistory(QuizHistory, problem: String?)
  /// A take of the quiz was saved (`note`: an unreadable file moved aside first), or could not be (`failure`).
  case quizSaved(note: String?, failure: String?)
  /// The lesson's saved guessing games, oldest first (`Effect.loadGameResults`).
  case gameResults([GameResult])
  /// The game was saved (with a line when an unreadable results file was moved aside first), or why it could not be.
  case gameSaved(Result<String?, UserFoldersError>)
  /// The bundled corpora's file names, the form's remembered choices and the folder a relative
  /// path is read from (`Effect.loadPlayground`).
  case playground(corpora: [String], choices: PlaygroundChoices, folder: String = "")
  /// How far reading and tokenizing the form's corpus got (`Effect.openOwnText`).
  case ownTextProgress(CorpusProgress)
  /// The lesson on the learner's own text, or train's one-line error about it (`Effect.openOwnText`).
  case ownTextOpened(Result<LessonPlan, OwnTextError>)
  /// The result a child screen closed with (`Effect.close`), delivered to the screen now on top.
  case childResult(ScreenResult)
  /// What `Effect.scoreGuesses` asked for; nil when the session has no causal model.
  case guessScores(SessionID, GuessingScores?)
  /// What `Effect.embeddingMap` asked for; nil when the session has no model yet.
  case embeddingMap(SessionID, Result<EmbeddingMap, EmbeddingMapProblem>?)
  /// What `Effect.mergeReplay` asked for; nil when the session's tokenizer is not BPE (or it has no model).
  case mergeReplay(SessionID, MergeReplay?)
  /// The prediction scores and whether questions are on, to every screen; `problem` is one line
  /// when the file could not be read (it was moved aside) or written.
  case predictions(PredictionBook, problem: String?)
}

/// Why a run on the learner's own text cannot start: `train`'s one-line error, shown under the corpus.
struct OwnTextError: Error, Sendable, Equatable {
  let message: String
  /// The learner stopped the loading (esc): nothing to show.
  var isCancelled = false
}

/// What went wrong keeping an exercise answer; the description is the one line the check shows.
enum ExerciseSaveProblem: Equatable, CustomStringConvertible {
  /// Saved, after the unreadable answers file was moved aside: the store's note naming both files.
  case movedAside(note: String)
  /// Not saved: the state folder or file could not be written.
  case failed(UserFoldersError)

  var description: String {
    switch self {
    case .movedAside(let note): note
    case .failed(let error): error.description
    }
  }
}
