import Curriculum
import Foundation
import Training

/// What the app needs of a lesson: its texts and the run it trains.
public struct LessonPlan: Sendable {
  public var id: String
  public var title: String
  public var summary: String
  public var language: Language
  /// The objective's run; for a compare lesson, the CLM side (the MLM side mirrors it).
  public var run: RunConfiguration
  /// True for lessons that compare CLM and MLM side by side.
  public var isComparison: Bool
  /// The stages the lesson dwells on (marked in the stage bar).
  public var focusStages: [Stage]
  public var prompt: String
  /// The lesson's own narrative, per section.
  public var sections: [NarrativeSection: String]
  /// Where the lesson came from, for messages.
  public var source: String
  /// A checkpoint the run goes on from (`learn --checkpoint`), instead of a fresh model.
  public var checkpoint: URL?
  /// How fast the run steps when it runs.
  public var pace: Pace
  /// Where the run pauses by itself and shows that milestone's section.
  public var pauseAt: [MilestoneKind]
  /// The questions the lesson closes with, one per `## check`, asked in order.
  public var exercises: [Exercise] = []
  /// The first of them, if the lesson has a check.
  public var exercise: Exercise? {
    get { exercises.first }
    set { exercises = newValue.map { [$0] } ?? [] }
  }
  /// The lesson's own questions before a stage or the run (`## predict …`); the others are made from the trace.
  public var predictions: [AuthoredPrediction.Place: AuthoredPrediction] = [:]

  public init(
    id: String, title: String, summary: String, language: Language, run: RunConfiguration,
    isComparison: Bool = false, focusStages: [Stage] = Stage.allCases, prompt: String = "",
    sections: [NarrativeSection: String] = [:], source: String = "", pace: Pace = .max, pauseAt: [MilestoneKind] = []
  ) {
    self.id = id
    self.title = title
    self.summary = summary
    self.language = language
    self.run = run
    self.isComparison = isComparison
    self.focusStages = focusStages
    self.prompt = prompt
    self.sections = sections
    self.source = source
    self.pace = pace
    self.pauseAt = pauseAt
  }

  /// The narrative for a stage: the lesson's own, else the built-in one.
  public func narrative(for stage: Stage) -> String {
    let descriptor = stage.descriptor
    return sections[.stage(stage)] ?? descriptor.narrative.text(masked: run.objective == .mlm, language: language)
  }

  public var intro: String { sections[.intro] ?? summary }

  /// What checkpoints saved from this lesson are named after: the lesson id, or for the
  /// learner's own text (and a reopened checkpoint) the title, which names the file.
  public var saveName: String {
    if let checkpoint {
      // Saved again, it keeps its name and takes the new step: notes-step120 → notes-step300.
      let stem = checkpoint.deletingPathExtension().lastPathComponent
      return stem.replacingOccurrences(of: #"-step\d+(-\d+)?$"#, with: "", options: .regularExpression)
    }
    return id == Lesson.ownTextID ? title : id
  }
  public var runText: String? { sections[.run] }

  /// What the lesson says at a milestone its run paused at.
  public func narrative(for milestone: MilestoneKind) -> String? { sections[.milestone(milestone)] }
}

/// A section of narrative a lesson may write (`## intro`, `## labels`, `## run`, `## at best`):
/// the checks and questions are sections too, but not narrative, and have types of their own.
public enum NarrativeSection: Hashable, Sendable {
  /// Before the first iteration.
  case intro
  /// Beside a stage's picture.
  case stage(Stage)
  /// While the run trains.
  case run
  /// When the run pauses at a milestone.
  case milestone(MilestoneKind)

  /// The section a lesson file names `name`; nil for sections that are not narrative.
  public init?(name: String) {
    if name == "intro" {
      self = .intro
    } else if name == "run" {
      self = .run
    } else if let stage = Stage(rawValue: name) {
      self = .stage(stage)
    } else if let milestone = MilestoneKind.allCases.first(where: { $0.sectionName == name }) {
      self = .milestone(milestone)
    } else {
      return nil
    }
  }
}

extension LessonPlan {
  /// The plan of a loaded lesson file; its corpus resolved against `corporaDirectory`.
  public init(lesson: Lesson, corporaDirectory: URL?) {
    let model = lesson.model
    let run = RunConfiguration(
      corpus: lesson.corpusPath(corporaDirectory: corporaDirectory),
      objective: lesson.objective == .mlm ? .mlm : lesson.objective == .sft ? .sft : .clm,
      tokenizer: lesson.tokenizer, bpeMerges: lesson.bpeMerges,
      layers: model.layers, heads: model.heads, dim: model.dim, context: model.context, batch: model.batch,
      optimizer: lesson.optimizer == .sgd ? .sgd : .adamw,
      learningRate: Float(lesson.learningRate), warmupSteps: lesson.warmupSteps, seed: lesson.seed,
      base: lesson.baseCorpus.flatMap { corpus in
        lesson.baseSteps.map { BaseRun(corpus: Lesson.resolveCorpus(corpus, lessonURL: lesson.url, corporaDirectory: corporaDirectory), steps: $0) }
      })
    var sections: [NarrativeSection: String] = [:]
    for section in lesson.sections {
      if let key = NarrativeSection(name: section.name) { sections[key] = section.text }
    }
    self.init(
      id: lesson.id, title: lesson.title, summary: lesson.summary, language: lesson.language, run: run,
      isComparison: lesson.objective == .compare, focusStages: lesson.stages, prompt: lesson.prompt ?? "",
      sections: sections, source: lesson.url.relativePath, pace: lesson.pace, pauseAt: lesson.pauseAt)
    exercises = lesson.exercises
    predictions = lesson.predictions
  }
}
