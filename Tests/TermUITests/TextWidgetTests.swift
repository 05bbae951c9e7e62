import Testing
import TermUI
import TestSupport

@Suite struct ParagraphTests {
  @Test func wrapsAtSpacesByDisplayWidth() {
    let lines = renderedLines(width: 10, height: 4) { area, buffer, theme in
      Paragraph("The quick brown fox jumps").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["The quick·", "brown fox·", "jumps·····", "··········"])
  }

  @Test func wrapsCJKBetweenCharacters() {
    let lines = renderedLines(width: 7, height: 3) { area, buffer, theme in
      Paragraph("注意力机制很重要").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["注意力·", "机制很·", "重要···"])
  }

  @Test func neverStartsALineWithClosingPunctuation() {
    let lines = renderedLines(width: 8, height: 3) { area, buffer, theme in
      Paragraph("一二三四，五六。").render(in: area, buffer: &buffer, theme: theme)
    }
    // "，" and "。" would start lines 2 and 3: each takes the character before it along.
    #expect(lines == ["一二三··", "四，五··", "六。····"])
  }

  @Test func closingPunctuationTakesANarrowWordBeforeItAlong() {
    let lines = renderedLines(width: 9, height: 2) { area, buffer, theme in
      Paragraph("权重为 0，很小。").render(in: area, buffer: &buffer, theme: theme)
    }
    // "，" would start line 2: the "0" before it goes down with it.
    #expect(lines == ["权重为···", "0，很小。"])
  }

  @Test func wrapsMixedLatinAndCJK() {
    let lines = renderedLines(width: 12, height: 2) { area, buffer, theme in
      Paragraph("Attention 注意力").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["Attention 注", "意力········"])
  }

  @Test func breaksWordsLongerThanTheLine() {
    let lines = renderedLines(width: 4, height: 3) { area, buffer, theme in
      Paragraph("abcdefghij").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["abcd", "efgh", "ij··"])
  }

  @Test func keepsExplicitNewlinesAndBlankLines() {
    let lines = renderedLines(width: 5, height: 3) { area, buffer, theme in
      Paragraph("ab\n\ncd").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["ab···", "·····", "cd···"])
  }

  @Test func styleBoldAndCodeInline() {
    let buffer = renderedBuffer(width: 20, height: 1) { area, buffer, theme in
      Paragraph("a **bold** `code` *x").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(buffer.lines == ["a bold code *x······"])
    #expect(!buffer[0, 0].style.isBold)
    #expect(buffer[2, 0].style.isBold)
    #expect(buffer[7, 0].style == Theme(capability: .monochrome).code)
    #expect(!buffer[12, 0].style.isBold)
  }

  @Test func alignedTabsMakeAColumnThatWrappedLinesHangFrom() {
    let text = "q\tquit\nspace\tscroll the help a page, or a line with the arrows\nPgUp/PgDn\tscroll a page\nA note without a tab wraps from the left edge."
    let lines = renderedLines(width: 30, height: 8) { area, buffer, theme in
      Paragraph(text, alignsTabs: true).render(in: area, buffer: &buffer, theme: theme)
    }
    // The column is two cells past "space"; descriptions start and wrap in it, CJK too
    // (the blanks that move them there are written, "·" marks cells left untouched).
    // "PgUp/PgDn" is too wide to move the column for everyone: a space follows it.
    #expect(lines == [
      "q      quit···················",
      "space  scroll the help a page,",
      "       or a line with the·····",
      "       arrows·················",
      "PgUp/PgDn scroll a page·······",
      "A note without a tab wraps····",
      "from the left edge.···········",
      "······························",
    ])
    let chinese = renderedLines(width: 24, height: 2) { area, buffer, theme in
      Paragraph("↑/↓\t帮助滚动一行，也可用方向键。", alignsTabs: true).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(chinese == ["↑/↓  帮助滚动一行，也可·", "     用方向键。·········"])
    // Without the option, or where the descriptions would be narrower than 16 cells, a tab is a space.
    #expect(renderedLines(width: 30, height: 1) { area, buffer, theme in
      Paragraph("q\tquit").render(in: area, buffer: &buffer, theme: theme)
    } == ["q quit························"])
    #expect(renderedLines(width: 20, height: 1) { area, buffer, theme in
      Paragraph("PgUp/PgDn\tscroll", alignsTabs: true).render(in: area, buffer: &buffer, theme: theme)
    } == ["PgUp/PgDn scroll····"])
  }

  @Test func aTextCutByItsAreaCanSaySoWithAnEllipsis() {
    let lines = renderedLines(width: 10, height: 2) { area, buffer, theme in
      var paragraph = Paragraph("The quick brown fox jumps")
      paragraph.marksCut = true
      paragraph.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["The quick·", "brown fox…"])
    // A full last line gives up its last word to the ellipsis, never half of it; a text that fits gets none.
    #expect(renderedLines(width: 9, height: 1) { area, buffer, theme in
      var paragraph = Paragraph("The quick brown")
      paragraph.marksCut = true
      paragraph.render(in: area, buffer: &buffer, theme: theme)
    } == ["The…·····"])
    #expect(renderedLines(width: 10, height: 3) { area, buffer, theme in
      var paragraph = Paragraph("The quick brown fox")
      paragraph.marksCut = true
      paragraph.render(in: area, buffer: &buffer, theme: theme)
    } == ["The quick·", "brown fox·", "··········"])
  }

  @Test func heightForWidthCountsWrappedLines() {
    let paragraph = Paragraph("The quick brown fox jumps")
    #expect(paragraph.height(forWidth: 10) == 3)
    #expect(paragraph.height(forWidth: 100) == 1)
    #expect(Paragraph("注意力机制").height(forWidth: 4) == 3)
  }

  @Test func scrollSkipsLines() {
    let lines = renderedLines(width: 10, height: 2) { area, buffer, theme in
      Paragraph("The quick brown fox jumps", scroll: 1).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["brown fox·", "jumps·····"])
  }
}

