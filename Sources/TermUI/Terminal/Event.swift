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

/// What the mouse did, at a cell (0-based column and row).
public struct MouseEvent: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// The left button went down (a click acts on the press, as in htop).
    case press
    /// The left button came up.
    case release
    case wheelUp, wheelDown
  }

  public var kind: Kind
  public var x: Int
  public var y: Int

  public init(_ kind: Kind, x: Int, y: Int) {
    self.kind = kind
    self.x = x
    self.y = y
  }

  public var point: Point { Point(x: x, y: y) }
}

/// Something the UI loop must react to.
public enum Event: Sendable, Hashable {
  case key(Key)
  /// A click or the wheel; only a backend with the mouse on sends it.
  case mouse(MouseEvent)
  /// The terminal now has this size.
  case resize(Size)
  /// No input arrived within the polling interval: time to look for new data.
  case tick
}
