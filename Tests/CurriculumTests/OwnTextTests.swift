import Foundation
import Testing
@testable import Curriculum

/// A lesson made from the learner's own text: named after the file, opened with its first words.
struct OwnTextTests {
  static func lesson(_ text: String, path: String = "/notes/GPL-3", objective: LessonObjective = .clm, tokenizer: TokenizerKind = .char, language: Language = .en) -> Lesson {
    Lesson.ownText(
      corpus: Corpus(path: path, text: text), objective: objective, tokenizer: tokenizer, bpeMerges: 64,
      model: LessonModelSize(layers: 2, heads: 4, dim: 64, context: 32, batch: 8), seed: 7, optimizer: .sgd,
      learningRate: 0.01, warmupSteps: 5, language: language)
  }

  @Test func theLessonIsNamedAfterTheFileAndTrainsWithTheGivenSettings() {
    let lesson = Self.lesson("   GNU GENERAL PUBLIC LICENSE\n  Version 3\n")
    #expect(lesson.title == "GPL-3")
    #expect(lesson.corpus == "/notes/GPL-3")
    #expect(lesson.corpusPath(corporaDirectory: URL(fileURLWithPath: "/elsewhere")) == "/notes/GPL-3")
    #expect(lesson.model == LessonModelSize(layers: 2, heads: 4, dim: 64, context: 32, batch: 8))
    #expect(lesson.seed == 7 && lesson.optimizer == .sgd && lesson.learningRate == 0.01 && lesson.warmupSteps == 5)
    #expect(lesson.stages == Stage.allCases)
    #expect(lesson.prompt == "GNU GENERAL PUBLIC")
  }

  @Test func everyStageKeepsItsBuiltInNarrative() {
    let lesson = Self.lesson("Hello there, world.\n")
    for stage in Stage.allCases { #expect(lesson.section(for: stage) == nil, "\(stage) has its own text") }
    #expect(lesson.intro?.text.contains("GPL-3") == true)
    #expect(lesson.run != nil)
  }

  @Test func itsTextsFitTheLimitsOfAWrittenLesson() {
    for language in Language.allCases {
      for objective in [LessonObjective.clm, .mlm] {
        let lesson = Self.lesson("Some text.\n", objective: objective, language: language)
        #expect(lesson.intro!.displayLength <= language.introSectionLimit, "\(language) \(objective) intro")
        #expect(lesson.run!.displayLength <= language.introSectionLimit, "\(language) \(objective) run")
        #expect(lesson.language == language)
      }
    }
    #expect(Self.lesson("x\n", language: .zh).intro!.text.contains("词元"))
    #expect(Self.lesson("x\n", objective: .mlm).intro!.text.contains("MLM"))
  }

  @Test func thePromptIsTheTextsFirstWords() {
    #expect(OwnTextPrompt.prompt(from: "\n\n  The quick brown fox jumps over\n", tokenizer: .word, masked: false) == "The quick brown fox")
    #expect(OwnTextPrompt.prompt(from: "Supercalifragilisticexpialidocious is long", tokenizer: .char, masked: false, limit: 10) == "Supercalif")
    #expect(OwnTextPrompt.prompt(from: "我们今天去公园散步。", tokenizer: .char, masked: false) == "我们今天去公")
    #expect(OwnTextPrompt.prompt(from: "   \n", tokenizer: .char, masked: false) == "")
  }

  @Test func anMLMPromptHidesOneTokenInTheMiddle() {
    #expect(OwnTextPrompt.prompt(from: "The quick brown fox jumps", tokenizer: .word, masked: true) == "The quick [MASK] fox")
    #expect(OwnTextPrompt.prompt(from: "abcde", tokenizer: .char, masked: true) == "ab[MASK]de")
    #expect(OwnTextPrompt.prompt(from: "我们今天去公园", tokenizer: .bpe, masked: true) == "我们今[MASK]去公")
    #expect(OwnTextPrompt.prompt(from: "a", tokenizer: .char, masked: true) == "[MASK]")
    #expect(OwnTextPrompt.prompt(from: "", tokenizer: .word, masked: true) == "[MASK]")
  }
}