@Suite struct FrameTests {
  @Test func drawsATitledBoxAndReturnsTheInside() {
    var inner = Rect(x: 0, y: 0, width: 0, height: 0)
    let lines = renderedLines(width: 10, height: 4) { area, buffer, theme in
      inner = Frame(title: "Hi").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["┌ Hi ────┐", "│········│", "│········│", "└────────┘"])
    #expect(inner == Rect(x: 1, y: 1, width: 8, height: 2))
  }

  @Test func truncatesLongTitles() {
    let lines = renderedLines(width: 10, height: 2) { area, buffer, theme in
      Frame(title: "A long title").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[0] == "┌ A lon… ┐")
  }
}

@Suite struct KeyFooterTests {
  let footer = KeyFooter(entries: [
    .init("q", "quit", priority: 9), .init("space", "next", priority: 5), .init("?", "help", priority: 1),
  ])

  @Test func showsEverythingWhenItFits() {
    let lines = renderedLines(width: 26, height: 1) { area, buffer, theme in
      footer.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["q quit  space next  ? help"])
  }

  @Test func dropsLowestPriorityFirstAndKeepsOrder() {
    let medium = renderedLines(width: 20, height: 1) { area, buffer, theme in
      footer.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(medium == ["q quit  space next··"])
    let narrow = renderedLines(width: 10, height: 1) { area, buffer, theme in
      footer.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(narrow == ["q quit····"])
    #expect(footer.visibleEntries(forWidth: 3).isEmpty)
  }
}

@Suite struct ModalTests {
  @Test func clearsBeneathAndCentres() {
    let lines = renderedLines(width: 20, height: 7, marker: "x") { area, buffer, theme in
      Modal(title: "T", text: "hello", preferredWidth: 12).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == [
      "xxxxxxxxxxxxxxxxxxxx",
      "xxxxxxxxxxxxxxxxxxxx",
      "xxxx┌ T ───────┐xxxx",
      "xxxx│ hello    │xxxx",
      "xxxx└──────────┘xxxx",
      "xxxxxxxxxxxxxxxxxxxx",
      "xxxxxxxxxxxxxxxxxxxx",
    ])
  }

  @Test func textTallerThanTheBoxScrollsAndSaysHowMuchIsAboveAndBelow() {
    func frame(scroll: Int, hint: String = "") -> [String] {
      renderedLines(width: 20, height: 6, marker: "x") { area, buffer, theme in
        Modal(title: "T", text: "1\n2\n3\n4\n5\n6", preferredWidth: 16, scroll: scroll, scrollHint: hint)
          .render(in: area, buffer: &buffer, theme: theme)
      }
    }
    #expect(Modal(title: "T", text: "1\n2\n3\n4\n5\n6", preferredWidth: 16).scrollLimit(in: Rect(x: 0, y: 0, width: 20, height: 6)) == 2)
    #expect(frame(scroll: 0) == [
      "xx┌ T ───────────┐xx",
      "xx│ 1            │xx",
      "xx│ 2            │xx",
      "xx│ 3            │xx",
      "xx│ 4            │xx",
      "xx└──────── ↓ 2 ─┘xx",
    ])
    #expect(frame(scroll: 1)[1] == "xx│ 2            │xx")
    #expect(frame(scroll: 1)[5] == "xx└──── ↑ 1 ↓ 1 ─┘xx")
    // Past the end it stops at the last line; the hint shows where it fits.
    #expect(frame(scroll: 9, hint: "PgDn") == [
      "xx┌ T ───────────┐xx",
      "xx│ 3            │xx",
      "xx│ 4            │xx",
      "xx│ 5            │xx",
      "xx│ 6            │xx",
      "xx└─ ↑ 2 · PgDn ─┘xx",
    ])
    #expect(frame(scroll: 0, hint: "a hint far too long")[5] == "xx└──────── ↓ 2 ─┘xx", "the position stays when the hint does not fit")
  }

  @Test func textThatFitsShowsNoPositionWhateverTheScroll() {
    let lines = renderedLines(width: 20, height: 7, marker: "x") { area, buffer, theme in
      Modal(title: "T", text: "hello", preferredWidth: 12, scroll: 3, scrollHint: "PgDn").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[3] == "xxxx│ hello    │xxxx")
    #expect(lines[4] == "xxxx└──────────┘xxxx")
  }
}

