/// A run of text in one style.
public struct Span: Sendable, Hashable {
  public var text: String
  public var style: Style

  public init(_ text: String, style: Style = .plain) {
    self.text = text
    self.style = style
  }
}

/// Parses the inline markup paragraphs understand: `**bold**` and `` `code` ``.
///
/// Unclosed markers are kept as literal text, so a stray `*` or backtick in a
/// lesson never swallows the rest of a paragraph.
public func parseInlineMarkup(_ text: String, base: Style, code: Style) -> [Span] {
  var spans: [Span] = []
  var plain = ""
  var rest = Substring(text)
  func flushPlain() {
    if !plain.isEmpty { spans.append(Span(plain, style: base)) }
    plain = ""
  }
  while let first = rest.first {
    if rest.hasPrefix("**"), let close = rest.dropFirst(2).firstRange(of: "**") {
      let inner = rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound]
      if !inner.isEmpty {
        flushPlain()
        spans.append(Span(String(inner), style: base.adding(.bold)))
        rest = rest[close.upperBound...]
        continue
      }
    }
    if first == "`", let close = rest.dropFirst().firstIndex(of: "`") {
      let inner = rest[rest.index(after: rest.startIndex)..<close]
      if !inner.isEmpty {
        flushPlain()
        spans.append(Span(String(inner), style: base.patched(with: code)))
        rest = rest[rest.index(after: close)...]
        continue
      }
    }
    plain.append(first)
    rest = rest.dropFirst()
  }
  flushPlain()
  return spans
}

/// How a token's text is shown so that spaces, newlines and tabs stay visible.
public func visibleTokenText(_ text: String) -> String {
  var result = ""
  for character in text {
    switch character {
    case " ": result.append("␣")
    case "\n", "\r\n": result.append("⏎")
    case "\t": result.append("⇥")
    default:
      if displayWidth(of: character) == 0 {
        // Invisible scalars (controls, lone marks) get a placeholder.
        result.append("�")
      } else {
        result.append(character)
      }
    }
  }
  return result.isEmpty ? "∅" : result
}

/// Cuts a string to at most `width` columns, ending with "…" when cut.
public func truncated(_ text: String, toWidth width: Int) -> String {
  guard width > 0 else { return "" }
  if displayWidth(of: text) <= width { return text }
  var result = ""
  var used = 0
  for character in text {
    let w = displayWidth(of: character)
    if used + w > width - 1 { break }
    result.append(character)
    used += w
  }
  return result + "…"
}
