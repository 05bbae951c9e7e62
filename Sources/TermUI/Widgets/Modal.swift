/// A centred overlay: a framed box of text over whatever was drawn before.
///
/// Everything beneath the box is cleared first, so no stray cells show through.
public struct Modal: Sendable {
  public var title: String
  public var text: String
  /// The widest the box may be, border included.
  public var preferredWidth: Int

  public init(title: String, text: String, preferredWidth: Int = 60) {
    self.title = title
    self.text = text
    self.preferredWidth = preferredWidth
  }

  /// Where the box lands inside `area`.
  public func boxArea(in area: Rect) -> Rect {
    let width = min(preferredWidth, max(4, area.width - 4))
    let paragraph = Paragraph(text)
    let height = min(area.height, paragraph.height(forWidth: max(1, width - 4)) + 2)
    return area.centered(Size(width: width, height: height))
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let box = boxArea(in: area)
    buffer.fill(box)
    let inner = Frame(title: title, isFocused: true, clearsInterior: true).render(in: box, buffer: &buffer, theme: theme)
    Paragraph(text).render(in: inner.inset(left: 1, right: 1), buffer: &buffer, theme: theme)
    // What lies beneath can no longer be clicked; a screen reader starts reading the box.
    buffer.removeHotspots(overlapping: box)
    buffer.addHotspot(box, name: "modal")
    if !inner.isEmpty { buffer.cursor = Point(x: inner.x + 1, y: inner.y) }
  }
}
