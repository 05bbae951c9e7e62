import Curriculum
import TermUI
import Training

/// The BPE view (`b`): the lesson tokenizer's merges replayed in order on the lesson's text.
///
/// One merge per key, or at a pace; each shows where its pair occurred, the new token, its
/// count and the text's token count falling. The replay is the run's own tokenizer, so the
/// vocabulary it ends with is the one the model trains with. Enter before the end restarts
/// the run with only the merges replayed so far (a new vocabulary needs a new model).
struct MergeScreen: Screen {
  let plan: LessonPlan
  /// The lesson's session: watched, never stopped here.
  let session: SessionID
  var replay: MergeReplay?
  /// Why there is nothing to replay, shown as one line.
  var problem: String?
  /// A line shown under the merge until the next key (the run restarted).
  var note: String?
  var isPlaying = false
  /// Merges a second while playing.
  var pace = 3
  var ticks = 0
  /// The merges the run was restarted with from here: its replay, when it comes, starts at its end.
  var restartedWith: Int?
  /// A replay was asked for and has not arrived (the first goes with `start()`).
  var isAwaitingReplay = true

  static let paces = [1, 3, 10, 30]
  /// Ticks a second (the loop polls about every 33 ms).
  static let ticksPerSecond = 30

  init(plan: LessonPlan, session: SessionID) {
    self.plan = plan
    self.session = session
  }

  var watching: [SessionID] { [session] }
  var language: Language { plan.language }

  func start() -> [Effect] { [.mergeReplay(session)] }

  enum Action: Hashable, CaseIterable {
    case next, back, play, pace(Direction), ends(Direction), train, close, help

