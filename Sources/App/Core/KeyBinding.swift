import TermUI

/// One key binding as data: the keys, how the footer and the help show them, and the action.
///
/// A screen lists its bindings once; the router dispatches keys from the list, the footer
/// and the `?` overlay are made from it, so what is shown cannot drift from what is handled.
struct KeyBinding<Action: Hashable>: Hashable {
  /// The keys that trigger the action.
  var keys: [Key]
  /// The keys as shown: "space", "←/→", "1–8".
  var shown: String
  /// The short label in the footer.
  var label: String
  /// The line in the help overlay.
  var help: String
  /// Footer priority (higher stays longer when the width runs short); nil: help only.
  var priority: Int?
  var action: Action

  init(_ keys: [Key], shown: String, label: String, help: String, priority: Int?, action: Action) {
    self.keys = keys
    self.shown = shown
    self.label = label
    self.help = help
    self.priority = priority
    self.action = action
  }

  func matches(_ key: Key) -> Bool { keys.contains(key) }
}

extension Array {
  /// The footer entries of bindings that have a priority, in list order.
  func footerEntries<Action>() -> [KeyFooter.Entry] where Element == KeyBinding<Action> {
    compactMap { binding in binding.priority.map { KeyFooter.Entry(binding.shown, binding.label, priority: $0) } }
  }

  /// The help overlay's text: one line per binding, the keys in a column.
  func helpText<Action>() -> String where Element == KeyBinding<Action> {
    let width = (map { displayWidth(of: $0.shown) }.reduce(0, Swift.max)) + 2
    return map { binding in
      binding.shown + String(repeating: " ", count: Swift.max(1, width - displayWidth(of: binding.shown))) + binding.help
    }.joined(separator: "\n")
  }
}
