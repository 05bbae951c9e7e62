import Curriculum
import Foundation
import Testing
import TestSupport

/// `## predict STAGE` and `## predict run`: the fields of `## check`, limited to one key or a number.
@Suite struct PredictionSectionTests {
  func lesson(_ predict: String, lang: String = "en") -> String {
    CurriculumFixtures.lesson(lang: lang, sections: """
      ## intro
      Press **space** to see the next stage.

      ## tokenize
      The text becomes `tokens`.

      ## labels
      Each label is the next token.

      \(predict)
      """)
  }

  /// The 1-based line of the first line of `text` starting with `prefix`.
  func line(of prefix: String, in text: String) throws -> Int {
    try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(prefix) }) + 1
  }

  @Test func aValidPredictLossSectionIsAcceptedAndLoaded() throws {
    let folder = try LessonFolder()
    let text = lesson("""
      ## predict loss
      Before any training, is the first loss above or below ln V?

      type: choice
      choices: above | below
      answer: above
      explain: Small random logits make p(target) a little under 1/V on average.
      """)
    let url = try folder.write("01-tiny.en.md", text)
    #expect(LessonLoader.check(url: url, corporaDirectory: folder.corpora).map(\.description) == [])
    let loaded = try LessonLoader.load(url: url)
    let prediction = try #require(loaded.predictions[.stage(.loss)])
    #expect(prediction.answer == .choice(options: ["above", "below"], correct: 0))
    #expect(prediction.question == "Before any training, is the first loss above or below ln V?")
  }

  @Test func anAnswerNotAmongTheChoicesIsReportedWithFileAndLine() throws {
    let folder = try LessonFolder()
    let text = lesson("""
      ## predict loss
      Is the first loss above or below ln V?

      type: choice
      choices: above | below
      answer: level
      explain: It is about ln V.
      """)
    let url = try folder.write("01-tiny.en.md", text)
    let answerLine = try line(of: "answer:", in: text)
    #expect(LessonLoader.check(url: url, corporaDirectory: folder.corpora).map(\.description) == [
      "\(folder.path("01-tiny.en.md")):\(answerLine): answer 'level' is not one of the choices: above, below",
    ])
  }

  @Test func oneKeyMustAnswerItAndItMustFitAbove80x24() throws {
    let folder = try LessonFolder()
    let five = lesson("""
      ## predict run
      At about which step will validation pass the bigram line?

      type: choice
      choices: 1 | 10 | 100 | 1000 | 10000
      answer: 100
      explain: Lesson 1 passes it at step 170.
      """)
    let url = try folder.write("01-tiny.en.md", five)
    #expect(LessonLoader.check(url: url, corporaDirectory: folder.corpora).map(\.description) == [
      "\(folder.path("01-tiny.en.md")):\(try line(of: "choices:", in: five)): '## predict run' has 5 choices; one key answers at most 4",
    ])
    let token = lesson("""
      ## predict labels
      What is the target after "The"?

      type: token
      answer: ␣cat
      explain: The next token.
      """)
    try folder.write("02-tiny.en.md", token)
    let tokenProblems = LessonLoader.check(url: folder.lessons.appendingPathComponent("02-tiny.en.md"), corporaDirectory: folder.corpora)
    #expect(tokenProblems.map(\.line) == [try line(of: "type:", in: token)])
    let long = String(repeating: "很长的问题", count: 17) + "？"
    let zh = lesson("## predict embed\n\(long)\n\ntype: choice\nchoices: 是 | 否\nanswer: 否\nexplain: 位置不同。", lang: "zh")
    try folder.write("03-tiny.zh.md", zh)
    let zhProblems = LessonLoader.check(url: folder.lessons.appendingPathComponent("03-tiny.zh.md"), corporaDirectory: folder.corpora)
    #expect(zhProblems.map(\.message) == ["the '## predict embed' question is 86 characters long; the limit is 80 in Chinese so it fits above the stage at 80×24 (shorten it by 6)"])
  }
}
