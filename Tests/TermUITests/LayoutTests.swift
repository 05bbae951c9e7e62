import Testing
import TermUI

@Suite struct LayoutTests {
  let area = Rect(x: 2, y: 1, width: 100, height: 30)

  @Test func fixedPartsAndAFillSplitVertically() {
    let parts = area.split(.vertical, [.fixed(1), .fill(1), .fixed(1)])
    #expect(parts == [
      Rect(x: 2, y: 1, width: 100, height: 1),
      Rect(x: 2, y: 2, width: 100, height: 28),
      Rect(x: 2, y: 30, width: 100, height: 1),
    ])
  }

  @Test func fillsShareByWeightWithSpacing() {
    let parts = area.split(.horizontal, [.fill(1), .fill(2), .fill(1)], spacing: 2)
    #expect(parts.map(\.width) == [24, 48, 24])
    #expect(parts.map(\.x) == [2, 28, 78])
  }

  @Test func roundingLeftoversGoToTheFirstFills() {
    let parts = Rect(x: 0, y: 0, width: 10, height: 1).split(.horizontal, [.fill(1), .fill(1), .fill(1)])
    #expect(parts.map(\.width) == [4, 3, 3])
  }

  @Test func percentagesAreOfTheSpaceAfterSpacing() {
    let parts = Rect(x: 0, y: 0, width: 101, height: 1).split(.horizontal, [.percentage(25), .fill(1)], spacing: 1)
    #expect(parts.map(\.width) == [25, 75])
  }

  @Test func minimumsGrowWhenNoFillWantsTheSpace() {
    let parts = Rect(x: 0, y: 0, width: 20, height: 1).split(.horizontal, [.fixed(4), .min(3), .min(5)])
    #expect(parts.map(\.width) == [4, 7, 9])
  }

  @Test func tooLittleSpaceShrinksTheLastParts() {
    let parts = Rect(x: 0, y: 0, width: 8, height: 5).split(.horizontal, [.fixed(5), .fixed(5), .fill(1)])
    #expect(parts.map(\.width) == [5, 3, 0])
    #expect(parts.map(\.x) == [0, 5, 8])
  }

  @Test func emptyConstraintsGiveNoParts() {
    #expect(area.split(.vertical, []).isEmpty)
  }

  @Test func rectHelpers() {
    let r = Rect(x: 0, y: 0, width: 10, height: 6)
    #expect(r.inset(by: 1) == Rect(x: 1, y: 1, width: 8, height: 4))
    #expect(r.centered(Size(width: 4, height: 2)) == Rect(x: 3, y: 2, width: 4, height: 2))
    #expect(r.intersection(Rect(x: 8, y: 4, width: 5, height: 5)) == Rect(x: 8, y: 4, width: 2, height: 2))
    #expect(r.intersection(Rect(x: 20, y: 0, width: 1, height: 1)).isEmpty)
  }
}
