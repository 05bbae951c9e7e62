/// How a piece of narrative text is emphasised.
public enum NarrativeStyle: Sendable, Equatable {
  case plain
  /// `**bold**`
  case bold
  /// `` `code` ``
  case code
}

/// A run of narrative text in one style.
public struct NarrativeSpan: Sendable, Equatable {
  public let text: String
  public let style: NarrativeStyle

  public init(_ text: String, _ style: NarrativeStyle = .plain) {
    self.text = text
    self.style = style
  }
}

/// Reading the small Markdown subset lessons use: paragraphs, `**bold**`, `` `code` ``.
public enum LessonText {
  /// The paragraphs of `text` (split at blank lines), each reflowed onto one line.
  ///
  /// Lines are joined with a space, except where either side is a CJK character:
  /// Chinese text wrapped in the source must not gain spaces on screen.
  public static func paragraphs(_ text: String) -> [String] {
    var result: [String] = []
    var current = ""
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = rawLine.trimmingWhitespace()
      if line.isEmpty {
        if !current.isEmpty { result.append(current) }
        current = ""
        continue
      }
      if current.isEmpty {
        current = line
      } else if let last = current.last, let first = line.first, isCJK(last) || isCJK(first) {
        current += line
      } else {
        current += " " + line
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }

  /// The styled runs of one paragraph. An unmatched `**` or `` ` `` is kept as text.
  public static func spans(_ paragraph: String) -> [NarrativeSpan] {
    var spans: [NarrativeSpan] = []
    var plain = ""
    var rest = Substring(paragraph)
    func flush() {
      if !plain.isEmpty { spans.append(NarrativeSpan(plain)) }
      plain = ""
    }
    while let first = rest.first {
      if rest.hasPrefix("**"), let close = rest.dropFirst(2).range(of: "**"), close.lowerBound > rest.index(rest.startIndex, offsetBy: 2) {
        flush()
        spans.append(NarrativeSpan(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound]), .bold))
        rest = rest[close.upperBound...]
      } else if first == "`", let close = rest.dropFirst().firstIndex(of: "`"), close > rest.index(after: rest.startIndex) {
        flush()
        spans.append(NarrativeSpan(String(rest[rest.index(after: rest.startIndex)..<close]), .code))
        rest = rest[rest.index(after: close)...]
      } else {
        plain.append(first)
        rest = rest.dropFirst()
      }
    }
    flush()
    return spans
  }

  /// Characters shown on screen: markup removed, paragraphs reflowed, one per break.
  public static func displayLength(_ text: String) -> Int {
    let paragraphs = paragraphs(text)
    let characters = paragraphs.reduce(0) { total, paragraph in
      total + spans(paragraph).reduce(0) { $0 + $1.text.count }
    }
    return characters + max(0, paragraphs.count - 1)
  }

  /// Han, kana, Hangul and full-width punctuation: text that takes no spaces between lines.
  static func isCJK(_ character: Character) -> Bool {
    guard let scalar = character.unicodeScalars.first else { return false }
    if scalar.properties.isIdeographic { return true }
    switch scalar.value {
    case 0x3000...0x30FF, 0x31F0...0x31FF, 0xAC00...0xD7AF, 0xFF00...0xFFEF: return true
    default: return false
    }
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces, tabs and carriage returns.
  func trimmingWhitespace() -> String {
    var scalars = Substring(self)
    while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
    while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
    return String(scalars)
  }
}
