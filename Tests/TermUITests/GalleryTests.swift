import Testing
import TermUI
import TestSupport

@Suite struct GalleryTests {
  @Test func galleryShowsEveryWidgetAt100x30() {
    let buffer = renderedBuffer(width: 100, height: 30, capability: .c256) { area, buffer, theme in
      WidgetGallery().render(in: area, buffer: &buffer, theme: theme)
    }
    let text = screenText(buffer)
    print(text)
    #expect(text.contains("注意力机制 コンピュータ"))
  }
}
