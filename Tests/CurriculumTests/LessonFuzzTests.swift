import Foundation
import Model
import Testing
import TestSupport
@testable import Curriculum

/// Hundreds of seeded mutations of a real lesson file, each parsed in-process: every one
/// must give file:line diagnostics or a lesson whose sizes a run can allocate.
@Suite struct LessonFuzzTests {
  static let nastyValues = [
    "", "-1", "0", "1000000000000", "9223372036854775807", "-9223372036854775808", "1e308", "nan", "[]", "{}",
    "\"\"", "../../../etc/passwd", "/etc/passwd", "~", "null", "\"\u{0}\"", ":", "- a", "&x", "*x", "!!binary AA==",
    String(repeating: "9", count: 300),
  ]

  static func mutate(_ text: String, generator: inout SeededGenerator) -> [UInt8] {
    var lines = text.components(separatedBy: "\n")
    switch generator.nextInt(below: 6) {
    case 5:  // an alias bomb of random depth inserted in the front matter, used as a key or a value
      let closing = lines.indices.dropFirst().first { lines[$0] == "---" } ?? 1
      let index = 1 + generator.nextInt(below: closing)
      let levels = 2 + generator.nextInt(below: 60)
      var bomb = ["b0: &b0 [lol, lol]"]
      for level in 1..<levels { bomb.append("b\(level): &b\(level) [*b\(level - 1), *b\(level - 1)]") }
      bomb += generator.nextInt(below: 2) == 0 ? ["? *b\(levels - 1)", ": x"] : ["stages: *b\(levels - 1)"]
      lines.insert(contentsOf: bomb, at: index)
    case 0, 1:  // a key's value replaced (nested model sizes included)
      let keyed = lines.indices.filter { lines[$0].contains(":") }
      let index = keyed[generator.nextInt(below: keyed.count)]
      let key = lines[index].prefix { $0 != ":" }
      lines[index] = key + ": " + nastyValues[generator.nextInt(below: nastyValues.count)]
    case 2:  // a line dropped or repeated
      let index = generator.nextInt(below: lines.count)
      if generator.nextInt(below: 2) == 0 { lines.remove(at: index) } else { lines.insert(lines[index], at: index) }
    case 3:  // a number anywhere made huge or negative
      let index = generator.nextInt(below: lines.count)
      let replacement = ["-5", "0", "4097", "9223372036854775807", "99999999999999999999"][generator.nextInt(below: 5)]
      lines[index] = lines[index].replacingOccurrences(of: #"\d+"#, with: replacement, options: .regularExpression)
    default:  // raw bytes flipped
      var bytes = [UInt8](text.utf8)
      for _ in 0..<(1 + generator.nextInt(below: 3)) {
        bytes[generator.nextInt(below: bytes.count)] ^= UInt8(1 << generator.nextInt(below: 8))
      }
      return bytes
    }
    return [UInt8](lines.joined(separator: "\n").utf8)
  }

  @Test func mutatedLessonsGiveDiagnosticsOrARunnableLesson() throws {
    let folder = try LessonFolder()
    let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson())
    let original = try String(contentsOf: url, encoding: .utf8)
    var generator = SeededGenerator(seed: 13)
    var loaded = 0
    var diagnosed = 0
    var aliasBombs = 0
    for round in 0..<300 {
      var parser = LessonParser(url: url, bytes: Self.mutate(original, generator: &generator))
      let lesson = parser.parse()
      parser.checkCorpus(.exists(corporaDirectory: folder.corpora))
      let diagnostics = parser.sortedDiagnostics
      if diagnostics.contains(where: { $0.message.hasPrefix("YAML aliases") }) { aliasBombs += 1 }
      for diagnostic in diagnostics {
        #expect(diagnostic.file == url.relativePath && diagnostic.line >= 0, "round \(round): \(diagnostic)")
        #expect(!diagnostic.message.isEmpty && !diagnostic.message.contains("\n"), "round \(round): \(diagnostic)")
      }
      if let lesson, diagnostics.isEmpty {
        let size = lesson.model
        #expect(throws: Never.self, "round \(round)") {
          try SizeLimits.checkRun(layers: size.layers, heads: size.heads, dim: size.dim, context: size.context, batch: size.batch, vocabulary: nil)
        }
        #expect(Lesson.corpusIsConfined(lesson.corpusPath(corporaDirectory: folder.corpora), lessonURL: url, corporaDirectory: folder.corpora))
        loaded += 1
      } else {
        #expect(!diagnostics.isEmpty, "round \(round): no lesson and no diagnostic")
        diagnosed += 1
      }
    }
    #expect(loaded > 0 && diagnosed > 100, "\(loaded) loaded, \(diagnosed) diagnosed")
    #expect(aliasBombs > 20, "\(aliasBombs) alias bombs refused")
  }

  @Test func aliasBombsAnywhereInTheFrontMatterAreRefusedAtTheirFirstAlias() throws {
    let folder = try LessonFolder()
    let url = try folder.write("01-tiny.en.md", CurriculumFixtures.lesson())
    let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
    let closing = try #require(lines.indices.dropFirst().first { lines[$0] == "---" })
    var generator = SeededGenerator(seed: 29)
    for round in 0..<100 {
      // Block or flow style, as a key, a value or a list item, after any top-level line.
      let levels = 2 + generator.nextInt(below: 80)
      let flow = generator.nextInt(below: 2) == 0
      var bomb = [flow ? "a0: &a0 [lol, lol]" : "a0: &a0\n  - lol\n  - lol"]
      for level in 1..<levels {
        bomb.append(flow ? "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]" : "a\(level): &a\(level)\n  - *a\(level - 1)\n  - *a\(level - 1)")
      }
      let last = "*a\(levels - 1)"
      bomb.append(["? \(last)\n: x", "{\(last): x}: y", "title: \(last)", "pause_at: [\(last)]"][generator.nextInt(below: 4)])
      let topLevel = (1...closing).filter { !lines[$0].hasPrefix(" ") }
      let index = topLevel[generator.nextInt(below: topLevel.count)]
      var mutated = lines
      mutated.insert(contentsOf: bomb.joined(separator: "\n").components(separatedBy: "\n"), at: index)
      var parser = LessonParser(url: url, bytes: [UInt8](mutated.joined(separator: "\n").utf8))
      #expect(parser.parse() == nil, "round \(round)")
      let firstAlias = 1 + mutated.firstIndex { $0.contains("*a0") }!
      #expect(
        parser.sortedDiagnostics.map(\.description)
          == ["\(url.relativePath):\(firstAlias): YAML aliases (*a0) are not allowed in the front matter; write the value out in full"],
        "round \(round): \(parser.sortedDiagnostics)")
    }
  }
}
