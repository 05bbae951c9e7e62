import Curriculum
import Foundation
import TermUI
import Training

/// The whole interactive app: the lesson browser, open lessons, compare view and overlays.
///
/// Lives on the main thread: it reads session snapshots, never the models. `handle` and
/// `render` are plain functions of events and state, so tests drive them with a
/// `TestBackend` exactly as the terminal does.
public final class AppController {
  enum Screen {
    case browser
    case lesson(LessonScreen)
    case compare(CompareScreen, returnTo: LessonScreen?)
  }

  public let lessons: [LessonPlan]
  public let problems: [String]
  public let language: Language
  let corporaDirectory: URL?
  var screen: Screen = .browser
  var selected = 0
  var isHelpVisible = false
  /// False once the learner quits from the browser.
  public private(set) var isFinished = false

  /// - Parameters:
  ///   - lessons: the lessons the browser lists, in course order.
  ///   - problems: one line per lesson file that could not be loaded.
  ///   - open: a lesson to open at once (`nexttoken learn`).
  public init(lessons: [LessonPlan], problems: [String] = [], language: Language, corporaDirectory: URL? = nil, open: LessonPlan? = nil) {
    self.lessons = lessons
    self.problems = problems
    self.language = language
    self.corporaDirectory = corporaDirectory
    if let open { openLesson(open) }
  }

  deinit {
    stopSessions()
  }

  /// True when the open lesson's last frame had to cut its narrative.
  package var isNarrativeClipped: Bool { openLessonScreen?.isNarrativeClipped ?? false }

  /// The stage the open lesson shows, if any.
  package var currentStage: Stage? { openLessonScreen?.stage }

  /// The lesson screen that is open, if any (for tests).
  var openLessonScreen: LessonScreen? {
    if case .lesson(let screen) = screen { return screen }
    return nil
  }

  func openLesson(_ plan: LessonPlan) {
    let lessonScreen = LessonScreen(plan: plan, corporaDirectory: corporaDirectory)
    screen = plan.isComparison ? .compare(CompareScreen(plan: plan, corporaDirectory: corporaDirectory), returnTo: lessonScreen) : .lesson(lessonScreen)
  }

  /// Stops every open session's training (before the app exits).
  public func stopSessions() {
    switch screen {
    case .browser: break
    case .lesson(let lesson): lesson.session.stop()
    case .compare(let compare, let back):
      compare.stop()
      back?.session.stop()
    }
  }

  /// Reacts to one event; `.tick` looks for fresh snapshots.
  public func handle(_ event: Event) -> LoopControl {
    switch event {
    case .tick:
      return absorb() ? .redraw : .idle
    case .resize:
      return .redraw
    case .key(let key):
      if key == .ctrl("c") {
        stopSessions()
        isFinished = true
        return .quit
      }
      if isHelpVisible {
        isHelpVisible = false
        return .redraw
      }
      let result = handleKey(key)
      if result == .quit { isFinished = true }
      return result
    }
  }

  private func absorb() -> Bool {
    switch screen {
    case .browser: return false
    case .lesson(let lesson): return lesson.absorb(lesson.session.snapshot)
    case .compare(let compare, _): return compare.absorb()
    }
  }

  private func handleKey(_ key: Key) -> LoopControl {
    if key == .char("?"), !isTyping {
      isHelpVisible = true
      return .redraw
    }
    switch screen {
    case .browser:
      return handleBrowserKey(key)
    case .lesson(let lesson):
      if !isTyping {
        if key == .char("q") || key == .escape {
          lesson.session.stop()
          screen = .browser
          return .redraw
        }
        if key == .char("c") {
          lesson.session.pause()
          screen = .compare(CompareScreen(plan: lesson.plan, corporaDirectory: corporaDirectory), returnTo: lesson)
          return .redraw
        }
      }
      return lesson.handle(key, snapshot: lesson.session.snapshot)
    case .compare(let compare, let back):
      if key == .char("q") || key == .escape || key == .char("c") {
        compare.stop()
        if let back, !back.plan.isComparison { screen = .lesson(back) } else { back?.session.stop(); screen = .browser }
        return .redraw
      }
      return compare.handle(key)
    }
  }

  /// True while the prompt box is open: it takes the keys, Escape and q included.
  private var isTyping: Bool {
    if case .lesson(let lesson) = screen { return lesson.prompt != nil }
    return false
  }

