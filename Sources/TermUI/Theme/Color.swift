/// A terminal colour, from the terminal's own default to 24-bit RGB.
///
/// Widgets pick colours through a ``Theme``; the backend degrades whatever it
/// receives to what the terminal can show (see ``approximated(for:)``).
public enum Color: Sendable, Hashable {
  /// The terminal's default foreground or background.
  case `default`
  /// One of the 16 ANSI colours (0–7 normal, 8–15 bright).
  case ansi16(UInt8)
  /// One of the xterm 256-colour palette entries.
  case indexed(UInt8)
  /// A 24-bit colour.
  case rgb(UInt8, UInt8, UInt8)
}

extension Color {
  /// The colour expressed with at most what `capability` can show.
  ///
  /// Monochrome maps everything to `.default`: emphasis then comes from modifiers.
  public func approximated(for capability: ColorCapability) -> Color {
    switch (capability, self) {
    case (_, .default): return .default
    case (.truecolor, _): return self
    case (.c256, .rgb(let r, let g, let b)): return .indexed(Color.nearestIndexed(r, g, b))
    case (.c256, _): return self
    case (.c16, .ansi16): return self
    case (.c16, .indexed(let i)):
      let (r, g, b) = Color.rgbComponents(ofIndexed: i)
      return .ansi16(Color.nearestANSI(r, g, b))
    case (.c16, .rgb(let r, let g, let b)): return .ansi16(Color.nearestANSI(r, g, b))
    case (.monochrome, _): return .default
    }
  }

  /// The RGB value of a colour, or nil for the terminal default.
  public var rgbComponents: (UInt8, UInt8, UInt8)? {
    switch self {
    case .default: return nil
    case .ansi16(let i): return Color.ansiPalette[Int(i & 15)]
    case .indexed(let i): return Color.rgbComponents(ofIndexed: i)
    case .rgb(let r, let g, let b): return (r, g, b)
    }
  }

  /// The xterm palette entry nearest to an RGB value (cube or grey ramp).
  public static func nearestIndexed(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
    func cubeLevel(_ v: UInt8) -> Int {
      let v = Int(v)
      if v < 48 { return 0 }
      if v < 115 { return 1 }
      return min(5, (v - 35) / 40)
    }
    let (cr, cg, cb) = (cubeLevel(r), cubeLevel(g), cubeLevel(b))
    let levels = [0, 95, 135, 175, 215, 255]
    let cubeIndex = 16 + 36 * cr + 6 * cg + cb
    let cubeDistance = distance((r, g, b), (UInt8(levels[cr]), UInt8(levels[cg]), UInt8(levels[cb])))
    let average = (Int(r) + Int(g) + Int(b)) / 3
    let greyStep = max(0, min(23, (average - 3) / 10))
    let grey = UInt8(8 + 10 * greyStep)
    let greyDistance = distance((r, g, b), (grey, grey, grey))
    return greyDistance < cubeDistance ? UInt8(232 + greyStep) : UInt8(cubeIndex)
  }

  /// The ANSI colour (0–15) nearest to an RGB value.
  public static func nearestANSI(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
    var best = 0
    var bestDistance = Int.max
    for (index, entry) in ansiPalette.enumerated() {
      let d = distance((r, g, b), entry)
      if d < bestDistance { bestDistance = d; best = index }
    }
    return UInt8(best)
  }

  static func rgbComponents(ofIndexed i: UInt8) -> (UInt8, UInt8, UInt8) {
    let i = Int(i)
    if i < 16 { return ansiPalette[i] }
    if i >= 232 {
      let v = UInt8(8 + 10 * (i - 232))
      return (v, v, v)
    }
    let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
    let c = i - 16
    return (levels[c / 36], levels[(c / 6) % 6], levels[c % 6])
  }

  /// xterm's default values for the 16 ANSI colours.
  static let ansiPalette: [(UInt8, UInt8, UInt8)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
    (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
  ]

  private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
    let dr = Int(a.0) - Int(b.0)
    let dg = Int(a.1) - Int(b.1)
    let db = Int(a.2) - Int(b.2)
    // Weighted by the eye's sensitivity, which keeps greens from collapsing.
    return 3 * dr * dr + 4 * dg * dg + 2 * db * db
  }
}

/// What a terminal can show, from 24-bit colour down to none at all.
public enum ColorCapability: Sendable, Hashable, CaseIterable {
  case truecolor
  case c256
  case c16
  case monochrome
}
