/// Text attributes that do not change the colour: bold, dim, reverse, underline.
public struct Modifiers: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let bold = Modifiers(rawValue: 1 << 0)
  public static let dim = Modifiers(rawValue: 1 << 1)
  public static let reverse = Modifiers(rawValue: 1 << 2)
  public static let underline = Modifiers(rawValue: 1 << 3)
}

/// How a cell looks: colours and modifiers, where nil colours inherit.
///
/// Styles compose like ratatui's: ``patched(with:)`` lays one style over
/// another, so a widget can set a background once and write text over it.
public struct Style: Sendable, Hashable {
  /// The foreground, or nil to keep what is underneath.
  public var fg: Color?
  /// The background, or nil to keep what is underneath.
  public var bg: Color?
  /// Modifiers this style switches on.
  public var modifiers: Modifiers
  /// Modifiers this style switches off when patched over another.
  public var removedModifiers: Modifiers

  public init(
    fg: Color? = nil, bg: Color? = nil, modifiers: Modifiers = [], removedModifiers: Modifiers = []
  ) {
    self.fg = fg
    self.bg = bg
    self.modifiers = modifiers
    self.removedModifiers = removedModifiers
  }

  /// A style from flags, for call sites that read better that way.
  public init(
    fg: Color? = nil, bg: Color? = nil, bold: Bool = false, dim: Bool = false,
    reverse: Bool = false, underline: Bool = false
  ) {
    var modifiers: Modifiers = []
    if bold { modifiers.insert(.bold) }
    if dim { modifiers.insert(.dim) }
    if reverse { modifiers.insert(.reverse) }
    if underline { modifiers.insert(.underline) }
    self.init(fg: fg, bg: bg, modifiers: modifiers)
  }

  /// The empty style: changes nothing when patched over another.
  public static let plain = Style()

  public var isBold: Bool { modifiers.contains(.bold) }
  public var isDim: Bool { modifiers.contains(.dim) }
  public var isReversed: Bool { modifiers.contains(.reverse) }
  public var isUnderlined: Bool { modifiers.contains(.underline) }

  /// This style with `other` laid over it: other's colours win where set.
  public func patched(with other: Style) -> Style {
    Style(
      fg: other.fg ?? fg,
      bg: other.bg ?? bg,
      modifiers: modifiers.subtracting(other.removedModifiers).union(other.modifiers),
      removedModifiers: removedModifiers.subtracting(other.modifiers).union(other.removedModifiers))
  }

  /// This style with extra modifiers switched on.
  public func adding(_ extra: Modifiers) -> Style {
    var copy = self
    copy.modifiers.formUnion(extra)
    copy.removedModifiers.subtract(extra)
    return copy
  }

  public func foreground(_ color: Color?) -> Style {
    var copy = self
    copy.fg = color
    return copy
  }

  public func background(_ color: Color?) -> Style {
    var copy = self
    copy.bg = color
    return copy
  }
}
