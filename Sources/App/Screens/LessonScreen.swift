import Curriculum
import Foundation
import TermUI
import Training

/// Which view fills the lesson's main area.
enum Panel: Sendable, CaseIterable {
  case stage, dashboard
}

/// What the lesson screen is doing beyond showing the run: one mode at a time, each a part with its own state and keys.
enum LessonMode {
  /// The stage's picture (or the dashboard).
  case watching
  /// `f`: the stage's math in place of its picture.
  case formula(FormulaView)
  /// `a` on the logits stage: the model's guesses in place of the distribution.
  case guesses(GuessView)
  /// `p`: the prompt box over the main area; it takes the keys.
  case prompt(PromptBox)
  /// Leaving a run worth keeping: the question takes the keys.
  case confirmingQuit(QuitConfirmation)
}

/// One open lesson: the stage the learner is on, what the views focus on, the session's latest snapshot.
///
/// Its parts (`LessonMode`, `WatchControls`) own their state and keys; this type lists
/// their bindings wrapped in `Action` and hands each part its actions.
struct LessonScreen: Screen {
  let plan: LessonPlan
  let session: SessionID
  /// The session's latest snapshot: the one the screen draws and decides from.
  var snapshot: SessionSnapshot
  var stage: Stage?
  /// The stage to show once a newer trace than `awaitedAfter` arrives.
  var pendingStage: Stage?
  var awaitedAfter = 0
  var focus = Focus()
  var panel: Panel = .stage
  var mode: LessonMode = .watching
  var watch = WatchControls()
  /// A line shown in place of the footer until the next key (where a checkpoint was saved).
  var note: String?
  /// The step last saved, so quitting asks only about training not yet kept.
  var savedStep: Int?
  var lastTraceStep = 0
  /// The learner's upper bound from their last guessing game, in nats: the loss plot's "you" line.
  var youNats: Double?
  /// The child screens opened so far (the check is offered at the end of the stages only if not).
  var opened: Set<LessonChild> = []
  /// The screens opened with a key of their own: `LessonChildren.all`, and in tests one more.
  var children: [any LessonChildScreen.Type]
  /// The question asked before each stage's picture, and the score.
  var predict = PredictPart()

  init(plan: LessonPlan, session: SessionID = .next(), children: [any LessonChildScreen.Type] = LessonChildren.all) {
    self.plan = plan
    self.session = session
    self.children = children
    snapshot = .initial(plan.run)
  }

  var sessions: [SessionID] { [session] }
  var takesText: Bool { if case .prompt(let box) = mode { box.isEditing } else { false } }
  var language: Language { plan.language }

  /// The open prompt box, if any.
  var prompt: PromptBox? { if case .prompt(let box) = mode { box } else { nil } }
  /// True while the screen asks whether to keep the run before closing.
  var isConfirmingQuit: Bool { if case .confirmingQuit = mode { true } else { false } }
  /// The guesses shown on the logits stage, if any.
  var guessRows: GuessRows? { if case .guesses(let view) = mode { view.rows } else { nil } }

  /// What the parts read of the lesson.
  var context: LessonContext {
    LessonContext(plan: plan, session: session, snapshot: snapshot, stage: stage, focus: focus, shownTrace: shownTrace)
  }

  var watchContext: WatchContext {
    // Before the first stage the stage view never folds the introduction (see its layout); the dashboard does.
    WatchContext(
      sessions: [session], snapshot: snapshot, language: language, pagesHistory: true,
      narrativeStartsWhole: (stage == nil && panel == .stage) || watch.startsWhole)
  }

  /// The trace the stage views show: a recorded one while paging through history, else the live one.
  var shownTrace: StepTrace? {
    if let step = watch.historyStep, let recorded = snapshot.history.trace(atStep: step) { return recorded }
    return snapshot.trace
  }

  func start() -> [Effect] {
    [
      .startSession(session, SessionRequest(configuration: plan.run, prompt: plan.prompt, label: plan.id, checkpoint: plan.checkpoint)),
      .setPace(session, plan.pace), .pauseAt(session, Set(plan.pauseAt)), .loadPredictions,
    ]
  }

  /// Each part's actions, wrapped: the compiler checks that `perform` hands every one on.
  enum Action: Hashable, CaseIterable {
    case lesson(LessonAction)
    case focus(FocusKeys.Action)
    case watch(WatchControls.Action)
    case prompt(PromptBox.Action)
    case confirm(QuitConfirmation.Action)
    case formula(FormulaView.Action)
    case guesses(GuessView.Action)
    case predict(PredictPart.Action)

    static var allCases: [Action] {
      LessonAction.allCases.map(Action.lesson) + FocusKeys.Action.allCases.map(Action.focus)
        + WatchControls.Action.allCases.map(Action.watch) + PromptBox.Action.allCases.map(Action.prompt)
        + QuitConfirmation.Action.allCases.map(Action.confirm) + FormulaView.Action.allCases.map(Action.formula)
        + GuessView.Action.allCases.map(Action.guesses) + PredictPart.Action.allCases.map(Action.predict)
    }
  }

