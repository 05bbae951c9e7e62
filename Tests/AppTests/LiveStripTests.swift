@testable import App
import Curriculum
import TermUI
import Testing
import Training

/// The status line under every lesson.
@Suite struct LiveStripTests {
  /// The strip's first line at `width` columns, trimmed.
  func statusLine(_ snapshot: SessionSnapshot, width: Int, language: Language) -> String {
    var buffer = Buffer(size: Size(width: width, height: 2))
    LiveStrip(snapshot: snapshot, language: language, historyStep: 120)
      .render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
    return buffer.lines[0].trimmingCharacters(in: .whitespaces)
  }

  @Test(arguments: [Language.en, .zh]) func partsThatDoNotFitAreLeftOutWholeNotCut(language: Language) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    var maker = try SnapshotMaker(fixture.plan().run)
    var snapshot = maker.stepped()
    snapshot.validation.append((step: snapshot.step, loss: 2.5))
    snapshot.tokensPerSecond = 123_456
    snapshot.currentLearningRate = snapshot.learningRate / 2
    let full = statusLine(snapshot, width: 400, language: language)
    let allParts = Set(full.components(separatedBy: " · ").dropFirst())
    #expect(allParts.count >= 5, "\(full)")
    for width in 40...140 {
      let line = statusLine(snapshot, width: width, language: language)
      let shown = line.components(separatedBy: " · ").dropFirst()
      // Whole parts, or the validation loss without its perplexity, the first thing given up.
      #expect(shown.allSatisfy { part in allParts.contains(part) || allParts.contains { $0.hasPrefix(part + " (") } }, "at \(width) columns: \(line)")
      #expect(line.contains(language == .en ? "step \(snapshot.step)" : "\(snapshot.step)"), "the step always shows")
    }
  }

  @Test(arguments: [Language.en, .zh]) func aMilestonePauseNamesTheMilestonesOwnStep(language: Language) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    var maker = try SnapshotMaker(fixture.plan().run)
    var snapshot = maker.stepped()
    #expect(!statusLine(snapshot, width: 120, language: language).contains("★"))
    // The ★ lies behind the step whose evaluation confirmed it.
    snapshot.pausedAt = Milestone(kind: .best, step: 680, loss: 1.17, detectedAt: snapshot.step)
    let line = statusLine(snapshot, width: 120, language: language)
    #expect(line.contains(language == .en ? "★ at step 680 (1.17)" : "★ 第 680 步 (1.17)"), "\(line)")
    #expect(statusLine(snapshot, width: 60, language: language).contains("680"), "kept before the pace and the loss")
    snapshot.pausedAt = Milestone(kind: .diverged, step: 90, loss: .infinity, detectedAt: 90)
    #expect(statusLine(snapshot, width: 120, language: language).contains(language == .en ? "✖ at step 90 ·" : "✖ 第 90 步 ·"))
  }

  @Test func beforeTheFirstStepTheRateIsTheOneThatStepWillUse() {
    var configuration = RunConfiguration(corpus: "c.txt", learningRate: 0.003, warmupSteps: 10)
    let snapshot = SessionSnapshot(learningRate: 0.003, reference: LossReference(uniform: 0, unigram: 0, bigram: 0), configuration: configuration)
    #expect(statusLine(snapshot, width: 200, language: .en).contains("lr 0.0003 (warm-up)"))
    configuration.warmupSteps = 0
    let plain = SessionSnapshot(learningRate: 0.003, reference: LossReference(uniform: 0, unigram: 0, bigram: 0), configuration: configuration)
    #expect(statusLine(plain, width: 200, language: .en).hasSuffix("lr 0.003"))
  }

  /// A snapshot of the fixture lesson one step in, with a validation loss of `validation`.
  func steppedSnapshot(validation: Float) throws -> SessionSnapshot {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    var maker = try SnapshotMaker(fixture.plan().run)
    var snapshot = maker.stepped()
    snapshot.validation.append((step: snapshot.step, loss: validation))
    return snapshot
  }

  @Test func theLearningRateOutlastsThePerplexityWhenRoomRunsShort() throws {
    let snapshot = try steppedSnapshot(validation: 3.687)
    let wide = statusLine(snapshot, width: 200, language: .en)
    #expect(wide.contains("(ppl 39.9)") && wide.contains("lr "), "\(wide)")
    let narrow = statusLine(snapshot, width: 90, language: .en)
    #expect(narrow.contains("val 3.687") && !narrow.contains("ppl") && narrow.contains("lr "), "\(narrow)")
  }

  @Test func whenRoomRunsShortTheLearningRateStaysBesideTheLossesAndThePaceAndScoreGoFirst() throws {
    let snapshot = try steppedSnapshot(validation: 3.776)
    // At 80 columns a run with warm-up reads "lr 0.001 (warm-up)": the fixture's shorter parts need fewer.
    func line(_ width: Int) -> String {
      var buffer = Buffer(size: Size(width: width, height: 2))
      LiveStrip(snapshot: snapshot, language: .en, score: "predicted 0/0")
        .render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
      return buffer.lines[0]
    }
    #expect(line(70).contains("lr ") && line(70).contains("val 3.776") && line(70).contains("predicted 0/0"), "\(line(70))")
    #expect(!line(70).contains("pace"), "the pace is left out first: \(line(70))")
    #expect(line(60).contains("lr ") && !line(60).contains("predicted"), "then the score, before the rate: \(line(60))")
    #expect(line(160).contains("predicted 0/0") && line(160).contains("lr "), "\(line(160))")
  }

  @Test func smallRatesAreWrittenOutLikeTheOthers() {
    #expect(Localized.rate(0.00006) == "0.00006")
    #expect(Localized.rate(0.00015) == "0.00015")
    #expect(Localized.rate(0.0000123) == "0.0000123")
    #expect(Localized.rate(0.003) == "0.003")
    #expect(Localized.rate(0.5) == "0.5")
    #expect(Localized.rate(1e-9) == "1e-09")
  }
}
