import Curriculum
import TermUI

/// The `?` overlay: the top screen's keys and the mouse note, in a box over the screen.
///
/// Any key closes it, as does a click, except that when the text is taller than the box
/// (a lesson's list at 80×24) the scroll keys and the wheel move it instead; otherwise
/// its last lines could never be read, since ↓ would close it like any other key.
struct HelpOverlay {
  let text: String
  let language: Language
  /// Lines skipped from the top; kept within the box's limit for the area it was last moved in.
  private(set) var scroll = 0

  init(text: String, language: Language) {
    self.text = text
    self.language = language
  }

  enum Action: Hashable {
    case line(Direction), page(Direction), edge(Direction)
  }

  /// The keys that scroll; every other key closes.
  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    return [
      KeyBinding([(.up, .line(.back)), (.char("k"), .line(.back)), (.down, .line(.forward)), (.char("j"), .line(.forward))], shown: "↑/↓", label: L.pick("scroll", "滚动"), help: L.pick("scroll the help a line (also k/j)", "帮助滚动一行（也可用 k/j）"), priority: nil),
      KeyBinding([(.pageUp, .page(.back)), (.pageDown, .page(.forward)), (.char(" "), .page(.forward))], shown: "PgUp/PgDn", label: L.pick("page", "翻页"), help: L.pick("scroll the help a page (also space)", "帮助翻一页（也可用空格）"), priority: nil),
      KeyBinding([(.home, .edge(.back)), (.end, .edge(.forward))], shown: "Home/End", label: L.pick("ends", "首尾"), help: L.pick("the help's first or last lines", "帮助的开头或结尾"), priority: nil),
    ]
  }

  /// The box as drawn now.
  var modal: Modal {
    let L = Localized(language)
    return Modal(title: L.helpTitle, text: text, preferredWidth: 72, scroll: scroll,
                 scrollHint: keys.prefix(2).map(\.shown).joined(separator: " ") + L.helpScrollHint, alignsTabs: true)
  }

  /// Scrolls for `key` when the text does not fit in `area`; false when the key closes the overlay instead.
  ///
  /// With the area unknown (no frame drawn yet) nothing is known to overflow: every key closes it.
  mutating func scroll(for key: Key, in area: Rect?) -> Bool {
    guard let area, modal.scrollLimit(in: area) > 0,
      let action = keys.lazy.compactMap({ $0.action(for: key) }).first
    else { return false }
    let page = max(1, modal.visibleRows(in: area) - 1)
    switch action {
    case .line(let direction): scroll(by: direction.delta, in: area)
    case .page(let direction): scroll(by: direction.delta * page, in: area)
    case .edge(let direction): scroll(by: direction.delta * Int(Int32.max), in: area)
    }
    return true
  }

  /// Moves by `lines` (the wheel a few, the keys a line or a page), never past the first or the last line.
  mutating func scroll(by lines: Int, in area: Rect) {
    scroll = max(0, min(scroll + lines, modal.scrollLimit(in: area)))
  }
}