  mutating func perform(_ action: Action) -> [Effect] {
    note = nil
    let context = self.context
    switch action {
    case .lesson(let action):
      return performLesson(action)
    case .focus(let action):
      FocusKeys.perform(action, on: &focus, length: shownTrace?.length ?? plan.run.context, run: plan.run)
      return refreshParts()
    case .watch(let action):
      let outcome = watch.perform(action, watchContext)
      switch action {
      case .historyBack, .historyForward: if outcome.note == nil, stage == nil { stage = Stage.first }
      case .restart: (stage, pendingStage) = (nil, nil)
      case .slower, .faster, .axis, .narrative: break
      }
      return apply(outcome) + refreshParts()
    case .prompt(let action):
      guard case .prompt(var box) = mode else { return [] }
      let outcome = box.perform(action, context)
      mode = .prompt(box)
      return apply(outcome)
    case .confirm(let action):
      guard case .confirmingQuit(let question) = mode else { return [] }
      return apply(question.perform(action, context))
    case .formula(let action):
      guard case .formula(var view) = mode else { return [] }
      let outcome = view.perform(action, context)
      mode = .formula(view)
      return apply(outcome)
    case .guesses(let action):
      guard case .guesses(var view) = mode else {
        var view = GuessView()
        let effects = view.refresh(context)
        mode = .guesses(view)
        return effects
      }
      let outcome = view.perform(action, context)
      mode = .guesses(view)
      return apply(outcome)
    case .predict(let action):
      return performPredict(action)
    }
  }

  /// Carries out what a part asked: its effects, its note, closing it.
  private mutating func apply(_ outcome: PartOutcome) -> [Effect] {
    if outcome.closes { mode = .watching }
    if let line = outcome.note { note = line }
    return outcome.effects
  }

  /// Brings the open part up to date with what the views show (another step, stage, row or recorded step).
  mutating func refreshParts() -> [Effect] {
    let context = self.context
    switch mode {
    case .formula(var view):
      let effects = view.refresh(context)
      mode = .formula(view)
      return effects
    case .guesses(var view):
      let effects = view.refresh(context)
      mode = .guesses(view)
      return effects
    case .watching, .prompt, .confirmingQuit:
      return []
    }
  }

  mutating func receive(_ message: Message) -> [Effect] {
    switch message {
    case .snapshot(_, let snapshot):
      absorb(snapshot)
      return refreshParts() + markRunPrediction()
    case .predictions(let book, let problem):
      takePredictions(book, problem: problem)
    case .prediction(_, let prediction):
      guard case .prompt(var box) = mode, let prediction else { return [] }
      box.receive(prediction)
      mode = .prompt(box)
    case .saved(_, let result):
      noteSaved(result)
    case .sampled(_, let token):
      guard case .prompt(var box) = mode else { return [] }
      let effects = box.appendSampled(token, context)
      mode = .prompt(box)
      return effects
    case .key(.char(let c)):
      guard case .prompt(var box) = mode else { return [] }
      box.type(c)
      mode = .prompt(box)
    case .formulaReplay(_, let step, let result):
      guard case .formula(var view) = mode else { return [] }
      view.receive(step: step, result)
      mode = .formula(view)
    case .guessRows(_, let step, let guessMode, let rows):
      guard case .guesses(var view) = mode else { return [] }
      view.receive(step: step, mode: guessMode, rows)
      mode = .guesses(view)
    case .childResult(.gamePlayed(let result)):
      // The learner's upper bound, bits → nats: the loss plot's "you" line.
      if result.youUpperBits > 0 { youNats = result.youUpperBits * M_LN2 }
    case .mouse(let mouse, let hits):
      return receiveMouse(mouse, over: hits)
    case .resize(let size):
      watch.terminalRows = size.height
    case .key, .tick, .exerciseAnswer, .exerciseSaveFailed, .uncovered, .quizHistory, .quizSaved, .gameResults,
      .gameSaved, .playground, .ownTextProgress, .ownTextOpened, .guessScores, .embeddingMap, .mergeReplay:
      // Other screens' answers, other keys, ticks and resizes change nothing here.
      break
    }
    return []
  }

  /// Takes a new snapshot: shows the pending stage once its trace is there, keeps the focus on a labelled position.
  private mutating func absorb(_ new: SessionSnapshot) {
    let wasPausedAtMilestone = snapshot.pausedAt.flatMap { plan.narrative(for: $0.kind) } != nil
    snapshot = new
    let isPausedAtMilestone = new.pausedAt.flatMap { plan.narrative(for: $0.kind) } != nil
    if isPausedAtMilestone != wasPausedAtMilestone { watch.notePause(atMilestone: isPausedAtMilestone) }
    if let pending = pendingStage, let trace = new.trace, trace.step > awaitedAfter {
      stage = pending
      pendingStage = nil
      arrivedAt(pending, step: trace.step)
    }
    if let trace = new.trace, trace.step != lastTraceStep {
      lastTraceStep = trace.step
      focus.position = min(focus.position, trace.length - 1)
      // MLM labels only picked positions: keep the focus on one, so the views have a target.
      let labels = trace.batch.labels(row: focus.row)
      if trace.objective == .mlm, labels[labels.startIndex + focus.position] < 0,
        let picked = labels.firstIndex(where: { $0 >= 0 })
      {
        focus.position = picked - labels.startIndex
      }
    }
  }
}

extension SessionSnapshot {
  /// What a session publishes before its data is loaded: a screen draws this until the first snapshot arrives.
  static func initial(_ configuration: RunConfiguration) -> SessionSnapshot {
    SessionSnapshot(
      learningRate: configuration.learningRate, reference: LossReference(uniform: 0, unigram: 0, bigram: 0), configuration: configuration)
  }
}

/// Opening a lesson: the step-through, or for a compare lesson the two sides.
enum LessonScreens {
  static func open(_ plan: LessonPlan) -> any Screen {
    plan.isComparison ? CompareScreen(plan: plan) : LessonScreen(plan: plan)
  }
}
