/// The characters a Linux console's fonts can be trusted to show, and a stand-in for the rest.
///
/// The console (`TERM=linux`) and many fonts lack braille, circled digits and most
/// symbols; what they reliably hold is ASCII, Latin-1, box drawing, block elements and
/// arrows. A theme made for such a terminal (``Theme/isConsoleSafe``) draws plots with
/// block marks and heatmaps with shades, and ``Terminal`` passes every frame through
/// ``Buffer/restrictToConsoleCharset()``, which gives each other character its declared
/// one-column stand-in (★ becomes `*` in a plot and in the lesson text that explains
/// it alike). A console has no CJK font at all: a wide character becomes
/// ``unknownWide``, two columns that say something is there that it cannot show.
public enum ConsoleCharset {
  /// True when every scalar of `character` is in the set.
  public static func contains(_ character: Character) -> Bool {
    character.unicodeScalars.allSatisfy(contains)
  }

  /// True for ASCII, Latin-1, arrows, box drawing and block elements.
  public static func contains(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x20...0x7E, 0xA0...0xFF: true
    case 0x2190...0x21FF: true  // arrows
    case 0x2500...0x257F: true  // box drawing
    case 0x2580...0x259F: true  // block elements
    default: false
    }
  }

  /// The one-column character drawn for `character` on such a terminal; nil when it has none.
  ///
  /// A character in the set is its own stand-in. A letter with combining marks stands
  /// in as its base letter (m̂ → m).
  public static func standIn(for character: Character) -> Character? {
    if contains(character) { return character }
    if let declared = standIns[character] { return declared }
    let scalars = character.unicodeScalars
    if scalars.count > 1, let base = scalars.first, contains(base),
      scalars.dropFirst().allSatisfy({ $0.properties.generalCategory == .nonspacingMark })
    {
      return Character(base)
    }
    return nil
  }

  /// What is drawn for a character with no declared stand-in.
  public static let unknown: Character = "?"
  /// What a wide character (CJK, a wide emoji) becomes: one `unknown` per column.
  public static let unknownWide = "??"

  /// Every stand-in, each one column wide like the character it replaces.
  public static let standIns: [Character: Character] = {
    var table: [Character: Character] = [
      // Marks the app draws.
      "␣": "·", "⏎": "¶", "★": "*", "☆": "*", "✓": "+", "✔": "+", "✗": "x", "✘": "x", "✖": "x",
      "◆": "#", "◇": "o", "●": "o", "○": "o", "•": "·", "■": "#", "□": "o",
      "▶": ">", "►": ">", "◀": "<", "◄": "<", "▲": "^", "▼": "v", "⚠": "!", "⌫": "<",
      "∅": "Ø", "�": "?",
      // Punctuation.
      "—": "-", "–": "-", "‒": "-", "‐": "-", "…": "~", "“": "\"", "”": "\"", "„": "\"",
      "‘": "'", "’": "'", "‚": ",", "‹": "<", "›": ">", "′": "'", "″": "\"", "‖": "|",
      "⟨": "<", "⟩": ">", "⌊": "[", "⌋": "]", "⌈": "[", "⌉": "]",
      // Mathematics, where one column must do (formulas spell it out instead).
      "−": "-", "≈": "~", "≤": "<", "≥": ">", "≠": "#", "√": "v", "∞": "8", "Σ": "S", "∂": "d",
      "∈": "E", "⊙": "*", "∙": "·", "⋅": "·", "ℓ": "l", "α": "a", "β": "b", "γ": "g", "δ": "d",
      "ε": "e", "η": "n", "θ": "0", "λ": "l", "μ": "µ", "π": "p", "σ": "s", "τ": "t", "φ": "f",
      "ᵗ": "t", "ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₜ": "t", "₋": "-", "⁻": "-",
    ]
    let circled: [Character] = ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨"]
    let subscripts: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
    let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    for digit in 0...9 {
      let plain = Character(String(digit))
      if digit > 0 { table[circled[digit - 1]] = plain }
      table[subscripts[digit]] = plain
      // ¹ ² ³ are Latin-1 and stay; the others become plain digits.
      if !contains(superscripts[digit]) { table[superscripts[digit]] = plain }
    }
    return table
  }()
}

extension Buffer {
  /// Replaces every character outside ``ConsoleCharset`` with its stand-in
  /// (``ConsoleCharset/unknown`` when it has none, ``ConsoleCharset/unknownWide`` when
  /// it is wide); returns how many one-column characters had none.
  @discardableResult
  public mutating func restrictToConsoleCharset() -> Int {
    var unknown = 0
    for y in area.y..<area.bottom {
      for x in area.x..<area.right {
        let cell = self[x, y]
        if cell.width == 2, !ConsoleCharset.contains(cell.grapheme) {
          self[x, y] = Cell(ConsoleCharset.unknown, style: cell.style)
          if x + 1 < area.right { self[x + 1, y] = Cell(ConsoleCharset.unknown, style: cell.style) }
          continue
        }
        guard cell.width == 1, !cell.grapheme.isASCII else { continue }
        if let standIn = ConsoleCharset.standIn(for: cell.grapheme) {
          if standIn != cell.grapheme { self[x, y].grapheme = standIn }
        } else {
          self[x, y].grapheme = ConsoleCharset.unknown
          unknown += 1
        }
      }
    }
    return unknown
  }
}