@Suite struct SmallWidgetTests {
  @Test func sparklineScalesToTheVisibleValues() {
    let full = renderedLines(width: 8, height: 1) { area, buffer, theme in
      Sparkline(values: (0..<8).map(Double.init)).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(full == ["▁▂▃▄▅▆▇█"])
    let recent = renderedLines(width: 4, height: 1) { area, buffer, theme in
      Sparkline(values: (0..<8).map(Double.init)).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(recent == ["▁▃▆█"])
  }

  @Test func valueStripShadesByMagnitudeAndMarksSign() {
    let buffer = renderedBuffer(width: 6, height: 1) { area, buffer, theme in
      ValueStrip(values: [1, -1, 0, 0.5]).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(buffer.lines == ["██ ▒··"])
    #expect(!buffer[0, 0].style.isDim)
    #expect(buffer[1, 0].style.isDim)
    let cut = renderedLines(width: 3, height: 1) { area, buffer, theme in
      ValueStrip(values: [1, -1, 0, 0.5]).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(cut == ["██…"])
  }

  @Test func valueStripUsesADivergingColourScale() {
    let buffer = renderedBuffer(width: 3, height: 1, capability: .truecolor) { area, buffer, theme in
      ValueStrip(values: [-1, 0, 1]).render(in: area, buffer: &buffer, theme: theme)
    }
    guard case .rgb(let nr, _, let nb)? = buffer[0, 0].style.fg, case .rgb(let pr, _, let pb)? = buffer[2, 0].style.fg else {
      Issue.record("expected 24-bit colours")
      return
    }
    #expect(nb > nr)
    #expect(pr > pb)
  }

  @Test func progressBarShowsEighthsAndPercent() {
    let lines = renderedLines(width: 14, height: 1, marker: "x") { area, buffer, theme in
      ProgressBar(fraction: 0.5, label: "ep").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["ep ███▌···x50%"])
  }

  @Test func visibleTokenTextShowsWhitespace() {
    #expect(visibleTokenText(" the") == "␣the")
    #expect(visibleTokenText("\n") == "⏎", "as the tokenizers show it, and the console charset maps it")
    #expect(visibleTokenText("\t") == "⇥")
    #expect(visibleTokenText("") == "∅")
  }

  @Test func numbersFormatWithoutFoundation() {
    #expect(formatFixed(4.1744, decimals: 2) == "4.17")
    #expect(formatFixed(-0.004, decimals: 2) == "0.00")
    #expect(formatFixed(-1.5, decimals: 1) == "-1.5")
    #expect(formatFixed(0.05, decimals: 3) == "0.050")
    #expect(formatCompact(12_345) == "12k")
    #expect(formatCompact(0.25) == "0.250")
    #expect(formatCompact(.nan) == "nan")
  }
}
