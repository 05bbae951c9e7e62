import Foundation
import Testing
import TestSupport
@testable import Curriculum

/// Writes `text` as `name` in a fresh folder that also holds `Corpora/tiny.txt`.
struct LessonFolder {
  let folder: TemporaryDirectory
  let corpora: URL

  init() throws {
    folder = try TemporaryDirectory()
    corpora = try folder.makeFolder("Corpora")
    try folder.write("Corpora/tiny.txt", CurriculumFixtures.tinyCorpus)
    try folder.makeFolder("Lessons")
  }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> URL {
    try folder.write("Lessons/" + name, text)
  }

  @discardableResult
  func write(_ name: String, bytes: [UInt8]) throws -> URL {
    try folder.write("Lessons/" + name, bytes: bytes)
  }

  var lessons: URL { folder.url.appendingPathComponent("Lessons") }

  /// The message `LessonLoader.load` throws for `text`, or nil when it loads.
  func loadError(_ text: String, name: String = "01-tiny.en.md") throws -> String? {
    let url = try write(name, text)
    do {
      _ = try LessonLoader.load(url: url)
      return nil
    } catch {
      return error.description
    }
  }

  func path(_ name: String) -> String { lessons.appendingPathComponent(name).path }
}

@Suite("Lessons")
struct LessonTests {
  @Test("a valid lesson loads with every field and its sections' lines")
  func validLesson() throws {
    let folder = try LessonFolder()
    let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson())
    let lesson = try LessonLoader.load(url: url, corporaDirectory: folder.corpora)
    #expect(lesson.id == "tiny")
    #expect(lesson.language == .en)
    #expect(lesson.order == 1)
    #expect(lesson.title == "A tiny lesson")
    #expect(lesson.summary == "Labels from the text itself.")
    #expect(lesson.objective == .clm)
    #expect(lesson.objective.objectives == [.clm])
    #expect(lesson.corpus == "tiny.txt")
    #expect(lesson.tokenizer == .word)
    #expect(lesson.bpeMerges == BPETokenizer.defaultMerges)
    #expect(lesson.model == LessonModelSize(layers: 1, heads: 2, dim: 16, context: 8, batch: 4))
    #expect(lesson.seed == 42)
    #expect(lesson.optimizer == .adamw)
    #expect(lesson.learningRate == 0.003)
    #expect(lesson.warmupSteps == 10)
    #expect(lesson.stages == [.tokenize, .labels])
    #expect(lesson.prompt == "The cat")
    #expect(lesson.sections.map(\.name) == ["intro", "tokenize", "labels", "run"])
    #expect(lesson.sections.map(\.line) == [24, 27, 30, 33])
    #expect(lesson.intro?.text == "Press **space** to see the next stage.")
    #expect(lesson.intro?.bodyLine == 25)
    #expect(lesson.section(for: .tokenize)?.text == "The text becomes `tokens`.")
    #expect(lesson.run?.text == "Press r to run.")
    #expect(lesson.pace == .max && lesson.pauseAt.isEmpty)
    #expect(lesson.fieldLines["corpus"] == 8)
    #expect(lesson.corpusPath(corporaDirectory: folder.corpora) == folder.corpora.appendingPathComponent("tiny.txt").path)
    #expect(LessonLoader.check(url: url, corporaDirectory: folder.corpora).isEmpty)
  }

  @Test("optional fields take their defaults; block lists work")
  func defaults() throws {
    let folder = try LessonFolder()
    let allSections = (["intro"] + Stage.allCases.map(\.rawValue)).map { "## \($0)\nText for \($0).\n" }.joined(separator: "\n")
    let text = CurriculumFixtures.lesson(
      frontMatter: ["warmup_steps": nil, "stages": nil, "prompt": nil, "tokenizer": "bpe", "bpe_merges": "40"],
      sections: allSections)
    let lesson = try LessonLoader.load(url: try folder.write("02-all.en.md", text))
    #expect(lesson.stages == Stage.allCases)
    #expect(lesson.warmupSteps == 0)
    #expect(lesson.prompt == nil)
    #expect(lesson.bpeMerges == 40)

    let block = CurriculumFixtures.lesson(frontMatter: ["stages": "\n  - tokenize\n  - labls"])
    let error = try folder.loadError(block)
    #expect(error == "\(folder.path("01-tiny.en.md")):22: unknown stage 'labls'; expected one of tokenize, labels, embed, attention, logits, loss, backward, update")
  }

  @Test("bad YAML reports Yams' line in the file")
  func badYAML() throws {
    let folder = try LessonFolder()
    let error = try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["summary": "one: two"]))
    #expect(error == "\(folder.path("01-tiny.en.md")):6: YAML syntax error: mapping values are not allowed in this context")
  }

  @Test("a missing field points at the closing ---")
  func missingField() throws {
    let folder = try LessonFolder()
    let error = try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["seed": nil]))
    #expect(error == "\(folder.path("01-tiny.en.md")):21: missing required field 'seed'")
  }

  @Test("a wrong type names the field and what it found")
  func wrongType() throws {
    let folder = try LessonFolder()
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["order": "first"]))
      == "\(folder.path("01-tiny.en.md")):4: field 'order' must be a whole number, found 'first'")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["learning_rate": "fast"]))
      == "\(folder.path("01-tiny.en.md")):18: field 'learning_rate' must be a number, found 'fast'")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["title": "[a, b]"]))
      == "\(folder.path("01-tiny.en.md")):5: field 'title' must be text, found a list")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["model": "small"]))
      == "\(folder.path("01-tiny.en.md")):10: field 'model' must be a mapping with layers, heads, dim, context, batch, found 'small'")
  }

  @Test("unknown values list the allowed ones")
  func unknownValues() throws {
    let folder = try LessonFolder()
    let file = folder.path("01-tiny.en.md")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["objective": "gpt"]))
      == "\(file):7: unknown objective 'gpt'; expected one of clm | mlm | compare | sft")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["tokenizer": "sentencepiece"]))
      == "\(file):9: unknown tokenizer 'sentencepiece'; expected one of char | word | bpe")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["optimizer": "adam"]))
      == "\(file):17: unknown optimizer 'adam'; expected one of adamw | sgd")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["stages": "[tokenize, labls]"]))
      == "\(file):20: unknown stage 'labls'; expected one of tokenize, labels, embed, attention, logits, loss, backward, update")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["stages": "[labels, tokenize]"]))
      == "\(file):20: stage 'tokenize' comes after 'labels'; list stages once each, in iteration order (tokenize, labels, embed, attention, logits, loss, backward, update)")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["colour": "blue"]))
      == "\(file):22: unknown field 'colour'; expected one of: id, lang, order, title, summary, objective, corpus, tokenizer, model, seed, optimizer, learning_rate, bpe_merges, warmup_steps, stages, prompt, pace, pause_at, base_corpus, base_steps")
    #expect(try folder.loadError(CurriculumFixtures.lesson(lang: "zh"))
      == "\(file):3: field 'lang' is 'zh' but the file name says 'en'")
  }

  @Test("an unknown heading names itself and the allowed sections")
  func unknownHeading() throws {
    let folder = try LessonFolder()
    let body = "## intro\nHello.\n\n## Summary\nMore.\n\n## tokenize\nA.\n\n## labels\nB.\n\n### detail\nC."
    let error = try folder.loadError(CurriculumFixtures.lesson(sections: body))
    #expect(error == "\(folder.path("01-tiny.en.md")):27: unknown section '## Summary'; expected one of: intro, tokenize, labels, embed, attention, logits, loss, backward, update, run, check, at unigram, at bigram, at best, at diverged, predict STAGE, predict run")
    let url = try folder.write("02-h.en.md", CurriculumFixtures.lesson(sections: body))
    let all = LessonLoader.check(url: url, corporaDirectory: folder.corpora).map(\.line)
    #expect(all == [27, 36])
  }

  @Test("a stage without a section points at the stage in the list")
  func stageWithoutSection() throws {
    let folder = try LessonFolder()
    let error = try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["stages": "[tokenize, labels, loss]"]))
    #expect(error == "\(folder.path("01-tiny.en.md")):20: stage 'loss' is listed in 'stages' but has no '## loss' section")
    let noIntro = try folder.loadError(CurriculumFixtures.lesson(sections: "## tokenize\nA.\n\n## labels\nB."))
    #expect(noIntro == "\(folder.path("01-tiny.en.md")):22: missing section '## intro'")
  }

  @Test("a missing corpus is reported at the corpus field")
  func missingCorpus() throws {
    let folder = try LessonFolder()
    let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson(corpus: "absent.txt"))
    let diagnostics = LessonLoader.check(url: url, corporaDirectory: folder.corpora)
    let expected = folder.corpora.appendingPathComponent("absent.txt").relativePath
    let beside = folder.lessons.appendingPathComponent("absent.txt").relativePath
    #expect(diagnostics.map(\.description) == ["\(url.relativePath):8: corpus 'absent.txt' not found (looked for \(expected) and \(beside))"])
    #expect(throws: LessonError.self) { try LessonLoader.load(url: url, corporaDirectory: folder.corpora) }
    // Without a corpora folder, load does not look at the corpus.
    #expect(try LessonLoader.load(url: url).corpus == "absent.txt")
  }

  @Test("a corpus beside the lesson file is found by its relative path")
  func relativeCorpus() throws {
    let folder = try LessonFolder()
    try folder.write("data/mine.txt", CurriculumFixtures.tinyCorpus)
    let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson(corpus: "data/mine.txt"))
    #expect(LessonLoader.check(url: url, corporaDirectory: folder.corpora).isEmpty)
    let lesson = try LessonLoader.load(url: url)
    #expect(lesson.corpusPath(corporaDirectory: folder.corpora) == folder.lessons.appendingPathComponent("data/mine.txt").relativePath)
  }

  @Test("a corpus outside Corpora/ and the lesson's folder is refused at its line")
  func confinedCorpus() throws {
    let folder = try LessonFolder()
    for corpus in ["../../../etc/passwd", "/etc/passwd", "data/../../Corpora/tiny.txt"] {
      let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson(corpus: corpus))
      let messages = LessonLoader.check(url: url, corporaDirectory: folder.corpora).map(\.description)
      #expect(messages.count == 1 && messages[0].hasPrefix("\(url.relativePath):8: corpus '\(corpus)' must "), "\(messages)")
      #expect(throws: LessonError.self) { try LessonLoader.load(url: url) }
    }
    // A symlink beside the lesson that leads elsewhere is refused too; one into Corpora/ is fine.
    try FileManager.default.createSymbolicLink(atPath: folder.path("outside.txt"), withDestinationPath: "/etc/hostname")
    try FileManager.default.createSymbolicLink(atPath: folder.path("inside.txt"), withDestinationPath: "../Corpora/tiny.txt")
    let outside = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson(corpus: "outside.txt"))
    #expect(LessonLoader.check(url: outside, corporaDirectory: folder.corpora).map(\.description) == [
      "\(outside.relativePath):8: corpus 'outside.txt' leads outside Corpora/ and the lesson's folder (through a symlink); copy the file there instead",
    ])
    let inside = try folder.write("02-tiny.en.md", CurriculumFixtures.lesson(corpus: "inside.txt"))
    #expect(LessonLoader.check(url: inside, corporaDirectory: folder.corpora).isEmpty)
  }

  @Test("without a Corpora folder, a corpus through a link leading outside the lesson's folder is still refused")
  func confinedWithoutCorpora() throws {
    let folder = try LessonFolder()
    let outside = try TemporaryDirectory()
    try outside.write("secret.txt", CurriculumFixtures.tinyCorpus)
    try FileManager.default.createSymbolicLink(atPath: folder.path("link"), withDestinationPath: outside.url.path)
    let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson(corpus: "link/secret.txt"))
    let expected = "\(url.relativePath):8: corpus 'link/secret.txt' leads outside the lesson's folder (through a symlink); copy the file there instead"
    #expect(throws: LessonDiagnostic(file: url.relativePath, line: 8, message: String(expected.dropFirst(url.relativePath.count + 4)))) {
      try LessonLoader.load(url: url)
    }
    let library = LessonLibrary.loadAll(directory: folder.lessons, language: .en, corporaDirectory: nil)
    #expect(library.lessons.isEmpty && library.errors.map(\.description) == [expected])
    // A corpus that is simply not there is left for the run to report, as before.
    let missing = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson(corpus: "absent.txt"))
    #expect(try LessonLoader.load(url: missing).corpus == "absent.txt")
  }

  @Test("corpus: . is a folder, not a symlink")
  func corpusFolder() throws {
    let folder = try LessonFolder()
    let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson(corpus: "."))
    let messages = LessonLoader.check(url: url, corporaDirectory: folder.corpora).map(\.description)
    #expect(messages.count == 1 && messages[0].hasPrefix("\(url.relativePath):8: corpus '.' is a folder ("), "\(messages)")
    #expect(messages.first?.hasSuffix("), expected a text file in Corpora/ or the lesson's folder") == true)
  }

  @Test("NUL and other control bytes in a lesson are refused at their line and column", arguments: [0x00, 0x07, 0x0B, 0x0C, 0x1B, 0x7F] as [UInt8])
  func controlBytes(byte: UInt8) throws {
    let folder = try LessonFolder()
    var bytes = Array(CurriculumFixtures.lesson().utf8)
    let line25 = bytes.indices.filter { bytes[$0] == 0x0A }[23] + 1
    bytes.insert(byte, at: line25 + 3)
    let url = try folder.write("01-tiny.en.md", bytes: bytes)
    let hex = String(byte, radix: 16, uppercase: true)
    let message = "control byte <0x\(hex.count == 1 ? "0" + hex : hex)> at column 4; lessons hold text only (tab and newline are the only controls)"
    #expect(LessonLoader.check(url: url, corporaDirectory: folder.corpora) == [LessonDiagnostic(file: url.relativePath, line: 25, message: message)])
    #expect(throws: LessonDiagnostic(file: url.relativePath, line: 25, message: message)) { try LessonLoader.load(url: url) }
  }

  @Test("a corpus too short for the context is reported by check")
  func shortCorpus() throws {
    let folder = try LessonFolder()
    try folder.folder.write("Corpora/short.txt", "The cat sat on the mat.\n")  // 8 word tokens: "The", " cat", … ".", "\n"
    let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson(corpus: "short.txt"))
    let diagnostics = LessonLoader.check(url: url, corporaDirectory: folder.corpora)
    let path = folder.corpora.appendingPathComponent("short.txt").relativePath
    #expect(diagnostics.map(\.description) == [
      "\(url.relativePath):8: corpus 'short.txt' cannot be used: \(path): the corpus has 8 tokens with the word tokenizer; a context of 8 needs at least 9",
    ])
  }

  @Test("non-UTF-8 bytes are reported on their line")
  func nonUTF8() throws {
    let folder = try LessonFolder()
    var bytes = Array(CurriculumFixtures.lesson().utf8)
    let line25 = bytes.indices.filter { bytes[$0] == 0x0A }[23] + 1  // first byte of line 25
    bytes.insert(0xFF, at: line25 + 3)
    let url = try folder.write("01-tiny.en.md", bytes: bytes)
    #expect(throws: LessonDiagnostic(file: url.relativePath, line: 25, message: "not valid UTF-8 (byte <0xFF> at byte offset \(line25 + 3)) at column 4; lessons must be UTF-8 text")) {
      try LessonLoader.load(url: url)
    }
  }

  @Test("the front matter must open and close")
  func frontMatterFences() throws {
    let folder = try LessonFolder()
    #expect(try folder.loadError("# Title\n") == "\(folder.path("01-tiny.en.md")):1: expected '---' on the first line to open the front matter")
    #expect(try folder.loadError("---\nid: x\n") == "\(folder.path("01-tiny.en.md")):1: the front matter opened on line 1 is never closed: expected a '---' line")
  }

  @Test("invalid model sizes point at the offending key")
  func modelSizes() throws {
    let folder = try LessonFolder()
    let file = folder.path("01-tiny.en.md")
    let model = "\n  layers: 1\n  heads: 3\n  dim: 16\n  context: 1\n  batch: 0"
    let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson(frontMatter: ["model": model]))
    let messages = LessonLoader.check(url: url, corporaDirectory: folder.corpora).map(\.description)
    #expect(messages == [
      "\(file):12: model.heads (3) must divide model.dim (16)",
      "\(file):14: model.context must be at least 2, found 1",
      "\(file):15: model.batch must be greater than 0, found 0",
    ])
    let missing = "\n  layers: 1\n  heads: 2\n  dim: 16\n  context: 8"
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["model": missing])) == "\(file):10: missing field 'model.batch'")
    #expect(LessonModelSize(layers: 8, heads: 4, dim: 256, context: 512, batch: 8).problems.map(\.field) == ["layers", "dim", "context"])
    // Batches that pass every other check would crash training: bounded, then the memory estimated.
    for batch in ["1000000000000", "9223372036854775807"] {
      let huge = "\n  layers: 1\n  heads: 2\n  dim: 16\n  context: 8\n  batch: \(batch)"
      let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson(frontMatter: ["model": huge]))
      #expect(LessonLoader.check(url: url, corporaDirectory: folder.corpora).map(\.description) == ["\(file):15: model.batch must be at most 4096, found \(batch)"])
    }
    let heavy = LessonModelSize(layers: 4, heads: 64, dim: 128, context: 128, batch: 4096).problems
    #expect(heavy.count == 1 && heavy[0].message.hasPrefix("this model needs ~") && heavy[0].message.contains("model.batch"), "\(heavy)")
  }

  @Test("narrative over the length limit is reported with its length")
  func lengthLimits() throws {
    let folder = try LessonFolder()
    let long = String(repeating: "word ", count: 100).trimmingCharacters(in: .whitespaces)  // 499
    let body = "## intro\nHi.\n\n## tokenize\n\(long)\n\n## labels\nB."
    #expect(try folder.loadError(CurriculumFixtures.lesson(sections: body))
      == "\(folder.path("01-tiny.en.md")):27: section '## tokenize' is 499 characters long; the limit is 420 in English (shorten it by 79)")

    let chinese = String(repeating: "学", count: 201)
    let zhBody = "## intro\n你好。\n\n## tokenize\n\(chinese)\n\n## labels\n标签。"
    #expect(try folder.loadError(CurriculumFixtures.lesson(lang: "zh", sections: zhBody), name: "01-tiny.zh.md")
      == "\(folder.path("01-tiny.zh.md")):27: section '## tokenize' is 201 characters long; the limit is 200 in Chinese (shorten it by 1)")
    // Markup and line wrapping do not count.
    let wrapped = "## intro\nHi.\n\n## tokenize\n**" + String(repeating: "a", count: 200) + "**\n`" + String(repeating: "b", count: 219) + "`\n\n## labels\nB."
    #expect(try folder.loadError(CurriculumFixtures.lesson(sections: wrapped)) == nil)
  }

  @Test("check reports every problem, in line order")
  func checkReportsAll() throws {
    let folder = try LessonFolder()
    let text = CurriculumFixtures.lesson(
      corpus: "absent.txt", frontMatter: ["objective": "gpt", "seed": nil, "stages": "[tokenize, labels, loss]"],
      sections: "## intro\nHi.\n\n## tokenize\nA.\n\n## extra\nC.")
    let url = try folder.write("01-tiny.en.md", text)
    let lines = LessonLoader.check(url: url, corporaDirectory: folder.corpora).map(\.line)
    // objective (7), corpus not found (8), stages without sections: labels and loss (19),
    // missing seed (at the closing ---, 21), ## extra (29).
    #expect(lines == [7, 8, 19, 19, 21, 29])
  }

  @Test("the library loads a language, falls back to English, skips and reports broken files")
  func library() throws {
    let folder = try LessonFolder()
    try folder.write("02-second.en.md", CurriculumFixtures.lesson(id: "second", order: 2))
    try folder.write("02-second.zh.md", CurriculumFixtures.lesson(id: "second", lang: "zh", order: 2, sections: "## intro\n你好。\n\n## tokenize\n词元。\n\n## labels\n标签。"))
    try folder.write("01-first.en.md", CurriculumFixtures.lesson(id: "first", order: 1))
    try folder.write("03-broken.en.md", CurriculumFixtures.lesson(id: "broken", order: 3, frontMatter: ["seed": "many"]))
    try folder.write("04-dup.en.md", CurriculumFixtures.lesson(id: "first", order: 4))
    try folder.write("README.md", "# Lessons\n")

    let english = LessonLibrary.loadAll(directory: folder.lessons, language: .en)
    #expect(english.lessons.map(\.id) == ["first", "second"])
    #expect(english.lessons.map(\.language) == [.en, .en])
    #expect(english.errors.map(\.description) == [
      "\(folder.path("03-broken.en.md")):16: field 'seed' must be a whole number ≥ 0, found 'many'",
      "\(folder.path("04-dup.en.md")):2: lesson id 'first' is already used by 01-first.en.md",
    ])

    let chinese = LessonLibrary.loadAll(directory: folder.lessons, language: .zh)
    #expect(chinese.lessons.map(\.id) == ["first", "second"])
    #expect(chinese.lessons.map(\.language) == [.en, .zh])

    let missingCorpora = try TemporaryDirectory()
    let strict = LessonLibrary.loadAll(directory: folder.lessons, language: .en, corporaDirectory: missingCorpora.url)
    #expect(strict.lessons.isEmpty)
    #expect(strict.errors.count == 5)  // four missing corpora, one bad seed

    let nowhere = LessonLibrary.loadAll(directory: folder.lessons.appendingPathComponent("none"), language: .en)
    #expect(nowhere.lessons.isEmpty)
    #expect(nowhere.errors.map(\.message) == ["lessons folder not found"])
  }

  @Test("language comes from LC_ALL, LC_MESSAGES or LANG")
  func languageFromEnvironment() {
    #expect(Language.fromEnvironment([:]) == .en)
    #expect(Language.fromEnvironment(["LANG": "zh_CN.UTF-8"]) == .zh)
    #expect(Language.fromEnvironment(["LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"]) == .zh)
    #expect(Language.fromEnvironment(["LANG": "zh_CN.UTF-8", "LC_ALL": "C"]) == .en)
    #expect(Language.fromEnvironment(["LANG": "zh_CN.UTF-8", "LC_ALL": ""]) == .zh)
  }

  @Test("narrative text: paragraphs, spans and display length")
  func narrativeText() {
    let text = "First line\nwraps here.\n\n中文第一行\n第二行。\n\nUse **bold** and `code`."
    #expect(LessonText.paragraphs(text) == ["First line wraps here.", "中文第一行第二行。", "Use **bold** and `code`."])
    #expect(LessonText.spans("Use **bold** and `code`.") == [
      NarrativeSpan("Use "), NarrativeSpan("bold", .bold), NarrativeSpan(" and "), NarrativeSpan("code", .code), NarrativeSpan("."),
    ])
    #expect(LessonText.spans("a ** b ` c") == [NarrativeSpan("a ** b ` c")])
    #expect(LessonText.displayLength("ab\ncd\n\n**ef**") == 5 + 1 + 2)
  }

  @Test("Windows line endings and a byte-order mark are accepted")
  func crlf() throws {
    let folder = try LessonFolder()
    let text = "\u{FEFF}" + CurriculumFixtures.lesson().replacingOccurrences(of: "\n", with: "\r\n")
    let lesson = try LessonLoader.load(url: try folder.write("01-tiny.en.md", text))
    #expect(lesson.title == "A tiny lesson")
    #expect(lesson.intro?.text == "Press **space** to see the next stage.")
    #expect(lesson.sections.map(\.line) == [24, 27, 30, 33])
  }

  /// The front matter of the alias bomb: `l0: &l0 [lol, lol]`, then each level two aliases of the one before.
  static func aliasBomb(levels: Int = 40) -> String {
    var lines = ["l0: &l0 [lol, lol]"]
    for level in 1..<levels { lines.append("l\(level): &l\(level) [*l\(level - 1), *l\(level - 1)]") }
    return lines.joined(separator: "\n")
  }

  @Test("an alias bomb is refused at its first alias, before anything is expanded")
  func aliasBomb() throws {
    let folder = try LessonFolder()
    // Used as a key, Yams would hash all 2^40 of its leaves: this test would never end.
    let bomb = CurriculumFixtures.lesson().replacingOccurrences(
      of: "seed: 42", with: "seed: 42\n" + Self.aliasBomb() + "\n? *l39\n: x")
    let expected = "\(folder.path("01-tiny.en.md")):18: YAML aliases (*l0) are not allowed in the front matter; write the value out in full"
    #expect(try folder.loadError(bomb) == expected)
    // `lessons check` and the library (`lessons list`, the browser) read it the same way.
    let url = try folder.write("01-tiny.en.md", bomb)
    #expect(LessonLoader.check(url: url, corporaDirectory: folder.corpora).map(\.description) == [expected])
    let library = LessonLibrary.loadAll(directory: folder.lessons, language: .en)
    #expect(library.lessons.isEmpty && library.errors.map(\.description) == [expected])
  }

  @Test("any alias is refused at its line; anchors alone, and stars and ampersands in text, are fine")
  func aliases() throws {
    let folder = try LessonFolder()
    let file = folder.path("01-tiny.en.md")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["seed": "&s 42", "prompt": "*s"]))
      == "\(file):21: YAML aliases (*s) are not allowed in the front matter; write the value out in full")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["stages": "[tokenize, *x]"]))
      == "\(file):20: YAML aliases (*x) are not allowed in the front matter; write the value out in full")
    let text = CurriculumFixtures.lesson(frontMatter: [
      "seed": "&s 42", "title": "Stars *a* and &b", "summary": "\"*quoted* & fine\"", "prompt": "'*x'",
    ])
    let lesson = try LessonLoader.load(url: try folder.write("01-tiny.en.md", text))
    #expect(lesson.seed == 42 && lesson.title == "Stars *a* and &b" && lesson.summary == "*quoted* & fine" && lesson.prompt == "*x")
  }

  @Test("a key given twice is a YAML error on its line")
  func duplicateKey() throws {
    let folder = try LessonFolder()
    let error = try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["colour": nil]).replacingOccurrences(of: "seed: 42", with: "seed: 42\nseed: 43"))
    #expect(error == "\(folder.path("01-tiny.en.md")):17: field 'seed' appears more than once (first on line 16)")
  }

  @Test("pace and pause_at shape the live run; every paused-at milestone has its section")
  func watching() throws {
    let folder = try LessonFolder()
    let file = folder.path("01-tiny.en.md")
    let body = """
      ## intro
      Hi.

      ## tokenize
      A.

      ## labels
      B.

      ## at bigram
      Validation loss just went below the bigram line.

      ## at best
      The model is memorising.
      """
    let url = try folder.write(
      "01-tiny.en.md", CurriculumFixtures.lesson(frontMatter: ["pace": "10", "pause_at": "[best, bigram]"], sections: body))
    let lesson = try LessonLoader.load(url: url, corporaDirectory: folder.corpora)
    #expect(lesson.pace == .stepsPerSecond(10))
    #expect(lesson.pauseAt == [.bigram, .best], "in the order a run reaches them")
    #expect(lesson.section(for: MilestoneKind.bigram)?.text == "Validation loss just went below the bigram line.")
    #expect(lesson.section(for: MilestoneKind.best)?.milestone == .best)
    #expect(LessonLoader.check(url: url, corporaDirectory: folder.corpora).isEmpty)

    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["pace": "max"])) == nil)
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["pace": "7"]))
      == "\(file):22: unknown pace '7'; expected one of 1, 3, 10, 30, 100, 300, max (steps a second)")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["pace": "[10]"]))
      == "\(file):22: field 'pace' must be one of 1, 3, 10, 30, 100, 300, max (steps a second), found a list")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["pause_at": "[bigrams]"]))
      == "\(file):22: unknown milestone 'bigrams' in 'pause_at'; expected one of unigram, bigram, best, diverged")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["pause_at": "bigram"]))
      == "\(file):22: field 'pause_at' must be a list like [bigram, best], found 'bigram'")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["pause_at": "[bigram]"]))
      == "\(file):22: milestone 'bigram' is listed in 'pause_at' but has no '## at bigram' section")
    #expect(try folder.loadError(CurriculumFixtures.lesson(frontMatter: ["pause_at": "[bigram, bigram]"], sections: body))?
      .hasSuffix(":22: milestone 'bigram' is listed twice in 'pause_at'") == true)
    let unshown = try folder.write("02-tiny.en.md", CurriculumFixtures.lesson(frontMatter: ["pause_at": "[best]"], sections: body))
    #expect(LessonLoader.check(url: unshown, corporaDirectory: folder.corpora).map(\.description)
      == ["\(folder.path("02-tiny.en.md")):34: section '## at bigram' is never shown: add 'bigram' to 'pause_at'"])
  }
}