    static var allCases: [Action] {
      [.next, .back, .play] + Direction.allCases.map(Action.pace) + Direction.allCases.map(Action.ends) + [.train, .close, .help]
    }
  }

  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    return [
      KeyBinding([.char(" "), .right], shown: "space", label: L.pick("next merge", "下一次合并"), help: L.pick("apply the next merge (→ too)", "执行下一次合并（也可按 →）"), priority: 10, action: .next),
      KeyBinding([.left, .backspace], shown: "←", label: L.pick("undo", "撤销"), help: L.pick("undo the last merge", "撤销上一次合并"), priority: 6, action: .back),
      KeyBinding([.char("r")], shown: "r", label: isPlaying ? L.pick("pause", "暂停") : L.pick("play", "播放"), help: L.pick("play the merges at a pace / pause", "按节奏自动播放合并 / 暂停"), priority: 9, action: .play),
      KeyBinding([(Key.char("["), Action.pace(.back)), (.char("]"), .pace(.forward))], shown: "[ ]", label: L.pick("pace", "节奏"), help: L.pick("play slower / faster (1, 3, 10, 30 merges a second)", "播放慢一些 / 快一些（每秒 1、3、10、30 次合并）"), priority: 4),
      KeyBinding([(Key.home, Action.ends(.back)), (.end, .ends(.forward))], shown: "Home/End", label: L.pick("first/last", "开头/结尾"), help: L.pick("back to bytes / every merge applied", "回到字节 / 执行全部合并"), priority: 3),
      KeyBinding([.enter], shown: "enter", label: L.pick("train with these", "用这些训练"), help: L.pick("restart the run with only the merges applied so far", "只用已执行的合并重新开始训练"), priority: 5, action: .train),
      KeyBinding([.char("q"), .escape, .char("b")], shown: "q", label: L.pick("back", "返回"), help: L.pick("back to the lesson", "返回课程"), priority: 10, action: .close),
      .help(L, priority: 7, action: .help),
    ]
  }

  /// Stepping through a replay not there yet or at its end, the pace at its bounds.
  func isIdle(_ action: Action) -> Bool {
    guard note == nil else { return false }
    switch action {
    case .pace(let direction):
      let index = Self.paces.firstIndex(of: pace) ?? 1
      return !Self.paces.indices.contains(index + direction.delta)
    case .close, .help: return false
    case .next, .ends(.forward): return replay.map { !isPlaying && $0.next == nil } ?? true
    case .back, .ends(.back): return replay.map { !isPlaying && $0.applied == 0 } ?? true
    case .play, .train: return replay == nil
    }
  }

  mutating func perform(_ action: Action) -> [Effect] {
    note = nil
    switch action {
    case .next:
      isPlaying = false
      replay?.advance()
    case .back:
      isPlaying = false
      if let applied = replay?.applied, applied > 0 { replay?.rewind(to: applied - 1) }
    case .play:
      guard let replay else { return [] }
      if !isPlaying && replay.next == nil { self.replay?.rewind(to: 0) }
      isPlaying.toggle()
      ticks = 0
    case .pace(let direction):
      let index = Self.paces.firstIndex(of: pace) ?? 1
      pace = Self.paces[max(0, min(Self.paces.count - 1, index + direction.delta))]
    case .ends(let direction):
      isPlaying = false
      replay?.rewind(to: direction == .back ? 0 : Int.max)
    case .train:
      return trainWithApplied()
    case .close:
      return [.pop]
    case .help:
      return [.showHelp]
    }
    return []
  }

  /// Restarts the run with the merges applied so far, and says so; at the end there is nothing to change.
  private mutating func trainWithApplied() -> [Effect] {
    guard let replay else { return [] }
    let L = Localized(language)
    if replay.applied == replay.mergeCount {
      note = L.mergeAlreadyAll(replay.mergeCount)
      return []
    }
    if plan.checkpoint != nil {
      note = L.mergeCheckpointFixed
      return []
    }
    isPlaying = false
    restartedWith = replay.applied
    note = L.mergeRestarted(merges: replay.applied, was: replay.mergeCount, vocabulary: 256 + replay.applied + 1)
    return [.restartWithMerges(session, replay.applied)]
  }

  mutating func receive(_ message: Message) -> [Effect] {
    switch message {
    case .mergeReplay(_, let answer):
      guard let answer else {
        isAwaitingReplay = false
        problem = Localized(language).mergeNotBPE(plan.run.tokenizer.rawValue)
        return []
      }
      isAwaitingReplay = false
      // After a restart the new tokenizer's replay is shown at its end: all its merges are the vocabulary.
      var fresh = answer
      if let restartedWith, fresh.mergeCount == restartedWith { fresh.rewind(to: Int.max) }
      replay = fresh
    case .snapshot(_, let snapshot):
      // The restarted run has its new tokenizer once a snapshot of it arrives; ask for its replay once.
      if let restartedWith, replay?.mergeCount != restartedWith, !isAwaitingReplay, snapshot.tokenizer != nil,
        snapshot.configuration.bpeMerges == restartedWith
      {
        isAwaitingReplay = true
        return [.mergeReplay(session)]
      }
    case .tick:
      guard isPlaying, replay != nil else { return [] }
      ticks += 1
      guard ticks * pace >= Self.ticksPerSecond else { return [] }
      ticks = 0
      if replay?.next == nil {
        isPlaying = false
      } else {
        // A fast pace applies several merges a tick.
        for _ in 0..<max(1, pace / Self.ticksPerSecond) { replay?.advance() }
      }
      return [.redraw]
    case .key, .mouse, .resize, .prediction, .formulaReplay, .guessRows, .sampled, .saved, .exerciseAnswer, .exerciseSaveFailed,
      .uncovered, .quizHistory, .quizSaved, .gameResults, .gameSaved, .playground, .ownTextProgress, .ownTextOpened,
      .childResult, .guessScores, .embeddingMap, .predictions:
      // Other screens' answers, keys and resizes change nothing here.
      break
    }
    return []
  }

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let parts = area.split(.vertical, [.fixed(1), .fill(1), .fixed(1)])
    buffer.fill(parts[0], with: Cell(" ", style: theme.title.adding(.reverse)))
    buffer.set(string: " " + L.mergeScreenTitle + " · " + plan.title, at: Point(x: parts[0].x, y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    let body = parts[1].inset(left: 1, right: 1)
    if let problem {
      buffer.set(string: problem, at: Point(x: body.x, y: body.y), style: theme.error, clipTo: body)
    } else if let replay {
      MergeView(replay: replay, note: note, isPlaying: isPlaying, pace: pace, language: language).render(in: body, buffer: &buffer, theme: theme)
    } else {
      buffer.set(string: L.mergeWaiting, at: Point(x: body.x, y: body.y), style: theme.muted, clipTo: body)
    }
    footer.render(in: parts[2], buffer: &buffer, theme: theme)
  }
}

/// `b` in the lesson: the BPE merges replayed; a lesson that is not BPE lists it in the help only, and says so.
extension MergeScreen: LessonChildScreen {
  static var place: LessonKeyPlace { .last }

  static func key(_ context: LessonChildContext, _ L: Localized) -> LessonChildKey? {
    LessonChildKey(
      key: "b", label: "BPE", help: L.pick("BPE: the tokenizer's merges replayed one by one on the text", "BPE：在文本上逐次重放分词器的合并"),
      priority: context.plan.run.tokenizer == .bpe ? 3 : nil)
  }

  static func open(from context: LessonChildContext) -> LessonChildOpening {
    guard (context.snapshot.tokenizer?.kind ?? context.plan.run.tokenizer) == .bpe else {
      return .unavailable(Localized(context.language).mergeNeedsBPE)
    }
    return .push(MergeScreen(plan: context.plan, session: context.session), pausingTheRun: false)
  }
}
