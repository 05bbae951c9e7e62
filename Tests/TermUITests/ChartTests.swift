import Testing
import TermUI
import TestSupport

@Suite struct HeatmapTests {
  let values: [Float] = [1, 9, 9, 0.5, 0.5, 9, 0.2, 0.3, 0.5]

  @Test func monochromeShadesValuesAndDotsTheCausalMask() {
    let lines = renderedLines(width: 4, height: 3, marker: "x") { area, buffer, theme in
      Heatmap(rows: 3, columns: 3, values: values, mask: .causal, cellWidth: 1, showsLegend: false)
        .render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["█··x", "▒▒·x", " ░▒x"])
  }

  @Test func highlightedRowGetsAMarkerAndLabelsAlign() {
    let buffer = renderedBuffer(width: 6, height: 3, marker: "x") { area, buffer, theme in
      Heatmap(
        rows: 3, columns: 3, values: values, mask: .causal, rowLabels: ["a", "b", "c"], highlightedRow: 1,
        cellWidth: 1, showsLegend: false
      ).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(buffer.lines == [" ax█··", "▶bx▒▒·", " cx ░▒"])
    #expect(buffer[1, 1].style.isReversed)
    #expect(buffer[3, 1].style.isUnderlined)
  }

  @Test func widerCellsRepeatTheGlyphAndLegendExplainsTheScale() {
    let lines = renderedLines(width: 24, height: 4, marker: "x") { area, buffer, theme in
      Heatmap(rows: 3, columns: 3, values: values, mask: .causal, cellWidth: 2)
        .render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == [
      "██· · xxxxxxxxxxxxxxxxxx",
      "▒▒▒▒· xxxxxxxxxxxxxxxxxx",
      "  ░░▒▒xxxxxxxxxxxxxxxxxx",
      "0   ░▒▒▓██ 1.00  · maske",
    ])
  }

  @Test func monochromeShadesAreExactAtTheirBoundaries() {
    // 0.2001 is just past the first shade step (1/5 of 4.999): it must not round back to blank.
    let lines = renderedLines(width: 2, height: 1, marker: "x") { area, buffer, theme in
      Heatmap(rows: 1, columns: 2, values: [0.2001, 0.1999], cellWidth: 1, showsLegend: false)
        .render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["░ "])
  }

  @Test func customMasksAndRanges() {
    let lines = renderedLines(width: 2, height: 1, marker: "x") { area, buffer, theme in
      Heatmap(rows: 1, columns: 2, values: [-2, 2], range: -2...2, mask: .custom([false, true]), showsLegend: false)
        .render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == [" ·"])
  }

  @Test func oneCharacterColumnLabelsStayMutedAndApartAsBefore() {
    let buffer = renderedBuffer(width: 9, height: 2, marker: "x") { area, buffer, theme in
      Heatmap(rows: 1, columns: 3, values: [1, 1, 1], columnLabels: ["t", "很", "⏎"], cellWidth: 3, showsLegend: false)
        .render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(buffer.lines[0] == "txx很x⏎xx")
    #expect(buffer[0, 0].style == Theme(capability: .monochrome).muted)
  }

  @Test func labelsThatFillTheirCellsAlternateStylesAndBytesAreDim() {
    // "␣d" "r" "in" "k" would read "␣dr ink"; the hex digits of bytes run into one another.
    var map = Heatmap(
      rows: 1, columns: 6, values: [Float](repeating: 1, count: 6), columnLabels: ["␣d", "r", "in", "k", "E6", "95"], cellWidth: 2,
      showsLegend: false)
    map.dimmedColumnLabels = [4, 5]
    let buffer = renderedBuffer(width: 12, height: 2, marker: "x") { area, buffer, theme in map.render(in: area, buffer: &buffer, theme: theme) }
    #expect(buffer.lines[0] == "␣dr ink E695")
    let theme = Theme(capability: .monochrome)
    for column in 0..<6 {
      // Whole cells, blanks included, so each label's extent shows.
      #expect(buffer[column * 2, 0].style == theme.tokenChip(column).adding(column >= 4 ? .dim : []), "column \(column)")
      #expect(buffer[column * 2 + 1, 0].style == buffer[column * 2, 0].style, "column \(column)")
    }
    #expect(buffer[0, 0].style != buffer[2, 0].style)
  }

  @Test func cellsShrinkSoSixtyFourPositionsFit() {
    let map = Heatmap(rows: 64, columns: 64, values: [Float](repeating: 0.5, count: 64 * 64))
    #expect(map.effectiveCellWidth(forWidth: 80) == 1)
    #expect(map.effectiveCellWidth(forWidth: 130) == 2)
    #expect(map.effectiveCellWidth(forWidth: 200) == 3)
    let lines = renderedLines(width: 70, height: 10, marker: "x") { area, buffer, theme in
      map.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[0] == String(repeating: "▒", count: 64) + "xxxxxx")
  }

  @Test func rowsScrollToKeepTheHighlightedRowVisible() {
    let labels = (0..<64).map { String($0) }
    let lines = renderedLines(width: 80, height: 10) { area, buffer, theme in
      Heatmap(
        rows: 64, columns: 64, values: [Float](repeating: 0.5, count: 64 * 64), mask: .causal,
        rowLabels: labels, highlightedRow: 40
      ).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[0].hasPrefix(" 36·"))
    #expect(lines[4].hasPrefix("▶40·"))
    #expect(lines[9].contains("rows 36–44/64"))
  }

  @Test func packedRowsShowTwoRowsPerLineInColour() {
    let theme = Theme(capability: .truecolor)
    let buffer = renderedBuffer(width: 6, height: 2, marker: "x", capability: .truecolor) { area, buffer, theme in
      Heatmap(
        rows: 4, columns: 3, values: [1, 0, 0, 0.5, 0.5, 0, 0.2, 0.3, 0.5, 1, 1, 1], mask: .causal,
        rowLabels: ["a", "b", "c", "d"], highlightedRow: 3, cellWidth: 1, showsLegend: false, packsRowPairs: true
      ).render(in: area, buffer: &buffer, theme: theme)
    }
    // Line 1 holds rows a and b, line 2 rows c and d (the highlighted one, so its label shows).
    #expect(buffer.lines == [" ax▀▄·", "▶dx▀▀▀"])
    #expect(buffer[3, 0].style.fg == theme.heatColor(1))
    #expect(buffer[3, 0].style.bg == theme.heatColor(Heatmap.quantized(0.5)))
    #expect(buffer[4, 0].style.fg == theme.heatColor(Heatmap.quantized(0.5)))
    #expect(buffer[5, 1].style.bg == theme.heatColor(1))
  }

  @Test func packingIsOnlyForColourAndOnlyWhenRowsDoNotFit() {
    let values = [Float](repeating: 0.5, count: 16)
    let mono = renderedLines(width: 4, height: 2, marker: "x") { area, buffer, theme in
      Heatmap(rows: 4, columns: 4, values: values, cellWidth: 1, showsLegend: false, packsRowPairs: true)
        .render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(mono == ["▒▒▒▒", "▒▒▒▒"])
    let roomy = renderedLines(width: 4, height: 4, capability: .c256) { area, buffer, theme in
      Heatmap(rows: 4, columns: 4, values: values, cellWidth: 1, showsLegend: false, packsRowPairs: true)
        .render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(roomy == ["████", "████", "████", "████"])
  }

  @Test func coloursComeFromTheHeatScale() {
    let buffer = renderedBuffer(width: 2, height: 1, capability: .truecolor) { area, buffer, theme in
      Heatmap(rows: 1, columns: 2, values: [0, 1], cellWidth: 1, showsLegend: false).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(buffer.lines == ["██"])
    let theme = Theme(capability: .truecolor)
    #expect(buffer[0, 0].style.fg == theme.heatColor(0))
    #expect(buffer[1, 0].style.fg == theme.heatColor(1))
    #expect(theme.heatColor(0) != theme.heatColor(1))
  }
}

@Suite struct BarChartTests {
  let bars = [BarChart.Bar(label: "a", value: 1), BarChart.Bar(label: "bb", value: 0.5)]

  @Test func barsScaleToTheLargestWithRightAlignedLabels() {
    let lines = renderedLines(width: 20, height: 3) { area, buffer, theme in
      BarChart(bars: bars).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["·a·███████████·1.00·", "bb·█████▌······0.500", "····················"])
  }

  @Test func labelsTooWideForAThirdUseTheirCompactFormSoTheyStayDistinct() {
    let names = [("h0.attn.c_attn.w", "h0.a.c_attn.w"), ("h0.attn.c_attn.b", "h0.a.c_attn.b"), ("h0.mlp.c_fc.w", "h0.m.c_fc.w")]
    let bars = names.map { BarChart.Bar(label: $0.0, value: 1, valueText: "1", compactLabel: $0.1) }
    let narrow = renderedLines(width: 40, height: 3) { area, buffer, theme in
      BarChart(bars: bars).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(narrow[0].hasPrefix("h0.a.c_attn.w·") && narrow[1].hasPrefix("h0.a.c_attn.b·"), "\(narrow)")
    #expect(narrow[2].hasPrefix("··h0.m.c_fc.w·"), "one form for all, though this one would fit: \(narrow)")
    let wide = renderedLines(width: 60, height: 3) { area, buffer, theme in
      BarChart(bars: bars).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(wide[0].hasPrefix("h0.attn.c_attn.w·") && wide[1].hasPrefix("h0.attn.c_attn.b·"), "\(wide)")
  }

  @Test func referenceLineIsMarkedAndLabelled() {
    let lines = renderedLines(width: 20, height: 3) { area, buffer, theme in
      BarChart(bars: bars, referenceValue: 0.75, referenceLabel: "ref").render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines == ["·a·███████████·1.00·", "bb·█████▌··│···0.500", "·ref 0.750 ┘········"])
  }

  @Test func referenceLabelGoesRightWhenThereIsRoom() {
    let lines = renderedLines(width: 30, height: 2) { area, buffer, theme in
      BarChart(bars: [BarChart.Bar(label: "x", value: 1)], maxValue: 4, referenceValue: 1, referenceLabel: "ln V")
        .render(in: area, buffer: &buffer, theme: theme)
    }
    // Bar area is 30 - 1 - 1 - 4 - 1 = 23 wide; 1/4 of it is 5.75 cells.
    #expect(lines == ["x·█████▊··················1.00", "·······└ ln V 1.00············"])
  }

  @Test func extremeValuesNeitherCrashNorOverflow() {
    let lines = renderedLines(width: 20, height: 3) { area, buffer, theme in
      BarChart(
        bars: [BarChart.Bar(label: "a", value: .infinity), BarChart.Bar(label: "b", value: -3), BarChart.Bar(label: "c", value: .nan)],
        maxValue: 1e-300, referenceValue: 1e300, referenceLabel: "r"
      ).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[0].hasPrefix("a·"))
    #expect(lines[0].contains("│·inf"))
    #expect(lines[1].contains("│"))
  }

  @Test func highlightedBarIsEmphasisedAndValueTextOverrides() {
    let buffer = renderedBuffer(width: 12, height: 1) { area, buffer, theme in
      BarChart(bars: [BarChart.Bar(label: "p", value: 1, valueText: "99%")], highlightedIndex: 0)
        .render(in: area, buffer: &buffer, theme: theme)
    }
    // 12 columns: label, gap, 6 cells of bar, gap, value.
    #expect(buffer.lines == ["p·██████·99%"])
    #expect(buffer[0, 0].style.isReversed)
  }
}

@Suite struct LinePlotTests {
  let diagonal = LinePlot(
    series: [LinePlot.Series(name: "s", points: [PlotPoint(x: 0, y: 0), PlotPoint(x: 1, y: 1)])], showsLegend: false)

  @Test func axesTicksAndLabels() {
    let lines = renderedLines(width: 12, height: 5) { area, buffer, theme in
      diagonal.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[0].hasPrefix("1.00┤"))
    #expect(lines[1].hasPrefix("····│"))
    #expect(lines[2].hasPrefix("···0┤"))
    #expect(lines[3] == "····└┴─────┴")
    #expect(lines[4] == "·····0·····1")
  }

  @Test func stepAxisTicksAreRound() {
    #expect(AxisTicks.linear(from: 0, to: 1600, maxCount: 5) == [0, 500, 1000, 1500])
    #expect(AxisTicks.linear(from: 1, to: 30337, maxCount: 6) == [10000, 20000, 30000])
    #expect(AxisTicks.linear(from: 0, to: 7, maxCount: 8) == [0, 1, 2, 3, 4, 5, 6, 7])
    #expect(AxisTicks.logarithmic(from: 1, to: 14_600, maxCount: 8) == [1, 10, 100, 1000, 10000])
    #expect(AxisTicks.logarithmic(from: 1, to: 1e7, maxCount: 4) == [1, 100, 10000, 1e6])
    #expect(AxisTicks.logarithmic(from: 2, to: 9, maxCount: 4).isEmpty)
    #expect([0, 500, 1000, 1500, 10000, 2_000_000, 0.5].map(AxisTicks.label) == ["0", "500", "1k", "1.5k", "10k", "2M", "0.5"])
  }

  @Test func aLogStepAxisReadsOneTenHundredThousand() {
    let losses = (1...2000).map { 4 / (1 + Double($0).squareRoot()) }
    let plot = LinePlot(
      series: [LinePlot.Series(name: "train", values: losses, xStart: 1)], xLabel: "step", isLogX: true, showsLegend: false)
    let lines = renderedLines(width: 60, height: 8) { area, buffer, theme in
      plot.render(in: area, buffer: &buffer, theme: theme)
    }
    let ticks: [String] = lines[7].split(separator: "·").map { String($0) }
    #expect(ticks == ["1", "10", "100", "1k", "step"], "\(lines[7])")
    // Decades are equally apart.
    let row = Array(lines[7])
    let starts = row.indices.filter { row[$0] != "·" && ($0 == 0 || row[$0 - 1] == "·") }
    #expect(starts.count == 5)
    let gaps = zip(starts.dropFirst(), starts).prefix(3).map { $0 - $1 }
    #expect(gaps.max()! - gaps.min()! <= 1, "\(gaps)")
    // The fall in the first ten steps spreads over a third of the width, not one column.
    let firstDecade = (0..<7).map { Array(lines[$0]) }.filter { line in line[6..<22].contains { $0 != "·" && $0 != " " && $0 != "│" } }
    #expect(firstDecade.count >= 3)
  }

  @Test func markersShowAGlyphAndALabelOnTheirPoint() {
    let plot = LinePlot(
      series: [LinePlot.Series(name: "val", values: [4, 3, 2, 1.5, 1.4, 1.6], xStart: 1)],
      yRange: 0...4, markers: [LinePlot.Marker(x: 5, y: 1.4, glyph: "◆", label: "best")], showsLegend: false)
    let lines = renderedLines(width: 40, height: 9) { area, buffer, theme in
      plot.render(in: area, buffer: &buffer, theme: theme)
    }
    let row = lines.first { $0.contains("◆") }
    #expect(row?.contains("best◆") == true || row?.contains("◆best") == true, "\(lines)")
  }


  @Test func aMilestoneAtTheRightEndOfItsReferenceLineLeavesBothLabelsWhole() throws {
    // A run paused at its bigram milestone: the newest point, on the bigram line, at the right edge.
    let plot = LinePlot(
      series: [LinePlot.Series(name: "val", values: [4, 3, 2.2, 1.8, 1.5], xStart: 1)],
      referenceLines: [LinePlot.ReferenceLine(value: 1.5, label: "bigram")], yRange: 0...4,
      markers: [
        LinePlot.Marker(x: 5, y: 1.5, glyph: "◇", label: ""),
        LinePlot.Marker(x: 5, y: 1.5, glyph: "◆", label: "bigram"),
      ], showsLegend: false)
    let lines = renderedLines(width: 40, height: 9) { area, buffer, theme in
      plot.render(in: area, buffer: &buffer, theme: theme)
    }
    let row = try #require(lines.first { $0.contains("╌") })
    #expect(row.hasSuffix(" bigram 1.50 ◆"), "\(lines.joined(separator: "\n"))")
    #expect(lines.joined().components(separatedBy: "bigram").count - 1 == 2, "the line's label and the milestone's")
  }

  @Test func labelsOverADimmedCurveAreNotDimmed() throws {
    // A previous run's curve, dimmed, runs flat along the row the labels are written on.
    let plot = LinePlot(
      series: [LinePlot.Series(name: "", values: Array(repeating: 1.5, count: 20), xStart: 1, style: Style(dim: true))],
      referenceLines: [LinePlot.ReferenceLine(value: 1.5, label: "bigram")], yRange: 0...4,
      markers: [LinePlot.Marker(x: 5, y: 1.5, glyph: "◆", label: "best", style: Style(bold: true))], showsLegend: false)
    let buffer = renderedBuffer(width: 40, height: 9, capability: .c256) { area, buffer, theme in
      plot.render(in: area, buffer: &buffer, theme: theme)
    }
    let row = try #require(buffer.lines.firstIndex { $0.contains("bigram") })
    let text = Array(buffer.lines[row])
    let labelled = text.indices.filter { text[$0].isLetter || text[$0] == "◆" }
    #expect(labelled.count == "bigram".count + "best".count + 1, "\(buffer.lines[row])")
    for x in labelled {
      #expect(!buffer[x, row].style.isDim, "'\(text[x])' at \(x) is dimmed")
    }
  }

  @Test func markerAndReferenceLabelsNeverOverlap() {
    // Seeded layouts of markers and reference lines; every word in the plot must be one whole label.
    var seed: UInt64 = 0x9E37_79B9
    func next(_ bound: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(bound))
    }
    let names = ["unigram", "bigram", "best", "diverged", "lr"]
    let references = ["lnV", "uni", "bi", "you"]
    for round in 0..<300 {
      let lines = (0..<(1 + next(3))).map { i in LinePlot.ReferenceLine(value: Double(next(40)) / 10, label: references[i]) }
      let markers = (0..<next(6)).map { _ in
        LinePlot.Marker(
          x: Double(1 + next(20)), y: [lines[next(lines.count)].value, Double(next(40)) / 10][next(2)],
          glyph: ["◆", "★", "◇"][next(3)], label: next(4) == 0 ? "" : names[next(names.count)])
      }
      let plot = LinePlot(
        series: [LinePlot.Series(name: "val", values: (1...20).map { 4 - Double($0) / 6 }, xStart: 1)],
        referenceLines: lines, yRange: 0...4, xRange: 1...20, markers: markers, showsLegend: false)
      let width = [24, 40, 60][round % 3]
      let rendered = renderedLines(width: width, height: 4 + next(10)) { area, buffer, theme in
        plot.render(in: area, buffer: &buffer, theme: theme)
      }
      for line in rendered {
        let words = line.split { !($0.isLetter || $0.isNumber || $0 == ".") }.map(String.init)
        for word in words where !(names + references).contains(word) {
          #expect(Double(word.replacingOccurrences(of: "k", with: "")) != nil, "'\(word)' in\n\(rendered.joined(separator: "\n"))")
        }
      }
    }
  }

  @Test func aLegendNameTooLongForItsRowEndsInAnEllipsis() {
    let plot = LinePlot(
      series: [
        LinePlot.Series(name: "train", values: [3, 2, 1]), LinePlot.Series(name: "last run (lr 0.003→0.0015)", values: [3, 2.5, 2]),
      ], yRange: 0...4)
    let lines = renderedLines(width: 30, height: 8) { area, buffer, theme in
      plot.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[0] == "·····━ train  ━ last run (lr …", "\(lines[0])")
  }

  @Test func whenATickNeedsTheRoomTheXLabelMovesToTheLegendRow() {
    // 1k sits where "steps (log)" would go: the tick row keeps every decade.
    let losses = (1...1500).map { 4 / (1 + Double($0).squareRoot()) }
    let plot = LinePlot(
      series: [LinePlot.Series(name: "train", values: losses, xStart: 1)], xLabel: "steps (log)", isLogX: true)
    let lines = renderedLines(width: 50, height: 10) { area, buffer, theme in
      plot.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[9].split(separator: "·").map(String.init) == ["1", "10", "100", "1k"], "\(lines.joined(separator: "\n"))")
    #expect(lines[0].contains("━ train") && lines[0].hasSuffix("steps (log)"))
    // With no legend row to go to, the label stays and the tick under it is left out.
    var bare = plot
    bare.showsLegend = false
    let plain = renderedLines(width: 50, height: 10) { area, buffer, theme in
      bare.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(plain[9].hasSuffix("steps (log)") && !plain[9].contains("1k"), "\(plain[9])")
  }

  @Test func pointsMapToTheCornersOfTheDotGrid() {
    let buffer = renderedBuffer(width: 12, height: 5) { area, buffer, theme in
      diagonal.render(in: area, buffer: &buffer, theme: theme)
    }
    func dots(_ x: Int, _ y: Int) -> UInt32 {
      let value = buffer[x, y].grapheme.unicodeScalars.first!.value
      return (0x2800...0x28FF).contains(value) ? value - 0x2800 : 0
    }
    // Bottom-left dot of the bottom-left cell, top-right dot of the top-right cell.
    #expect(dots(5, 2) & 0x40 != 0)
    #expect(dots(11, 0) & 0x08 != 0)
    #expect(dots(5, 0) == 0)
    // The segment between them leaves no column empty.
    for column in 5..<12 {
      #expect((0..<3).contains { dots(column, $0) != 0 }, "column \(column)")
    }
  }

  @Test func referenceLinesAreDashedAndLabelled() {
    let plot = LinePlot(
      series: [LinePlot.Series(name: "loss", values: [4, 3, 2, 1])],
      referenceLines: [LinePlot.ReferenceLine(value: 4.17, label: "ln V")], xLabel: "step", yRange: 0...5)
    let lines = renderedLines(width: 40, height: 10) { area, buffer, theme in
      plot.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[0].hasPrefix("·····━ loss"))
    #expect(lines.contains { $0.contains("╌") && $0.hasSuffix(" ln V 4.17 ") })
    // The last tick, 3, ends the axis: the x label makes room for it on the legend row.
    #expect(lines[9].hasSuffix("3") && lines[0].hasSuffix("step"), "\(lines.joined(separator: "\n"))")
  }

  @Test func curvesCrossingAReferenceLineLeaveItsLabelReadable() {
    // A flat curve on the reference value runs along the whole labelled row.
    let plot = LinePlot(
      series: [LinePlot.Series(name: "loss", values: [2.1, 2.1, 2.1, 2.1])],
      referenceLines: [
        LinePlot.ReferenceLine(value: 2.1, label: "bigram"), LinePlot.ReferenceLine(value: 2.1, label: "unigram"),
      ],
      yRange: 0...4, showsLegend: false)
    let lines = renderedLines(width: 50, height: 9) { area, buffer, theme in
      plot.render(in: area, buffer: &buffer, theme: theme)
    }
    let row = lines.first { $0.contains("bigram") }
    #expect(row?.hasSuffix(" unigram 2.10  bigram 2.10 ") == true, "\(lines)")
  }

  @Test func logScaleTicksArePowersOfTen() {
    let plot = LinePlot(
      series: [LinePlot.Series(name: "s", values: [1, 10, 100])], isLogScale: true, showsLegend: false)
    let lines = renderedLines(width: 30, height: 9) { area, buffer, theme in
      plot.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[0].hasPrefix("·100┤"))
    #expect(lines[3].hasPrefix("10.0┤"))
    #expect(lines[6].hasPrefix("1.00┤"))
  }

  @Test func explodingValuesAreClippedNotFatal() {
    let fixedRange = LinePlot(
      series: [LinePlot.Series(name: "loss", values: [4, 3, 1e30, .infinity, .nan, 2])], yRange: 0...5, showsLegend: false)
    let lines = renderedLines(width: 30, height: 8) { area, buffer, theme in
      fixedRange.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(lines[0].hasPrefix("5.00┤"))
    let hugeSpan = LinePlot(series: [LinePlot.Series(name: "s", values: [-1e308, 1e308, 0])], showsLegend: false)
    let wide = renderedLines(width: 30, height: 8) { area, buffer, theme in
      hugeSpan.render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(wide[0].contains("┤"))
    let empty = renderedLines(width: 12, height: 5) { area, buffer, theme in
      LinePlot(series: []).render(in: area, buffer: &buffer, theme: theme)
    }
    #expect(empty[3] == "····└┴─────┴")
  }

  @Test func blockFallbackUsesHalfBlocks() {
    let lines = renderedLines(width: 12, height: 5, usesBraille: false) { area, buffer, theme in
      diagonal.render(in: area, buffer: &buffer, theme: theme)
    }
    let plotCells = lines[0..<3].flatMap { Array($0.dropFirst(5)) }
    #expect(plotCells.contains("▀") || plotCells.contains("█"))
    #expect(plotCells.contains("▄") || plotCells.contains("█"))
    #expect(!plotCells.contains { ($0.unicodeScalars.first!.value & 0xFF00) == 0x2800 })
  }

  @Test func seriesGetDistinctColours() {
    let plot = LinePlot(series: [
      LinePlot.Series(name: "a", values: [0, 0]), LinePlot.Series(name: "b", values: [1, 1]),
    ], showsLegend: false)
    let buffer = renderedBuffer(width: 12, height: 5, capability: .c256) { area, buffer, theme in
      plot.render(in: area, buffer: &buffer, theme: theme)
    }
    let theme = Theme(capability: .c256)
    #expect(buffer[6, 2].style.fg == theme.series(0).fg)
    #expect(buffer[6, 0].style.fg == theme.series(1).fg)
  }
}

@Suite struct ThemeTests {
  @Test func monochromeHeatUsesShadingCharacters() {
    let theme = Theme(capability: .monochrome)
    #expect([0.0, 0.3, 0.5, 0.7, 1.0].map { theme.heat($0).0 } == [" ", "░", "▒", "▓", "█"])
    #expect(theme.heat(0.5).1 == .plain)
    #expect(theme.highlight.isReversed && theme.highlight.isBold)
  }

  @Test func colourCapabilitiesPickMatchingColours() {
    for capability in ColorCapability.allCases {
      let theme = Theme(capability: capability)
      let colors = (0..<6).compactMap { theme.series($0).fg } + [theme.heatColor(0.5)]
      for color in colors {
        switch (capability, color) {
        case (.truecolor, .rgb), (.c256, .indexed), (.c16, .ansi16), (.monochrome, _): break
        default: Issue.record("\(capability) produced \(color)")
        }
      }
    }
  }

  @Test func coloursDegradeToWhatTheTerminalShows() {
    #expect(Color.rgb(255, 0, 0).approximated(for: .c256) == .indexed(196))
    #expect(Color.rgb(128, 128, 128).approximated(for: .c256) == .indexed(244))
    #expect(Color.rgb(250, 250, 250).approximated(for: .c16) == .ansi16(15))
    #expect(Color.indexed(196).approximated(for: .c16) == .ansi16(9))
    #expect(Color.rgb(1, 2, 3).approximated(for: .monochrome) == .default)
    #expect(Color.ansi16(3).approximated(for: .truecolor) == .ansi16(3))
  }
}
