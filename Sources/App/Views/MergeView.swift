import Curriculum
import TermUI

/// One moment of the BPE replay: the last merge, the counts, and the opening of the text as tokens.
///
/// Tokens are chips of alternating colours; a muted ┊ marks where the pre-split chunks break
/// (no merge crosses one). The token the last merge made is highlighted wherever it stands,
/// and the places the next merge will join are underlined.
struct MergeView {
  let replay: MergeReplay
  var note: String?
  var isPlaying = false
  var pace = 3
  let language: Language

  /// The most recent new tokens listed under the text.
  static let recentCount = 12

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let tokenizer = replay.tokenizer
    var lines: [(String, Style)] = []
    if let last = replay.last {
      lines.append((L.mergeLast(rank: last.rank + 1, of: replay.mergeCount, left: tokenizer.displayToken(last.left), right: tokenizer.displayToken(last.right), merged: tokenizer.displayToken(last.merged), id: Int(last.merged), count: last.count), theme.accent))
    } else {
      lines.append((L.mergeBytesOnly(merges: replay.mergeCount), theme.accent))
    }
    let saved = replay.byteCount > 0 ? 100 * Double(replay.byteCount - replay.tokenCount) / Double(replay.byteCount) : 0
    lines.append((L.mergeCounts(bytes: replay.byteCount, tokens: replay.tokenCount, saved: saved, merges: replay.applied), theme.text))
    if let next = replay.next {
      lines.append((L.mergeNext(left: tokenizer.displayToken(next.left), right: tokenizer.displayToken(next.right), count: next.count) + (isPlaying ? "  ▶ \(pace)/s" : ""), theme.muted))
    } else {
      lines.append((L.mergeDone(merges: replay.mergeCount, vocabulary: 256 + replay.mergeCount + 1), theme.positive))
    }
    if let note { lines.append((note, theme.highlight)) }
    for (row, line) in lines.enumerated() where row < area.height {
      buffer.set(string: line.0, at: Point(x: area.x, y: area.y + row), style: line.1, clipTo: area)
    }
    let recentRows = replay.applied > 0 ? 1 : 0
    let textArea = Rect(x: area.x, y: area.y + lines.count, width: area.width, height: area.height - lines.count - recentRows)
    guard textArea.height >= 3 else { return }
    let inner = Frame(title: L.mergeTextTitle).render(in: textArea, buffer: &buffer, theme: theme)
    renderText(in: inner, buffer: &buffer, theme: theme)
    if recentRows > 0 {
      let first = max(0, replay.applied - Self.recentCount)
      let recent = (first..<replay.applied).map { tokenizer.displayToken(Int32(256 + $0)) }.joined(separator: " ")
      buffer.set(string: L.mergeRecent + recent, at: Point(x: area.x, y: textArea.bottom), style: theme.muted, clipTo: area)
    }
  }

  /// The opening chunks as token chips, wrapped, until the area is full.
  private func renderText(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard area.width > 2, area.height > 0 else { return }
    let tokenizer = replay.tokenizer
    let merged = replay.last?.merged
    let next = replay.next
    var (x, y) = (area.x, area.y)
    var chip = 0
    for (chunkIndex, chunk) in replay.opening.enumerated() {
      let tokens = replay.tokens(ofChunk: chunk)
      var joins = Set<Int>()
      if let next {
        var position = 0
        while position + 1 < tokens.count {
          if tokens[position] == next.left && tokens[position + 1] == next.right {
            joins.formUnion([position, position + 1])
            position += 2
          } else {
            position += 1
          }
        }
      }
      if chunkIndex > 0 {
        if x + 1 > area.right { x = area.x; y += 1 }
        guard y < area.bottom else { return }
        buffer.set(character: "┊", at: Point(x: x, y: y), style: theme.muted, clipTo: area)
        x += 1
      }
      for (position, token) in tokens.enumerated() {
        let text = tokenizer.displayToken(token)
        let width = min(displayWidth(of: text), area.width)
        if x + width > area.right { x = area.x; y += 1 }
        guard y < area.bottom else { return }
        var style = token == merged ? theme.highlight : theme.tokenChip(chip % 2)
        if joins.contains(position) { style = style.adding(.underline) }
        buffer.set(string: text, at: Point(x: x, y: y), style: style, clipTo: area)
        x += width
        chip += 1
      }
    }
  }
}
