@testable import App
import Curriculum
import Foundation
import TermUI
import TestSupport
import Testing

/// The `?` overlay over a real lesson: scrolled when its keys do not fit, closed by any other key.
@Suite(.serialized) struct HelpOverlayTests {
  /// The first lesson, open in a terminal of `width`×`height`, with the help shown.
  static func helpOverLabels(_ language: Language, width: Int, height: Int, folders: UserFolders) throws -> AppHarness {
    let plan = try #require(CourseTests.plans(language).first { $0.id == "labels" })
    let app = AppHarness(controller: AppController.onOneThread(lessons: [plan], language: language, open: plan, folders: folders, predictFirst: false), width: width, height: height)
    app.press(.char("?"))
    return app
  }

  /// The help box's bottom border, which carries the position when the text does not fit.
  static func border(_ app: AppHarness, _ language: Language) -> String? {
    app.lines.first { $0.contains(Localized(language).helpScrollHint) }
  }

  /// The position on that border: "↓ 9", "↑ 3 ↓ 6" or "↑ 9" (the keys after it have arrows too).
  static func position(_ app: AppHarness, _ language: Language) -> String? {
    guard let border = border(app, language), let before = border.components(separatedBy: " · ").first,
      let start = before.lastIndex(of: "─")
    else { return nil }
    return before[before.index(after: start)...].trimmingCharacters(in: .whitespaces)
  }

  /// The end of the help's last line (the mouse note), which wraps: compared without white space.
  static func showsLastLine(_ app: AppHarness, _ language: Language) -> Bool {
    let note = Localized(language).mouseHelp.filter { !$0.isWhitespace }
    return app.text.filter { !$0.isWhitespace }.contains(String(note.suffix(12)))
  }

  @Test(arguments: Language.allCases)
  func atTheSmallestSizeTheHelpScrollsToItsLastLine(language: Language) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let app = try Self.helpOverLabels(language, width: 80, height: 24, folders: fixture.folders)
    let first = try #require(Self.border(app, language), "the first frame says there is more:\n\(app.text)")
    #expect(first.contains("↑/↓ PgUp/PgDn"), "\(first)")
    let hidden = try #require(Self.position(app, language))
    #expect(hidden.hasPrefix("↓ ") && !hidden.contains("↑"), "\(first)")
    #expect(!Self.showsLastLine(app, language), "\(app.text)")

    app.press(.down)
    #expect(Self.position(app, language)?.hasPrefix("↑ 1 ↓") == true, "↓ scrolls and keeps the help open:\n\(app.text)")
    app.press(.char("k"))
    #expect(Self.position(app, language) == hidden, "k scrolls back")

    app.press(.pageDown, .pageDown, .pageDown)
    #expect(Self.showsLastLine(app, language), "PgDn reaches the mouse note:\n\(app.text)")
    let last = try #require(Self.position(app, language))
    #expect(last.hasPrefix("↑ ") && !last.contains("↓"), "\(last)")
    app.press(.down)
    #expect(Self.position(app, language) == last, "↓ at the end stays there, and the help stays open")
    app.press(.home)
    #expect(!Self.showsLastLine(app, language))
    app.press(.end)
    #expect(Self.showsLastLine(app, language))

    // A taller terminal shows more at once: the scroll still ends at the last line, never past it.
    app.resize(80, 28)
    #expect(Self.showsLastLine(app, language), "\(app.text)")
    let taller = try #require(Self.position(app, language))
    #expect(taller.hasPrefix("↑ ") && !taller.contains("↓") && taller != last, "\(taller)")
    // Back at 80×24 the top line stays where it was, and what it hides below is counted again.
    app.resize(80, 24)
    #expect(Self.position(app, language)?.hasPrefix(taller + " ↓") == true, "\(app.text)")

    // Any other key closes it, and does nothing else: x would restart the run.
    app.press(.char("x"))
    #expect(Self.border(app, language) == nil && !Self.showsLastLine(app, language), "\(app.text)")
    #expect(app.controller.router.help == nil)
  }

  @Test func theKeysStandInAColumnAndTheirTextsWrapBesideThem() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let app = try Self.helpOverLabels(.en, width: 80, height: 24, folders: fixture.folders)
    let lines = app.lines
    /// The column (in characters: this screen's are all one cell wide) where `text` starts, and its line.
    func place(_ text: String) -> (column: Int, line: Int)? {
      for (index, line) in lines.enumerated() {
        if let range = line.range(of: text) { return (line.distance(from: line.startIndex, to: range.lowerBound), index) }
      }
      return nil
    }
    let run = try #require(place("run / pause live training"), "\(app.text)")
    let back = try #require(place("back to the lessons"))
    let help = try #require(place("this help: the keys of this screen"))
    let fold = try #require(place("show all / hide the lesson text"))
    #expect(back.column == run.column && help.column == run.column && fold.column == run.column, "\(app.text)")
    // "r", "q" and "?" are one key each: their texts do not follow them after a single space.
    #expect(!lines[run.line].contains("r run"), "\(lines[run.line])")
    // The lines a description wraps to start in its column, not under the keys.
    let keyColumn = try #require(Array(lines[help.line].prefix(help.column)).lastIndex(of: "?"))
    let next = Array(lines[fold.line + 1])
    #expect(next[keyColumn..<run.column].allSatisfy { $0 == " " } && next[run.column] != " ", "\(String(next))")
    #expect(String(next).contains("one line)"), "the line after the fold key's is its description's end: \(String(next))")
  }

  @Test func theWheelScrollsAndAClickCloses() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let app = try Self.helpOverLabels(.en, width: 80, height: 24, folders: fixture.folders)
    app.wheel(.wheelDown, at: Point(x: 40, y: 12))
    #expect(Self.position(app, .en)?.hasPrefix("↑ \(Router.wheelLines) ↓") == true, "\(app.text)")
    app.click(Point(x: 40, y: 12))
    #expect(app.controller.router.help == nil)
  }

  @Test func whenEverythingFitsThereIsNoMarkerAndAnyKeyCloses() throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let app = try Self.helpOverLabels(.en, width: 200, height: 60, folders: fixture.folders)
    #expect(Self.showsLastLine(app, .en), "\(app.text)")
    // The box's bottom border is plain: under the top-left corner of "┌ Keys", a corner, then only lines.
    let rows = app.lines.map(Array.init)
    let top = try #require(rows.firstIndex { String($0).contains("┌ Keys") })
    let x = try #require(rows[top].indices.first { String(rows[top][$0...]).hasPrefix("┌ Keys") })
    let bottom = try #require(rows[top...].first { $0.indices.contains(x) && $0[x] == "└" })
    #expect(String(bottom[x...]).hasPrefix("└" + String(repeating: "─", count: 70) + "┘"), "\(String(bottom))")
    app.press(.down)
    #expect(app.controller.router.help == nil, "↓ closes the help as every key does when nothing is hidden")
  }

  @Test(arguments: [Key.escape, .char("q"), .char("?"), .enter, .left])
  func keysThatDoNotScrollClose(key: Key) throws {
    let fixture = try LessonFixture()
    defer { fixture.remove() }
    let app = try Self.helpOverLabels(.en, width: 80, height: 24, folders: fixture.folders)
    #expect(Self.border(app, .en) != nil)
    app.press(key)
    #expect(app.controller.router.help == nil && Self.border(app, .en) == nil, "\(key)")
    #expect(app.controller.router.top is LessonScreen, "\(key) only closed the help")
  }
}
