@testable import App
import Curriculum
import Foundation
import TermUI
import TestSupport
import Testing
import Training

/// Watching a run on the lesson screen: pace, history, restart, milestones and the previous run, by hand-built snapshots.
@Suite struct WatchScreenTests {
  /// A dashboard two thousand steps in: milestones reached, a learning-rate change, and the run before a restart behind it.
  func watchedScreen(language: Language) throws -> (LessonScreen, LessonFixture) {
    let fixture = try LessonFixture()
    var plan = fixture.plan(language: language)
    plan.sections[.run] = language == .en
      ? "The loss falls from ln V; watch validation. It passes the unigram line, then the bigram line; val then rises while train keeps falling."
      : "损失从 ln V 开始下降；留意验证损失。"
    plan.sections[.milestone(.best)] = language == .en
      ? "Validation loss was lowest at the star and has risen since: the model is memorising. `train --best-out` keeps that step."
      : "验证损失在星号处最低，之后回升：模型在死记。`train --best-out` 会保留那一步。"
    var screen = LessonScreen(plan: plan)
    var maker = try SnapshotMaker(plan.run)
    var snapshot = maker.stepped()
    let steps = 2000
    let reference = snapshot.reference
    func curve(_ step: Int, floor: Float, rise: Float) -> Float {
      let fall = reference.uniform * exp(-Float(step) / 120) + floor
      return fall + rise * max(0, Float(step - 700)) / 1000
    }
    snapshot.losses = (1...steps).map { curve($0, floor: reference.bigram * 0.7, rise: -0.1) }
    snapshot.validation = stride(from: 50, through: steps, by: 50).map { ($0, curve($0, floor: reference.bigram * 0.8, rise: 0.4)) }
    snapshot.step = steps
    snapshot.pace = .stepsPerSecond(10)
    snapshot.milestones = [
      Milestone(kind: .unigram, step: 150, loss: curve(150, floor: reference.bigram * 0.8, rise: 0.4), detectedAt: 150),
      Milestone(kind: .bigram, step: 300, loss: curve(300, floor: reference.bigram * 0.8, rise: 0.4), detectedAt: 300),
      Milestone(kind: .best, step: 700, loss: curve(700, floor: reference.bigram * 0.8, rise: 0.4), detectedAt: 1000),
    ]
    snapshot.pausedAt = snapshot.milestones[2]
    snapshot.learningRateChanges = [LearningRateChange(step: 1200, rate: 0.006)]
    snapshot.previousRun = PreviousRun(
      losses: (1...3000).map { curve($0, floor: reference.bigram * 0.9, rise: 0) },
      validation: stride(from: 50, through: 3000, by: 50).map { ($0, curve($0, floor: reference.bigram, rise: 0.1)) },
      milestones: [], learningRate: 0.0015, learningRateChanges: [])
    _ = screen.receive(.snapshot(screen.session, snapshot))
    _ = screen.perform(.lesson(.panel))
    return (screen, fixture)
  }

  @Test func aMilestoneTextSaysWhenTheRunsRateIsNotTheLessons() throws {
    let (changed, fixture) = try watchedScreen(language: .en)
    defer { fixture.remove() }
    let note = "This text describes the lesson's run at lr"
    #expect(changed.dashboardText?.contains("\(note) 0.003 throughout; this run's rate changed at step 1200") == true)
    var same = changed
    same.snapshot.learningRateChanges = []
    #expect(same.dashboardText?.contains(note) == false, "the lesson's own rate: its numbers hold")
    var restarted = same
    restarted.snapshot.learningRate = same.plan.run.learningRate * 2
    let text = try #require(restarted.dashboardText)
    #expect(text.contains(note) && text.contains("at lr \(Localized.rate(restarted.snapshot.learningRate)) the steps"))
  }

  /// A lesson twelve steps in, steps 2, 3, 5, 10 and 12 recorded, paced at 10/s.
  func screenWithHistory() throws -> (LessonScreen, LessonFixture) {
    let fixture = try LessonFixture()
    var screen = LessonScreen(plan: fixture.plan())
    var maker = try SnapshotMaker(screen.plan.run)
    var history = TraceHistory()
    var snapshot = maker.stepped()
    for _ in 1..<12 {
      snapshot = maker.stepped()
      if let trace = snapshot.trace { history.record(trace) }
    }
    snapshot.history = history
    snapshot.losses = (1...12).map { 3 - Float($0) / 10 }
    snapshot.pace = .stepsPerSecond(10)
    _ = screen.receive(.snapshot(screen.session, snapshot))
    return (screen, fixture)
  }

