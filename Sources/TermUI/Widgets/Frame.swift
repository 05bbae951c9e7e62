/// A box with a title, drawn with Unicode box-drawing characters.
public struct Frame: Sendable {
  public var title: String
  /// Draws the border in the accent colour, e.g. for the focused panel.
  public var isFocused: Bool
  /// Blanks the inside before drawing, for overlays.
  public var clearsInterior: Bool

  public init(title: String = "", isFocused: Bool = false, clearsInterior: Bool = false) {
    self.title = title
    self.isFocused = isFocused
    self.clearsInterior = clearsInterior
  }

  /// The area inside the border.
  public static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

  /// Draws the frame and returns the area inside it.
  @discardableResult
  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) -> Rect {
    guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
    if clearsInterior { buffer.fill(area) }
    let border = isFocused ? theme.accent : theme.border
    let horizontal = String(repeating: "─", count: area.width - 2)
    buffer.set(string: "┌" + horizontal + "┐", at: Point(x: area.x, y: area.y), style: border, clipTo: area)
    buffer.set(string: "└" + horizontal + "┘", at: Point(x: area.x, y: area.bottom - 1), style: border, clipTo: area)
    for y in (area.y + 1)..<(area.bottom - 1) {
      buffer.set(character: "│", at: Point(x: area.x, y: y), style: border, clipTo: area)
      buffer.set(character: "│", at: Point(x: area.right - 1, y: y), style: border, clipTo: area)
    }
    if !title.isEmpty && area.width > 4 {
      let text = " " + truncated(title, toWidth: area.width - 4) + " "
      let titleArea = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1)
      buffer.set(string: text, at: Point(x: area.x + 1, y: area.y), style: isFocused ? theme.highlight : theme.title, clipTo: titleArea)
    }
    return Frame.inner(area)
  }
}
