import TermUI
import Testing

/// The console-safe character set, its stand-ins, and the frames a console-safe theme sends.
@Suite struct ConsoleCharsetTests {
  @Test func theSetHoldsAsciiLatin1BoxDrawingBlocksAndArrows() {
    for character: Character in ["a", "~", "é", "·", "×", "²", "┌", "─", "█", "░", "▀", "←", "↑", "⇄"] {
      #expect(ConsoleCharset.contains(character), "\(character)")
    }
    for character: Character in ["⠁", "⣿", "①", "␣", "⏎", "★", "✓", "✗", "◆", "—", "…", "√", "中"] {
      #expect(!ConsoleCharset.contains(character), "\(character)")
    }
  }

  @Test func everyStandInIsOneColumnInTheSetAndStandsForACharacterOutsideIt() {
    for (character, standIn) in ConsoleCharset.standIns {
      #expect(!ConsoleCharset.contains(character), "\(character) needs no stand-in")
      #expect(ConsoleCharset.contains(standIn), "\(character) → \(standIn) is outside the set")
      #expect(displayWidth(of: character) == 1 && displayWidth(of: standIn) == 1, "\(character) → \(standIn) changes width")
    }
  }

  @Test func theMarksTheAppDrawsHaveTheirOwnStandIns() {
    let expected: [Character: Character] = [
      "①": "1", "⑧": "8", "␣": "·", "⏎": "¶", "★": "*", "✓": "+", "✗": "x", "◆": "#", "—": "-", "₂": "2", "m̂": "m",
    ]
    for (character, standIn) in expected {
      #expect(ConsoleCharset.standIn(for: character) == standIn, "\(character)")
    }
    #expect(ConsoleCharset.standIn(for: "⠁") == nil, "braille has none: plots must not draw it")
  }

  @Test func aConsoleSafeTerminalSendsOnlyTheSet() {
    let backend = TestBackend(size: Size(width: 20, height: 2))
    let terminal = Terminal(backend: backend, theme: Theme(capability: .c16, consoleSafe: true), minimumSize: nil)
    terminal.draw { area, buffer in
      buffer.set(string: "① ★ best — ok ✓", at: Point(x: 0, y: 0), clipTo: area)
      buffer.set(string: "⠁ 中文 ░▒▓█ →", at: Point(x: 0, y: 1), clipTo: area)
    }
    #expect(backend.screen.lines == ["1 * best - ok +     ", "? ???? ░▒▓█ →       "], "a console has no CJK font: ?? per character")
  }

  @Test func aConsoleSafeThemeDrawsBlocksAndShades() {
    let theme = Theme(capability: .c16, consoleSafe: true)
    #expect(!theme.usesBraille && theme.isConsoleSafe)
    #expect(Theme.shades.contains(theme.heat(0.6).0) && theme.heat(0.6).0 != "█")
    #expect(Theme(capability: .c16).heat(0.6).0 == "█", "other themes keep colour blocks")
    var plot = Buffer(size: Size(width: 30, height: 8))
    LinePlot(series: [LinePlot.Series(name: "loss", points: (0..<50).map { PlotPoint(x: Double($0), y: Double(50 - $0)) })])
      .render(in: plot.area, buffer: &plot, theme: theme)
    let marks = plot.cells.map(\.grapheme)
    #expect(!marks.contains { $0.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) } })
    #expect(marks.contains { "▀▄█".contains($0) })
  }
}

@Suite struct ConsoleHeatmapTests {
  @Test func aTallHeatmapIsShadedNotPackedIntoHalfBlocks() {
    let grid = (0..<12).map { row in (0..<6).map { Float(($0 + row) % 6) / 5 } }
    var heatmap = Heatmap(grid)
    heatmap.packsRowPairs = true
    var packed = Buffer(size: Size(width: 20, height: 6))
    heatmap.render(in: packed.area, buffer: &packed, theme: Theme(capability: .c256))
    #expect(packed.lines.joined().contains("▀"), "in colour, two rows share a line")
    var shaded = Buffer(size: Size(width: 20, height: 6))
    heatmap.render(in: shaded.area, buffer: &shaded, theme: Theme(capability: .c16, consoleSafe: true))
    let text = shaded.lines.joined()
    #expect(!text.contains("▀") && !text.contains("▄"))
    #expect(text.contains("░") && text.contains("▓"), "\(shaded.lines.joined(separator: "\n"))")
  }
}
