import Curriculum
import Foundation
import TermUI

/// The lesson browser: the course in order, the course quiz, the selected entry's introduction, lessons that failed to load.
struct BrowserScreen: Screen {
  let lessons: [LessonPlan]
  let problems: [String]
  let language: Language
  /// The course quiz, listed after the lessons when the course has one.
  var quiz: Quiz? = nil
  /// The learner's takes of the quiz in this language.
  var quizHistory = QuizHistory()
  /// Why the saved quiz results could not be read, in one line.
  var quizProblem: String?
  /// True once the quiz was offered again after the last lesson (once a session).
  var hasOfferedRetake = false
  /// True while the quiz entry is selected because the learner just finished the last lesson.
  var isOfferingRetake = false
  var selected = 0
  /// Each lesson's prediction score, by `ExerciseRecords.key`, shown beside it.
  var predictions: [String: PredictionScore] = [:]
  /// A line shown in place of the footer until the next key (a score file that had to be moved aside).
  var note: String?

  /// The quiz's entry, after the lessons and before "Your own text".
  var quizIndex: Int? { quiz == nil ? nil : lessons.count }
  /// The last entry, after the lessons: the form for a run on any text.
  var ownTextIndex: Int { lessons.count + (quiz == nil ? 0 : 1) }

  enum Action: Hashable, CaseIterable {
    case choose(Direction), open, compare, quiz, help, quit

