/// A centred overlay: a framed box of text over whatever was drawn before.
///
/// Everything beneath the box is cleared first, so no stray cells show through. Text
/// taller than the box scrolls: `scroll` lines are skipped, and the bottom border says
/// how many lines lie above (↑) and below (↓), followed by `scrollHint`, so a reader
/// knows there is more and how to reach it.
public struct Modal: Sendable {
  public var title: String
  public var text: String
  /// The widest the box may be, border included.
  public var preferredWidth: Int
  /// Lines skipped from the top; drawn within `0...scrollLimit(in:)`, whatever it is.
  public var scroll: Int
  /// The keys that scroll, in the caller's words; shown after the position when the text does not fit.
  public var scrollHint: String
  /// Whether tabs line the text up in a column, as `Paragraph.alignsTabs` (the keys of the help).
  public var alignsTabs: Bool

  public init(
    title: String, text: String, preferredWidth: Int = 60, scroll: Int = 0, scrollHint: String = "", alignsTabs: Bool = false
  ) {
    self.title = title
    self.text = text
    self.preferredWidth = preferredWidth
    self.scroll = scroll
    self.scrollHint = scrollHint
    self.alignsTabs = alignsTabs
  }

  /// Where the box lands inside `area`.
  public func boxArea(in area: Rect) -> Rect { layout(in: area).box }

  /// The largest useful `scroll` in `area`: the one that shows the last line on the box's last row (0 when all fits).
  public func scrollLimit(in area: Rect) -> Int { layout(in: area).scrollLimit }

  /// The rows of text the box shows in `area`.
  public func visibleRows(in area: Rect) -> Int { max(0, boxArea(in: area).height - 2) }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let (box, limit) = layout(in: area)
    buffer.fill(box)
    let inner = Frame(title: title, isFocused: true, clearsInterior: true).render(in: box, buffer: &buffer, theme: theme)
    let first = min(max(0, scroll), limit)
    Paragraph(text, scroll: first, alignsTabs: alignsTabs).render(in: inner.inset(left: 1, right: 1), buffer: &buffer, theme: theme)
    if limit > 0 { renderPosition(first: first, limit: limit, box: box, buffer: &buffer, theme: theme) }
    // What lies beneath can no longer be clicked; a screen reader starts reading the box.
    buffer.removeHotspots(overlapping: box)
    buffer.addHotspot(box, name: "modal")
    if !inner.isEmpty { buffer.cursor = Point(x: inner.x + 1, y: inner.y) }
  }

  /// "↑ 3 ↓ 6 · hint" on the bottom border, right-aligned; without the hint when only the arrows fit.
  private func renderPosition(first: Int, limit: Int, box: Rect, buffer: inout Buffer, theme: Theme) {
    var arrows: [String] = []
    if first > 0 { arrows.append("↑ \(first)") }
    if first < limit { arrows.append("↓ \(limit - first)") }
    let position = arrows.joined(separator: " ")
    // Two border cells stay at each end, so the corners still read as corners.
    let room = box.width - 4
    let candidates = (scrollHint.isEmpty ? [] : [" \(position) · \(scrollHint) "]) + [" \(position) "]
    guard let label = candidates.first(where: { displayWidth(of: $0) <= room }) else { return }
    let at = Point(x: box.right - 2 - displayWidth(of: label), y: box.bottom - 1)
    buffer.set(string: label, at: at, style: theme.highlight, clipTo: box)
  }

  /// The box in `area` and how far its text can scroll, from one wrap of the text.
  ///
  /// The text wraps inside the border and a space on each side.
  private func layout(in area: Rect) -> (box: Rect, scrollLimit: Int) {
    let width = min(preferredWidth, max(4, area.width - 4))
    let lines = Paragraph(text, alignsTabs: alignsTabs).height(forWidth: max(1, width - 4))
    let box = area.centered(Size(width: width, height: min(area.height, lines + 2)))
    return (box, max(0, lines - max(0, box.height - 2)))
  }
}
