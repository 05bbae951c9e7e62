import Testing
import TermUI
import TestSupport

@Suite struct TokenStripTests {
  let strip = TokenStrip(texts: ["Hi", " there", "!"], ids: [5, 123, 0])

  @Test func chipsCarryTheirIdsUnderneath() {
    let lines = renderedLines(width: 12, height: 3) { area, buffer, theme in
      strip.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["Hi·␣there·!·", "5··123····0·", "············"])
  }

  @Test func wrapsOntoSeveralLines() {
    let lines = renderedLines(width: 8, height: 4) { area, buffer, theme in
      strip.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["Hi······", "5·······", "␣there·!", "123····0"])
    #expect(strip.height(forWidth: 8) == 4)
    #expect(strip.height(forWidth: 12) == 2)
  }

  @Test func chipsAreAsWideAsTheWiderOfTextAndId() {
    let lines = renderedLines(width: 10, height: 2) { area, buffer, theme in
      TokenStrip(texts: ["a", "猫"], ids: [1234, 7]).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["a   ·猫···", "1234·7····"])
  }

  @Test func highlightsOneTokenAndShowsSecondaryLabels() {
    let buffer = renderedBuffer(width: 12, height: 3) { area, buffer, theme in
      TokenStrip(texts: ["Hi", " there"], ids: [5, 123], labels: ["0.9", "→x"], highlightedIndex: 1)
        .render(in: area, buffer: &buffer, theme: theme)
    }
    // The first chip is as wide as its label "0.9".
    #expect(buffer.lines == ["Hi ·␣there··", "5···123·····", "0.9·→x······"])
    let theme = Theme(capability: .monochrome)
    #expect(buffer[4, 0].style == Style.plain.patched(with: theme.highlight))
    #expect(buffer[0, 0].style != buffer[4, 0].style)
  }

  @Test func scrollsToKeepTheHighlightedTokenVisible() {
    let tokens = (0..<6).map { "t\($0)" }
    let lines = renderedLines(width: 5, height: 2) { area, buffer, theme in
      TokenStrip(texts: tokens, ids: Array(0..<6), highlightedIndex: 5).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["t4·t5", "4··5·"])
  }
}

@Suite struct AlignedRowsTests {
  let rows = [
    AlignedRows.Row(label: "in", tokens: ["The", "猫", "a"]),
    AlignedRows.Row(label: "tgt", tokens: ["猫", "a", "The"]),
  ]

  @Test func columnsAlignToTheirWidestCellWhateverTheWidths() {
    let lines = renderedLines(width: 20, height: 2) { area, buffer, theme in
      AlignedRows(rows: rows).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["in··The·猫·a········", "tgt·猫··a··The······"])
    #expect(AlignedRows(rows: rows).columnWidths == [3, 2, 3])
  }

  @Test func highlightedColumnIsFilledAcrossItsWidth() {
    let buffer = renderedBuffer(width: 20, height: 2) { area, buffer, theme in
      AlignedRows(rows: rows, highlightedColumn: 1).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(buffer.lines == ["in··The·猫·a········", "tgt·猫··a ·The······"])
    #expect(buffer[9, 1].style.isReversed)
  }

  @Test func ignoredAndMaskedCellsGetTheirOwnStyles() {
    let buffer = renderedBuffer(width: 12, height: 1) { area, buffer, theme in
      AlignedRows(rows: [
        AlignedRows.Row(label: "", items: [.init("ok"), .init("—", role: .ignored), .init("[M]", role: .masked)])
      ]).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(buffer.lines == ["ok·—·[M]····"])
    #expect(buffer[3, 0].style.isDim)
    #expect(buffer[5, 0].style.isBold)
    #expect(!buffer[0, 0].style.isDim)
  }

  @Test func scrollsHorizontallyToTheHighlightedColumn() {
    let wide = [AlignedRows.Row(label: "x", tokens: ["aa", "bb", "cc", "dd", "ee", "ff"])]
    let atEnd = renderedLines(width: 12, height: 1) { area, buffer, theme in
      AlignedRows(rows: wide, highlightedColumn: 5).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(atEnd == ["x·‹dd·ee·ff·"])
    let atStart = renderedLines(width: 12, height: 1) { area, buffer, theme in
      AlignedRows(rows: wide, highlightedColumn: 0).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(atStart == ["x·aa·bb·cc·›"])
  }
}
