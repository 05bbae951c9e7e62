import Curriculum
import TermUI
import Training

/// The live embedding map (`m`): the lesson's `wte` projected to 2-D, redrawn as the run trains.
///
/// The lesson's session keeps training underneath; this screen watches it. The projection is
/// model work, so it is asked of the session (`Effect.embeddingMap`), one request at a time:
/// a new one when the run has stepped or the learner picked another token, each aligned to
/// the axes of the map before it so the picture does not spin or flip.
struct MapScreen: Screen {
  let plan: LessonPlan
  /// The lesson's session: watched, never stopped here.
  let session: SessionID
  let tokenizer: any Tokenizer
  var map: EmbeddingMap?
  /// Earlier maps of this run (aligned), oldest first: the labelled tokens' trails.
  var history: [EmbeddingMap] = []
  /// Why there is no map (the model is too small to project), shown as one line.
  var problem: String?
  var picked: Int32?
  /// A request is out (the first one goes with `start()`).
  var isRequesting = true
  /// The run stepped, or the pick changed, while a request was out: ask again when it answers.
  var isStale = false
  var isRunning: Bool
  var step: Int

  init(plan: LessonPlan, session: SessionID, tokenizer: any Tokenizer, snapshot: SessionSnapshot) {
    self.plan = plan
    self.session = session
    self.tokenizer = tokenizer
    isRunning = snapshot.state.isRunning
    step = snapshot.step
  }

  var watching: [SessionID] { [session] }
  var language: Language { plan.language }

  func start() -> [Effect] { [.embeddingMap(session, EmbeddingMapRequest())] }

  enum Action: Hashable, CaseIterable {
    case pick(Direction), run, step, back, help

    static var allCases: [Action] { Direction.allCases.map(Action.pick) + [.run, .step, .back, .help] }
  }

  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    return [
      KeyBinding([(Key.left, Action.pick(.back)), (.right, .pick(.forward))], shown: "←/→", label: L.pick("pick a token", "选词元"), help: L.pick("pick the next or previous token by frequency: its nearest neighbours by cosine similarity", "按出现频率选下一个或上一个词元：看它按余弦相似度最近的邻居"), priority: 9),
      KeyBinding([.char("r")], shown: "r", label: isRunning ? L.pick("pause", "暂停") : L.pick("run", "运行"), help: L.pick("run / pause live training: the map follows it", "运行 / 暂停实时训练：地图随之变化"), priority: 8, action: .run),
      KeyBinding([.char("s")], shown: "s", label: L.pick("step", "单步"), help: L.pick("take one training step", "训练一步"), priority: 6, action: .step),
      KeyBinding([.char("q"), .escape, .char("m")], shown: "q", label: L.pick("back", "返回"), help: L.pick("back to the lesson", "返回课程"), priority: 10, action: .back),
      .help(L, priority: 7, action: .help),
    ]
  }

  /// ←/→ before the map arrives.
  func isIdle(_ action: Action) -> Bool {
    if case .pick = action { return map?.frequencyOrder.isEmpty ?? true }
    return false
  }

  mutating func perform(_ action: Action) -> [Effect] {
    switch action {
    case .pick(let direction):
      guard let map, !map.frequencyOrder.isEmpty else { return [] }
      // Through the tokens seen in the text, most frequent first (the ones worth a look come soonest), wrapping.
      let seen = map.frequencyOrder
      let current = picked.flatMap { map.index(of: $0) }.flatMap { seen.firstIndex(of: $0) }
      let next: Int
      if let current {
        next = (current + direction.delta + seen.count) % seen.count
      } else {
        next = direction == .back ? seen.count - 1 : 0
      }
      picked = map.tokens[seen[next]]
      return request()
    case .run:
      return [isRunning ? .pause(session) : .run(session)]
    case .step:
      return [.step(session)]
    case .back:
      return [.pop]
    case .help:
      return [.showHelp]
    }
  }

  /// Asks for a new map now, or once the one being computed arrives.
  private mutating func request() -> [Effect] {
    guard problem == nil else { return [] }
    if isRequesting {
      isStale = true
      return []
    }
    isRequesting = true
    isStale = false
    return [.embeddingMap(session, EmbeddingMapRequest(previousAxes: map?.axes, picked: picked))]
  }

  mutating func receive(_ message: Message) -> [Effect] {
    switch message {
    case .snapshot(_, let snapshot):
      isRunning = snapshot.state.isRunning
      if snapshot.step != step {
        // A restart (step back to 0) is a new run: its trails start afresh.
        if snapshot.step < step { history = [] }
        step = snapshot.step
        return request()
      }
    case .embeddingMap(_, let answer):
      isRequesting = false
      switch answer {
      case .success(let new)?:
        if let map, map.step != new.step {
          history.append(map)
          if history.count > EmbeddingMapView.trailLength { history.removeFirst() }
        }
        if picked == nil, let first = new.frequencyOrder.first {
          // The most frequent token is picked first; its neighbours come with the next map.
          picked = new.tokens[first]
          isStale = true
        }
        map = new
      case .failure(let failure)?:
        problem = Localized(language).mapTooSmall(failure)
      case nil:
        break
      }
      // The run stepped past the map (the session's step is never behind its snapshot's).
      if isStale || (map.map { $0.step < step } ?? false) { return request() }
    case .key, .mouse, .tick, .resize, .prediction, .formulaReplay, .guessRows, .sampled, .saved, .exerciseAnswer,
      .exerciseSaveFailed, .uncovered, .quizHistory, .quizSaved, .gameResults, .gameSaved, .playground, .ownTextProgress,
      .ownTextOpened, .childResult, .guessScores, .mergeReplay, .predictions:
      // Other screens' answers, ticks and resizes change nothing here.
      break
    }
    return []
  }

  func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
    let L = Localized(language)
    let parts = area.split(.vertical, [.fixed(1), .fill(1), .fixed(1)])
    buffer.fill(parts[0], with: Cell(" ", style: theme.title.adding(.reverse)))
    buffer.set(string: " " + L.mapScreenTitle + " · " + plan.title, at: Point(x: parts[0].x, y: parts[0].y), style: theme.title.adding(.reverse), clipTo: parts[0])
    let body = parts[1].inset(left: 1, right: 1)
    if let problem {
      buffer.set(string: problem, at: Point(x: body.x, y: body.y), style: theme.error, clipTo: body)
    } else if let map {
      EmbeddingMapView(map: map, tokenizer: tokenizer, history: history, language: language).render(in: body, buffer: &buffer, theme: theme)
    } else {
      buffer.set(string: L.mapWaiting, at: Point(x: body.x, y: body.y), style: theme.muted, clipTo: body)
    }
    footer.render(in: parts[2], buffer: &buffer, theme: theme)
  }
}

/// `m` in the lesson: the live embedding map, once the tokenizer it names tokens with has arrived.
extension MapScreen: LessonChildScreen {
  static var place: LessonKeyPlace { .last }

  static func key(_ context: LessonChildContext, _ L: Localized) -> LessonChildKey? {
    LessonChildKey(
      key: "m", label: L.pick("map", "地图"),
      help: L.pick("embedding map: wte in 2-D (PCA), live, with nearest neighbours", "嵌入地图：wte 的二维投影（PCA），实时更新，含最近邻"), priority: 3)
  }

  static func open(from context: LessonChildContext) -> LessonChildOpening {
    guard let tokenizer = context.snapshot.tokenizer else { return .unavailable(Localized(context.language).mapNeedsModel) }
    return .push(MapScreen(plan: context.plan, session: context.session, tokenizer: tokenizer, snapshot: context.snapshot), pausingTheRun: false)
  }
}
