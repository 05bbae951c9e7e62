import Curriculum
import TermUI
import Training

/// Predict first: the lesson view's wiring of its question part.
extension LessonScreen {
  /// The key the score is kept under: lesson and language, as the check's answers.
  var predictionKey: String { ExerciseRecords.key(lessonID: plan.id, language: language) }

  /// The question part's keys first; while a question waits they claim their keys from the lesson's own.
  func withPredictKeys(_ L: Localized, _ own: [KeyBinding<Action>]) -> [KeyBinding<Action>] {
    let part = predict.keys(L).map { $0.map(Action.predict) }
    let claimed = Set(part.flatMap(\.keys))
    let rest = own.compactMap { binding -> KeyBinding<Action>? in
      let kept = zip(binding.keys, binding.actions).filter { !claimed.contains($0.0) }
      if kept.count == binding.keys.count { return binding }
      return kept.isEmpty ? nil : KeyBinding(kept, shown: binding.shown, label: binding.label, help: binding.help, priority: binding.priority)
    }
    return part + rest
  }

  /// An action of the question part: an answer, a skip, a hint, `P`.
  mutating func performPredict(_ action: PredictPart.Action) -> [Effect] {
    let L = Localized(language)
    switch predict.perform(action, language: language) {
    case .nothing:
      return []
    case .toggled:
      note = predict.isOn ? L.questionsOn : L.questionsOff
      return [.savePredictionsEnabled(predict.isOn)]
    case .answered(let place, let outcome):
      let save = outcome.map { [Effect.recordPrediction(predictionKey, $0)] } ?? []
      guard place == .run else { return save }
      if predict.runAnswer != nil { note = L.bigramPending }
      return save + startRun()
    }
  }

  /// After a stepping key: space and a stage's number ask before the picture (now, or when the
  /// step they took arrives); `s` and enter do not.
  mutating func afterStepping(_ action: LessonAction) {
    guard action.steps else { return }
    predict.asksOnArrival = if case .jump = action { true } else { action == .next }
    if predict.asksOnArrival, pendingStage == nil { askBeforeShowing() }
  }

  /// Asks before the current stage's picture, when the learner walks a paused iteration by hand.
  mutating func askBeforeShowing() {
    guard snapshot.state == .paused, watch.historyStep == nil, let stage, let trace = snapshot.trace,
      let tokenizer = snapshot.tokenizer
    else { return }
    let maker = QuestionMaker(trace: trace, tokenizer: tokenizer, focus: focus, reference: snapshot.reference, language: language)
    let authored = plan.predictions[.stage(stage)]
    predict.ask(stage, step: trace.step) {
      authored.map { StageQuestion(authored: $0, step: trace.step) } ?? maker.question(for: stage)
    }
  }

  /// The stage stepped to has its trace: it asks if space or a number key took the step.
  mutating func arrivedAt(_ stage: Stage, step: Int) {
    if predict.asksOnArrival {
      askBeforeShowing()
    } else {
      predict.markShown(stage, step: step)
    }
  }

  /// Before the first run of a lesson whose run pauses at milestones: when will validation pass the bigram line?
  mutating func askBeforeRun() -> Bool {
    if predict.dropRunQuestion() { return false }
    guard predict.isOn, !predict.hasAskedRun, predict.waiting == nil, watch.historyStep == nil else { return false }
    if let authored = plan.predictions[.run] {
      predict.askBeforeRun(StageQuestion(authored: authored, step: 0))
      return true
    }
    let bigram = snapshot.reference.bigram
    guard !plan.pauseAt.isEmpty, bigram > 0, snapshot.trace != nil || snapshot.step == 0,
      !snapshot.milestones.contains(where: { $0.kind == .bigram })
    else { return false }
    predict.askBeforeRun(.bigramStep(reference: snapshot.reference, language: language))
    return true
  }

  /// `r` from a pause: the run goes on (from the first stage's view if none is shown).
  mutating func startRun() -> [Effect] {
    if stage == nil { stage = Stage.first; pendingStage = nil }
    return [.run(session)]
  }

  /// Once validation has passed the bigram line, marks the answer given before the run.
  mutating func markRunPrediction() -> [Effect] {
    guard predict.runAnswer != nil, let milestone = snapshot.milestones.first(where: { $0.kind == .bigram }),
      let result = predict.resolveRun(bigramAt: milestone.step)
    else { return [] }
    let L = Localized(language)
    let mark = result.outcome == .right ? L.right : L.wrong(truth: result.question.truthText)
    note = "\(mark) · \(L.yourAnswer(result.response ?? "")) — \(L.bigramWhy(step: milestone.step))"
    return [.recordPrediction(predictionKey, result.outcome == .right ? .right : .wrong)]
  }

  /// The remembered choice and this lesson's score; a problem with the file is said once, in the note line.
  mutating func takePredictions(_ book: PredictionBook, problem: String?) {
    if predict.isOn != book.enabled {
      predict.isOn = book.enabled
      if !book.enabled { predict.waiting = nil }
    }
    predict.score = book.scores[predictionKey] ?? predict.score
    if let problem { note = problem }
  }

  /// The running score for the status line, once questions are on or anything was answered.
  var predictionScoreText: String? {
    predict.isOn || predict.score.answered > 0 ? Localized(language).predicted(predict.score) : nil
  }

  /// Draws a waiting stage question in place of the picture, or the last answer's mark above it.
  ///
  /// Returns the area left for the picture, or nil when the question takes it.
  func renderPrediction(in area: Rect, buffer: inout Buffer, theme: Theme) -> Rect? {
    if let question = predict.waiting, question.place != .run {
      PredictView(question: question, part: predict, language: language).render(in: area, buffer: &buffer, theme: theme)
      return nil
    }
    guard let result = predict.result, let stage, result.question.place == .stage(stage), !isShowingFormula else { return area }
    return PredictResultView(result: result, language: language, shownStep: shownTrace?.step).render(in: area, buffer: &buffer, theme: theme)
  }

  /// A waiting run question, over whichever panel is shown.
  func renderRunQuestion(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard let question = predict.waiting, question.place == .run else { return }
    let box = area.inset(left: 2, right: 2).centered(Size(width: min(72, area.width - 4), height: min(area.height, PredictView.height(question, width: 66) + 2)))
    buffer.fill(box)
    let L = Localized(language)
    let inner = Frame(title: "\(L.predictTitle) · \(L.liveRun)", isFocused: true, clearsInterior: true).render(in: box, buffer: &buffer, theme: theme)
    PredictView(question: question, part: predict, language: language, showsTitle: false).render(in: inner.inset(left: 1, right: 1), buffer: &buffer, theme: theme)
  }
}
