import Curriculum
import Foundation
import Model
import TermUI

/// Drawing the game: the text so far, the guess, the last positions, the scoreboard, earlier games.
extension GameScreen {
  /// Positions listed under the guess, newest first.
  static let recentCount = 5

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let scoreRows = 7
    let previousRows = previous.isEmpty ? 0 : min(3, previous.count) + 1
    let parts = area.split(.vertical, [
      .fixed(1), .fill(3), .fixed(2), .fixed(Self.recentCount + 1), .fixed(scoreRows), .fixed(previousRows), .fixed(1),
    ])
    buffer.fill(parts[0], with: Cell(" ", style: theme.title.adding(.reverse)))
    let name = L.pick("You against the model", "你与模型比赛")
    // Lesson 11 is called that too: the header says it once (the Chinese one glosses the English terms).
    let title = " " + (plan.title == name ? name : name + " · " + plan.title) + L.pick("", "（you vs model）")
    buffer.set(string: title, at: Point(x: parts[0].x, y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    if let modelStep {
      let step = L.pick("model at step \(modelStep) ", "模型：第 \(modelStep) 步 ")
      buffer.set(string: step, at: Point(x: parts[0].right - displayWidth(of: step), y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    }
    guard let game else {
      let waiting = isWaiting ? L.pick("loading the validation text…", "正在读取验证文本…") : (note ?? "")
      Paragraph(waiting, style: theme.muted).render(in: parts[1].inset(left: 1), buffer: &buffer, theme: theme)
      footer.render(in: parts[6], buffer: &buffer, theme: theme)
      return
    }
    renderText(game, in: parts[1], buffer: &buffer, theme: theme)
    renderGuess(game, in: parts[2].inset(left: 1), buffer: &buffer, theme: theme)
    renderRecent(game, in: parts[3].inset(left: 1), buffer: &buffer, theme: theme)
    renderScores(game, in: parts[4].inset(left: 1), buffer: &buffer, theme: theme)
    renderPrevious(in: parts[5].inset(left: 1), buffer: &buffer, theme: theme)
    if let note { renderNote(note, at: parts[2].inset(top: 1, left: 1), buffer: &buffer, theme: theme) }
    footer.render(in: parts[6], buffer: &buffer, theme: theme)
  }

  /// The note under the question, whole: a long one (a save's error) wraps down over the rows below.
  private func renderNote(_ note: String, at area: Rect, buffer: inout Buffer, theme: Theme) {
    let paragraph = Paragraph(note, style: theme.error)
    let rows = max(1, min(5, paragraph.height(forWidth: max(1, area.width), theme: theme)))
    let box = Rect(x: area.x, y: area.y, width: area.width, height: rows)
    buffer.fill(box, with: Cell(" ", style: theme.text))
    paragraph.render(in: box, buffer: &buffer, theme: theme)
  }

  /// The validation text up to the position being guessed, wrapped, its last lines; a cursor where the next token goes.
  private func renderText(_ game: GuessingGame, in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let inner = Frame(title: L.pick("the text so far", "到目前为止的文本")).render(in: area, buffer: &buffer, theme: theme)
    guard inner.width > 1, inner.height > 0 else { return }
    let from = max(0, game.start - GuessingGame.shownContext)
    let shown = Array(game.tokens[max(from, game.position - 2000)..<game.position])
    let lines = Self.wrap(tokenizer.decode(shown) + "▁", width: inner.width)
    for (row, line) in lines.suffix(inner.height).enumerated() {
      buffer.set(string: line, at: Point(x: inner.x, y: inner.y + row), style: theme.text, clipTo: inner)
    }
  }

  /// The prompt for a guess, the wrong guesses so far, and the note.
  private func renderGuess(_ game: GuessingGame, in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    var line: String
    if !game.isPlaying {
      line = L.pick("the end of the validation text: esc saves the game", "验证文本结束：按 esc 保存本局")
    } else if isCharacterGame {
      line = L.pick("next character? press it", "下一个字符？直接按键")
    } else {
      line = L.pick("next token? type it, then enter: ", "下一个词元？输入后回车：") + typed + "▏"
    }
    // The cursor sits at the end of the question, where the guess is typed.
    if game.isPlaying { buffer.cursor = Point(x: min(area.right - 1, area.x + displayWidth(of: line) - (isCharacterGame ? 0 : 1)), y: area.y) }
    if !game.wrong.isEmpty {
      line += "   " + L.pick("wrong: ", "猜错：") + game.wrong.map { tokenizer.displayToken($0) }.joined(separator: " ")
    }
    buffer.set(string: line, at: Point(x: area.x, y: area.y), style: theme.accent, clipTo: area)
    if note != nil {
      // Drawn last, by renderNote, over the rows below when it is long.
    } else if modelStep == 0 {
      let untrained = L.pick("the model is at step 0, untrained: esc, then r, to train it", "模型还在第 0 步，没训练过：按 esc，再按 r 训练它")
      buffer.set(string: untrained, at: Point(x: area.x, y: area.y + 1), style: theme.accent, clipTo: area)
    }
  }

  /// The last positions: the token, the learner's guesses, the model's rank and probability.
  private func renderRecent(_ game: GuessingGame, in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let header = Self.columns([L.pick("token", "词元"), L.pick("you", "你"), L.pick("model", "模型")], widths: [14, 22])
    buffer.set(string: header, at: Point(x: area.x, y: area.y), style: theme.muted, clipTo: area)
    for (row, position) in game.played.suffix(Self.recentCount).reversed().enumerated() {
      let you = position.gaveUp
        ? L.pick("gave up (rank \(position.guesses))", "放弃（第 \(position.guesses) 名）")
        : L.pick("\(position.guesses) guess\(position.guesses == 1 ? "" : "es")", "猜了 \(position.guesses) 次")
      let modelText = model[position.index].map { L.pick("rank \($0.rank) · p \(Self.probability($0.probability))", "第 \($0.rank) 名 · p \(Self.probability($0.probability))") } ?? "…"
      let line = Self.columns([tokenizer.displayToken(position.token), you, modelText], widths: [14, 22])
      buffer.set(string: line, at: Point(x: area.x, y: area.y + 1 + row), style: theme.text, clipTo: area)
    }
  }

  /// The scoreboard: learner and model side by side over the same positions.
  private func renderScores(_ game: GuessingGame, in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let you = game.score
    let them = game.modelScore(model)
    let widths = [28, 10]
    let rows: [[String]] = [
      [L.pick("scoreboard", "记分板（比特 = bits）"), L.pick("you", "你"), L.pick("model", "模型")],
      [L.pick("positions", "位置数"), "\(you.positions)", "\(them.positions)"],
      [L.pick("top-1 accuracy", "一次猜中率"), Self.percent(you.top1Accuracy), Self.percent(them.top1Accuracy)],
      [L.pick("upper bound, bits/token", "上界（比特/词元）"), Self.bits(you.upperBoundBits), Self.bits(them.upperBoundBits)],
      [L.pick("lower bound, bits/token", "下界（比特/词元）"), Self.bits(you.lowerBoundBits), Self.bits(them.lowerBoundBits)],
      [L.pick("cross-entropy, bits/token", "交叉熵（比特/词元）"), "—", them.crossEntropyBits.map(Self.bits) ?? "—"],
    ]
    for (row, cells) in rows.enumerated() {
      let style = row == 0 ? theme.title : theme.text
      buffer.set(string: Self.columns(cells, widths: widths), at: Point(x: area.x, y: area.y + row), style: style, clipTo: area)
    }
  }

  /// The lesson's earlier games, newest last.
  private func renderPrevious(in area: Rect, buffer: inout Buffer, theme: Theme) {
    guard !previous.isEmpty, area.height > 0 else { return }
    let L = Localized(language)
    buffer.set(string: L.pick("earlier games", "以前的对局"), at: Point(x: area.x, y: area.y), style: theme.muted, clipTo: area)
    for (row, result) in previous.suffix(min(area.height - 1, Self.rescoredGames)).enumerated() {
      // Like with like: both sides' rank bounds, the model's at its current step when it has scored the game again.
      let line: String
      if let now = modelScore(of: result), let modelStep {
        line = L.pick(
          "\(result.date.prefix(10))  \(result.positions) positions · you ≤ \(Self.bits(result.youUpperBits)) · model ≤ \(Self.bits(now.upperBoundBits)) bits now (step \(modelStep))",
          "\(result.date.prefix(10))  \(result.positions) 个位置 · 你 ≤ \(Self.bits(result.youUpperBits)) · 模型 ≤ \(Self.bits(now.upperBoundBits)) 比特（现在，第 \(modelStep) 步）")
      } else {
        let model = result.modelBits.map(Self.bits) ?? "—"
        line = L.pick(
          "\(result.date.prefix(10))  \(result.positions) positions · you ≤ \(Self.bits(result.youUpperBits)) bits · model \(model) bits at step \(result.step)",
          "\(result.date.prefix(10))  \(result.positions) 个位置 · 你 ≤ \(Self.bits(result.youUpperBits)) 比特 · 模型 \(model) 比特（第 \(result.step) 步）")
      }
      buffer.set(string: line, at: Point(x: area.x, y: area.y + 1 + row), style: theme.muted, clipTo: area)
    }
  }

  static func percent(_ value: Double) -> String { String(format: "%.0f%%", value * 100) }
  /// A probability as a percentage, with two decimals below 1% (an untrained model's are all there).
  static func probability(_ value: Double) -> String { String(format: value >= 0.01 ? "%.0f%%" : "%.2f%%", value * 100) }
  static func bits(_ value: Double) -> String { value.isFinite ? String(format: "%.2f", value) : "∞" }

  /// Cells padded to display widths (CJK counts two), the last one unpadded.
  static func columns(_ cells: [String], widths: [Int]) -> String {
    var line = ""
    for (i, cell) in cells.enumerated() {
      line += cell
      if i < widths.count { line += String(repeating: " ", count: max(1, widths[i] - displayWidth(of: cell))) }
    }
    return line
  }

  /// Text broken into lines of at most `width` columns, at its line breaks and wherever a line is full.
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      var used = 0
      for character in paragraph {
        let w = displayWidth(of: character)
        if used + w > width {
          lines.append(line)
          line = ""
          used = 0
        }
        line.append(character)
        used += w
      }
      lines.append(line)
    }
    return lines
  }
}
