import Curriculum
import TermUI
import Training

/// The embedding map drawn from one `EmbeddingMap`: a header, the picked token's neighbours, the scatter.
///
/// Labels go to the picked token, its neighbours, then the most frequent tokens, at most
/// `labelLimit`; every other token seen in the corpus is a dot (at most `dotLimit`, the most
/// frequent). The earlier maps given as `history` (aligned to this one) leave short trails
/// behind the labelled tokens. Drawing walks the map's precomputed frequency order once:
/// O(labels + dots) per frame, no sorting and no model work.
struct EmbeddingMapView {
  let map: EmbeddingMap
  let tokenizer: any Tokenizer
  /// Older maps of the same run, oldest first.
  var history: [EmbeddingMap] = []
  let language: Language

  static let labelLimit = 30
  static let dotLimit = 4096
  static let labelWidth = 10
  /// Positions kept behind each labelled token.
  static let trailLength = 4

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard area.height >= 3 else { return }
    let L = Localized(language)
    let headers = L.mapHeaders(step: map.step, explained: map.explained, tokens: map.vocabSize, unseen: map.tokens.count - map.frequencyOrder.count)
    let header = headers.first { displayWidth(of: $0) <= area.width } ?? truncated(headers[headers.count - 1], toWidth: area.width)
    buffer.set(string: header, at: Point(x: area.x, y: area.y), style: theme.muted, clipTo: area)
    buffer.set(string: neighbourLine(L, width: area.width), at: Point(x: area.x, y: area.y + 1), style: theme.text, clipTo: area)
    let plot = Rect(x: area.x, y: area.y + 2, width: area.width, height: area.height - 2)
    let inner = Frame(title: L.mapTitle).render(in: plot, buffer: &buffer, theme: theme)
    scatter.render(in: inner, buffer: &buffer, theme: theme)
  }

  /// "picked a · nearest by cosine: o 0.82 · i 0.79 …", as many whole neighbours as fit in `width`, nearest first.
  ///
  /// A neighbour that does not fit is left out whole, never cut to a token and half a number;
  /// "…" says that more were found.
  func neighbourLine(_ L: Localized, width: Int = .max) -> String {
    guard let picked = map.picked else { return truncated(L.mapPickHint, toWidth: width) }
    let entries = map.neighbours.map { "\(label($0.token)) \(String(format: "%.2f", Double($0.similarity)))" }
    for count in stride(from: entries.count, through: 1, by: -1) {
      let line = L.mapNeighbours(picked: label(picked), list: entries.prefix(count).joined(separator: " · ") + (count < entries.count ? " …" : ""))
      if displayWidth(of: line) <= width { return line }
    }
    return truncated(L.mapNeighbours(picked: label(picked), list: entries.joined(separator: " · ")), toWidth: width)
  }

  private func label(_ token: Int32) -> String {
    truncated(tokenizer.displayToken(token), toWidth: Self.labelWidth)
  }

  /// The points and labels, most important label first.
  var scatter: ScatterMap {
    var labelled: [(index: Int, emphasis: ScatterMap.Emphasis)] = []
    var seen = Set<Int>()
    func add(_ token: Int32, _ emphasis: ScatterMap.Emphasis) {
      guard labelled.count < Self.labelLimit, let index = map.index(of: token), seen.insert(index).inserted else { return }
      labelled.append((index, emphasis))
    }
    if let picked = map.picked { add(picked, .picked) }
    for neighbour in map.neighbours { add(neighbour.token, .neighbour) }
    for index in map.frequencyOrder where labelled.count < Self.labelLimit { add(map.tokens[index], .plain) }
    let recent = history.suffix(Self.trailLength).filter { $0.tokens.count == map.tokens.count }
    let marks = labelled.map { entry in
      ScatterMap.Mark(
        x: map.x[entry.index], y: map.y[entry.index], label: label(map.tokens[entry.index]), emphasis: entry.emphasis,
        trail: recent.map { SIMD2($0.x[entry.index], $0.y[entry.index]) })
    }
    var dots: [SIMD2<Float>] = []
    for index in map.frequencyOrder.prefix(Self.dotLimit) where !seen.contains(index) {
      dots.append(SIMD2(map.x[index], map.y[index]))
    }
    return ScatterMap(dots: dots, marks: marks)
  }
}

/// The embedding map as text, for `nexttoken map` (the same drawing as the app's `m`).
public enum EmbeddingMapPicture {
  /// The map drawn into `size` cells, as lines of plain text.
  public static func lines(map: EmbeddingMap, tokenizer: any Tokenizer, size: Size, language: Language, usesBraille: Bool = true) -> [String] {
    var buffer = Buffer(size: size)
    let theme = Theme(capability: .monochrome, usesBraille: usesBraille)
    EmbeddingMapView(map: map, tokenizer: tokenizer, language: language).render(in: buffer.area, buffer: &buffer, theme: theme)
    return buffer.lines.map { line in
      var trimmed = line
      while trimmed.last == " " { trimmed.removeLast() }
      return trimmed
    }
  }
}