    static var allCases: [Action] { Direction.allCases.map(Action.choose) + [.open, .compare, .quiz, .help, .quit] }
  }

  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    return [
      KeyBinding([(.up, .choose(.back)), (.char("k"), .choose(.back)), (.down, .choose(.forward)), (.char("j"), .choose(.forward))], shown: "↑/↓", label: L.pick("choose", "选择"), help: L.pick("choose a lesson (also k/j)", "选择一课（也可用 k/j）"), priority: 10),
      KeyBinding([.enter, .char(" "), .right], shown: "enter", label: L.pick("open", "打开"), help: L.pick("open the lesson", "打开这一课"), priority: 10, action: .open),
      KeyBinding([.char("c")], shown: "c", label: L.pick("compare", "对比"), help: L.pick("train its run as CLM and MLM side by side", "把这一课的训练以 CLM 与 MLM 并排运行"), priority: 5, action: .compare),
    ] + quizKeys(L) + [
      .help(L, priority: 6, action: .help),
      KeyBinding([.char("q"), .escape], shown: "q", label: L.pick("quit", "退出"), help: L.pick("quit NextToken", "退出 NextToken"), priority: 9, action: .quit),
    ]
  }

  func start() -> [Effect] { [.loadPredictions] + (quiz == nil ? [] : [.loadQuizHistory(language)]) }

  /// ↑ on the first entry, ↓ on the last, `c` where no lesson is selected.
  func isIdle(_ action: Action) -> Bool {
    guard note == nil, !isOfferingRetake else { return false }
    switch action {
    case .choose(let direction): return !(0...ownTextIndex).contains(selected + direction.delta)
    case .compare: return !lessons.indices.contains(selected)
    case .open, .quiz, .help, .quit: return false
    }
  }

  mutating func perform(_ action: Action) -> [Effect] {
    note = nil
    switch action {
    case .choose(let direction):
      selected = min(max(0, selected + direction.delta), ownTextIndex)
      isOfferingRetake = false
    case .open:
      if selected == quizIndex { return openQuiz() }
      if selected == ownTextIndex {
        return [.push(PlaygroundScreen(language: language))]
      }
      guard lessons.indices.contains(selected) else { return [] }
      return [.push(LessonScreens.open(lessons[selected]))]
    case .compare:
      guard lessons.indices.contains(selected) else { return [] }
      return [.push(CompareScreen(plan: lessons[selected]))]
    case .quiz:
      return openQuiz()
    case .help:
      return [.showHelp]
    case .quit:
      return [.quit]
    }
    return []
  }

  /// A click selects a lesson, a click on the selected one opens it; the wheel moves the selection.
  /// Everything else is the quiz's.
  mutating func receive(_ message: Message) -> [Effect] {
    if case .predictions(let book, let problem) = message {
      predictions = book.scores
      if let problem { note = problem }
      return []
    }
    guard case .mouse(let mouse, let hits) = message else { return receiveQuiz(message) }
    switch mouse.kind {
    case .press:
      guard let hit = hits.first(where: { $0.name == "lesson" }) else { return [] }
      if hit.index == selected { return perform(.open) }
      selected = hit.index
    case .wheelUp: selected = max(0, selected - 1)
    case .wheelDown: selected = min(ownTextIndex, selected + 1)
    case .release: break
    }
    return []
  }

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let problems = self.problems + [quizProblem].compactMap { $0 }
    let problemLines = min(problems.count + (problems.isEmpty ? 0 : 1), 4)
    let parts = area.split(.vertical, [.fixed(1), .fixed(1), .fill(1), .fixed(problemLines), .fixed(1)])
    buffer.fill(parts[0], with: Cell(" ", style: theme.title.adding(.reverse)))
    buffer.set(string: " " + L.browserTitle, at: Point(x: parts[0].x, y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    let columns = parts[2].split(.horizontal, [.percentage(55), .fill(1)], spacing: 1)
    let list = columns[0].inset(left: 1)
    if lessons.isEmpty {
      // Below "Your own text", which is always there.
      buffer.set(string: L.noLessons, at: Point(x: list.x, y: list.y + 3), style: theme.muted, clipTo: list)
    }
    let perLesson = 2
    let visible = max(1, list.height / perLesson)
    let entries = ownTextIndex + 1
    let first = max(0, min(selected - visible / 2, entries - visible))
    for (k, index) in (first..<min(entries, first + visible)).enumerated() {
      let y = list.y + k * perLesson
      let isSelected = index == selected
      let style = isSelected ? theme.highlight : theme.title
      if isSelected {
        buffer.fill(Rect(x: list.x, y: y, width: list.width, height: 1), with: Cell(" ", style: style))
        buffer.cursor = Point(x: list.x, y: y)
      }
      buffer.addHotspot(Rect(x: list.x, y: y, width: list.width, height: perLesson), name: "lesson", index: index)
      if index == quizIndex {
        renderQuizEntry(in: Rect(x: list.x, y: y, width: list.width, height: 2), style: style, buffer: &buffer, theme: theme)
        continue
      }
      guard lessons.indices.contains(index) else {
        // The lessons keep their numbers; the quiz has none.
        Self.renderRow("\(lessons.count + 1). " + L.ownText, style: style, at: y, in: list, buffer: &buffer)
        Self.renderRow("   " + L.ownTextSummary, style: theme.muted, at: y + 1, in: list, buffer: &buffer)
        continue
      }
      let plan = lessons[index]
      let badge = plan.isComparison ? "CLM+MLM" : plan.run.objective.rawValue.uppercased()
      Self.renderRow("\(index + 1). \(plan.title)", style: style, tag: (badge, style), at: y, in: list, buffer: &buffer)
      let score = predictions[ExerciseRecords.key(lessonID: plan.id, language: language)].flatMap { $0.answered + $0.skipped > 0 ? $0 : nil }
      // Beside the lesson, at the end of its summary: the summary is the part that is cut.
      let scoreTag = score.map { (L.predicted($0), isSelected ? theme.accent : theme.muted) }
      Self.renderRow("   " + plan.summary, style: theme.muted, tag: scoreTag, at: y + 1, in: list, buffer: &buffer)
    }
    // The selected entry's introduction.
    if selected == quizIndex {
      renderQuizPreview(in: columns[1], buffer: &buffer, theme: theme)
    } else if selected == ownTextIndex {
      let inner = Frame(title: L.ownText).render(in: columns[1], buffer: &buffer, theme: theme)
      Paragraph(L.ownTextIntro, style: theme.text).render(in: inner, buffer: &buffer, theme: theme)
    } else if lessons.indices.contains(selected) {
      let plan = lessons[selected]
      let inner = Frame(title: plan.title).render(in: columns[1], buffer: &buffer, theme: theme)
      let corpus = URL(fileURLWithPath: plan.run.corpus).lastPathComponent
      let objective = plan.isComparison ? "CLM+MLM" : plan.run.objective.rawValue.uppercased()
      let data = "\(objective) · \(plan.run.tokenizer.rawValue) · \(corpus)"
      let model = "\(plan.run.layers)L \(plan.run.heads)H C\(plan.run.dim) T\(plan.run.context)"
      // On one line when it fits; else the model's size on a line of its own, so it is never the part cut.
      let facts = displayWidth(of: data + " · " + model) <= inner.width ? [data + " · " + model] : [data, model]
      for (row, line) in facts.enumerated() {
        buffer.set(string: truncated(line, toWidth: inner.width), at: Point(x: inner.x, y: inner.y + row), style: theme.accent, clipTo: inner)
      }
      let offer = quizOfferHeight(inner, theme: theme)
      Paragraph(plan.intro, style: theme.text).render(in: inner.inset(top: facts.count + 1).inset(bottom: offer), buffer: &buffer, theme: theme)
      if offer > 0 {
        renderQuizOffer(in: Rect(x: inner.x, y: inner.bottom - offer, width: inner.width, height: offer), buffer: &buffer, theme: theme)
      }
    }
    if !problems.isEmpty {
      let area = parts[3].inset(left: 1)
      buffer.set(string: "⚠ \(problems.count) " + L.brokenLessons, at: Point(x: area.x, y: area.y), style: theme.error, clipTo: area)
      for (i, problem) in problems.prefix(area.height - 1).enumerated() {
        buffer.set(string: truncated(problem, toWidth: area.width - 2), at: Point(x: area.x + 2, y: area.y + 1 + i), style: theme.muted, clipTo: area)
      }
    }
    if let note {
      buffer.set(string: note, at: Point(x: parts[4].x, y: parts[4].y), style: theme.accent, clipTo: parts[4])
    } else {
      footer.render(in: parts[4], buffer: &buffer, theme: theme)
    }
  }

  /// One row of the list: `text` from the left, cut with "…" where it would run into `tag`,
  /// which ends one column before the edge, a space at least between them.
  static func renderRow(_ text: String, style: Style, tag: (text: String, style: Style)? = nil, at y: Int, in list: Rect, buffer: inout Buffer) {
    let tagWidth = tag.map { displayWidth(of: $0.text) + 1 } ?? 0
    let room = list.width - 1 - tagWidth
    buffer.set(string: truncated(text, toWidth: room), at: Point(x: list.x, y: y), style: style, clipTo: list)
    if let tag {
      buffer.set(string: tag.text, at: Point(x: list.right - tagWidth, y: y), style: tag.style, clipTo: list)
    }
  }
}

extension KeyBinding {
  /// `?`: the screen's keys, explained. Every screen has it.
  static func help(_ L: Localized, priority: Int, action: Action) -> KeyBinding {
    KeyBinding([.char("?")], shown: "?", label: L.pick("help", "帮助"), help: L.pick("this help: the keys of this screen", "本帮助：这一屏的按键"), priority: priority, action: action)
  }
}
