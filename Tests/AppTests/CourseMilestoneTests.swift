@testable import App
import Curriculum
import Foundation
import TermUI
import Testing
import Training

/// Every bundled lesson's `## at …` texts, shown as its run pauses there by itself (unfolded with n on a small screen).
@Suite struct CourseMilestoneTests {
  /// The screen of `plan` paused at `kind`, on the dashboard or on the lesson's first stage.
  func paused(_ plan: LessonPlan, at kind: MilestoneKind, onDashboard: Bool) throws -> LessonScreen {
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    var snapshot = maker.stepped()
    let milestone = Milestone(kind: kind, step: snapshot.step, loss: snapshot.losses.last ?? 0, detectedAt: snapshot.step)
    snapshot.milestones = [milestone]
    snapshot.pausedAt = milestone
    _ = screen.update(.snapshot(screen.session, snapshot))
    if onDashboard {
      _ = screen.press(.tab)
    } else if let first = plan.focusStages.min() {
      _ = screen.press(.char(Character(String(first.number))))
    }
    return screen
  }

  /// The rows of the dashboard's loss plot, frame included.
  func lossPlotRows(_ lines: [String], title: String) -> Int {
    guard let top = lines.firstIndex(where: { $0.contains("┌ \(title)") }) else { return 0 }
    return lines[top...].prefix { !$0.hasPrefix("└") }.count + 1
  }

  @Test(arguments: Language.allCases)
  func everyMilestoneTextShowsWholeAndLeavesTheLossPlotRoom(language: Language) throws {
    let L = Localized(language)
    for plan in CourseTests.plans(language) where !plan.isComparison {
      for kind in plan.pauseAt {
        let text = try #require(plan.narrative(for: kind), "\(plan.source) pauses at \(kind.rawValue) without its section")
        // Compared without white space and markup: the screen wraps the text where it likes.
        let ending = String(text.replacingOccurrences(of: "**", with: "").filter { !$0.isWhitespace && $0 != "`" }.suffix(8))
        for onDashboard in [true, false] {
          let screen = try paused(plan, at: kind, onDashboard: onDashboard)
          for (width, height) in [(80, 24), (120, 40)] {
            // Below 30 rows the text starts folded to its first line; n unfolds it, as its hint says.
            var shownScreen = screen
            if height < WatchControls.foldBelowRows { _ = shownScreen.press(.char("n")) }
            let lines = shownScreen.rendered(width: width, height: height)
            let shown = lines.joined().filter { !$0.isWhitespace }
            let place = "\(plan.source) at \(kind.rawValue), \(onDashboard ? "dashboard" : "stage view"), \(width)×\(height)"
            #expect(shown.contains(ending), "\(place): the text is cut:\n\(lines.joined(separator: "\n"))")
            if onDashboard, height == 24 {
              // Eight rows: the frame, the legend, the axis with its ticks and at least three rows of curve.
              #expect(lossPlotRows(lines, title: L.lossPlotTitle) >= 8, "\(place): the text leaves the loss plot too little room:\n\(lines.joined(separator: "\n"))")
            }
          }
        }
      }
    }
  }
}
