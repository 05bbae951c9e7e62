import Curriculum
import Foundation
import TermUI
import Training

/// "Your own text": a form for a run on any corpus (bundled, or a path typed in) that opens its lesson.
///
/// ↑/↓ pick a field, ←/→ change it; on the corpus field, the last choice is a path to type.
/// A corpus that cannot be trained on gets `train`'s one-line error under the field, wrapped
/// to the screen's width. While enter reads and tokenizes the corpus (off the main thread),
/// a progress line stands there and esc stops it.
struct PlaygroundScreen: Screen {
  enum Field: Int, CaseIterable {
    case corpus, tokenizer, objective, size, learningRate, seed
  }

  let language: Language
  /// The bundled corpora's file names (they arrive with `Message.playground`).
  var bundled: [String] = []
  var choices = PlaygroundChoices()
  var field: Field = .corpus
  /// The path typed in (when the corpus is not a bundled one).
  var path = ""
  /// The corpus's problem, shown under it, until the corpus changes.
  var error: String?
  /// True while the runner checks the corpus chosen (enter), before the lesson opens.
  var isOpening = false
  /// How far reading and tokenizing the corpus got, while opening.
  var progress: CorpusProgress?
  /// The folder a relative path starts from (the app's current folder).
  var folder = ""

  init(language: Language) {
    self.language = language
  }

  /// The bundled corpora and the choices remembered from last time.
  func start() -> [Effect] { [.loadPlayground] }

  /// True while the corpus field holds a typed path rather than a bundled name.
  var isTypingPath: Bool { field == .corpus && !bundled.contains(choices.corpus) }
  var takesText: Bool { isTypingPath }

  enum Action: Hashable, CaseIterable {
    case field(Direction), change(Direction), open, erase, help, back

