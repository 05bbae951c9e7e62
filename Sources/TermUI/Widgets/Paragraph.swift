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
  /// Whether a tab moves to one column shared by every line, the lines it wraps to starting there too.
  ///
  /// For a list of keys and what they do: the column is two cells past the widest
  /// text before a tab, so every description starts in it and wraps under itself.
  /// Text wider than `widestAlignedText` does not move the column (one long key
  /// would narrow every description): its tab is a space, and its lines still wrap
  /// to the column. Where the descriptions would be narrower than
  /// `minimumTabbedWidth` cells, a tab is a space, as it is without this.
  public var alignsTabs: Bool
  /// Whether the last line drawn ends with "…" when the area cuts the text short, so a reader knows there is more.
  public var marksCut = false

  /// The narrowest the text after an aligned tab may be; below it tabs are spaces.
  public static let minimumTabbedWidth = 16
  /// The widest text before a tab that the column makes room for.
  public static let widestAlignedText = 6

  public init(_ text: String, style: Style = .plain, scroll: Int = 0, alignsTabs: Bool = false) {
    self.text = text
    self.style = style
    self.scroll = scroll
    self.alignsTabs = alignsTabs
  }

  /// The column an aligned tab moves to at `width`, or nil when tabs are spaces.
  func tabColumn(width: Int) -> Int? {
    guard alignsTabs else { return nil }
    let widest = text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
      line.firstIndex(of: "\t").map { displayWidth(of: String(line[..<$0])) }
    }.filter { $0 <= Self.widestAlignedText }.max()
    guard let widest, widest + 2 + Self.minimumTabbedWidth <= width else { return nil }
    return widest + 2
  }

  /// The number of lines the text needs at a width.
  public func height(forWidth width: Int, theme: Theme = Theme(capability: .monochrome)) -> Int {
    wrappedLines(width: width, theme: theme).count
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let lines = wrappedLines(width: area.width, theme: theme)
    let shown = Array(lines.dropFirst(max(0, scroll)).prefix(area.height))
    let isCut = marksCut && max(0, scroll) + shown.count < lines.count
    for (row, line) in shown.enumerated() {
      var line = line
      if isCut, row == shown.count - 1 { line = Self.endingInEllipsis(line, width: area.width, style: style) }
      var x = area.x
      for piece in line {
        x += buffer.set(character: piece.character, at: Point(x: x, y: area.y + row), style: piece.style, clipTo: area)
      }
    }
  }

  /// `line` with "…" after its last word, dropping glyphs from its end until the two fit in `width`.
  ///
  /// A word that would lose its end loses all of it, unless it is the line's only word.
  static func endingInEllipsis(_ line: [Glyph], width: Int, style: Style) -> [Glyph] {
    var line = line
    var lineWidth = line.reduce(0) { $0 + $1.width }
    var dropped: Glyph?
    while let last = line.last, lineWidth + 1 > width {
      dropped = line.removeLast()
      lineWidth -= last.width
    }
    let isNarrow: (Glyph) -> Bool = { $0.width == 1 && $0.character != " " }
    if let dropped, isNarrow(dropped), let last = line.last, isNarrow(last), let space = line.lastIndex(where: { $0.character == " " }) {
      line.removeSubrange(space...)
    }
    while line.last?.character == " " { line.removeLast() }
    return line + [Glyph(character: "…", style: style, width: 1)]
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
    let tabColumn = tabColumn(width: width)
    var lines: [[Glyph]] = []
    var line: [Glyph] = []
    var lineWidth = 0
    // Where the lines wrapped from this one start (past an aligned tab), and where this one's text starts.
    var hangingIndent = 0
    var lineIndent = 0
    var word: [Glyph] = []
    var wordWidth = 0
    var hasPendingSpace = false

    func blanks(_ count: Int) -> [Glyph] {
      Array(repeating: Glyph(character: " ", style: style, width: 1), count: count)
    }

    /// Ends the line and starts the next one of the same source line, in the hanging indent.
    func wrapLine() {
      lines.append(line)
      line = blanks(hangingIndent)
      lineWidth = hangingIndent
      lineIndent = hangingIndent
    }

    func placeWord() {
      guard !word.isEmpty else { return }
      let hasText = lineWidth > lineIndent
      let gap = (hasPendingSpace && hasText) ? 1 : 0
      if lineWidth + gap + wordWidth > width && hasText {
        wrapLine()
      } else if gap == 1 {
        line.append(Glyph(character: " ", style: style, width: 1))
        lineWidth += 1
      }
      for glyph in word {
        if lineWidth + glyph.width > width {
          // A word wider than the line: break it between characters.
          wrapLine()
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
          hangingIndent = 0
          lineIndent = 0
          hasPendingSpace = false
          continue
        }
        if character == "\t", let tabColumn, hangingIndent == 0 {
          placeWord()
          // Text before the tab too wide for the column moves the tab on by a space.
          let pad = max(1, tabColumn - lineWidth)
          line += blanks(pad)
          lineWidth += pad
          hangingIndent = tabColumn
          lineIndent = lineWidth
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
          if Self.noLineStart.contains(character), lineWidth + 2 > width, lineWidth - lineIndent > 2,
            let last = line.last, last.width == 2, !Self.noLineStart.contains(last.character)
          {
            line.removeLast()
            wrapLine()
            line += [last, glyph]
            lineWidth += 4
            continue
          }
          // After a word of narrow characters ("为 0，"), the whole word moves down with it.
          if Self.noLineStart.contains(character), lineWidth + 2 > width, let last = line.last, last.width == 1, last.character != " " {
            var start = line.count - 1
            while start > 0, line[start - 1].width == 1, line[start - 1].character != " " { start -= 1 }
            let moved = Array(line[start...])
            let movedWidth = moved.count
            // Only when something stays behind, and the word with its mark fits on a line of its own.
            if line[..<start].contains(where: { $0.character != " " }), hangingIndent + movedWidth + 2 <= width {
              line.removeSubrange(start...)
              while line.last?.character == " " { line.removeLast() }
              wrapLine()
              line += moved + [glyph]
              lineWidth += movedWidth + 2
              continue
            }
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
