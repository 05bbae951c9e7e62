/// A key the user pressed, decoded from whatever the terminal sent.
public enum Key: Sendable, Hashable {
  /// A printable character (including space).
  case char(Character)
  case up, down, left, right
  case enter, tab, backTab, escape, backspace, delete
  case home, end, pageUp, pageDown
  /// F1, F2, … by number.
  case function(Int)
  /// The terminal changed size (as some backends report it among keys).
  case resize
  /// A control chord: `.ctrl("c")` is Ctrl-C, always lower-case.
  case ctrl(Character)
}

/// Something the UI loop must react to.
public enum Event: Sendable, Hashable {
  case key(Key)
  /// The terminal now has this size.
  case resize(Size)
  /// No input arrived within the polling interval: time to look for new data.
  case tick
}
