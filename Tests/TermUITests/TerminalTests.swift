import Testing
@testable import TermUI
import TestSupport

@Suite struct TerminalTests {
  let theme = Theme(capability: .monochrome)

  @Test func firstFrameIsFullThenOnlyChangesAreSent() {
    let backend = TestBackend(size: Size(width: 10, height: 3))
    let terminal = Terminal(backend: backend, theme: theme, minimumSize: nil)
    terminal.draw { _, buffer in buffer.set(string: "hello", at: Point(x: 0, y: 1)) }
    // The first frame clears the screen, so only the non-blank cells need sending.
    #expect(backend.clearCount == 1)
    #expect(backend.lastDrawCount == 5)
    #expect(backend.screen.lines == ["          ", "hello     ", "          "])

    backend.forgetDrawCalls()
    terminal.draw { _, buffer in buffer.set(string: "hello", at: Point(x: 0, y: 1)) }
    #expect(backend.drawCalls.isEmpty)

    terminal.draw { _, buffer in buffer.set(string: "jello", at: Point(x: 0, y: 1)) }
    #expect(backend.drawCalls.count == 1)
    #expect(backend.lastDrawCount == 1)
    #expect(backend.drawCalls[0] == [CellChange(x: 0, y: 1, cell: Cell("j"))])
    #expect(backend.screen.lines[1] == "jello     ")
    #expect(backend.flushCount == 3)
  }

  @Test func resizeRedrawsEverything() {
    let backend = TestBackend(size: Size(width: 10, height: 3))
    let terminal = Terminal(backend: backend, theme: theme, minimumSize: nil)
    terminal.draw { _, buffer in buffer.set(string: "x", at: Point(x: 0, y: 0)) }
    backend.resize(to: Size(width: 12, height: 4))
    backend.forgetDrawCalls()
    let sent = terminal.draw { _, buffer in buffer.set(string: "x", at: Point(x: 0, y: 0)) }
    // Cleared and redrawn from a blank frame of the new size.
    #expect(backend.clearCount == 2)
    #expect(sent == 1)
    #expect(backend.screen.lines[0] == "x           ")
    #expect(backend.screen.size == Size(width: 12, height: 4))
  }

  @Test func tooSmallTerminalShowsTheEnlargeNotice() {
    let backend = TestBackend(size: Size(width: 60, height: 20))
    let terminal = Terminal(backend: backend, theme: theme, minimumSize: Size(width: 80, height: 24))
    var didRender = false
    terminal.draw { _, _ in didRender = true }
    let text = screenText(backend.screen)
    #expect(!didRender)
    #expect(text.contains("Please enlarge the terminal to 80×24"))
    #expect(text.contains("(now 60×20)"))
  }

  @Test func wideGraphemesReachTheScreenWhole() {
    let backend = TestBackend(size: Size(width: 8, height: 1))
    let terminal = Terminal(backend: backend, theme: theme, minimumSize: nil)
    terminal.draw { area, buffer in buffer.set(string: "コンピ", at: Point(x: 0, y: 0), clipTo: Rect(x: 0, y: 0, width: 5, height: 1)) }
    #expect(backend.screen.lines == ["コン    "])
    #expect(backend.drawCalls[0].map(\.x) == [0, 2])
  }

  @Test func appLoopHandlesKeysResizesAndQuits() {
    let backend = TestBackend(size: Size(width: 100, height: 30), events: [.key(.right), .key(.right), .tick])
    let terminal = Terminal(backend: backend, theme: theme)
    var seen: [Event] = []
    let final = TerminalApp.run(
      terminal: terminal, initialState: 0,
      handle: { event, count in
        seen.append(event)
        switch event {
        case .key(.right):
          count += 1
          if count == 2 { backend.resize(to: Size(width: 90, height: 30)) }
          return .redraw
        case .resize: return .redraw
        case .tick: return count >= 2 ? .quit : .idle
        default: return .idle
        }
      },
      render: { count, _, buffer, _ in buffer.set(string: "count \(count)", at: Point(x: 0, y: 0)) })
    #expect(final == 2)
    #expect(seen == [.key(.right), .key(.right), .resize(Size(width: 90, height: 30)), .tick])
    #expect(backend.screen.lines[0].hasPrefix("count 2"))
    #expect(backend.screen.size.width == 90)
    #expect(!backend.isCursorHidden)
  }
}

@Suite struct GalleryTests {
  func frame(width: Int, height: Int, capability: ColorCapability, _ gallery: WidgetGallery = WidgetGallery()) -> Buffer {
    renderedBuffer(width: width, height: height, capability: capability) { area, buffer, theme in
      gallery.render(in: area, buffer: &buffer, theme: theme)
    }
  }

