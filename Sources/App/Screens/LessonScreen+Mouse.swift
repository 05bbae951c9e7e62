import Curriculum
import TermUI

extension LessonScreen {
  /// Lines one turn of the wheel scrolls the formula view.
  static let wheelLines = 3

  /// The mouse: a click on a stage jumps to it, a click on a token picks it; the wheel
  /// scrolls the formula view, or steps through the recorded history on the dashboard.
  ///
  /// The prompt box and the quit question take the keys while open, and so the mouse.
  mutating func receiveMouse(_ mouse: MouseEvent, over hits: [Hotspot]) -> [Effect] {
    switch mode {
    case .prompt, .confirmingQuit: return []
    case .watching, .formula, .guesses: break
    }
    switch mouse.kind {
    case .press:
      if let hit = hits.first(where: { $0.name == "stage" }), let stage = Stage(index: hit.index) {
        return perform(.lesson(.jump(stage)))
      }
      if let hit = hits.first(where: { $0.name == "item" }) {
        focus.position = min(max(0, hit.index), max(0, (shownTrace?.length ?? plan.run.context) - 1))
        return refreshParts()
      }
    case .wheelUp, .wheelDown:
      let down = mouse.kind == .wheelDown
      if case .formula(var view) = mode {
        view.scroll(by: down ? Self.wheelLines : -Self.wheelLines, context)
        mode = .formula(view)
      } else if panel == .dashboard {
        return perform(.watch(down ? .historyForward : .historyBack))
      }
    case .release:
      break
    }
    return []
  }
}
