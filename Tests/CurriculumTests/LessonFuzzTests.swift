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
    switch generator.nextInt(below: 5) {
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
    for round in 0..<300 {
      var parser = LessonParser(url: url, bytes: Self.mutate(original, generator: &generator))
      let lesson = parser.parse()
      parser.checkCorpus(.exists(corporaDirectory: folder.corpora))
      let diagnostics = parser.sortedDiagnostics
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
  }
}
