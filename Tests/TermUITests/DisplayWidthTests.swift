import Testing
import TermUI

@Suite struct DisplayWidthTests {
  @Test func asciiIsOneColumnAndControlsAreZero() {
    #expect(displayWidth(of: "a" as Character) == 1)
    #expect(displayWidth(of: " " as Character) == 1)
    #expect(displayWidth(of: "\u{07}" as Character) == 0)
    #expect(displayWidth(of: "hello") == 5)
  }

  @Test func eastAsianWideAndFullwidthAreTwoColumns() {
    #expect(displayWidth(of: "注" as Character) == 2)
    #expect(displayWidth(of: "コ" as Character) == 2)
    #expect(displayWidth(of: "한" as Character) == 2)
    #expect(displayWidth(of: "Ａ" as Character) == 2)
    #expect(displayWidth(of: "。" as Character) == 2)
    #expect(displayWidth(of: "注意力机制 コンピュータ") == 23)
  }

  @Test func drawingCharactersAreNarrow() {
    for character: Character in ["─", "│", "┌", "█", "░", "▁", "⣿", "⠁", "·", "…", "␣", "é"] {
      #expect(displayWidth(of: character) == 1, "\(character)")
    }
  }

  @Test func combiningMarksJoinersAndSelectorsAddNothing() {
    #expect(displayWidth(of: "e\u{301}" as Character) == 1)
    #expect(displayWidth(of: "\u{200B}" as Character) == 0)
    #expect(displayWidth(of: "a\u{FE0E}" as Character) == 1)
  }

  @Test func emojiFollowPresentation() {
    #expect(displayWidth(of: "😀" as Character) == 2)
    #expect(displayWidth(of: "❤" as Character) == 1)
    #expect(displayWidth(of: "❤️" as Character) == 2)
    #expect(displayWidth(of: "👩‍👩‍👧" as Character) == 2)
    #expect(displayWidth(of: "🇯🇵" as Character) == 2)
    #expect(displayWidth(of: "👍🏽" as Character) == 2)
  }
}
