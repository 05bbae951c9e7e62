import TermUI

/// The marker that pre-fills test buffers, so untouched and overflowing cells show.
public let testMarker: Character = "·"

/// Renders into a buffer of the given size pre-filled with a marker and returns its lines.
///
/// Comparing whole lines (marker included) catches widgets that draw too
/// much, too little, or in the wrong place.
public func renderedLines(
  width: Int, height: Int, marker: Character = testMarker,
  capability: ColorCapability = .monochrome, usesBraille: Bool = true,
  _ draw: (Rect, inout Buffer, Theme) -> Void
) -> [String] {
  renderedBuffer(width: width, height: height, marker: marker, capability: capability, usesBraille: usesBraille, draw).lines
}

/// Renders into a marker-filled buffer and returns the buffer itself, for style checks.
public func renderedBuffer(
  width: Int, height: Int, marker: Character = testMarker,
  capability: ColorCapability = .monochrome, usesBraille: Bool = true,
  _ draw: (Rect, inout Buffer, Theme) -> Void
) -> Buffer {
  var buffer = Buffer(size: Size(width: width, height: height), filledWith: Cell(marker))
  let theme = Theme(capability: capability, usesBraille: usesBraille)
  draw(Rect(x: 0, y: 0, width: width, height: height), &buffer, theme)
  return buffer
}

/// The buffer's lines joined with newlines, for readable failure messages.
public func screenText(_ buffer: Buffer) -> String {
  buffer.lines.joined(separator: "\n")
}
