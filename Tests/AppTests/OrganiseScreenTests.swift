@testable import App
import Curriculum
import Foundation
import Model
import TermUI
import Testing
import Training

/// The embedding map (m) and the BPE view (b), driven by messages: maps and replays arrive as the session's answers.
@Suite final class OrganiseScreenTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  func charPlan(_ language: Language = .en) -> LessonPlan {
    var plan = fixture.plan(language: language)
    plan.run.tokenizer = .char
    return plan
  }

  func bpePlan(_ language: Language = .en) -> LessonPlan {
    var plan = fixture.plan(language: language)
    plan.run.tokenizer = .bpe
    plan.run.bpeMerges = 30
    return plan
  }

  /// A lesson whose session has loaded and stepped once, and the trainer behind its snapshots.
  func lesson(_ plan: LessonPlan) throws -> (LessonScreen, SnapshotMaker) {
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    _ = screen.update(.snapshot(screen.session, maker.stepped()))
    return (screen, maker)
  }

  @Test func mOpensTheMapWhichAsksTheSessionForAProjection() throws {
    var (lesson, maker) = try lesson(charPlan())
    #expect(lesson.press(.char("m")) == ["push(MapScreen)"])
    var map = MapScreen(plan: lesson.plan, session: lesson.session, tokenizer: maker.trainer.tokenizer, snapshot: lesson.snapshot)
    let id = map.session.raw
    #expect(describe(map.start()) == ["map(\(id))"])
    #expect(map.rendered().joined().contains("projecting the embeddings"))
    // The first map picks the most frequent token and asks again for its neighbours, aligned.
    let first = try EmbeddingMap(model: maker.trainer.model, counts: maker.trainer.tokenCounts, step: 1)
    let space = first.tokens[first.frequencyOrder[0]]
    #expect(describe(map.update(.embeddingMap(map.session, .success(first)))!) == ["map(\(id), picked \(space), aligned)"])
    #expect(map.picked == space)
    let second = try EmbeddingMap(model: maker.trainer.model, counts: maker.trainer.tokenCounts, step: 1, request: EmbeddingMapRequest(previousAxes: first.axes, picked: space))
    #expect(describe(map.update(.embeddingMap(map.session, .success(second)))!) == [])
    let screen = map.rendered(width: 100, height: 30).joined(separator: "\n")
    #expect(screen.contains("Embedding map") && screen.contains("step 1 ·") && screen.contains("picked ␣ · nearest by cosine:"))
    #expect(screen.contains("●"))
    // Too narrow for every neighbour: whole ones, nearest first, then "…"; never a token and half its number.
    let narrow = try #require(map.rendered(width: 44, height: 20).first { $0.contains("picked ␣") })
    let list = try #require(narrow.components(separatedBy: "nearest by cosine: ").last?.trimmingCharacters(in: .whitespaces))
    #expect(list.hasSuffix(" …"), "\(narrow)")
    let entries = list.dropLast(2).components(separatedBy: " · ")
    #expect(!entries.isEmpty && entries.allSatisfy { $0.range(of: #"^.+ -?[0-9]\.[0-9]{2}$"#, options: .regularExpression) != nil }, "\(narrow)")
    // → picks the next token in id order; the request waits for none in flight.
    let next = map.press(.right)!
    #expect(next.count == 1 && next[0].hasPrefix("map(\(id), picked ") && next[0] != "map(\(id), picked \(space), aligned)")
    // A step while a request is out is asked for once that request is answered.
    _ = map.update(.snapshot(map.session, maker.stepped()))
    #expect(map.isStale)
    let third = try EmbeddingMap(model: maker.trainer.model, counts: maker.trainer.tokenCounts, step: 2, request: EmbeddingMapRequest(previousAxes: second.axes, picked: map.picked))
    #expect(describe(map.update(.embeddingMap(map.session, .success(third)))!).first?.hasPrefix("map(\(id), picked") == true)
    #expect(map.history.count == 1)
    #expect(map.press(.char("q")) == ["pop"])
  }

  @Test func theMapsHeaderSaysBrieflyWhatIsNotDrawnWhenRoomRunsShort() throws {
    let (_, maker) = try lesson(bpePlan())
    let map = try EmbeddingMap(model: maker.trainer.model, counts: maker.trainer.tokenCounts, step: 1)
    let unseen = map.tokens.count - map.frequencyOrder.count
    #expect(unseen > 0, "byte tokens absent from the text are not drawn")
    func header(_ width: Int) -> String {
      EmbeddingMapPicture.lines(map: map, tokenizer: maker.trainer.tokenizer, size: Size(width: width, height: 12), language: .en)[0]
    }
    #expect(header(120).hasSuffix("· \(unseen) unseen in the text, not drawn"), "\(header(120))")
    // At 80 columns the long form would be cut mid-word ("not d"): the short one fits whole.
    #expect(header(80).hasSuffix("· \(unseen) unseen, not drawn"), "\(header(80))")
    #expect(header(30).hasSuffix("…"), "\(header(30))")
  }

  @Test func aModelTooSmallToProjectGetsOneLine() throws {
    var (lesson, maker) = try lesson(charPlan(.zh))
    _ = lesson.press(.char("m"))
    var map = MapScreen(plan: lesson.plan, session: lesson.session, tokenizer: maker.trainer.tokenizer, snapshot: maker.loaded())
    #expect(describe(map.update(.embeddingMap(map.session, .failure(EmbeddingMapProblem(vocabulary: 2, dim: 16))))!) == [])
    let lines = map.rendered()
    #expect(lines.filter { $0.contains("无法画地图：至少需要 3 个词元和 2 维；这个模型只有 2 个词元、16 维。") }.count == 1)
    #expect(map.press(.right) == [])
  }

  @Test func bOnALessonThatIsNotBPESaysSoInOneLine() throws {
    var (lesson, _) = try lesson(charPlan())
    #expect(lesson.press(.char("b")) == [])
    #expect(lesson.rendered().joined(separator: "\n").contains("b replays BPE merges; this lesson's tokenizer is not bpe"))
    var merges = MergeScreen(plan: charPlan(), session: .next())
    _ = merges.update(.mergeReplay(merges.session, nil))
    #expect(merges.rendered().contains { $0.contains("No BPE merges to show: this lesson uses the char tokenizer, not bpe.") })
  }

  @Test func bStepsTheMergesAndTheTokenCountFalls() throws {
    var (lesson, maker) = try lesson(bpePlan())
    #expect(lesson.press(.char("b")) == ["push(MergeScreen)"])
    let tokenizer = try #require(maker.trainer.tokenizer as? BPETokenizer)
    var screen = MergeScreen(plan: lesson.plan, session: lesson.session)
    #expect(describe(screen.start()) == ["merges(\(screen.session.raw))"])
    let text = try String(contentsOf: fixture.corpus, encoding: .utf8)
    _ = screen.update(.mergeReplay(screen.session, MergeReplay(tokenizer: tokenizer, text: text)))
    var shown = screen.rendered(width: 120, height: 30).joined(separator: "\n")
    #expect(shown.contains("bytes only: 256 tokens, before any of the 30 merges"))
    #expect(shown.contains("the text: \(text.utf8.count) bytes → \(text.utf8.count) tokens, one per byte ·"), "nothing saved yet, and no \"(−0.0%)\"")
    let first = tokenizer.mergeLog[0]
    #expect(shown.contains("next: \(tokenizer.displayToken(first.left)) + \(tokenizer.displayToken(first.right)), the most frequent pair (\(first.count) times)"))
    #expect(shown.contains("┊"))
    #expect(screen.press(.char(" ")) == [])
    shown = screen.rendered(width: 120, height: 30).joined(separator: "\n")
    #expect(shown.contains("merge 1 of 30: \(tokenizer.displayToken(first.left)) + \(tokenizer.displayToken(first.right)) → \(tokenizer.displayToken(256)) (id 256), joined \(first.count) times"))
    let saved = String(format: "%.1f", 100 * Double(first.count) / Double(text.utf8.count))
    #expect(shown.contains("bytes → \(text.utf8.count - first.count) tokens (−\(saved)%)"), "\(shown)")
    // At a pace: r plays, ticks apply merges (3 a second: one every 10 ticks).
    #expect(screen.press(.char("r")) == [])
    var redraws = 0
    for _ in 0..<30 { if describe(screen.update(.tick)!) == ["redraw"] { redraws += 1 } }
    #expect(redraws == 3 && screen.replay?.applied == 4)
    // Enter: train with these 4 merges; the run restarts, and the screen says so.
    #expect(screen.press(.enter) == ["restartMerges(\(screen.session.raw), 4)"])
    #expect(screen.rendered(width: 120, height: 30).contains { $0.contains("Restarted the run at step 0 with 4 merges (not 30): V = 261, a new model.") })
    // The restarted run's replay arrives (its tokenizer has 4 merges) once its snapshot says so.
    var restarted = maker.loaded()
    restarted.configuration.bpeMerges = 4
    #expect(describe(screen.update(.snapshot(screen.session, restarted))!) == ["merges(\(screen.session.raw))"])
    let fewer = BPETokenizer.train(text: text, merges: 4)
    // A second snapshot of the restarted run asks nothing more while the replay is on its way.
    #expect(describe(screen.update(.snapshot(screen.session, restarted))!) == [])
    _ = screen.update(.mergeReplay(screen.session, MergeReplay(tokenizer: fewer, text: text)))
    #expect(screen.replay?.mergeCount == 4 && screen.replay?.applied == 4)
    #expect(describe(screen.update(.snapshot(screen.session, restarted))!) == [])
    #expect(screen.rendered(width: 120, height: 30).contains { $0.contains("all 4 merges applied: V = 261, the vocabulary the model trains with") })
    #expect(screen.press(.enter) == [])
    #expect(screen.press(.left) == [] && screen.replay?.applied == 3)
  }
}