  @Test(arguments: Language.allCases)
  func theDashboardWithMilestonesAndAGhostMatchesItsGoldens(language: Language) throws {
    let (screen, fixture) = try watchedScreen(language: language)
    defer { fixture.remove() }
    for (width, height) in [(80, 24), (120, 40)] {
      let text = screen.rendered(width: width, height: height).joined(separator: "\n")
      if let mismatch = goldenMismatch(text, named: "dashboard-watch-\(language.rawValue)-\(width)x\(height)", in: goldenDirectory) {
        Issue.record(Comment(rawValue: mismatch))
      }
    }
    let wide = screen.rendered(width: 120, height: 40).joined(separator: "\n")
    #expect(wide.contains("★") && wide.contains("◆") && wide.contains("↕"))
    #expect(wide.contains(language == .en ? "pace 10/s" : "速度 10/s"))
    #expect(wide.contains(language == .en ? "steps (log)" : "步数（对数）"))
    #expect(wide.contains(language == .en ? "memorising" : "死记"), "the paused-at milestone's narrative")
  }

  @Test(arguments: Language.allCases)
  func milestoneLabelsNeverCoverTheReferenceLinesLabels(language: Language) throws {
    var (screen, fixture) = try watchedScreen(language: language)
    defer { fixture.remove() }
    let L = Localized(language)
    let reference = screen.snapshot.reference
    // The bigram milestone is also this run's newest step, on the bigram line at the right edge.
    screen.snapshot.milestones[1] = Milestone(kind: .bigram, step: 2000, loss: reference.bigram, detectedAt: 2000)
    for (width, height) in [(80, 24), (120, 40)] {
      let lines = screen.rendered(width: width, height: height)
      let top = try #require(lines.firstIndex { $0.contains("┌ \(L.lossPlotTitle)") })
      let plot = lines[top...].prefix { !$0.hasPrefix("└") }.joined(separator: "\n")
      for (label, value) in [(L.unigram, reference.unigram), (L.bigram, reference.bigram)] {
        #expect(plot.contains(" \(label) \(formatCompact(Double(value))) "), "\(label)'s line label, \(width)×\(height):\n\(plot)")
        #expect(plot.components(separatedBy: label).count - 1 >= 2, "the line's label and the milestone's, \(width)×\(height):\n\(plot)")
      }
      #expect(plot.contains(L.milestone(.best)), "\(width)×\(height):\n\(plot)")
    }
  }

  @Test func historyOnTheDashboardShowsThatStepsAttention() throws {
    var (screen, fixture) = try screenWithHistory()
    defer { fixture.remove() }
    _ = screen.press(.tab)
    #expect(screen.rendered().contains { $0.contains("attention, layer 1, step 12") })
    _ = screen.press(.char(","))
    let lines = screen.rendered()
    #expect(screen.panel == .dashboard)
    #expect(lines.contains { $0.contains("history · step 10") })
    #expect(lines.contains { $0.contains("attention, layer 1, step 10") }, "\(lines.joined(separator: "\n"))")
    #expect(lines.contains { $0.contains("▼10") || $0.contains("10▼") }, "the step is marked on the loss plot")
    _ = screen.press(.char("."))
    #expect(!screen.rendered().contains { $0.contains("▼") }, "live again: no mark")
  }

  @Test func lTogglesTheStepAxisBetweenRoundLogAndLinearTicks() throws {
    var (screen, fixture) = try watchedScreen(language: .en)
    defer { fixture.remove() }
    func tickRow() throws -> [String] {
      let lines = screen.rendered(width: 120, height: 40)
      let axis = try #require(lines.firstIndex { $0.contains("└┴") || $0.contains("│    └") })
      return lines[axis + 1].split(separator: "│")[0].split(separator: " ").map(String.init)
    }
    #expect(try tickRow() == ["1", "10", "100", "1k"], "two thousand steps: a log axis")
    _ = screen.perform(.watch(.axis))
    let linear = try tickRow()
    #expect(linear == ["0", "500", "1k", "1.5k", "2k"], "\(linear)")
    _ = screen.perform(.watch(.axis))
    #expect(try tickRow() == ["1", "10", "100", "1k"])
  }

  @Test func at80x24WithTheTextHiddenTheLossPlotHasTenRows() throws {
    var (screen, fixture) = try watchedScreen(language: .en)
    defer { fixture.remove() }
    var running = screen.snapshot
    running.pausedAt = nil
    _ = screen.receive(.snapshot(screen.session, running))
    let folded = screen.rendered(width: 80, height: 24)
    #expect(folded.contains { $0.contains("… (n: more)") }, "below 30 rows the text starts folded: \(folded)")
    _ = screen.perform(.watch(.narrative))
    let unfolded = screen.rendered(width: 80, height: 24).joined(separator: "\n")
    #expect(unfolded.contains("train keeps falling") && !unfolded.contains("(n: more)"), "n unfolds it first, as its hint says:\n\(unfolded)")
    _ = screen.perform(.watch(.narrative))
    let lines = screen.rendered(width: 80, height: 24)
    let top = try #require(lines.firstIndex { $0.contains("┌ loss") })
    let bottom = try #require(lines[(top + 1)...].firstIndex { $0.hasPrefix("└") })
    #expect(bottom - top - 1 >= 10, "\(lines.joined(separator: "\n"))")
    #expect(!lines.contains { $0.contains("watch validation") })
  }

