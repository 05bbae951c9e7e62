import Curriculum
import TermUI
import Training

/// The screens the lesson opens with a key of its own, in the order their keys are listed.
///
/// Adding one is one file and one line: write `Sources/App/Screens/XScreen.swift` with the
/// screen and, beside it, its `LessonChildScreen` conformance (its key in both languages,
/// where the key is listed, how it opens from the lesson's snapshot); then list `XScreen.self`
/// here. The lesson's keys, footer, `?` help, dispatch and idleness come from this list, and
/// the key tests walk every screen on it.
enum LessonChildren {
  static var all: [any LessonChildScreen.Type] {
    [CompareScreen.self, GameScreen.self, ExerciseScreen.self, MapScreen.self, MergeScreen.self]
  }
}

/// A screen the lesson opens with one key.
///
/// Everything here is read from the lesson as it is now (`LessonChildContext`): a child
/// never changes the lesson. It hands a result back, if it has one, with `Effect.close`.
protocol LessonChildScreen: Screen {
  /// Where the key is listed among the lesson's own keys.
  static var place: LessonKeyPlace { get }
  /// The key as the footer and `?` help show it, in the lesson's language; nil when this
  /// lesson does not offer the screen (the guessing game in a masked-LM lesson).
  static func key(_ context: LessonChildContext, _ L: Localized) -> LessonChildKey?
  /// The screen, opened from the lesson as it is now, or the line the key shows instead.
  static func open(from context: LessonChildContext) -> LessonChildOpening
  /// Opening it takes the learner from a recorded step back to the live run (default: false).
  static var leavesHistory: Bool { get }
  /// Its key waits, like the stepping keys, while a step is being computed (default: false).
  static var waitsForStep: Bool { get }
  /// True when its key, listed, does nothing in the lesson's state (default: false). A key
  /// that shows a line instead (`.unavailable`) is idle once that line shows, without this.
  static func isIdle(in context: LessonChildContext) -> Bool
}

extension LessonChildScreen {
  static var leavesHistory: Bool { false }
  static var waitsForStep: Bool { false }
  static func isIdle(in context: LessonChildContext) -> Bool { false }
}

/// What a child screen reads of the lesson that opens it.
struct LessonChildContext {
  let plan: LessonPlan
  /// The lesson's session: a child that watches it (the game, the map) asks for its answers.
  let session: SessionID
  let snapshot: SessionSnapshot
  var language: Language { plan.language }
}

/// The key that opens a child screen, as the lesson's footer and `?` help show it.
struct LessonChildKey {
  /// The character typed, shown as itself ("m").
  let key: Character
  /// The short label in the footer.
  let label: String
  /// The line in the help overlay.
  let help: String
  /// Footer priority (higher stays longer when the width runs short); nil: help only.
  let priority: Int?
}

/// Where a child's key sits among the lesson's keys, which is the footer's and the help's order.
enum LessonKeyPlace: CaseIterable {
  /// After `p` (the prompt), before the learning rate and save.
  case afterPrompt
  /// After the watch controls (pace, history, restart).
  case afterWatch
  /// Last, after the logits stage's guess keys, before a fine-tuning lesson's `M`.
  case last
}

/// What pressing a child's key does.
enum LessonChildOpening {
  /// Opens the screen over the lesson; `pausingTheRun` pauses the lesson's run first.
  case push(any Screen, pausingTheRun: Bool)
  /// The screen cannot open yet: this line shows in place of the footer, and the key is idle while it does.
  case unavailable(String)
}

/// One registered child screen as a lesson action: two are equal when they are the same screen type.
struct LessonChild: Hashable, CustomStringConvertible {
  let type: any LessonChildScreen.Type

  init(_ type: any LessonChildScreen.Type) { self.type = type }

  static func == (lhs: LessonChild, rhs: LessonChild) -> Bool { ObjectIdentifier(lhs.type) == ObjectIdentifier(rhs.type) }
  func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(type)) }
  var description: String { "\(type)" }
}

extension LessonScreen {
  /// What the lesson's child screens read of it.
  var childContext: LessonChildContext { LessonChildContext(plan: plan, session: session, snapshot: snapshot) }

  /// The bindings of the child screens listed at `place`, in the order of `children`.
  func childKeys(at place: LessonKeyPlace, _ L: Localized) -> [KeyBinding<Action>] {
    let context = childContext
    return children.filter { $0.place == place }.compactMap { type in
      type.key(context, L).map { key in
        KeyBinding([.char(key.key)], shown: String(key.key), label: key.label, help: key.help, priority: key.priority, action: .lesson(.child(LessonChild(type))))
      }
    }
  }

  /// Opens `child` over the lesson, or shows why it cannot open yet.
  mutating func open(_ child: LessonChild) -> [Effect] {
    let context = childContext
    guard children.map(LessonChild.init).contains(child), child.type.key(context, Localized(language)) != nil else { return [] }
    switch child.type.open(from: context) {
    case .push(let screen, let pausingTheRun):
      opened.insert(child)
      return (pausingTheRun ? [.pause(session)] : []) + [.push(screen)]
    case .unavailable(let line):
      note = line
      return []
    }
  }

  /// The line `child`'s key shows instead of opening it, if it cannot open now.
  func unavailableLine(_ child: LessonChild) -> String? {
    if case .unavailable(let line) = child.type.open(from: childContext) { return line }
    return nil
  }
}
