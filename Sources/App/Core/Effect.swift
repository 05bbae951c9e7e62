import Foundation
import Curriculum
import Model
import Training

/// What a session is started with.
struct SessionRequest {
  var configuration: RunConfiguration
  /// The text the running session's live sample continues.
  var prompt: String
  /// Names the session's queue (for debugging).
  var label: String
  /// A checkpoint to go on training from (its own run replaces `configuration`).
  var checkpoint: URL? = nil
}

/// A side effect a screen asks for instead of performing it.
///
/// The router carries out the navigation effects (push, pop, help); the runner the
/// session ones, answering with messages (snapshots, predictions, samples).
enum Effect {
  // Sessions (the runner).
  case startSession(SessionID, SessionRequest)
  /// The sessions train in lockstep: while running, neither gets ahead of the other.
  case lockstep([SessionID])
  case step(SessionID)
  case run(SessionID)
  case pause(SessionID)
  /// Rebuilds the model from its seed, with the session's current learning rate; the run so far stays as the previous run.
  case reset(SessionID)
  case setLearningRate(SessionID, Float)
  case setPace(SessionID, Pace)
  /// The milestones at which the running session pauses by itself.
  case pauseAt(SessionID, Set<MilestoneKind>)
  /// The next-token distribution after `tokens` (CLM) or at their first mask (MLM): answered by `.prediction`.
  case predict(SessionID, tokens: [Int32])
  /// Draws one ordinary token from softmax(logits/T) over the kept tokens: answered by `.sampled`.
  case sample(SessionID, logits: [Float], controls: SamplingControls)
  /// The model's scores of validation positions for the guessing game (and the text, first): answered by `.guessScores`.
  case scoreGuesses(SessionID, positions: [Int], withText: Bool)
  /// Projects the session's token embeddings (PCA, aligned to the request's axes): answered by `.embeddingMap`.
  case embeddingMap(SessionID, EmbeddingMapRequest)
  /// The replay of the session's BPE merges on its corpus: answered by `.mergeReplay`.
  case mergeReplay(SessionID)
  /// Starts the run again from step 0 with another number of BPE merges (a new vocabulary, a new model).
  case restartWithMerges(SessionID, Int)
  /// Starts a fine-tuning run again from its base with the prompt masked (true) or labelled too (false).
  case restartWithMask(SessionID, Bool)
  case stopSession(SessionID)
  /// Replays the trace's forward pass on its weights before the step (the formula view's q, k, v): answered by `.formulaReplay`.
  case replayFormula(SessionID, StepTrace)
  /// The model's top guesses for one batch row of the trace, teacher-forced or free-running: answered by `.guessRows`.
  case guessRows(SessionID, StepTrace, GuessMode, row: Int)
  /// Saves the session's model now as `name-stepN.safetensors` in the learner's data folder: answered by `.saved`.
  case saveCheckpoint(SessionID, name: String)

  // The learner's state (the runner).
  /// Reads the remembered answer to an exercise: answered by `.exerciseAnswer`.
  case loadExerciseAnswer(String)
  /// Remembers an answer to an exercise; a failure is answered by `.exerciseSaveFailed`.
  case saveExerciseAnswer(String, response: String, isRight: Bool)
  /// Reads the prediction scores and whether questions are on: answered by `.predictions`.
  case loadPredictions
  /// Counts one more question in a lesson's prediction score (key as `ExerciseRecords.key`): answered by `.predictions`.
  case recordPrediction(String, PredictionOutcome)
  /// Remembers whether questions are on (`P`): answered by `.predictions`.
  case savePredictionsEnabled(Bool)

  /// Reads the quiz's takes in a language: answered by `.quizHistory`.
  case loadQuizHistory(Language)
  /// Keeps a finished take of the quiz, with its date: answered by `.quizSaved`.
  case saveQuizTake(QuizTake, Language)

  /// Reads the lesson's saved guessing games: answered by `.gameResults`.
  case loadGameResults(lesson: String)
  /// Appends a finished game to its lesson's results: answered by `.gameSaved`.
  case saveGameResult(GameResult)

  /// Lists the bundled corpora and reads the choices remembered from last time: answered by `.playground`.
  case loadPlayground
  /// Checks the corpus and the run chosen in the form, remembers the choices: answered by
  /// `.ownTextProgress` while reading and tokenizing, then `.ownTextOpened`.
  case openOwnText(PlaygroundChoices, Language)
  /// Stops the reading and tokenizing `openOwnText` started (its `.ownTextOpened` then says it was cancelled).
  case cancelOwnText

  // Navigation (the router).
  /// Opens a screen on top of the current one; its `start()` effects run.
  case push(any Screen)
  /// Closes the current screen and stops its sessions; closing the last one quits.
  case pop
  /// Closes the current screen like `pop`, and hands its result to the screen below as `Message.childResult`.
  case close(ScreenResult)
  /// Shows the current screen's keys over it, until the next key.
  case showHelp
  /// Asks for a frame although no session changed (a screen's own animation).
  case redraw
  /// Leaves the app.
  case quit
}

/// What a child screen hands back to the screen that opened it when it closes.
enum ScreenResult {
  /// The guessing game was played: its score (the lesson draws the learner's line on the loss plot).
  case gamePlayed(GameResult)
}