  @Test func aMilestonePauseShowsItsTextThoughTheLearnerHidItAndHidesItAgainOnceTheRunGoesOn() throws {
    var (screen, fixture) = try watchedScreen(language: .en)
    defer { fixture.remove() }
    var snapshot = screen.snapshot
    snapshot.pausedAt = nil
    snapshot.state = .running
    _ = screen.receive(.snapshot(screen.session, snapshot))
    _ = screen.perform(.watch(.narrative))
    _ = screen.perform(.watch(.narrative))
    #expect(screen.watch.narrative == .hidden)
    #expect(!screen.rendered(width: 80, height: 24).contains { $0.contains("watch validation") })
    snapshot.pausedAt = snapshot.milestones[2]
    snapshot.state = .paused
    _ = screen.receive(.snapshot(screen.session, snapshot))
    let paused = screen.rendered(width: 80, height: 24).joined(separator: "\n")
    #expect(paused.contains("Validation loss was lowest") && paused.contains("(n: more)"), "the milestone's text, folded below 30 rows:\n\(paused)")
    let tall = screen.rendered(width: 120, height: 40).joined(separator: "\n")
    #expect(tall.contains("keeps that step"), "the whole text on a tall terminal:\n\(tall)")
    snapshot.pausedAt = nil
    snapshot.state = .running
    _ = screen.receive(.snapshot(screen.session, snapshot))
    #expect(screen.watch.narrative == .hidden, "hidden again once the run goes on")
    // n during the pause (unfolding the text) is the learner's choice, and stays.
    snapshot.pausedAt = snapshot.milestones[2]
    _ = screen.receive(.snapshot(screen.session, snapshot))
    _ = screen.perform(.watch(.narrative))
    snapshot.pausedAt = nil
    _ = screen.receive(.snapshot(screen.session, snapshot))
    #expect(screen.watch.narrative == .full)
  }

  @Test func inHistoryStageKeysMoveThroughTheRecordedStepAndStepKeysReturnToLive() throws {
    var (screen, fixture) = try screenWithHistory()
    defer { fixture.remove() }
    let id = screen.session.raw
    _ = screen.press(.char(","))
    #expect(screen.watch.historyStep == 10 && screen.stage == .tokenize)
    #expect(screen.press(.char("6")) == [])
    #expect(screen.stage == .loss && screen.watch.historyStep == 10, "a stage of the recorded step")
    #expect(screen.rendered().contains { $0.contains("history · step 10") })
    _ = screen.press(.char(" "))
    #expect(screen.stage == .backward && screen.watch.historyStep == 10)
    _ = screen.press(.enter)
    #expect(screen.stage == .update && screen.watch.historyStep == 10)
    #expect(screen.press(.char(" ")) == [], "past the last stage: back to live first, no step")
    #expect(screen.watch.historyStep == nil)
    _ = screen.press(.char(","))
    #expect(screen.press(.char("s")) == ["step(\(id))"])
    #expect(screen.watch.historyStep == nil)
    _ = screen.press(.char(","))
    #expect(screen.press(.char("r")) == ["run(\(id))"])
    #expect(screen.watch.historyStep == nil)
  }

