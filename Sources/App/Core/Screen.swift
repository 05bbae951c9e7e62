import TermUI

/// One screen of the app: its state, how messages change it, and how it draws.
///
/// `update` changes only this screen's state and returns effects; `render` only draws.
/// Neither touches files nor runs the model: that is asked for with an `Effect` and
/// answered by a `Message`. Keys reach `perform` through `keys`, so the footer and the
/// help come from the same list; a binding names the action of each of its keys, so
/// an action carries its direction and `perform` never looks at the key pressed.
/// Adding a key is one binding in `keys` and one case in `perform`; adding a screen is one
/// file with a type conforming to this protocol, opened with `Effect.push`. A screen the
/// lesson opens with a key of its own also conforms to `LessonChildScreen` in that file and
/// is listed in `LessonChildren.all`.
protocol Screen {
  /// What the screen's keys do; every case is bound in some state (tests check).
  associatedtype Action: Hashable & CaseIterable

  /// The bindings in effect now (they may change with the state: a prompt box, running or paused).
  var keys: [KeyBinding<Action>] { get }
  /// The sessions this screen owns: they are stopped when it closes.
  var sessions: [SessionID] { get }
  /// Sessions another screen owns whose answers this one asked for (the guessing game reads the lesson's).
  var watching: [SessionID] { get }
  /// True while the screen takes typed text: printable keys no binding claims go to `receive` (`?` included).
  var takesText: Bool { get }

  /// The effects to run when the screen opens (starting its sessions).
  func start() -> [Effect]
  /// Does what a bound key asks.
  mutating func perform(_ action: Action) -> [Effect]
  /// True when `action` is listed but changes nothing in the current state (`←` on the first
  /// token): the key stays in the footer, so it does not jump, and tests know the silence is meant.
  func isIdle(_ action: Action) -> Bool
  /// Everything but bound keys: snapshots, answers to effects, child results, ticks, resizes, typed text.
  mutating func receive(_ message: Message) -> [Effect]
  /// Draws the screen from its state; changes nothing.
  func render(in area: Rect, buffer: inout Buffer, theme: Theme)
}

extension Screen {
  var sessions: [SessionID] { [] }
  var takesText: Bool { false }
  var watching: [SessionID] { [] }
  func start() -> [Effect] { [] }
  func isIdle(_ action: Action) -> Bool { false }

  /// Routes a message: a key to its binding's action (or, while typing, to `receive`); the rest to `receive`.
  ///
  /// Returns nil when the message meant nothing to the screen (an unbound key).
  mutating func update(_ message: Message) -> [Effect]? {
    guard case .key(let key) = message else { return receive(message) }
    for binding in keys { if let action = binding.action(for: key) { return perform(action) } }
    if takesText, case .char = key { return receive(message) }
    return nil
  }

  /// The footer, made from the bindings.
  var footer: KeyFooter { KeyFooter(entries: keys.footerEntries()) }

  /// The help overlay's text, made from the bindings.
  var helpText: String { keys.helpText() }
}

/// A part of a screen that owns its state, its keys and how they change it (the lesson's
/// prompt box, formula view, guesses, quit confirmation, watch controls).
///
/// The screen lists the part's bindings wrapped in its own action (`KeyBinding.map`) and
/// hands the part's actions back to it; what the part cannot decide alone (closing
/// itself, a line for the footer) it says in its `PartOutcome`.
protocol ScreenPart {
  associatedtype Action: Hashable & CaseIterable
  /// What the part reads of its screen (a snapshot, the session, the language).
  associatedtype Context

  func keys(_ context: Context) -> [KeyBinding<Action>]
  mutating func perform(_ action: Action, _ context: Context) -> PartOutcome
}

/// What a part's action asks of the screen that holds it.
struct PartOutcome {
  var effects: [Effect] = []
  /// The part is done: the screen goes back to its ordinary mode.
  var closes = false
  /// A line shown in place of the footer until the next key.
  var note: String? = nil

  static var none: PartOutcome { PartOutcome() }
}
