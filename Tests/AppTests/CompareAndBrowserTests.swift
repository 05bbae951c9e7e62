@testable import App
import Curriculum
import Foundation
import TermUI
import Testing
import Training

/// The compare view, the browser and the router, driven by messages: no session, no threads.
@Suite final class CompareAndBrowserTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  @Test func compareStepsRunsAndSetsTheRateOnBothSides() throws {
    var screen = CompareScreen(plan: fixture.plan(comparison: true))
    let (c, m) = (screen.causal.raw, screen.masked.raw)
    #expect(describe(screen.start()) == ["start(\(c), clm)", "start(\(m), mlm)", "lockstep(\(c),\(m))", "pace(\(c), max)", "pace(\(m), max)"])
    #expect(screen.press(.char("[")) == ["pace(\(c), 300/s)", "pace(\(m), 300/s)"])
    #expect(screen.press(.char("x")) == ["reset(\(c))", "reset(\(m))"])
    #expect(screen.press(.char("s")) == ["step(\(c))", "step(\(m))"])
    #expect(screen.press(.enter) == ["step(\(c))", "step(\(m))"])
    #expect(screen.press(.char("r")) == ["run(\(c))", "run(\(m))"])
    var clm = try SnapshotMaker(screen.snapshot(screen.causal).configuration)
    _ = screen.update(.snapshot(screen.causal, clm.loaded(state: .running, learningRate: 0.5)))
    #expect(screen.press(.char("r")) == ["pause(\(c))", "pause(\(m))"], "one side running: r pauses both")
    _ = screen.update(.snapshot(screen.causal, clm.loaded(state: .diverged(loss: .infinity, learningRate: 0.5), learningRate: 0.5)))
    #expect(screen.press(.char("r")) == ["reset(\(c))", "run(\(m))"])
    let rate = screen.plan.run.learningRate
    #expect(screen.press(.char("-")) == ["lr(\(c), 0.25)", "lr(\(m), \(rate / 2))"])
    #expect(screen.press(.char("_")) == ["lr(\(c), 0.25)", "lr(\(m), \(rate / 2))"], "_ is - with shift")
    #expect(screen.press(.char("+")) == ["lr(\(c), 1.0)", "lr(\(m), \(rate * 2))"])
  }

  @Test func compareSpaceShowsTheNextTextAndItsFooterListsTheRate() throws {
    var screen = CompareScreen(plan: fixture.plan(comparison: true))
    let count = screen.sections.count
    #expect(count == 2, "intro and the labels section")
    #expect(screen.rendered(width: 120, height: 36).joined().contains("(1/2)"))
    #expect(screen.press(.char(" ")) == [])
    #expect(screen.rendered(width: 120, height: 36).joined().contains("(2/2)"))
    _ = screen.press(.char(" "))
    #expect(screen.sectionIndex == 0)
    let footer = try #require(screen.rendered(width: 120, height: 36).last)
    #expect(footer.contains("space next text") && footer.contains("+/- lr") && footer.contains("? help"))
    #expect(screen.press(.char("c")) == ["pop"])
    #expect(screen.press(.escape) == ["pop"])
  }

  @Test func at80x24TheTextFoldsAndEachLossPlotKeepsRows() throws {
    var plan = fixture.plan(comparison: true)
    // A long intro, as the real lesson 8 has.
    plan.sections[.intro] = Array(repeating: "Left and right, the same network on the same sentences is trained both ways.", count: 5).joined(separator: " ")
    var screen = CompareScreen(plan: plan)
    for side in screen.sessions {
      var maker = try SnapshotMaker(screen.snapshot(side).configuration)
      var snapshot = maker.stepped()
      for _ in 0..<60 { snapshot.losses.append(snapshot.losses.last! * 0.99) }
      snapshot.step = snapshot.losses.count
      _ = screen.update(.snapshot(side, snapshot))
    }
    /// Rows from a plot's top tick (┤) down to its axis (└), on the left side.
    func plotRows(_ lines: [String]) -> Int {
      let left = lines.map { String($0.prefix(40)) }
      guard let top = left.firstIndex(where: { $0.contains("┤") }), let axis = left.firstIndex(where: { $0.contains("└┴") }) else { return 0 }
      return axis - top
    }
    let folded = screen.rendered(width: 80, height: 24)
    #expect(folded.joined().contains("(n: more)"), "below 30 rows the text starts folded")
    #expect(plotRows(folded) >= 4, "\(folded.joined(separator: "\n"))")
    #expect(screen.press(.char("n")) == [])
    #expect(!screen.rendered(width: 80, height: 24).joined().contains("(n: more)"), "n unfolds it")
    _ = screen.press(.char("n"))
    #expect(plotRows(screen.rendered(width: 80, height: 24)) > plotRows(folded), "hidden, the plots grow")
  }

  @Test func aComparisonLessonsCheckOpensFromCompareWhereTheLessonOpens() throws {
    var plan = fixture.plan()
    plan.isComparison = true
    plan.exercises = [Exercise(question: "Out of 200 positions, how many carry MLM's loss?", answer: .number(30, tolerance: 0), explanation: "15% of 200.", wrongAnswers: [])]
    var router = Router(language: .en, stack: [CompareScreen(plan: plan)])
    #expect(router.top?.footer.entries.contains { $0.key == "e" && $0.action == "check" } == true)
    #expect(router.top?.helpText.contains("e\tthe lesson's check") == true)
    _ = router.update(.key(.char("e")))
    let check = try #require(router.top as? ExerciseScreen, "e opens the lesson's check")
    #expect(check.rendered(width: 80, height: 24).joined().contains(plan.exercises[0].question.prefix(20)))
    // Without a check the key is not listed and does nothing.
    plan.exercises = []
    var bare = Router(language: .en, stack: [CompareScreen(plan: plan)])
    #expect(bare.top?.footer.entries.contains { $0.key == "e" } == false)
    _ = bare.update(.key(.char("e")))
    #expect(bare.top is CompareScreen)
  }

  /// Each side's attention header and title keep the mask's name whole: at 80 columns they drop
  /// words before it, and only where there is room does the header say "attention" and the scale.
  @Test(arguments: [Language.en, .zh]) func eachSidesHeaderNamesItsMaskWholeAt80Columns(language: Language) throws {
    var screen = CompareScreen(plan: fixture.plan(comparison: true, language: language))
    for (side, objective) in [(screen.causal, Objective.clm), (screen.masked, .mlm)] {
      var run = screen.plan.run
      run.objective = objective
      var maker = try SnapshotMaker(run)
      _ = screen.update(.snapshot(side, maker.stepped()))
    }
    let L = Localized(language)
    let head = L.pick("head 1/2 · ", "第 1/2 个头 · ")
    for (width, long) in [(80, false), (200, true)] {
      let lines = screen.rendered(width: width, height: 24)
      let header = try #require(lines.first { $0.contains(head) }, "\(lines.joined(separator: "\n"))")
      #expect(header.contains(head + L.pick("causal", "因果")) && header.contains(head + L.pick("bidirectional", "双向")), "\(width): \(header)")
      #expect(!header.contains("…"), "\(width): \(header)")
      #expect(header.contains(L.pick("attention · ", "注意力 · ")) == long, "\(width): \(header)")
      // The frames' titles above name the masks too.
      let titles = try #require(lines.first { $0.hasPrefix("┌ CLM") }, "\(lines.joined(separator: "\n"))")
      #expect(titles.contains(L.pick("(causal)", "（因果）")) && titles.contains(L.pick("(bidirectional)", "（双向）")), "\(width): \(titles)")
      #expect(!titles.contains("…"), "\(width): \(titles)")
    }
  }

  @Test func helpOnCompareExplainsCompareKeys() {
    let lesson = LessonScreen(plan: fixture.plan())
    var router = Router(language: .en, stack: [lesson])
    _ = router.update(.key(.char("c")))
    #expect(router.top is CompareScreen)
    _ = router.update(.key(.char("?")))
    let help = router.help?.text ?? ""
    #expect(help.contains("space\tnext text"), "\(help)")
    #expect(!help.contains("next stage"))
    // Any key closes the help and does nothing else.
    let (effects, changed) = router.update(.key(.char("s")))
    #expect(changed && effects.isEmpty && router.help == nil)
  }

  @Test func theRouterStacksScreensAndStopsTheSessionsOfTheOneItCloses() throws {
    let plan = fixture.plan()
    var router = Router(language: .en)
    _ = router.push(BrowserScreen(lessons: [plan, fixture.plan(objective: .mlm)], problems: [], language: .en))
    _ = router.update(.key(.down))
    var (effects, _) = router.update(.key(.enter))
    let lesson = try #require(router.top as? LessonScreen)
    #expect(lesson.plan.run.objective == .mlm)
    #expect(describe(effects) == ["start(\(lesson.session.raw), mlm)", "pace(\(lesson.session.raw), max)", "pauseAt(\(lesson.session.raw), )", "loadPredictions"])
    (effects, _) = router.update(.key(.char("c")))
    let compare = try #require(router.top as? CompareScreen)
    #expect(describe(effects).first == "pause(\(lesson.session.raw))")
    // A snapshot of the lesson under compare still reaches it.
    var maker = try SnapshotMaker(lesson.plan.run)
    let stepped = maker.stepped()
    _ = router.update(.snapshot(lesson.session, stepped))
    #expect((router.stack[1] as? LessonScreen)?.snapshot.step == 1)
    (effects, _) = router.update(.key(.char("q")))
    #expect(describe(effects) == ["stop(\(compare.causal.raw))", "stop(\(compare.masked.raw))"])
    (effects, _) = router.update(.key(.char("q")))
    #expect(describe(effects) == ["stop(\(lesson.session.raw))"])
    #expect(router.top is BrowserScreen)
    (effects, _) = router.update(.key(.char("q")))
    #expect(describe(effects) == ["quit"])
  }

  @Test func theBrowserMovesWithinTheListAndOpensLessonsAndCompare() {
    var screen = BrowserScreen(lessons: [fixture.plan(), fixture.plan(objective: .mlm)], problems: [], language: .en)
    #expect(screen.press(.up) == [] && screen.selected == 0)
    _ = screen.press(.char("j"))
    #expect(screen.selected == 1)
    _ = screen.press(.down)
    #expect(screen.selected == 2, "after the lessons: Your own text")
    #expect(screen.press(.enter) == ["push(PlaygroundScreen)"])
    _ = screen.press(.down)
    #expect(screen.selected == 2, "the last entry stays selected")
    _ = screen.press(.char("k"))
    _ = screen.press(.char("k"))
    #expect(screen.selected == 0)
    #expect(screen.press(.enter) == ["push(LessonScreen)"])
    #expect(screen.press(.char(" ")) == ["push(LessonScreen)"])
    #expect(screen.press(.char("c")) == ["push(CompareScreen)"])
    #expect(screen.press(.char("?")) == ["help"])
    #expect(screen.press(.char("q")) == ["quit"])
    var compareLesson = BrowserScreen(lessons: [fixture.plan(comparison: true)], problems: [], language: .en)
    #expect(compareLesson.press(.enter) == ["push(CompareScreen)"], "a compare lesson opens as the compare view")
    var empty = BrowserScreen(lessons: [], problems: [], language: .en)
    #expect(empty.press(.enter) == ["push(PlaygroundScreen)"], "with no lessons, your own text still opens")
    #expect(empty.rendered().joined().contains("No lessons found."))
  }

  @Test func aRowTooLongForTheListIsCutWithAnEllipsisAndAGapBeforeItsBadge() throws {
    var plan = fixture.plan()
    plan.title = "Two objectives: GPT's and BERT's, side by side"
    plan.summary = "Where the labels come from, and why no one has to write them"
    var screen = BrowserScreen(lessons: [plan], problems: [], language: .en)
    screen.predictions[ExerciseRecords.key(lessonID: plan.id, language: .en)] = PredictionScore(right: 7, answered: 7)
    let lines = screen.rendered(width: 80, height: 24)
    let title = try #require(lines.first { $0.contains("1. Two objectives") })
    #expect(title.contains("… CLM"), "the title is cut before the badge, a space between:\n\(title)")
    let summary = try #require(lines.first { $0.contains("Where the labels") })
    #expect(summary.contains("… predicted 7/7"), "the summary is cut before the score, a space between:\n\(summary)")
    // The preview's facts, too long for one line of the card at this width, put the model's size on a line of its own.
    let facts = try #require(lines.firstIndex { $0.contains("CLM · word · fox.txt") })
    let card = try #require(lines[facts].range(of: "CLM · word").map { lines[facts][$0.lowerBound...] })
    #expect(!card.contains("…") && !card.contains("1L"), "\(lines[facts])")
    #expect(lines[facts + 1].contains("│\(plan.run.layers)L \(plan.run.heads)H C\(plan.run.dim) T\(plan.run.context) "), "\(lines[facts + 1])")
    let cardColumn = lines[facts].distance(from: lines[facts].startIndex, to: card.startIndex)
    #expect(Array(lines[facts + 2]).dropFirst(cardColumn).dropLast(2).allSatisfy { $0 == " " }, "a blank line before the introduction: \(lines[facts + 2])")
    // Wide enough, they stay on one line.
    let wide = screen.rendered(width: 120, height: 30)
    #expect(wide.contains { $0.contains("CLM · word · fox.txt · \(plan.run.layers)L") }, "\(wide.joined(separator: "\n"))")
    // A lesson that could not be loaded is listed below, its reason cut with "…" where it does not fit.
    let broken = BrowserScreen(lessons: [plan], problems: ["Lessons/01-labels.en.md:26: section '## intro' is 1184 characters long; the limit is 700 in English (shorten it by 484)"], language: .en)
    let problem = try #require(broken.rendered(width: 80, height: 24).first { $0.contains("01-labels.en.md:26") })
    #expect(problem.hasSuffix("…"), "\(problem)")
  }
}
