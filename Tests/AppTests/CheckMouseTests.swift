@testable import App
import Curriculum
import TermUI
import Testing
import Training

/// A check's choices are click targets, and its answer box holds the cursor.
@Suite struct CheckMouseTests {
  static let exercise = Exercise(
    question: "Which objective predicts the next token?", answer: .choice(options: ["MLM", "CLM"], correct: 1),
    explanation: "CLM: causal language modelling.")

  func frame(_ screen: ExerciseScreen) -> Buffer {
    var buffer = Buffer(size: Size(width: 100, height: 30))
    screen.render(in: buffer.area, buffer: &buffer, theme: Theme(capability: .monochrome))
    return buffer
  }

  @Test func clickingAChoiceAnswersWithIt() throws {
    var screen = ExerciseScreen(title: "Labels", exercise: Self.exercise, key: "labels.en", language: .en)
    let buffer = frame(screen)
    let row = try #require(buffer.lines.firstIndex { $0.contains("2) CLM") }, "\(buffer.lines.joined(separator: "\n"))")
    let line = buffer.lines[row]
    let column = displayWidth(of: line[..<line.range(of: "2) CLM")!.lowerBound]) + 3
    let cursor = try #require(buffer.cursor)
    #expect(buffer.lines[cursor.y].contains("▏"), "the cursor is on the answer box")
    #expect(buffer.hotspots(at: Point(x: column - 8, y: row)).map(\.index) == [0], "the first choice is a target of its own")
    let hits = buffer.hotspots(at: Point(x: column, y: row))
    #expect(hits.map(\.name) == ["choice"] && hits.map(\.index) == [1])
    let effects = screen.update(.mouse(MouseEvent(.press, x: column, y: row), hits)) ?? []
    #expect(screen.isAnswered && screen.card.outcome == .right)
    #expect(effects.count == 1, "the answer is remembered")
    #expect(frame(screen).lines.joined(separator: "\n").contains("Right"))
  }

  @Test func choicesTooLongForOneLineAreEachATargetOnTheirOwnLines() throws {
    let long = Exercise(
      question: "Which is right?", answer: .choice(options: [String(repeating: "a long wrong answer ", count: 4), "the right one"], correct: 1),
      explanation: "It is.")
    var screen = ExerciseScreen(title: "Labels", exercise: long, key: "labels.en", language: .en)
    let buffer = frame(screen)
    let row = try #require(buffer.lines.firstIndex { $0.contains("2) the right one") }, "\(buffer.lines.joined(separator: "\n"))")
    let hits = buffer.hotspots(at: Point(x: 60, y: row))
    #expect(hits.map(\.index) == [1], "the whole line of a choice is its target")
    _ = screen.update(.mouse(MouseEvent(.press, x: 60, y: row), hits))
    #expect(screen.card.outcome == .right)
  }
}

/// The wheel on the lesson screen: the formula view scrolls, the dashboard steps through history.
@Suite final class LessonWheelTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  @Test func theWheelScrollsTheFormulaViewAFewLinesATurn() throws {
    let plan = fixture.plan()
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    _ = screen.update(.snapshot(screen.session, maker.stepped()))
    _ = screen.press(.char("8"))
    _ = screen.press(.char("f"))
    // The replay the view asked for, as the runner answers it.
    let trace = try #require(screen.shownTrace)
    _ = screen.update(.formulaReplay(screen.session, step: trace.step, .success(try FormulaReplay(trace: trace))))
    func scroll() -> Int? { if case .formula(let view) = screen.mode { view.scroll } else { nil } }
    #expect(scroll() == 0)
    _ = screen.update(.mouse(MouseEvent(.wheelDown, x: 10, y: 10), []))
    #expect(scroll() == LessonScreen.wheelLines)
    _ = screen.update(.mouse(MouseEvent(.wheelUp, x: 10, y: 10), []))
    #expect(scroll() == 0)
    _ = screen.update(.mouse(MouseEvent(.wheelUp, x: 10, y: 10), []))
    #expect(scroll() == 0, "not above the top")
  }
}
