/// Semantic colours for every widget, resolved for one colour capability.
///
/// Widgets ask for roles (heat, positive, series 2, token chip 5, …), never
/// for concrete colours, so the same screen reads well in 24-bit colour, in
/// 16 colours and without colour at all. Without colour, heatmaps use the
/// shading characters " ░▒▓█" and highlights use reverse video and bold; on a
/// console-safe theme heatmaps use the shades too, coloured.
public struct Theme: Sendable {
  public var capability: ColorCapability
  /// Whether plots may use braille dots; block characters are used otherwise.
  public var usesBraille: Bool
  /// True for a terminal whose fonts hold only ``ConsoleCharset`` (the Linux console):
  /// plots use block marks, heatmaps shades, formulas plain ASCII math, and every frame
  /// keeps to the set.
  public var isConsoleSafe: Bool

  public init(capability: ColorCapability, usesBraille: Bool = true) {
    self.capability = capability
    self.usesBraille = usesBraille
    self.isConsoleSafe = false
  }

  /// A theme for `capability` that, when `consoleSafe`, keeps to ``ConsoleCharset``.
  public init(capability: ColorCapability, consoleSafe: Bool) {
    self.capability = capability
    self.usesBraille = !consoleSafe
    self.isConsoleSafe = consoleSafe
  }

  /// Shading characters from empty to full, for heat without colour.
  public static let shades: [Character] = [" ", "░", "▒", "▓", "█"]

  public var isMonochrome: Bool { capability == .monochrome }

  // MARK: Roles

  /// Ordinary text.
  public var text: Style { .plain }
  /// Secondary text: ids, axis labels, hints.
  public var muted: Style {
    isMonochrome ? Style(modifiers: .dim) : color(.rgb(138, 138, 150), fallback: .ansi16(8))
  }
  /// Emphasis that is not a selection: keys in the footer, headings.
  public var accent: Style {
    isMonochrome ? Style(modifiers: .bold) : color(.rgb(95, 175, 255), fallback: .ansi16(12)).adding(.bold)
  }
  /// The selected or current item.
  public var highlight: Style {
    isMonochrome
      ? Style(modifiers: [.reverse, .bold])
      : Style(fg: resolve(.rgb(20, 20, 20), fallback: .ansi16(0)), bg: resolve(.rgb(255, 215, 95), fallback: .ansi16(11)), modifiers: .bold)
  }
  /// Good news: a falling loss, a correct target.
  public var positive: Style {
    isMonochrome ? Style(modifiers: .bold) : color(.rgb(95, 215, 135), fallback: .ansi16(10))
  }
  /// Bad news: a rising loss, a wrong guess.
  public var negative: Style {
    isMonochrome ? Style(modifiers: .underline) : color(.rgb(255, 110, 110), fallback: .ansi16(9))
  }
  /// Errors and warnings that must be seen.
  public var error: Style {
    isMonochrome ? Style(modifiers: [.bold, .reverse]) : color(.rgb(255, 85, 85), fallback: .ansi16(9)).adding(.bold)
  }
  /// Frame borders.
  public var border: Style {
    isMonochrome ? .plain : color(.rgb(108, 108, 128), fallback: .ansi16(8))
  }
  /// Frame titles.
  public var title: Style {
    isMonochrome ? Style(modifiers: .bold) : color(.rgb(215, 215, 255), fallback: .ansi16(15)).adding(.bold)
  }
  /// Cells that carry no information (masked attention, ignored labels).
  public var masked: Style { Style(modifiers: .dim).patched(with: muted) }
  /// Inline code in paragraphs.
  public var code: Style {
    isMonochrome ? Style(modifiers: .underline) : color(.rgb(255, 175, 95), fallback: .ansi16(3))
  }

  /// The colour of the `index`th data series in plots and legends.
  public func series(_ index: Int) -> Style {
    if isMonochrome {
      return index % 2 == 0 ? Style(modifiers: .bold) : .plain
    }
    let palette: [(Color, Color)] = [
      (.rgb(95, 175, 255), .ansi16(12)), (.rgb(255, 175, 95), .ansi16(11)),
      (.rgb(135, 215, 135), .ansi16(10)), (.rgb(215, 135, 215), .ansi16(13)),
      (.rgb(95, 215, 215), .ansi16(14)), (.rgb(255, 135, 135), .ansi16(9)),
    ]
    let (rich, basic) = palette[index % palette.count]
    return color(rich, fallback: basic)
  }

