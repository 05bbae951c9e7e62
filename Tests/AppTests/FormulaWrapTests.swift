@testable import App
import TermUI
import Testing

/// How the formula panel wraps a line wider than the pane.
@Suite struct FormulaWrapTests {
  @Test func aLineBreaksBetweenItsClausesBeforeInsideOne() {
    let line = FormulaLine("q₀ = h[0]·W_q + b_q = (0.1304, 0.0654, 0.5069, …)   d = C/H = 16, √d = 4.00")
    let rows = FormulaPanel.rows([line], width: 60).map(\.text)
    #expect(rows == ["q₀ = h[0]·W_q + b_q = (0.1304, 0.0654, 0.5069, …)", "    d = C/H = 16, √d = 4.00"])
    #expect(FormulaPanel.rows([line], width: 200).map(\.text) == [line.text], "a line that fits stays whole")
  }

  @Test func aClauseWiderThanTheRowStillWrapsAtSpaces() {
    let line = FormulaLine("a = 1   b = 2 + 3 + 4 + 5 + 6 + 7 + 8")
    let rows = FormulaPanel.rows([line], width: 16).map(\.text)
    #expect(rows.first == "a = 1")
    #expect(rows.allSatisfy { displayWidth(of: $0) <= 16 }, "\(rows)")
    #expect(rows.joined(separator: " ").split(separator: " ").joined(separator: " ") == line.text.split(separator: " ").joined(separator: " "))
  }
}
