/// One screen cell: a grapheme, how many columns it covers, and its style.
///
/// A wide grapheme occupies its own cell (width 2) and the cell to its right,
/// which becomes a continuation cell (width 0) that is never drawn itself.
public struct Cell: Sendable, Equatable {
  /// The grapheme shown; a space for blank and continuation cells.
  public var grapheme: Character {
    get { storedGrapheme }
    set {
      storedGrapheme = newValue
      scalar = measure(newValue).scalar
    }
  }
  /// 1 for ordinary cells, 2 for the first cell of a wide grapheme, 0 for its continuation.
  public var width: UInt8
  public var style: Style
  private var storedGrapheme: Character
  /// The grapheme's scalar value when it is a single scalar, else 0: a cheap equality key.
  private var scalar: UInt32

  public init(_ grapheme: Character = " ", width: UInt8 = 1, style: Style = .plain) {
    self.init(grapheme, scalar: measure(grapheme).scalar, width: width, style: style)
  }

  @inline(__always)
  init(_ grapheme: Character, scalar: UInt32, width: UInt8, style: Style) {
    self.storedGrapheme = grapheme
    self.scalar = scalar
    self.width = width
    self.style = style
  }

  /// Equal when they would look the same; single-scalar graphemes compare as integers,
  /// which keeps diffing a busy frame cheap.
  @inline(__always)
  public static func == (lhs: Cell, rhs: Cell) -> Bool {
    lhs.scalar == rhs.scalar && lhs.width == rhs.width && lhs.style == rhs.style
      && (lhs.scalar != 0 || lhs.storedGrapheme == rhs.storedGrapheme)
  }

  /// A space in the default style.
  public static let blank = Cell()

  /// True for the right half of a wide grapheme.
  public var isContinuation: Bool { width == 0 }

  static func continuation(style: Style) -> Cell { Cell(" ", scalar: 0x20, width: 0, style: style) }
}

/// A cell that must be redrawn: its position and what it now holds.
public struct CellChange: Sendable, Equatable {
  public var x: Int
  public var y: Int
  public var cell: Cell

  public init(x: Int, y: Int, cell: Cell) {
    self.x = x
    self.y = y
    self.cell = cell
  }
}
