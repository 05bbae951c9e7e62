@testable import App
import Curriculum
import Foundation
import TermUI
import Testing
import Training

/// Stage views drawn from hand-built snapshots: what each shows is read off the trace's numbers.
@Suite final class StageViewTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  func draw(_ stage: Stage, _ objective: Objective, width: Int = 100, height: Int = 20, language: Language = .en, focus: Focus = Focus()) throws -> [String] {
    var maker = try SnapshotMaker(fixture.plan(objective: objective).run)
    let snapshot = maker.stepped()
    let trace = try #require(snapshot.trace)
    var buffer = Buffer(size: Size(width: width, height: height))
    StageView(stage: stage, trace: trace, tokenizer: maker.trainer.tokenizer, focus: focus, language: language, reference: snapshot.reference)
      .render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
    return buffer.lines
  }

  /// The heatmap's rows: after the header and the column labels, one line per query token.
  func heatmapRows(_ lines: [String], count: Int) -> [String] {
    Array(lines.dropFirst(2).prefix(count))
  }

  @Test func causalAttentionMasksExactlyTheCellsAboveTheDiagonal() throws {
    let lines = try draw(.attention, .clm)
    #expect(lines[0].contains("causal"))
    let T = 8
    let rows = heatmapRows(lines, count: T)
    // In monochrome a masked cell is one "·": query r may not look at the T − 1 − r keys after it.
    for (r, line) in rows.enumerated() {
      #expect(line.filter { $0 == "·" }.count == T - 1 - r, "row \(r): \(line)")
    }
  }

  /// Under the causal mask the query's line lists only the keys at or before it, strongest first,
  /// at most three; bidirectional attention lists three from anywhere in the row.
  @Test(arguments: [Language.en, .zh]) func theQueryLooksOnlyAtKeysItCanSee(language: Language) throws {
    let summary = Localized(language).pick("looks most at:", "最关注：")
    func positions(_ objective: Objective, at position: Int) throws -> [Int] {
      let lines = try draw(.attention, objective, width: 80, language: language, focus: Focus(position: position))
      let line = try #require(lines.last { $0.contains(summary) }, "\(lines.joined(separator: "\n"))")
      return line.matches(of: /@(\d+) \d\.\d\d/).map { Int($0.output.1)! }
    }
    #expect(try positions(.clm, at: 0) == [0], "the first query sees only itself")
    let second = try positions(.clm, at: 1)
    #expect(Set(second) == [0, 1], "\(second)")
    let fifth = try positions(.clm, at: 4)
    #expect(fifth.count == 3 && fifth.allSatisfy { $0 <= 4 }, "\(fifth)")
    #expect(try positions(.mlm, at: 0).count == 3, "bidirectional: every key is visible")
  }

  @Test func theHeatmapLegendSpeaksTheLessonsLanguage() throws {
    // Eight rows in a map five lines high: the legend names the masked cells and the rows shown.
    let english = try draw(.attention, .clm, height: 10).joined(separator: "\n")
    #expect(english.contains("· masked") && english.contains("rows 0–"), "\(english)")
    let chinese = try draw(.attention, .clm, height: 10, language: .zh).joined(separator: "\n")
    #expect(chinese.contains("· 掩码") && chinese.contains("行 0–"), "\(chinese)")
    #expect(!chinese.contains("masked") && !chinese.contains("rows"), "\(chinese)")
  }

  /// Draws `stage` of `plan`'s first iteration in monochrome, returning the buffer and the first row's tokens.
  func drawBuffer(_ stage: Stage, _ plan: LessonPlan, width: Int = 80, height: Int = 20) throws -> (Buffer, [String]) {
    var maker = try SnapshotMaker(plan.run)
    let snapshot = maker.stepped()
    let trace = try #require(snapshot.trace)
    var buffer = Buffer(size: Size(width: width, height: height))
    let tokenizer = maker.trainer.tokenizer
    StageView(stage: stage, trace: trace, tokenizer: tokenizer, focus: Focus(), language: .en, reference: snapshot.reference)
      .render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
    return (buffer, trace.batch.inputs.prefix(trace.length).map { tokenizer.displayToken($0) })
  }

  @Test func byteTokensLabelTheirColumnsWithHexDigitsKeptApartFromTheirNeighbours() throws {
    let (buffer, tokens) = try drawBuffer(.attention, try LessonFixture.bundledPlan("tokenization"))
    let header = buffer.lines[1]
    #expect(!header.contains("<0"), "\(header)")
    // The first run of lone bytes (part of a Chinese character), and its hex digits on the header.
    let isByte = { (token: String) in token.count == 6 && token.hasPrefix("<0x") }
    let first = try #require(tokens.indices.first { isByte(tokens[$0]) && $0 + 1 < tokens.count && isByte(tokens[$0 + 1]) }, "\(tokens)")
    let run = tokens[first...].prefix { isByte($0) }
    let hex = run.map { String($0.dropFirst(3).prefix(2)) }.joined()
    let found = try #require(header.range(of: hex), "\(hex) not in \(header)")
    let x = displayWidth(of: header[..<found.lowerBound])
    // Two cells a column: each byte is dim, and neighbours alternate styles so "E695" reads as E6, 95.
    #expect(buffer[x, 1].style.isDim && buffer[x + 2, 1].style.isDim)
    #expect(buffer[x, 1].style != buffer[x + 2, 1].style)
    #expect(buffer[x, 1].style == buffer[x + 1, 1].style)
  }

  @Test func aWindowCutInsideACharacterQuotesItsStrayBytes() throws {
    let (buffer, tokens) = try drawBuffer(.tokenize, try LessonFixture.bundledPlan("tokenization"), height: 24)
    let quote = buffer.lines[1...3].joined()
    #expect(!quote.contains("\u{FFFD}"), "\(quote)")
    // This lesson's first window starts with the last byte of "狐", as its first box says.
    #expect(tokens[0] == "<0x90>" && quote.hasPrefix("“<0x90>狸很敏捷"), "\(quote)")
  }

  @Test(arguments: [8, 32])
  func charLessonsColumnLabelsStayOneMutedCharacterAColumn(context: Int) throws {
    var plan = fixture.plan()
    plan.run.tokenizer = .char
    plan.run.context = context
    let (buffer, tokens) = try drawBuffer(.attention, plan)
    // Row labels (one character) and the query marker take three cells; then 80 columns give each key 3 or 2.
    let cell = context == 8 ? 3 : 2
    let expected = "   " + tokens.map { $0 + String(repeating: " ", count: cell - displayWidth(of: $0)) }.joined()
    let trimmed = { (line: String) in String(line.reversed().drop { $0 == " " }.reversed()) }
    #expect(tokens.allSatisfy { $0.count == 1 })
    #expect(trimmed(buffer.lines[1]) == trimmed(expected), "\(buffer.lines[1])")
    #expect(buffer[3, 1].style == Theme(capability: .monochrome).muted && buffer[3 + cell, 1].style == buffer[3, 1].style)
  }

  @Test func bidirectionalAttentionMasksNothing() throws {
    let lines = try draw(.attention, .mlm)
    #expect(lines[0].contains("bidirectional"))
    for (r, line) in heatmapRows(lines, count: 8).enumerated() {
      #expect(!line.contains("·"), "row \(r): \(line)")
    }
  }

  @Test func embedAndUpdateReadTheTokensRowOfTheTable() throws {
    var maker = try SnapshotMaker(fixture.plan().run)
    let trace = try #require(maker.stepped().trace)
    let token = Int(trace.batch.inputs[0])
    let C = trace.config.channels
    let wte = trace.layout.tokenEmbedding
    #expect(wte.name == "wte.weight" && wte.shape == [trace.config.vocabSize, C])
    #expect(trace.layout.positionEmbedding.name == "wpe.weight")
    let row = trace.row(token, of: wte)
    #expect(Array(row) == Array(trace.parametersBefore[token * C..<(token + 1) * C]))
    #expect(Array(trace.row(token, of: wte, .after)) == Array(trace.parametersAfter[token * C..<(token + 1) * C]))
    // The update table's first line is channel 0 of that row, before and after.
    let lines = try draw(.update, .clm)
    let first = try #require(lines.first { $0.hasPrefix("  0 ") })
    #expect(first.hasPrefix(String(format: "%3d %7.4f %7.4f", 0, trace.row(token, of: wte)[row.startIndex], trace.row(token, of: wte, .after).first!)))
  }

  @Test func theUpdateTableNeverPrintsMinusZero() {
    #expect(String(format: "%+7.4f", UpdateView.shown(-0.00001, 4)) == "+0.0000")
    #expect(String(format: "%7.4f", UpdateView.shown(-0.00004, 4)) == " 0.0000")
    #expect(String(format: "%+8.5f", UpdateView.shown(-0.000004, 5)) == "+0.00000")
    #expect(String(format: "%+7.4f", UpdateView.shown(-0.00006, 4)) == "-0.0001", "a value that shows keeps its sign")
  }
}
