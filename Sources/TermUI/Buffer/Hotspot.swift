/// A region of a frame that a mouse click may land on, named by what drew it.
///
/// Views add hotspots as they draw (a lesson's row, a stage's label, a token's chip),
/// so a click is resolved against the frame the learner actually saw: the app looks
/// up the hotspots under the pointer in the last frame drawn and hands them to the
/// screen, which reads `name` and `index` (lesson 4, stage 2, item 7, choice 1).
public struct Hotspot: Sendable, Hashable {
  public var area: Rect
  /// What was drawn there: "lesson", "stage", "item", "choice", "scroll" … (the screen decides what it means).
  public var name: String
  /// Which one: the lesson's, stage's, item's or choice's index.
  public var index: Int

  public init(area: Rect, name: String, index: Int = 0) {
    self.area = area
    self.name = name
    self.index = index
  }
}

extension Buffer {
  /// Marks `rect` (clipped to the buffer) as a place a click may land on.
  public mutating func addHotspot(_ rect: Rect, name: String, index: Int = 0) {
    let clipped = rect.intersection(area)
    guard !clipped.isEmpty else { return }
    hotspots.append(Hotspot(area: clipped, name: name, index: index))
  }

  /// Forgets the hotspots that overlap `rect`: something was drawn over them.
  public mutating func removeHotspots(overlapping rect: Rect) {
    hotspots.removeAll { !$0.area.intersection(rect).isEmpty }
  }

  /// The hotspots under `point`, the last drawn (topmost) first.
  public func hotspots(at point: Point) -> [Hotspot] {
    hotspots.reversed().filter { $0.area.contains(point) }
  }
}
