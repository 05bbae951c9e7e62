import Testing
import TermUI
import TestSupport

@Suite struct BufferTests {
  @Test func wideGraphemeCutAtTheClipBecomesASpace() {
    var used = 0
    let lines = renderedLines(width: 8, height: 1) { area, buffer, _ in
      used = buffer.set(string: "コンピ", at: Point(x: 0, y: 0), clipTo: Rect(x: 0, y: 0, width: 5, height: 1))
    }
    #expect(lines == ["コン ···"])
    #expect(used == 5)
  }

  @Test func wideGraphemesTakeTwoCellsWithAContinuation() {
    let buffer = renderedBuffer(width: 6, height: 1) { _, buffer, _ in
      buffer.set(string: "a注b", at: Point(x: 0, y: 0))
    }
    #expect(buffer.lines == ["a注b··"])
    #expect(buffer[1, 0].width == 2)
    #expect(buffer[2, 0].isContinuation)
    #expect(buffer[3, 0].grapheme == "b")
  }

  @Test func writingOverHalfAWideGraphemeBlanksTheOtherHalf() {
    let overRight = renderedLines(width: 4, height: 1) { _, buffer, _ in
      buffer.set(string: "注注", at: Point(x: 0, y: 0))
      buffer.set(string: "x", at: Point(x: 1, y: 0))
    }
    #expect(overRight == [" x注"])
    let overLeft = renderedLines(width: 4, height: 1) { _, buffer, _ in
      buffer.set(string: "注注", at: Point(x: 0, y: 0))
      buffer.set(string: "y", at: Point(x: 2, y: 0))
    }
    #expect(overLeft == ["注y "])
    let wideOverWide = renderedLines(width: 5, height: 1) { _, buffer, _ in
      buffer.set(string: "注注", at: Point(x: 0, y: 0))
      buffer.set(string: "コ", at: Point(x: 1, y: 0))
    }
    #expect(wideOverWide == [" コ ·"])
  }

  @Test func stringsClipToTheAreaAndTheBuffer() {
    let lines = renderedLines(width: 6, height: 3) { _, buffer, _ in
      buffer.set(string: "abcdefgh", at: Point(x: 2, y: 0))
      buffer.set(string: "hello", at: Point(x: 0, y: 1), clipTo: Rect(x: 1, y: 1, width: 3, height: 1))
      buffer.set(string: "outside", at: Point(x: 0, y: 2), clipTo: Rect(x: 0, y: 0, width: 6, height: 2))
    }
    #expect(lines == ["··abcd", "·ell··", "······"])
  }

  @Test func wideGraphemeStraddlingTheLeftClipEdgeBecomesASpace() {
    let lines = renderedLines(width: 6, height: 1) { _, buffer, _ in
      buffer.set(string: "注ab", at: Point(x: 0, y: 0), clipTo: Rect(x: 1, y: 0, width: 5, height: 1))
    }
    #expect(lines == ["· ab··"])
  }

  @Test func stylesArePatchedOverWhatIsThere() {
    let buffer = renderedBuffer(width: 3, height: 1) { area, buffer, _ in
      buffer.fill(area, with: Cell(" ", style: Style(bg: .ansi16(4))))
      buffer.set(string: "ab", at: Point(x: 0, y: 0), style: Style(fg: .ansi16(1), bold: true))
    }
    #expect(buffer[0, 0].style.fg == .ansi16(1))
    #expect(buffer[0, 0].style.bg == .ansi16(4))
    #expect(buffer[0, 0].style.isBold)
    #expect(buffer[2, 0].style.fg == nil)
  }

  @Test func styleRemovalUndoesModifiers() {
    let base = Style(fg: .ansi16(2), bold: true, underline: true)
    let patched = base.patched(with: Style(modifiers: [], removedModifiers: .bold))
    #expect(!patched.isBold)
    #expect(patched.isUnderlined)
    #expect(patched.fg == .ansi16(2))
  }

  @Test func fillRepairsWideGraphemesItCuts() {
    let lines = renderedLines(width: 6, height: 1) { _, buffer, _ in
      buffer.set(string: "注注注", at: Point(x: 0, y: 0))
      buffer.fill(Rect(x: 1, y: 0, width: 2, height: 1), with: Cell("-"))
    }
    #expect(lines == [" -- 注"])
  }
}

@Suite struct DiffTests {
  @Test func identicalBuffersHaveNoChanges() {
    var a = Buffer(size: Size(width: 10, height: 3))
    a.set(string: "hello 注意", at: Point(x: 0, y: 1))
    #expect(a.diff(from: a).isEmpty)
  }

  @Test func changingOneCellSendsExactlyOneChange() {
    var before = Buffer(size: Size(width: 20, height: 5))
    before.set(string: "The quick brown fox", at: Point(x: 0, y: 2))
    var after = before
    after.set(string: "Q", at: Point(x: 4, y: 2))
    let changes = after.diff(from: before)
    #expect(changes.count == 1)
    #expect(changes.first == CellChange(x: 4, y: 2, cell: Cell("Q")))
  }

  @Test func styleOnlyChangesAreSent() {
    var before = Buffer(size: Size(width: 4, height: 1))
    before.set(string: "ab", at: Point(x: 0, y: 0))
    var after = before
    after.patchStyle(Rect(x: 1, y: 0, width: 1, height: 1), with: Style(reverse: true))
    #expect(after.diff(from: before).map(\.x) == [1])
  }

  @Test func wideGraphemesAreSentOnceWithoutTheirContinuation() {
    let before = Buffer(size: Size(width: 6, height: 1))
    var after = before
    after.set(string: "注x", at: Point(x: 1, y: 0))
    let changes = after.diff(from: before)
    #expect(changes.map(\.x) == [1, 3])
    #expect(changes[0].cell.width == 2)
  }

  @Test func replacingAWideGraphemeWithNarrowOnesSendsBoth() {
    var before = Buffer(size: Size(width: 4, height: 1))
    before.set(string: "注", at: Point(x: 0, y: 0))
    var after = Buffer(size: Size(width: 4, height: 1))
    after.set(string: "ab", at: Point(x: 0, y: 0))
    #expect(after.diff(from: before).map(\.x) == [0, 1])
  }

  @Test func cellsCompareByWhatTheyShow() {
    #expect(Cell("█") == Cell("█"))
    #expect(Cell("█") != Cell("▓"))
    #expect(Cell("e\u{301}") == Cell("e\u{301}"))
    #expect(Cell("e\u{301}") != Cell("e"))
    #expect(Cell("a", style: Style(bold: true)) != Cell("a"))
    var cell = Cell("a")
    cell.grapheme = "b"
    #expect(cell == Cell("b"))
  }

  @Test func aSizeChangeSendsEveryCell() {
    let before = Buffer(size: Size(width: 3, height: 2))
    let after = Buffer(size: Size(width: 4, height: 2))
    #expect(after.diff(from: before).count == 8)
  }
}
