import TermUI

/// One key binding as data: the keys, how the footer and the help show them, and the action of each key.
///
/// A screen lists its bindings once; the router dispatches keys from the list, the footer
/// and the `?` overlay are made from it, so what is shown cannot drift from what is handled.
/// A binding of two directions (`←/→`) names each key's action itself, so `perform`
/// never re-derives a direction from the key pressed.
struct KeyBinding<Action: Hashable>: Hashable {
  /// The keys that trigger the binding, and the action each triggers (in the same order).
  private(set) var keys: [Key]
  private(set) var actions: [Action]
  /// The keys as shown: "space", "←/→", "1–8".
  var shown: String
  /// The short label in the footer.
  var label: String
  /// The line in the help overlay.
  var help: String
  /// Footer priority (higher stays longer when the width runs short); nil: help only.
  var priority: Int?

  /// Every key in `keys` does `action`.
  init(_ keys: [Key], shown: String, label: String, help: String, priority: Int?, action: Action) {
    self.init(keys.map { ($0, action) }, shown: shown, label: label, help: help, priority: priority)
  }

  /// Each key does its own action: `[(.left, .token(.back)), (.right, .token(.forward))]`.
  init(_ pairs: [(Key, Action)], shown: String, label: String, help: String, priority: Int?) {
    keys = pairs.map(\.0)
    actions = pairs.map(\.1)
    self.shown = shown
    self.label = label
    self.help = help
    self.priority = priority
  }

  func matches(_ key: Key) -> Bool { keys.contains(key) }

  /// The action `key` triggers; nil when the binding does not hold it.
  func action(for key: Key) -> Action? {
    keys.firstIndex(of: key).map { actions[$0] }
  }

  /// The same binding triggering a wrapping action (a part's binding in its screen's list).
  func map<Other: Hashable>(_ transform: (Action) -> Other) -> KeyBinding<Other> {
    KeyBinding<Other>(Array(zip(keys, actions.map(transform))), shown: shown, label: label, help: help, priority: priority)
  }
}

/// Which way a two-key binding moves: `←`/`→`, `↑`/`↓`, `,`/`.`, `[`/`]`, `-`/`+`.
enum Direction: Hashable, CaseIterable, Sendable {
  case back, forward

  /// -1 or +1.
  var delta: Int { self == .back ? -1 : 1 }
}

extension Array {
  /// The footer entries of bindings that have a priority, in list order.
  func footerEntries<Action>() -> [KeyFooter.Entry] where Element == KeyBinding<Action> {
    compactMap { binding in binding.priority.map { KeyFooter.Entry(binding.shown, binding.label, priority: $0) } }
  }

  /// The help overlay's text: one line per binding, its keys and a tab before what they do (the overlay lines the tabs up).
  func helpText<Action>() -> String where Element == KeyBinding<Action> {
    map { $0.shown + "\t" + $0.help }.joined(separator: "\n")
  }
}
