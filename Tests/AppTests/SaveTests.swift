@testable import App
import Curriculum
import Foundation
import TermUI
import Testing
import Training

/// `w` keeps the model; closing a run trained for a while asks once.
@Suite final class SaveTests {
  let fixture: LessonFixture

  init() throws { fixture = try LessonFixture() }
  deinit { fixture.remove() }

  func lesson(step: Int) throws -> LessonScreen {
    let plan = fixture.plan()
    var maker = try SnapshotMaker(plan.run)
    var screen = LessonScreen(plan: plan)
    var snapshot = maker.stepped()
    snapshot.step = step
    _ = screen.update(.snapshot(screen.session, snapshot))
    return screen
  }

  @Test func wSavesUnderTheLessonsNameAndShowsWhereItWent() throws {
    var screen = try lesson(step: 7)
    #expect(screen.press(.char("w")) == ["save(\(screen.session.raw), clm)"])
    let url = URL(fileURLWithPath: "/data/nexttoken/clm-step7.safetensors")
    _ = screen.update(.saved(screen.session, .success(url)))
    #expect(screen.rendered().joined().contains("saved /data/nexttoken/clm-step7.safetensors"))
    _ = screen.press(.char("s"))
    #expect(!screen.rendered().joined().contains("clm-step7"), "the note goes with the next key")
    _ = screen.update(.saved(screen.session, .failure(.folder(UserFoldersError("cannot create the data folder /x: Permission denied")))))
    #expect(screen.rendered().joined().contains("not saved: cannot create the data folder /x"))
  }

  @Test func aLongSaveErrorIsShownWholeAt80Columns() throws {
    var screen = try lesson(step: 7)
    _ = screen.press(.char("w"))
    let reason = "/home/learner/.local/share/nexttoken/clm-step7.safetensors: cannot write: The operation could not be completed because the disk is full"
    _ = screen.update(.saved(screen.session, .failure(.folder(UserFoldersError(reason)))))
    let lines = screen.rendered(width: 80, height: 24)
    let words = lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
    #expect(words.contains("not saved: " + reason), "\(lines.joined(separator: "\n"))")
    #expect(lines.allSatisfy { displayWidth(of: $0) <= 80 })
  }

  @Test func closingAfterARealRunAsksOnceAndCanSave() throws {
    var screen = try lesson(step: 150)
    #expect(screen.press(.char("q")) == [])
    #expect(screen.rendered().joined().contains("Keep this model?"))
    #expect(screen.press(.escape) == [], "esc stays")
    #expect(!screen.isConfirmingQuit)
    _ = screen.press(.char("q"))
    #expect(screen.press(.char("y")) == ["save(\(screen.session.raw), clm)", "pop"])
    var other = try lesson(step: 150)
    _ = other.press(.char("q"))
    #expect(other.press(.char("n")) == ["pop"])
  }

  @Test func aShortOrSavedRunClosesWithoutAsking() throws {
    var short = try lesson(step: 20)
    #expect(short.press(.char("q")) == ["pop"])
    var saved = try lesson(step: 150)
    _ = saved.press(.char("w"))
    #expect(saved.press(.char("q")) == ["pop"])
  }

  @Test func ownTextAndCheckpointsAreSavedUnderTheFilesName() {
    var plan = fixture.plan()
    plan.id = Lesson.ownTextID
    plan.title = "GPL-3"
    #expect(plan.saveName == "GPL-3")
    plan.checkpoint = URL(fileURLWithPath: "/data/GPL-3-step300-2.safetensors")
    #expect(plan.saveName == "GPL-3")
  }
}
