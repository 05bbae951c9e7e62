/// Wrapped text with light inline styling: `**bold**` and `` `code` ``.
///
/// Wraps at spaces by display width, and also between wide (CJK) characters,
/// which have no spaces to break at. Explicit newlines start new lines; a
/// word longer than the width is broken by characters.
public struct Paragraph: Sendable {
  public var text: String
  public var style: Style
  /// Lines skipped from the top (for scrolling long text).
  public var scroll: Int

  public init(_ text: String, style: Style = .plain, scroll: Int = 0) {
    self.text = text
    self.style = style
    self.scroll = scroll
  }

  /// The number of lines the text needs at a width.
  public func height(forWidth width: Int, theme: Theme = Theme(capability: .monochrome)) -> Int {
    wrappedLines(width: width, theme: theme).count
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let lines = wrappedLines(width: area.width, theme: theme)
    for (row, line) in lines.dropFirst(max(0, scroll)).prefix(area.height).enumerated() {
      var x = area.x
      for piece in line {
        x += buffer.set(character: piece.character, at: Point(x: x, y: area.y + row), style: piece.style, clipTo: area)
      }
    }
  }

  /// Full-width punctuation that must not begin a line.
  static let noLineStart: Set<Character> = ["，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "》", "〉", "】", "”", "’", "…", "～"]

  struct Glyph {
    var character: Character
    var style: Style
    var width: Int
  }

  /// The text broken into lines of styled glyphs no wider than `width`.
  func wrappedLines(width: Int, theme: Theme) -> [[Glyph]] {
    guard width > 0 else { return [] }
    let spans = parseInlineMarkup(text, base: style, code: theme.code)
    var lines: [[Glyph]] = []
    var line: [Glyph] = []
    var lineWidth = 0
    var word: [Glyph] = []
    var wordWidth = 0
    var hasPendingSpace = false

    func placeWord() {
      guard !word.isEmpty else { return }
      let gap = (hasPendingSpace && !line.isEmpty) ? 1 : 0
      if lineWidth + gap + wordWidth > width && !line.isEmpty {
        lines.append(line)
        line = []
        lineWidth = 0
      } else if gap == 1 {
        line.append(Glyph(character: " ", style: style, width: 1))
        lineWidth += 1
      }
      for glyph in word {
        if lineWidth + glyph.width > width {
          // A word wider than the line: break it between characters.
          lines.append(line)
          line = []
          lineWidth = 0
        }
        line.append(glyph)
        lineWidth += glyph.width
      }
      word = []
      wordWidth = 0
      hasPendingSpace = false
    }

    for span in spans {
      for character in span.text {
        if character == "\n" || character == "\r\n" {
          placeWord()
          lines.append(line)
          line = []
          lineWidth = 0
          hasPendingSpace = false
          continue
        }
        if character == " " || character == "\t" {
          placeWord()
          hasPendingSpace = true
          continue
        }
        let w = displayWidth(of: character)
        if w == 0 { continue }
        if w == 2 {
          // Wide characters may break on either side: each is a word of its own.
          placeWord()
          let glyph = Glyph(character: character, style: span.style, width: 2)
          // Chinese and Japanese typesetting never starts a line with closing punctuation:
          // the character before it moves down with it.
          if Self.noLineStart.contains(character), lineWidth + 2 > width, line.count > 1,
            let last = line.last, last.width == 2, !Self.noLineStart.contains(last.character)
          {
            line.removeLast()
            lines.append(line)
            line = [last, glyph]
            lineWidth = 4
            continue
          }
          word = [glyph]
          wordWidth = 2
          placeWord()
          continue
        }
        word.append(Glyph(character: character, style: span.style, width: w))
        wordWidth += w
      }
    }
    placeWord()
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }
}