  @Test func showsEveryWidgetAt100x30() {
    let buffer = frame(width: 100, height: 30, capability: .c256)
    let text = screenText(buffer)
    #expect(text.contains("注意力机制 コンピュータ"))
    for title in ["Paragraph", "TokenStrip", "Heatmap", "LinePlot", "BarChart", "AlignedRows", "ValueStrip", "ProgressBar"] {
      #expect(text.contains(title), "\(title)")
    }
    #expect(text.contains("█"))
    #expect(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    #expect(text.contains("ln V 4.17"))
    #expect(text.contains("q quit"))
    // Nothing left unpainted in the title row's text, and no marker inside frames' text.
    #expect(!buffer.lines[2].contains("注意力机制·"))
  }

  @Test func fitsTheMinimumSize() {
    let text = screenText(frame(width: 80, height: 24, capability: .c16))
    #expect(text.contains("注意力机制 コンピュータ"))
    #expect(text.contains("q quit"))
  }

  @Test func monochromeHeatmapUsesShading() {
    let text = screenText(frame(width: 100, height: 30, capability: .monochrome))
    #expect(text.contains("░") || text.contains("▒") || text.contains("▓"))
  }

  @Test func keysMoveTheSelectionToggleBrailleAndQuit() {
    var gallery = WidgetGallery()
    #expect(gallery.handle(.key(.right)) == .redraw)
    #expect(gallery.selectedToken == 4)
    #expect(gallery.handle(.key(.char("b"))) == .redraw)
    #expect(!gallery.usesBraille)
    let text = screenText(frame(width: 100, height: 30, capability: .c256, gallery))
    #expect(!text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    #expect(gallery.handle(.key(.char("?"))) == .redraw)
    #expect(screenText(frame(width: 100, height: 30, capability: .c256, gallery)).contains("Help"))
    #expect(gallery.handle(.key(.char("x"))) == .redraw)
    #expect(!gallery.isShowingHelp)
    #expect(gallery.handle(.tick) == .idle)
    #expect(gallery.handle(.key(.ctrl("c"))) == .quit)
    #expect(gallery.handle(.key(.char("q"))) == .quit)
  }

  @Test func runsInTheLoopAndRecoversFromATooSmallTerminal() {
    let backend = TestBackend(size: Size(width: 100, height: 30))
    let terminal = Terminal(backend: backend, theme: Theme(capability: .c256))
    var step = 0
    var screens: [String] = []
    TerminalApp.run(
      terminal: terminal, initialState: WidgetGallery(),
      handle: { event, gallery in
        screens.append(screenText(backend.screen))
        step += 1
        switch step {
        case 1: backend.resize(to: Size(width: 60, height: 20))
        case 3: backend.resize(to: Size(width: 100, height: 30))
        case 5: return .quit
        default: break
        }
        return gallery.handle(event)
      },
      render: { gallery, area, buffer, theme in gallery.render(in: area, buffer: &buffer, theme: theme) })
    #expect(screens[0].contains("コンピュータ"))
    #expect(screens[2].contains("Please enlarge the terminal to 80×24"))
    #expect(screens[4].contains("コンピュータ"))
  }
}

@Suite struct RenderBenchmarkTests {
  @Test func measuresABusyFrame() {
    let seconds = RenderBenchmark.medianFrameSeconds(frames: 3)
    #expect(seconds > 0 && seconds.isFinite)
  }

  /// What the benchmark times is real work: a full screen, and frames that differ where the highlight moved.
  @Test func theBusyScreenFillsTheScreenAndMovesItsHighlight() {
    let size = Size(width: 200, height: 60)
    let theme = Theme(capability: .c256)
    var first = Buffer(size: size)
    var second = Buffer(size: size)
    BusyScreen().render(frame: 0, in: Rect(size: size), buffer: &first, theme: theme)
    BusyScreen().render(frame: 1, in: Rect(size: size), buffer: &second, theme: theme)
    let drawn = first.lines.reduce(0) { $0 + $1.filter { $0 != " " }.count }
    #expect(drawn > size.width * size.height / 4, "only \(drawn) cells drawn")
    let changed = second.diff(from: first).count
    #expect(changed > 0 && changed < size.width * size.height / 2, "\(changed) cells changed")
  }
}

@Suite struct RobustnessTests {
  /// Every widget, drawn into every small area, must stay inside it and never trap.
  @Test func everyWidgetSurvivesEverySmallArea() {
    let gallery = WidgetGallery()
    for capability in [ColorCapability.monochrome, .c256] {
      for width in 0...24 {
        for height in 0...8 {
          var buffer = Buffer(size: Size(width: 30, height: 12), filledWith: Cell("x"))
          let theme = Theme(capability: capability)
          let area = Rect(x: 3, y: 2, width: width, height: height)
          gallery.render(in: area, buffer: &buffer, theme: theme)
          Modal(title: "Help", text: "注意力 **bold** text", preferredWidth: 20).render(in: area, buffer: &buffer, theme: theme)
          EnlargeNotice(minimum: Size(width: 80, height: 24)).render(in: area, buffer: &buffer, theme: theme)
          // Nothing outside the area was touched.
          for y in 0..<12 {
            for x in 0..<30 where !area.contains(Point(x: x, y: y)) {
              #expect(buffer[x, y] == Cell("x"), "\(width)×\(height) drew at (\(x), \(y))")
            }
          }
        }
      }
    }
  }
}