  @Test func historyBeforeTheFirstStepSaysHowToGetOne() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    var screen = LessonScreen(plan: fixture.plan())
    var maker = try SnapshotMaker(screen.plan.run)
    _ = screen.receive(.snapshot(screen.session, maker.loaded()))
    for panel in [Panel.stage, .dashboard] {
      screen.panel = panel
      #expect(screen.press(.char(",")) == [])
      #expect(screen.watch.historyStep == nil && screen.stage == nil)
      #expect(screen.rendered(width: 80, height: 24).last?.contains("no step recorded yet") == true)
    }
  }

  @Test func keysMovePaceHistoryAxisAndRestart() throws {
    var (screen, fixture) = try screenWithHistory()
    defer { fixture.remove() }
    let history = screen.snapshot.history
    let id = screen.session.raw
    #expect(screen.press(.char(".")) == [])
    #expect(screen.rendered().last?.contains("this is the live step") == true, "a key that cannot move says why")
    #expect(screen.press(.char("]")) == ["pace(\(id), 30/s)"])
    #expect(screen.press(.char("]")) == ["pace(\(id), 100/s)"], "quick presses each move one pace")
    #expect(screen.press(.char("[")) == ["pace(\(id), 30/s)"])
    #expect(screen.rendered(width: 80, height: 24).last?.contains("pace 30/s") == true, "the new pace is said where the footer was, at any width")
    #expect(history.steps == [2, 3, 5, 10, 12])
    #expect(screen.press(.char(",")) == [])
    #expect(screen.watch.historyStep == 10)
    #expect(screen.rendered().contains { $0.contains("history · step 10") })
    _ = screen.press(.char(","))
    #expect(screen.watch.historyStep == 5)
    _ = screen.press(.char(","))
    _ = screen.press(.char(","))
    _ = screen.press(.char(","))
    #expect(screen.watch.historyStep == 2)
    #expect(screen.rendered().last?.contains("no earlier step recorded") == true)
    _ = screen.press(.char("."))
    _ = screen.press(.char("."))
    _ = screen.press(.char("."))
    _ = screen.press(.char("."))
    #expect(screen.watch.historyStep == nil, "forward past the last recorded step is live again")
    _ = screen.press(.char(","))
    #expect(screen.press(.char("s")) == ["step(\(id))"])
    #expect(screen.watch.historyStep == nil, "stepping returns to live")
    let axis = screen.watch.isLogAxis
    _ = screen.press(.char("l"))
    #expect(screen.watch.isLogAxis != axis)
    #expect(screen.press(.char("x")) == ["reset(\(id))"])
  }
}

/// `n` in a real terminal of a given size: the first press always changes what is on screen.
@Suite(.serialized) struct NarrativeKeyTests {
  static func lesson(width: Int, height: Int, folders: UserFolders) throws -> (AppHarness, LessonPlan) {
    let plan = try #require(CourseTests.plans(.en).first { $0.id == "labels" })
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: folders, predictFirst: false), width: width, height: height)
    return (app, plan)
  }

  /// The introduction's first words and the first stage's, compared without line breaks.
  static func shows(_ app: AppHarness, _ text: String) -> Bool {
    app.lines.joined(separator: " ").replacingOccurrences(of: "  ", with: " ").contains(text)
  }

  static let introStart = "A language model is trained"
  static let stageStart = "The model cannot read letters"

  @Test(arguments: [(80, 24), (120, 40)])
  func theIntroductionShownWholeHidesAtTheFirstPress(size: (Int, Int)) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let (app, _) = try Self.lesson(width: size.0, height: size.1, folders: fixture.folders)
    #expect(Self.shows(app, Self.introStart), "\(app.text)")
    app.press(.char("n"))
    #expect(!Self.shows(app, Self.introStart), "the first n hides the introduction:\n\(app.text)")
    app.press(.char("n"))
    #expect(Self.shows(app, Self.introStart))
  }

  @Test func anUnfoldedTextIsReadWholeAt80x24EvenBesideTheFormula() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let plan = try #require(CourseTests.plans(.en).first { $0.id == "loss" })
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: .en, open: plan, folders: fixture.folders, predictFirst: false), width: 80, height: 24)
    app.press(.char("6"))
    app.press(.char("f"))
    #expect(app.text.contains("(n: more)"), "\(app.text)")
    app.press(.char("n"))
    // Compared without white space and markup: the screen wraps the text where it likes.
    let text = plan.narrative(for: .loss).replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
    let ending = String(text.filter { !$0.isWhitespace }.suffix(12))
    #expect(app.text.filter { !$0.isWhitespace }.contains(ending), "the whole text, to its last words:\n\(app.text)")
  }

  @Test func onATallTerminalAStagesTextHidesAtTheFirstPress() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let (app, _) = try Self.lesson(width: 120, height: 40, folders: fixture.folders)
    app.press(.char(" "))
    #expect(Self.shows(app, Self.stageStart) && !app.text.contains("(n: more)"), "whole on a tall terminal:\n\(app.text)")
    app.press(.char("n"))
    #expect(!Self.shows(app, Self.stageStart), "\(app.text)")
    // Made small, the terminal keeps the learner's choice; a new lesson opened at 80×24 starts folded, and n unfolds it.
    app.resize(80, 24)
    #expect(!Self.shows(app, Self.stageStart))
    let (small, _) = try Self.lesson(width: 80, height: 24, folders: fixture.folders)
    small.press(.char(" "))
    #expect(small.text.contains("(n: more)"), "\(small.text)")
    small.press(.char("n"))
    #expect(!small.text.contains("(n: more)") && Self.shows(small, Self.stageStart), "\(small.text)")
  }
}