  /// The chip style of the `index`th token box: alternating backgrounds that keep neighbours apart.
  public func tokenChip(_ index: Int) -> Style {
    if isMonochrome {
      return index % 2 == 0 ? Style(modifiers: .underline) : Style(modifiers: .bold)
    }
    let palette: [(Color, Color)] = [
      (.rgb(95, 135, 175), .ansi16(4)), (.rgb(135, 95, 135), .ansi16(5)),
      (.rgb(95, 135, 95), .ansi16(2)), (.rgb(175, 135, 95), .ansi16(3)),
      (.rgb(95, 135, 135), .ansi16(6)), (.rgb(175, 95, 95), .ansi16(1)),
    ]
    let (rich, basic) = palette[index % palette.count]
    return Style(fg: resolve(.rgb(250, 250, 250), fallback: .ansi16(15)), bg: resolve(rich, fallback: basic))
  }

  // MARK: Scales

  /// The glyph and style for a value on the heat scale (0 cold … 1 hot).
  public func heat(_ value: Double) -> (Character, Style) {
    let v = value.isFinite ? Swift.max(0, Swift.min(1, value)) : 0
    let shade = Theme.shades[Swift.min(4, Int(v * 4.999))]
    if isMonochrome { return (shade, .plain) }
    // A console's eight colours make a poor ramp: the shade carries the value, the colour helps.
    if isConsoleSafe { return (shade, Style(fg: heatColor(v))) }
    return ("█", Style(fg: heatColor(v)))
  }

  /// The concrete colour of the heat scale at `value` (unused in monochrome).
  public func heatColor(_ value: Double) -> Color {
    let v = Swift.max(0, Swift.min(1, value))
    switch capability {
    case .c16, .monochrome:
      let ramp: [UInt8] = [0, 4, 5, 1, 3, 11, 15]
      return .ansi16(ramp[Swift.min(ramp.count - 1, Int(v * Double(ramp.count - 1) + 0.5))])
    case .truecolor, .c256:
      // An inferno-like ramp: dark indigo through red and orange to pale yellow.
      let stops: [(Double, Double, Double)] = [
        (14, 12, 40), (80, 22, 110), (170, 45, 95), (235, 100, 40), (250, 190, 40), (252, 255, 164),
      ]
      let scaled = v * Double(stops.count - 1)
      let i = Swift.min(stops.count - 2, Int(scaled))
      let t = scaled - Double(i)
      let a = stops[i]
      let b = stops[i + 1]
      let rgb = Color.rgb(
        UInt8(a.0 + (b.0 - a.0) * t), UInt8(a.1 + (b.1 - a.1) * t), UInt8(a.2 + (b.2 - a.2) * t))
      return rgb.approximated(for: capability)
    }
  }

  /// The glyph and style for a value on a diverging scale (−1 negative … 0 … +1 positive).
  public func diverging(_ value: Double) -> (Character, Style) {
    let v = value.isFinite ? Swift.max(-1, Swift.min(1, value)) : 0
    let magnitude = abs(v)
    if isMonochrome || isConsoleSafe {
      let glyph = Theme.shades[Swift.min(4, Int(magnitude * 4.999))]
      if isMonochrome { return (glyph, v < 0 ? Style(modifiers: .dim) : .plain) }
      return (glyph, Style(fg: .ansi16(v < 0 ? 12 : 9)))
    }
    switch capability {
    case .c16, .monochrome:
      if magnitude < 0.2 { return ("·", muted) }
      let glyph: Character = magnitude < 0.6 ? "▒" : "█"
      return (glyph, Style(fg: .ansi16(v < 0 ? (magnitude < 0.6 ? 4 : 12) : (magnitude < 0.6 ? 1 : 9))))
    case .truecolor, .c256:
      // Blue for negative, red for positive, fading to a neutral grey at zero.
      let neutral = (60.0, 60.0, 70.0)
      let end = v < 0 ? (70.0, 140.0, 255.0) : (255.0, 90.0, 70.0)
      let color = Color.rgb(
        UInt8(neutral.0 + (end.0 - neutral.0) * magnitude),
        UInt8(neutral.1 + (end.1 - neutral.1) * magnitude),
        UInt8(neutral.2 + (end.2 - neutral.2) * magnitude))
      return ("█", Style(fg: color.approximated(for: capability)))
    }
  }

  // MARK: Helpers

  private func resolve(_ rich: Color, fallback: Color) -> Color {
    switch capability {
    case .truecolor: return rich
    case .c256: return rich.approximated(for: .c256)
    case .c16: return fallback
    case .monochrome: return .default
    }
  }

  private func color(_ rich: Color, fallback: Color) -> Style {
    Style(fg: resolve(rich, fallback: fallback))
  }
}
