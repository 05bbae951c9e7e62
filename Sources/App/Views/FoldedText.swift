import TermUI

/// A narrative folded to one line: as much of its start as fits, then a hint to read it all.
struct FoldedText {
  let text: String
  let hint: String

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard area.width > 0, area.height > 0 else { return }
    let plain = text.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
    let line = plain.split(whereSeparator: \.isNewline).joined(separator: " ")
    let hintText = " " + hint
    let room = max(0, area.width - displayWidth(of: hintText))
    let start = truncated(line, toWidth: room)
    let x = area.x + buffer.set(string: start, at: Point(x: area.x, y: area.y), style: theme.text, clipTo: area)
    buffer.set(string: hintText, at: Point(x: x, y: area.y), style: theme.accent, clipTo: area)
  }
}
