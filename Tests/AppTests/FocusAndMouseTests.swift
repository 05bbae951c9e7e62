import App
import Curriculum
import Foundation
import TermUI
import TestSupport
import Testing

/// The hardware cursor follows the focused item, and the mouse clicks what the keys pick.
@Suite final class FocusAndMouseTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  func browser() -> AppHarness {
    var plans: [LessonPlan] = []
    for (i, title) in ["Labels", "Tokens", "Embeddings", "Attention", "Logits"].enumerated() {
      var plan = fixture.plan()
      plan.id = "lesson\(i + 1)"
      plan.title = title
      plans.append(plan)
    }
    return AppHarness(
      controller: AppController.onOneThread(lessons: plans, language: .en, corporaDirectory: nil, folders: fixture.folders), width: 100, height: 30)
  }

  @Test func theCursorSitsOnTheSelectedLessonAndMovesWithIt() throws {
    let app = browser()
    let first = try #require(app.find("1. Labels"))
    #expect(app.backend.cursor == first && !app.backend.isCursorHidden)
    app.press(.down, .down)
    let third = try #require(app.find("3. Embeddings"))
    #expect(app.backend.cursor == third, "the cursor follows the selection down two rows of lessons")
    #expect(third.y > first.y)
  }

  @Test func aClickSelectsALessonAndASecondClickOpensIt() throws {
    let app = browser()
    let fifth = try #require(app.find("5. Logits"))
    app.click(Point(x: fifth.x + 4, y: fifth.y))
    #expect(app.text.contains("┌ Logits"), "the introduction shows the clicked lesson:\n\(app.text)")
    #expect(app.backend.cursor == fifth)
    #expect(app.controller.currentStage == nil, "one click only selects")
    // Its summary line belongs to the same entry.
    app.click(Point(x: fifth.x + 4, y: fifth.y + 1))
    #expect(app.text.contains("NextToken · Logits"), "a click on the selected lesson opens it:\n\(app.text)")
  }

  @Test func theWheelMovesTheSelectionAndAClickClosesTheHelp() throws {
    let app = browser()
    app.wheel(.wheelDown, at: Point(x: 10, y: 5))
    app.wheel(.wheelDown, at: Point(x: 10, y: 5))
    #expect(app.text.contains("┌ Embeddings"))
    app.wheel(.wheelUp, at: Point(x: 10, y: 5))
    #expect(app.text.contains("┌ Tokens"))
    app.press(.char("?"))
    #expect(app.text.contains("Shift-drag still selects text"), "the help tells how to select text:\n\(app.text)")
    let help = try #require(app.find("Shift-drag"))
    // A click on the help closes it and selects nothing beneath.
    app.click(help)
    #expect(!app.text.contains("Shift-drag") && app.text.contains("┌ Tokens"))
  }

  @Test func aClickOnNothingChangesNothing() throws {
    let app = browser()
    let before = app.text
    app.click(Point(x: 99, y: 29))
    #expect(app.text == before)
  }
}

/// The lesson: the cursor on the picked token; clicks on stages and tokens, the wheel on the formula view.
@Suite final class LessonFocusAndMouseTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  func lesson(width: Int = 120, height: Int = 40) -> AppHarness {
    let plan = fixture.plan()
    return AppHarness(
      controller: AppController.onOneThread(lessons: [plan], language: .en, corporaDirectory: nil, open: plan, folders: fixture.folders, predictFirst: false),
      width: width, height: height)
  }

  @Test func theCursorSitsOnThePickedTokenAndFollowsIt() throws {
    let app = lesson()
    app.press(.char(" "), .char("2"))
    #expect(app.controller.currentStage == .labels)
    let first = try #require(app.backend.cursor)
    #expect(!app.backend.isCursorHidden)
    app.press(.right, .right)
    let third = try #require(app.backend.cursor)
    #expect(third.y == first.y && third.x > first.x, "the cursor moves with the picked token: \(first) → \(third)")
  }

  @Test func aClickOnAStageJumpsToItAndAClickOnATokenPicksIt() throws {
    let app = lesson()
    app.press(.char(" "))
    let embed = try #require(app.find("Embed"))
    #expect(embed.y == 1, "the stage bar is the second row:\n\(app.text)")
    app.click(embed)
    #expect(app.controller.currentStage == .embed)
    app.press(.char("2"))
    let before = try #require(app.backend.cursor)
    // A column a few tokens to the right, on the token row.
    let target = Point(x: before.x + 12, y: before.y)
    app.click(target)
    let after = try #require(app.backend.cursor)
    #expect(after.y == before.y && after.x > before.x && after.x <= target.x, "the clicked token took the focus: \(before) → \(after)")
  }


}
