import ArgumentParser
import TermUI
import TermUICurses

/// `nexttoken gallery`: every terminal widget on one screen, with sample data.
///
/// A visual check of colours, CJK, braille and resizing on a real terminal;
/// the end-to-end tests drive it through tmux.
struct GalleryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gallery",
    abstract: "Show every terminal widget with sample data (q quits).",
    shouldDisplay: false)

  @Flag(name: .customLong("no-braille"), help: "Draw plots with block characters instead of braille.")
  var noBraille = false

  @OptionGroup var display: DisplayOptions

  func run() throws {
    try TerminalSession.run { backend in
      let theme = display.theme(capability: backend.capability)
      let terminal = Terminal(backend: backend, theme: theme, minimumSize: Size(width: 80, height: 24))
      var gallery = WidgetGallery()
      gallery.usesBraille = !noBraille && !theme.isConsoleSafe
      TerminalApp.run(
        terminal: terminal,
        initialState: gallery,
        handle: { event, gallery in gallery.handle(event) },
        render: { gallery, area, buffer, theme in gallery.render(in: area, buffer: &buffer, theme: theme) })
    }
  }
}
