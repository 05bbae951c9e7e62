import App
import Curriculum
import Foundation
import TermUI
import TestSupport
import Testing

/// Every bundled lesson, in both languages, stepped through at the smallest and a large size.
@Suite(.serialized) struct CourseTests {
  static let root = packageRoot()

  static func plans(_ language: Language) -> [LessonPlan] {
    let corpora = root.appendingPathComponent("Corpora")
    let (lessons, _) = LessonLibrary.loadAll(directory: root.appendingPathComponent("Lessons"), language: language, corporaDirectory: corpora)
    return lessons.map { LessonPlan(lesson: $0, corporaDirectory: corpora) }
  }

  @Test(arguments: Language.allCases)
  func everyLessonLoadsWithoutProblems(language: Language) {
    let corpora = Self.root.appendingPathComponent("Corpora")
    let (lessons, errors) = LessonLibrary.loadAll(directory: Self.root.appendingPathComponent("Lessons"), language: language, corporaDirectory: corpora)
    #expect(errors.isEmpty, "\(errors.map(\.description))")
    #expect(!lessons.isEmpty)
    #expect(lessons.allSatisfy { $0.language == language }, "every lesson has a \(language) file")
  }

  @Test(arguments: Language.allCases, [Size(width: 80, height: 24), Size(width: 120, height: 40)])
  func everyStageOfEveryLessonFits(language: Language, size: Size) throws {
    // Answers to the checks go to a folder of the test's own, not the learner's state folder.
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-course-\(UUID())")
    defer { try? FileManager.default.removeItem(at: state) }
    // Its fine-tuning bases come from the shared data folder, trained once for every test.
    let folders = UserFolders(environment: ["HOME": state.path, "XDG_DATA_HOME": SharedBases.dataHome.path])
    for plan in Self.plans(language) {
      let controller = AppController.onOneThread(lessons: [plan], language: language, corporaDirectory: nil, open: plan, folders: folders, predictFirst: false)
      let app = AppHarness(controller: controller, width: size.width, height: size.height)
      if plan.isComparison {
        app.press(.char("s"))
        #expect(!app.text.contains("cannot"), "\(plan.id): \(app.text)")
        continue
      }
      #expect(!app.isNarrativeClipped, "\(plan.source) intro is cut at \(size)")
      for stage in Stage.allCases {
        app.press(.char(" "))
        if let check = app.controller.openCheck {
          // The check, offered after the lesson's last stage: answered right, its explanation shows whole.
          #expect(stage.previous == plan.focusStages.max(), "\(plan.source): the check opens after the lesson's last stage")
          app.type(check.answerText.components(separatedBy: " ± ")[0])
          app.press(.enter)
          // Compared without white space: the screen wraps the text where it likes.
          let shown = app.text.filter { !$0.isWhitespace }
          #expect(shown.contains("✓"), "\(plan.source): the check marks its own answer right:\n\(app.text)")
          #expect(shown.contains(String(check.explanation.filter { !$0.isWhitespace }.suffix(8))),
            "\(plan.source): the check's explanation is cut at \(size):\n\(app.text)")
          app.press(.escape)
          app.press(.char(" "))
        }
        #expect(app.controller.currentStage == stage, "\(plan.source): expected \(stage)")
        #expect(!app.isNarrativeClipped, "\(plan.source) section \(stage.rawValue) is cut at \(size):\n\(app.text)")
      }
    }
  }
}

/// Numbers the lessons quote about their own data must be the numbers the app shows.
@Suite struct CourseFactTests {
  @Test(arguments: Language.allCases)
  func quotedVocabularySizesMatchTheData(language: Language) throws {
    let root = packageRoot()
    let corpora = root.appendingPathComponent("Corpora")
    let (lessons, _) = LessonLibrary.loadAll(directory: root.appendingPathComponent("Lessons"), language: language, corporaDirectory: corpora)
    for lesson in lessons {
      let text = lesson.sections.map(\.text).joined(separator: "\n")
      // "V = 172", but not "ln V = 5.15" (a loss) nor a decimal.
      let quoted = text.matches(of: /V\s*=\s*([0-9][0-9,]*)(\.[0-9])?/).compactMap { match -> Int? in
        guard match.2 == nil, !text[..<match.range.lowerBound].hasSuffix("ln ") else { return nil }
        return Int(match.1.replacingOccurrences(of: ",", with: ""))
      }
      guard !quoted.isEmpty else { continue }
      let data = try TrainingData(lesson: lesson, corporaDirectory: corpora)
      for value in quoted {
        #expect(value == data.tokenizer.vocabSize, "\(lesson.url.lastPathComponent) says V = \(value); the data gives V = \(data.tokenizer.vocabSize)")
      }
    }
  }

  @Test(arguments: Language.allCases)
  func quotedLogarithmsOfTheVocabularyMatchTheData(language: Language) throws {
    let root = packageRoot()
    let corpora = root.appendingPathComponent("Corpora")
    let (lessons, _) = LessonLibrary.loadAll(directory: root.appendingPathComponent("Lessons"), language: language, corporaDirectory: corpora)
    for lesson in lessons {
      let text = lesson.sections.map(\.text).joined(separator: "\n")
      // "ln V = ln 965": the number is the vocabulary size.
      let quoted = text.matches(of: /ln V\s*=\s*ln\s*([0-9][0-9,]*)/).compactMap { Int($0.1.replacingOccurrences(of: ",", with: "")) }
      if !quoted.isEmpty {
        let data = try TrainingData(lesson: lesson, corporaDirectory: corpora)
        for value in quoted {
          #expect(value == data.tokenizer.vocabSize, "\(lesson.url.lastPathComponent) says ln V = ln \(value); the data gives V = \(data.tokenizer.vocabSize)")
        }
      }
    }
  }

  @Test(arguments: Language.allCases)
  func quotedArithmeticIsRightToTheDigitsShown(language: Language) {
    let root = packageRoot()
    let corpora = root.appendingPathComponent("Corpora")
    let (lessons, _) = LessonLibrary.loadAll(directory: root.appendingPathComponent("Lessons"), language: language, corporaDirectory: corpora)
    for lesson in lessons {
      let text = lesson.sections.map(\.text).joined(separator: "\n")
      // "ln 172 ≈ 5.15" and "1/172 ≈ 0.006": the rounded value of the expression.
      for match in text.matches(of: /(ln |1\/)([0-9][0-9,]*)\s*≈\s*([0-9]+\.([0-9]+))/) {
        guard let n = Double(match.2.replacingOccurrences(of: ",", with: "")), let shown = Double(match.3) else { continue }
        let exact = match.1 == "ln " ? Foundation.log(n) : 1 / n
        let halfUnit = 0.5 * pow(10, -Double(match.4.count))
        #expect(abs(exact - shown) <= halfUnit + 1e-12, "\(lesson.url.lastPathComponent): \(match.0) but the value is \(exact)")
      }
    }
  }
}