  private func handleBrowserKey(_ key: Key) -> LoopControl {
    switch key {
    case .char("q"), .escape:
      return .quit
    case .up, .char("k"):
      selected = max(0, selected - 1)
    case .down, .char("j"):
      selected = min(max(0, lessons.count - 1), selected + 1)
    case .enter, .char(" "), .right:
      guard lessons.indices.contains(selected) else { return .idle }
      openLesson(lessons[selected])
    case .char("c"):
      guard lessons.indices.contains(selected) else { return .idle }
      screen = .compare(CompareScreen(plan: lessons[selected], corporaDirectory: corporaDirectory), returnTo: nil)
    default:
      return .idle
    }
    return .redraw
  }

  /// Draws the current screen and any overlay.
  public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    switch screen {
    case .browser:
      renderBrowser(in: area, buffer: &buffer, theme: theme)
    case .lesson(let lesson):
      lesson.render(lesson.session.snapshot, in: area, buffer: &buffer, theme: theme)
    case .compare(let compare, _):
      compare.render(in: area, buffer: &buffer, theme: theme)
    }
    if isHelpVisible {
      let L = Localized(language)
      Modal(title: L.helpTitle, text: L.helpText, preferredWidth: 64).render(in: area, buffer: &buffer, theme: theme)
    }
  }

  private func renderBrowser(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let problemLines = min(problems.count + (problems.isEmpty ? 0 : 1), 4)
    let parts = area.split(.vertical, [.fixed(1), .fixed(1), .fill(1), .fixed(problemLines), .fixed(1)])
    buffer.fill(parts[0], with: Cell(" ", style: theme.title.adding(.reverse)))
    buffer.set(string: " " + L.browserTitle, at: Point(x: parts[0].x, y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    let columns = parts[2].split(.horizontal, [.percentage(55), .fill(1)], spacing: 1)
    let list = columns[0].inset(left: 1)
    if lessons.isEmpty {
      buffer.set(string: L.noLessons, at: Point(x: list.x, y: list.y), style: theme.muted, clipTo: list)
    }
    let perLesson = 2
    let visible = max(1, list.height / perLesson)
    let first = max(0, min(selected - visible / 2, lessons.count - visible))
    for (k, index) in (first..<min(lessons.count, first + visible)).enumerated() {
      let plan = lessons[index]
      let y = list.y + k * perLesson
      let isSelected = index == selected
      let style = isSelected ? theme.highlight : theme.title
      if isSelected { buffer.fill(Rect(x: list.x, y: y, width: list.width, height: 1), with: Cell(" ", style: style)) }
      let badge = plan.isComparison ? "CLM+MLM" : plan.run.objective.rawValue.uppercased()
      buffer.set(string: "\(index + 1). \(plan.title)", at: Point(x: list.x, y: y), style: style, clipTo: list)
      let badgeWidth = displayWidth(of: badge)
      buffer.set(string: badge, at: Point(x: list.right - badgeWidth - 1, y: y), style: style, clipTo: list)
      buffer.set(string: "   " + plan.summary, at: Point(x: list.x, y: y + 1), style: theme.muted, clipTo: list)
    }
    // The selected lesson's introduction.
    if lessons.indices.contains(selected) {
      let plan = lessons[selected]
      let inner = Frame(title: plan.title).render(in: columns[1], buffer: &buffer, theme: theme)
      let corpus = URL(fileURLWithPath: plan.run.corpus).lastPathComponent
      let objective = plan.isComparison ? "CLM+MLM" : plan.run.objective.rawValue.uppercased()
      let facts = "\(objective) · \(plan.run.tokenizer.rawValue) · \(corpus) · \(plan.run.layers)L \(plan.run.heads)H C\(plan.run.dim) T\(plan.run.context)"
      buffer.set(string: facts, at: Point(x: inner.x, y: inner.y), style: theme.accent, clipTo: inner)
      Paragraph(plan.intro, style: theme.text).render(in: inner.inset(top: 2), buffer: &buffer, theme: theme)
    }
    if !problems.isEmpty {
      let area = parts[3].inset(left: 1)
      buffer.set(string: "⚠ \(problems.count) " + L.brokenLessons, at: Point(x: area.x, y: area.y), style: theme.error, clipTo: area)
      for (i, problem) in problems.prefix(area.height - 1).enumerated() {
        buffer.set(string: problem, at: Point(x: area.x + 2, y: area.y + 1 + i), style: theme.muted, clipTo: area)
      }
    }
    KeyFooter(entries: L.browserKeys).render(in: parts[4], buffer: &buffer, theme: theme)
  }
}

extension AppController {
  /// Blocks until every open session has served its commands (tests use this before a frame).
  package func waitForSessions() {
    switch screen {
    case .browser: break
    case .lesson(let lesson): lesson.session.waitUntilIdle()
    case .compare(let compare, _): for session in compare.sessions { session.waitUntilIdle() }
    }
  }
}
