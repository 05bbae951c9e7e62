/// What the UI loop should do after an event.
public enum LoopControl: Sendable, Hashable {
  /// Nothing visible changed.
  case idle
  /// Render a new frame.
  case redraw
  /// Leave the loop.
  case quit
}

/// The generic UI loop: poll events, update the state, render when dirty.
public enum TerminalApp {
  /// Runs until `handle` returns `.quit`; returns the final state.
  ///
  /// Events are polled with `tickInterval` as timeout (≈33 ms for 30 frames
  /// per second); a poll that times out is delivered as `.tick`, so `handle`
  /// can look for fresh data and ask for a redraw. Resizes always redraw.
  /// Ctrl-C (`.ctrl("c")`) is delivered like any other key: the app decides.
  @discardableResult
  public static func run<B: Backend, State>(
    terminal: Terminal<B>,
    initialState: State,
    tickInterval: Duration = .milliseconds(33),
    handle: (Event, inout State) -> LoopControl,
    render: (State, Rect, inout Buffer, Theme) -> Void
  ) -> State {
    var state = initialState
    let theme = terminal.theme
    terminal.backend.hideCursor()
    defer { terminal.backend.showCursor() }
    var isDirty = true
    while true {
      if isDirty {
        terminal.draw { area, buffer in render(state, area, &buffer, theme) }
        isDirty = false
      }
      let event = terminal.backend.readEvent(timeout: tickInterval) ?? .tick
      if case .resize = event {
        terminal.handleResize()
        isDirty = true
      }
      if case .key(.resize) = event {
        terminal.handleResize()
        isDirty = true
      }
      switch handle(event, &state) {
      case .idle: break
      case .redraw: isDirty = true
      case .quit: return state
      }
    }
  }
}
