/// A position on the screen, in columns and rows from the top-left corner.
public struct Point: Sendable, Hashable {
  public var x: Int
  public var y: Int
  public init(x: Int, y: Int) {
    self.x = x
    self.y = y
  }
}

/// A size in columns and rows.
public struct Size: Sendable, Hashable, CustomStringConvertible {
  public var width: Int
  public var height: Int
  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  /// True when this size is at least `other` in both directions.
  public func covers(_ other: Size) -> Bool { width >= other.width && height >= other.height }

  public var description: String { "\(width)×\(height)" }
}

/// A rectangle of cells; empty when either side is zero.
public struct Rect: Sendable, Hashable, CustomStringConvertible {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int

  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }

  public init(origin: Point = Point(x: 0, y: 0), size: Size) {
    self.init(x: origin.x, y: origin.y, width: size.width, height: size.height)
  }

  public var size: Size { Size(width: width, height: height) }
  /// The first column to the right of the rectangle.
  public var right: Int { x + width }
  /// The first row below the rectangle.
  public var bottom: Int { y + height }
  public var isEmpty: Bool { width <= 0 || height <= 0 }
  public var area: Int { width * height }

  public func contains(_ point: Point) -> Bool {
    point.x >= x && point.x < right && point.y >= y && point.y < bottom
  }

  /// The overlap of two rectangles (empty, at self's origin, when they do not meet).
  public func intersection(_ other: Rect) -> Rect {
    let left = max(x, other.x)
    let top = max(y, other.y)
    let r = min(right, other.right)
    let b = min(bottom, other.bottom)
    if r <= left || b <= top { return Rect(x: left, y: top, width: 0, height: 0) }
    return Rect(x: left, y: top, width: r - left, height: b - top)
  }

  /// The rectangle shrunk by the given margins on each side.
  public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
    Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
  }

  /// The rectangle shrunk by `amount` on all four sides.
  public func inset(by amount: Int) -> Rect {
    inset(top: amount, left: amount, bottom: amount, right: amount)
  }

  /// The row at offset `index` from the top, one cell high.
  public func row(_ index: Int) -> Rect { Rect(x: x, y: y + index, width: width, height: 1) }

  /// A rectangle of at most `size` centred inside this one.
  public func centered(_ size: Size) -> Rect {
    let w = min(size.width, width)
    let h = min(size.height, height)
    return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
  }

  public var description: String { "Rect(x: \(x), y: \(y), \(width)×\(height))" }
}
