/// The key-help line at the bottom of a screen.
///
/// Entries keep their order; when they do not fit, the lowest-priority ones
/// are dropped first.
public struct KeyFooter: Sendable {
  public struct Entry: Sendable, Hashable {
    public var key: String
    public var action: String
    /// Higher stays longer when the width runs short.
    public var priority: Int

    public init(_ key: String, _ action: String, priority: Int = 0) {
      self.key = key
      self.action = action
      self.priority = priority
    }

    var width: Int { displayWidth(of: key) + 1 + displayWidth(of: action) }
  }

  public var entries: [Entry]
  static let separator = "  "

  public init(entries: [Entry]) { self.entries = entries }

  /// The entries that fit a width, in their original order.
  public func visibleEntries(forWidth width: Int) -> [Entry] {
    var kept = Array(entries.indices)
    func total(_ indices: [Int]) -> Int {
      indices.reduce(0) { $0 + entries[$1].width } + KeyFooter.separator.count * max(0, indices.count - 1)
    }
    while !kept.isEmpty && total(kept) > width {
      // Drop the lowest priority; among equals, the rightmost.
      let victim = kept.indices.min { a, b in
        let pa = entries[kept[a]].priority
        let pb = entries[kept[b]].priority
        return pa != pb ? pa < pb : a > b
      }!
      kept.remove(at: victim)
    }
    return kept.map { entries[$0] }
  }

  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !area.isEmpty else { return }
    let y = area.y
    var x = area.x
    for (i, entry) in visibleEntries(forWidth: area.width).enumerated() {
      if i > 0 { x += buffer.set(string: KeyFooter.separator, at: Point(x: x, y: y), clipTo: area) }
      x += buffer.set(string: entry.key, at: Point(x: x, y: y), style: theme.accent, clipTo: area)
      x += buffer.set(string: " " + entry.action, at: Point(x: x, y: y), style: theme.muted, clipTo: area)
    }
  }
}