    static var allCases: [Action] {
      Direction.allCases.map(Action.field) + Direction.allCases.map(Action.change) + [.open, .erase, .help, .back]
    }
  }

  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    let typing = isTypingPath
    return [
      KeyBinding([(.up, .field(.back)), (.down, .field(.forward))], shown: "↑/↓", label: L.pick("field", "字段"), help: L.pick("choose a field", "选择字段"), priority: 9),
      KeyBinding([(.left, .change(.back)), (.right, .change(.forward))], shown: "←/→", label: L.pick("change", "更改"), help: L.pick("change its value (corpus: the last choice is a path to type)", "更改取值（语料：最后一项是输入路径）"), priority: 9),
      KeyBinding([.enter], shown: "enter", label: L.pick("open", "打开"), help: L.pick("open the lesson on this text", "用这段文本打开课程"), priority: 10, action: .open),
      KeyBinding([.backspace, .delete], shown: "⌫", label: L.pick("erase", "删除"), help: L.pick("erase the last character of the path", "删除路径的最后一个字符"), priority: typing ? 6 : nil, action: .erase),
    ] + (typing ? [] : [.help(L, priority: 7, action: .help)]) + [
      isOpening
        ? KeyBinding([.escape], shown: "esc", label: L.pick("stop", "停止"), help: L.pick("stop reading the text", "停止读取文本"), priority: 10, action: .back)
        : KeyBinding(typing ? [.escape] : [.escape, .char("q")], shown: "esc", label: L.pick("back", "返回"), help: L.pick("back to the lessons", "返回课程列表"), priority: 8, action: .back),
    ]
  }

  /// ↑ on the first field, ↓ on the last, erasing an empty path, enter while the run is being checked.
  func isIdle(_ action: Action) -> Bool {
    switch action {
    case .field(let direction): return !Field.allCases.indices.contains(field.rawValue + direction.delta)
    case .erase: return !isTypingPath || path.isEmpty
    case .open: return isOpening
    case .change, .help, .back: return false
    }
  }

  mutating func perform(_ action: Action) -> [Effect] {
    switch action {
    case .field(let direction):
      let next = field.rawValue + direction.delta
      field = Field(rawValue: min(max(0, next), Field.allCases.count - 1)) ?? field
    case .change(let direction):
      change(by: direction.delta)
    case .erase:
      if isTypingPath, !path.isEmpty { path.removeLast(); choices.corpus = path; error = nil }
    case .open:
      guard !isOpening else { return [] }
      isOpening = true
      return [.openOwnText(choices, language)]
    case .help:
      return [.showHelp]
    case .back:
      guard isOpening else { return [.pop] }
      (isOpening, progress) = (false, nil)
      return [.cancelOwnText]
    }
    return []
  }

  mutating func receive(_ message: Message) -> [Effect] {
    switch message {
    case .key(.char(let c)) where isTypingPath:
      path.append(c)
      choices.corpus = path
      error = nil
    case .playground(let corpora, let remembered, let folder):
      bundled = corpora
      self.folder = folder
      choices = remembered
      path = bundled.contains(choices.corpus) ? "" : choices.corpus
    case .ownTextProgress(let progress) where isOpening:
      self.progress = progress
    case .ownTextOpened(let result):
      // Stopped with esc: the form already went on; a late answer opens nothing.
      guard isOpening else { return [] }
      (isOpening, progress) = (false, nil)
      switch result {
      case .success(let plan):
        error = nil
        return [.push(LessonScreens.open(plan))]
      case .failure(let failure):
        field = .corpus
        error = failure.message
      }
    case .key, .mouse, .tick, .resize, .snapshot, .prediction, .formulaReplay, .guessRows, .sampled, .saved, .exerciseAnswer,
      .exerciseSaveFailed, .uncovered, .quizHistory, .quizSaved, .gameResults, .gameSaved, .ownTextProgress, .childResult,
      .guessScores, .embeddingMap, .mergeReplay, .predictions:
      // Other screens' answers, progress after esc, ticks and resizes change nothing here.
      break
    }
    return []
  }

  /// Steps the current field's value (wrapping around).
  private mutating func change(by delta: Int) {
    func cycled<T: Equatable>(_ values: [T], _ current: T) -> T {
      let index = values.firstIndex(of: current) ?? 0
      return values[(index + delta + values.count) % values.count]
    }
    switch field {
    case .corpus:
      // The bundled corpora, then "a path" (the one typed so far, kept when cycling past it).
      let options = bundled + [path]
      choices.corpus = cycled(options, bundled.contains(choices.corpus) ? choices.corpus : path)
      error = nil
    case .tokenizer: choices.tokenizer = cycled(TokenizerKind.allCases, choices.tokenizer)
    case .objective: choices.objective = cycled([Objective.clm, .mlm], choices.objective)
    case .size: choices.size = cycled(PlaygroundChoices.ModelSize.allCases, choices.size)
    case .learningRate: choices.learningRate = cycled(PlaygroundChoices.learningRates, choices.learningRate)
    case .seed: choices.seed = delta < 0 ? (choices.seed == 0 ? 0 : choices.seed - 1) : choices.seed &+ 1
    }
  }

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let parts = area.split(.vertical, [.fixed(1), .fill(1), .fixed(1)])
    buffer.fill(parts[0], with: Cell(" ", style: theme.title.adding(.reverse)))
    buffer.set(string: " NextToken · " + L.ownText, at: Point(x: parts[0].x, y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    let body = parts[1].inset(top: 1, left: 2)
    Paragraph(L.ownTextIntro, style: theme.muted).render(in: Rect(x: body.x, y: body.y, width: body.width - 2, height: 2), buffer: &buffer, theme: theme)
    let shape = choices.size.shape
    let typed = path.isEmpty ? L.pick("(type a path)", "（输入路径）") : path
    let corpusValue = bundled.contains(choices.corpus) ? choices.corpus : typed + (isTypingPath ? "▏" : "")
    let rows: [(Field, String, String)] = [
      (.corpus, L.pick("corpus", "语料"), corpusValue),
      (.tokenizer, L.pick("tokenizer", "分词器"), choices.tokenizer.rawValue),
      (.objective, L.pick("objective", "目标"), choices.objective == .clm ? L.pick("CLM: predict the next token", "CLM：预测下一个词元") : L.pick("MLM: fill in masked tokens", "MLM：填回被遮住的词元")),
      (.size, L.pick("size", "规模"), "\(choices.size.rawValue) · \(shape.layers)L \(shape.heads)H C\(shape.dim) T\(shape.context) B\(shape.batch)"),
      (.learningRate, L.pick("learning rate", "学习率"), String(format: "%g", Double(choices.learningRate))),
      (.seed, L.pick("seed", "随机种子"), String(choices.seed)),
    ]
    var y = body.y + 3
    for (row, label, value) in rows {
      let isSelected = row == field
      let style = isSelected ? theme.highlight : theme.text
      let labelText = (isSelected ? "▶ " : "  ") + label
      buffer.set(string: labelText, at: Point(x: body.x, y: y), style: style, clipTo: body)
      // The selected field holds the cursor: at the typed path's end, else on the field.
      if isSelected {
        let x = row == .corpus && isTypingPath ? body.x + 20 + displayWidth(of: path) : body.x
        buffer.cursor = Point(x: min(x, body.right - 1), y: y)
      }
      buffer.set(string: "‹ " + value + " ›", at: Point(x: body.x + 18, y: y), style: isSelected ? theme.accent : theme.text, clipTo: body)
      y += 1
      if row == .corpus {
        y += corpusNote(L, at: Point(x: body.x + 4, y: y), width: body.right - body.x - 4, buffer: &buffer, theme: theme)
      }
    }
    footer.render(in: parts[2], buffer: &buffer, theme: theme)
  }

  /// The line(s) under the corpus: the progress while opening, else the error (whole, wrapped),
  /// else how a typed path is read. Returns the rows used.
  private func corpusNote(_ L: Localized, at origin: Point, width: Int, buffer: inout Buffer, theme: Theme) -> Int {
    let text: String
    let style: Style
    if isOpening {
      let fraction = progress?.fraction ?? 0
      let filled = Int(fraction * 20)
      let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 20 - filled)
      text = "\(L.corpusPhase(progress)) \(bar) \(Int(fraction * 100))%"
      style = theme.accent
    } else if let error {
      (text, style) = (error, theme.error)
    } else if isTypingPath {
      (text, style) = (L.typedPathRule(folder: folder), theme.muted)
    } else {
      return 1
    }
    let paragraph = Paragraph(text, style: style)
    let rows = max(1, min(4, paragraph.height(forWidth: max(1, width), theme: theme)))
    paragraph.render(in: Rect(x: origin.x, y: origin.y, width: max(1, width), height: rows), buffer: &buffer, theme: theme)
    return rows
  }
}
