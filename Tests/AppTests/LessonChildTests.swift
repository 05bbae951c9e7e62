@testable import App
import Curriculum
import Foundation
import TermUI
import Testing
import Training

/// A screen opened by a key from the lesson is one file and one entry in `LessonChildren.all`:
/// the lesson lists, dispatches and idles its key from that entry alone.
@Suite final class LessonChildTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  /// Lessons in which every registered child is offered and can open: a stepped lesson with a
  /// check, and a BPE lesson (the merges).
  static func lessons(_ language: Language, fixture: LessonFixture, children: [any LessonChildScreen.Type] = LessonChildren.all) throws -> [LessonScreen] {
    var checked = fixture.plan(language: language)
    checked.exercise = Exercise(question: "Q?", answer: .choice(options: ["CLM", "MLM"], correct: 0), explanation: "E.")
    var maker = try SnapshotMaker(checked.run)
    var stepped = LessonScreen(plan: checked, children: children)
    _ = stepped.update(.snapshot(stepped.session, maker.stepped()))
    var bpe = fixture.plan(language: language)
    bpe.run.tokenizer = .bpe
    return [stepped, LessonScreen(plan: bpe, children: children)]
  }

  /// Every registered child, opened as the lesson opens it (the key tests walk these screens).
  static func opened(_ language: Language, fixture: LessonFixture) throws -> [(type: any LessonChildScreen.Type, screen: any Screen)] {
    let lessons = try lessons(language, fixture: fixture)
    return try LessonChildren.all.map { type in
      let screen = lessons.lazy.compactMap { lesson -> (any Screen)? in
        guard type.key(lesson.childContext, Localized(language)) != nil,
          case .push(let screen, _) = type.open(from: lesson.childContext)
        else { return nil }
        return screen
      }.first
      return (type, try #require(screen, "\(type) opens in none of the test lessons"))
    }
  }

  @Test(arguments: Language.allCases)
  func everyRegisteredScreensKeyIsListedInTheFooterAndHelpAndOpensIt(language: Language) throws {
    let L = Localized(language)
    for (type, _) in try Self.opened(language, fixture: fixture) {
      let offering = try Self.lessons(language, fixture: fixture).first { type.key($0.childContext, L) != nil && $0.unavailableLine(LessonChild(type)) == nil }
      var lesson = try #require(offering, "\(type) opens in no test lesson")
      let listed = type.key(lesson.childContext, L)
      let key = try #require(listed)
      let binding = try #require(lesson.keys.first { $0.matches(.char(key.key)) }, "\(type): \(key.key) is not bound")
      #expect(binding.actions == [.lesson(.child(LessonChild(type)))])
      #expect(lesson.helpText.split(separator: "\n").contains { $0.hasPrefix(String(key.key)) && $0.hasSuffix(key.help) }, "\(type)")
      #expect(lesson.footer.entries.contains { $0.key == String(key.key) && $0.action == key.label } == (key.priority != nil), "\(type)")
      let handled = lesson.update(.key(.char(key.key)))
      let effects = try #require(handled, "\(type): \(key.key) is not handled")
      #expect(describe(effects).last == "push(\(type))", "\(type): \(describe(effects))")
      #expect(lesson.opened.contains(LessonChild(type)))
    }
  }

  @Test func theScreensTheLessonOpenedBeforeTheRegistryKeepTheirKeysAndNoKeyClashes() {
    var plan = fixture.plan()
    plan.exercise = Exercise(question: "Q?", answer: .choice(options: ["a", "b"], correct: 0), explanation: "E.")
    let context = LessonChildContext(plan: plan, session: .next(), snapshot: .initial(plan.run))
    let L = Localized(.en)
    let before: [any LessonChildScreen.Type] = [CompareScreen.self, GameScreen.self, ExerciseScreen.self, MapScreen.self, MergeScreen.self]
    #expect(before.allSatisfy { type in LessonChildren.all.contains { LessonChild($0) == LessonChild(type) } })
    #expect(before.compactMap { $0.key(context, L)?.key } == ["c", "g", "e", "m", "b"])
    // Every registered key (a newcomer's too) is its own, and none is one of the lesson's own keys.
    let keys = LessonChildren.all.compactMap { $0.key(context, L)?.key }
    #expect(Set(keys).count == keys.count, "two children share a key: \(keys)")
    let own = LessonScreen(plan: plan, children: []).keys.flatMap(\.keys)
    #expect(keys.allSatisfy { !own.contains(.char($0)) }, "a child's key clashes with one of the lesson's own")
    var mlm = plan
    mlm.run.objective = .mlm
    #expect(GameScreen.key(LessonChildContext(plan: mlm, session: .next(), snapshot: .initial(mlm.run)), L) == nil, "no game for a masked LM")
  }

  @Test(arguments: Language.allCases)
  func aScreenRegisteredInOneLineGetsItsKeyHelpFooterDispatchAndIdleness(language: Language) throws {
    let children = LessonChildren.all + [StampScreen.self]
    let L = Localized(language)
    // Before the first step it cannot open: its key shows why, then is idle.
    var waiting = LessonScreen(plan: fixture.plan(language: language), children: children)
    #expect(waiting.footer.entries.contains { $0.key == "z" && $0.action == L.pick("stamp", "印章") })
    #expect(waiting.helpText.split(separator: "\n").contains { $0.hasPrefix("z\t") && $0.hasSuffix(L.pick("the step, stamped", "盖上步数")) })
    let handled = waiting.update(.key(.char("z")))
    #expect(handled.map(describe) == [], "handled, by a line in place of the footer")
    #expect(waiting.note == StampScreen.noStep)
    #expect(waiting.declaresIdle(.char("z")), "the line is showing: z changes nothing more")
    // Stepped, it opens with the lesson's step, and leaves history like stepping keys do.
    let lessons = try Self.lessons(language, fixture: fixture, children: children)
    var stepped = lessons[0]
    stepped.watch.historyStep = 1
    #expect(!stepped.declaresIdle(.char("z")))
    let opening = stepped.update(.key(.char("z")))
    let effects = try #require(opening)
    #expect(describe(effects) == ["push(StampScreen)"])
    guard case .push(let screen) = effects.first, let stamp = screen as? StampScreen else {
      Issue.record("expected the stamp screen")
      return
    }
    #expect(stamp.step == stepped.snapshot.trace?.step)
    #expect(stepped.watch.historyStep == nil, "StampScreen.leavesHistory")
    // Not registered, the lesson does not know the key.
    var plain = lessons[0]
    plain.children = LessonChildren.all
    let unbound = plain.update(.key(.char("z")))
    #expect(unbound == nil, "z is nobody's key")
  }
}

/// A screen only these tests register: all it takes is this type and one entry in a lesson's children.
struct StampScreen: LessonChildScreen {
  enum Action: Hashable, CaseIterable { case close }
  static let noStep = "no step to stamp yet"
  let step: Int

  var keys: [KeyBinding<Action>] { [KeyBinding([.escape], shown: "esc", label: "back", help: "back to the lesson", priority: 1, action: .close)] }
  mutating func perform(_ action: Action) -> [Effect] { [.pop] }
  mutating func receive(_ message: Message) -> [Effect] { [] }
  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    buffer.set(string: "step \(step)", at: Point(x: area.x, y: area.y), clipTo: area)
  }

  static var place: LessonKeyPlace { .last }
  static var leavesHistory: Bool { true }

  static func key(_ context: LessonChildContext, _ L: Localized) -> LessonChildKey? {
    LessonChildKey(key: "z", label: L.pick("stamp", "印章"), help: L.pick("the step, stamped", "盖上步数"), priority: 9)
  }

  static func open(from context: LessonChildContext) -> LessonChildOpening {
    guard let trace = context.snapshot.trace else { return .unavailable(noStep) }
    return .push(StampScreen(step: trace.step), pausingTheRun: false)
  }
}
