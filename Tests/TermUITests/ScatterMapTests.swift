import Testing
import TermUI
import TestSupport

/// The embedding map's scatter: dots, labelled points, labels that never overlap, CJK widths, trails, blocks.
@Suite struct ScatterMapTests {
  @Test func pointsLandWhereTheirCoordinatesSayWithUpPositive() {
    let lines = renderedLines(width: 12, height: 4, marker: " ") { area, buffer, theme in
      ScatterMap(dots: [SIMD2(0, 0), SIMD2(1, 1)], marks: [ScatterMap.Mark(x: 0.5, y: 0.5, label: "a")])
        .render(in: area, buffer: &buffer, theme: theme)
    }
    // One scale for both axes: the square's corners sit 4 rows (16 dots high) apart, so 16 dots (8 cells) wide.
    #expect(lines.joined().filter { $0 == "●" }.count == 1)
    #expect(lines[3].contains("⡀") && lines[0].contains("⠈"))
    let bottom = lines[3].firstIndex(of: "⡀")!, top = lines[0].firstIndex(of: "⠈")!
    #expect(lines[0].distance(from: lines[0].startIndex, to: top) - lines[3].distance(from: lines[3].startIndex, to: bottom) == 7)
    #expect(lines.joined(separator: "\n").contains("●a"))
  }

  @Test func labelsNeverOverlapAndTheFirstMarksWin() {
    // 60 marks crowded into a small plot: every label placed covers no other label or marked point.
    var state: UInt64 = 7
    func random() -> Float {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(state >> 40) / Float(1 << 24)
    }
    let names = ["说", "讲", "话", "the", "␣a", "狐狸", "e", "T", "[UNK]", "很好"]
    let marks = (0..<60).map { i in ScatterMap.Mark(x: random(), y: random(), label: names[i % names.count] + "\(i)") }
    let map = ScatterMap(dots: (0..<200).map { _ in SIMD2(random(), random()) }, marks: marks)
    for (width, height) in [(40, 12), (80, 24), (23, 7)] {
      let area = Rect(x: 0, y: 0, width: width, height: height)
      let places = map.labelPlaces(in: area, theme: Theme(capability: .monochrome))
      let placed = places.compactMap { $0 }
      #expect(placed.count >= 3, "\(width)×\(height): only \(placed.count) labels")
      #expect(places[0] != nil, "the first mark is always labelled")
      for (i, a) in placed.enumerated() {
        #expect(a.x >= 0 && a.right <= width && a.y >= 0 && a.y < height)
        for b in placed[(i + 1)...] where a.y == b.y {
          // A cell apart at least: two labels never read as one.
          #expect(a.right < b.x || b.right < a.x, "\(a) and \(b) touch")
        }
      }
      // What was placed is what is drawn: each label's text reads whole at its place.
      let buffer = renderedBuffer(width: width, height: height, marker: " ") { area, buffer, theme in map.render(in: area, buffer: &buffer, theme: theme) }
      for (mark, place) in zip(marks, places) {
        guard let place else { continue }
        #expect(buffer.text(row: place.y, from: place.x, width: place.width) == mark.label)
      }
    }
  }

  @Test func chineseLabelsTakeTwoColumnsACharacter() {
    let buffer = renderedBuffer(width: 20, height: 3, marker: "x") { area, buffer, theme in
      ScatterMap(dots: [], marks: [ScatterMap.Mark(x: 0, y: 0, label: "说话"), ScatterMap.Mark(x: 1, y: 0, label: "讲")])
        .render(in: area, buffer: &buffer, theme: theme)
    }
    let row = buffer.lines.first { $0.contains("说话") }!
    #expect(row.contains("●说话"))
    let places = ScatterMap(dots: [], marks: [ScatterMap.Mark(x: 0, y: 0, label: "说话"), ScatterMap.Mark(x: 1, y: 0, label: "讲")])
      .labelPlaces(in: Rect(x: 0, y: 0, width: 20, height: 3), theme: Theme(capability: .monochrome))
    #expect(places[0]?.width == 4 && places[1]?.width == 2)
    // A wide label is never cut in half at the edge: "讲" sits left of its point at the right border.
    #expect(buffer.lines.joined().contains("讲●") || buffer.lines.joined().contains("讲"))
  }

  @Test func trailsAreFaintDotsAndBlocksReplaceBrailleWhenAsked() {
    let mark = ScatterMap.Mark(x: 1, y: 1, label: "a", trail: [SIMD2(0, 0), SIMD2(0.5, 0.5)])
    let buffer = renderedBuffer(width: 10, height: 4, marker: " ", capability: .c256) { area, buffer, theme in
      ScatterMap(dots: [], marks: [mark]).render(in: area, buffer: &buffer, theme: theme)
    }
    let theme = Theme(capability: .c256)
    let trailCells = (0..<4).flatMap { y in (0..<10).map { x in buffer[x, y] } }.filter { ("\u{2801}"..."\u{28FF}").contains(String($0.grapheme)) }
    #expect(trailCells.count == 2)
    #expect(trailCells.allSatisfy { $0.style == theme.muted })
    let blocks = renderedLines(width: 10, height: 4, marker: " ", usesBraille: false) { area, buffer, theme in
      ScatterMap(dots: [SIMD2(0, 0), SIMD2(2, 1)], marks: [mark]).render(in: area, buffer: &buffer, theme: theme)
    }.joined()
    #expect(!blocks.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
    #expect(blocks.contains("o") && blocks.contains { "▀▄█".contains($0) })
  }

  @Test func emptyAndTinyAreasDrawNothingAndDoNotCrash() {
    let map = ScatterMap(dots: [SIMD2(0, 0)], marks: [ScatterMap.Mark(x: 0, y: 0, label: "很长的标签")])
    for (width, height) in [(0, 0), (1, 1), (3, 1), (1, 5)] {
      _ = renderedLines(width: max(1, width), height: max(1, height)) { area, buffer, theme in
        map.render(in: Rect(x: 0, y: 0, width: width, height: height), buffer: &buffer, theme: theme)
      }
    }
    #expect(ScatterMap(dots: [], marks: []).labelPlaces(in: Rect(x: 0, y: 0, width: 5, height: 5), theme: Theme(capability: .monochrome)) == [])
  }
}
