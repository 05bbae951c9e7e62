import Curriculum
import Foundation
import Model
import TermUI
import Training

/// "You against the model": Shannon's guessing game on the lesson's validation text, scored beside the model as it trains.
///
/// The lesson's session keeps training underneath; this screen only watches it, asking it
/// to score the positions played (`Effect.scoreGuesses`) after each one and every second,
/// so the model's numbers follow its current step.
struct GameScreen: Screen {
  let plan: LessonPlan
  /// The lesson's session: watched, never stopped here.
  let session: SessionID
  let tokenizer: any Tokenizer
  /// Nil until the session sends the validation text.
  var game: GuessingGame?
  /// The word being typed (word and BPE tokenizers).
  var typed = ""
  /// One line under the guess: a guess that did not count, where the results went, why not.
  var note: String?
  /// The model's predictions of the positions played, at `modelStep`.
  var model: [Int: TokenPrediction] = [:]
  var modelStep: Int?
  /// Games saved before this one in this language, oldest first (they arrive as `Message.gameResults`).
  var previous: [GameResult] = []
  /// The earlier games rescored: each is scored anew by the model at its current step.
  static let rescoredGames = 3
  var isWaiting = true
  var ticksSinceAnswer = 0
  /// Where saving this game stands: esc asks for it, the runner answers.
  var saving: SaveState = .notAsked

  enum SaveState: Equatable {
    case notAsked, asked, saved, failed
  }

  /// Ticks between rescoring while the learner thinks (the loop ticks about 30 times a second).
  static let rescoreTicks = 30

  init(plan: LessonPlan, session: SessionID, tokenizer: any Tokenizer) {
    self.plan = plan
    self.session = session
    self.tokenizer = tokenizer
  }

  var watching: [SessionID] { [session] }
  var takesText: Bool { true }
  var language: Language { plan.language }
  /// One key is one guess for characters; words are typed, then entered.
  var isCharacterGame: Bool { tokenizer.kind == .char }

  func start() -> [Effect] { [.loadGameResults(lesson: plan.id), .scoreGuesses(session, positions: [], withText: true)] }

  enum Action: Hashable, CaseIterable {
    case enter, erase, giveUp, back, help
  }

  var keys: [KeyBinding<Action>] {
    let L = Localized(language)
    var keys: [KeyBinding<Action>] = [
      KeyBinding([.tab], shown: "tab", label: L.pick("give up", "放弃"), help: L.pick("give up on this token: it counts as rank V", "放弃这个词元：按第 V 名计"), priority: 9, action: .giveUp),
      KeyBinding([.escape], shown: "esc", label: L.pick("back", "返回"), help: L.pick("save the game and go back to the lesson", "保存本局，返回课程"), priority: 10, action: .back),
      KeyBinding([.function(1)], shown: "F1", label: L.pick("help", "帮助"), help: L.pick("this help: the keys of this screen", "本帮助：这一屏的按键"), priority: 5, action: .help),
    ]
    if isCharacterGame {
      keys.insert(KeyBinding([.enter], shown: "enter", label: L.pick("newline", "换行"), help: L.pick("guess a line break (any other key guesses its character)", "猜换行（其他键猜它的字符）"), priority: 4, action: .enter), at: 0)
    } else {
      keys = [
        KeyBinding([.enter], shown: "enter", label: L.pick("guess", "猜"), help: L.pick("guess the word typed", "提交输入的词"), priority: 10, action: .enter),
        KeyBinding([.backspace, .delete], shown: "⌫", label: L.pick("erase", "删除"), help: L.pick("erase the last character", "删除最后一个字符"), priority: 5, action: .erase),
      ] + keys
    }
    return keys
  }

  /// Keys of a game not being played (its text still on its way, or over), erasing nothing, a save already asked for.
  func isIdle(_ action: Action) -> Bool {
    guard note == nil else { return false }
    switch action {
    case .enter: return game?.isPlaying != true && (isCharacterGame || typed.isEmpty)
    case .erase: return typed.isEmpty
    case .giveUp: return game?.isPlaying != true
    case .back: return result() != nil && saving == .asked
    case .help: return false
    }
  }

  mutating func perform(_ action: Action) -> [Effect] {
    note = nil
    switch action {
    case .enter:
      if isCharacterGame { return guess("\n") }
      defer { typed = "" }
      return guess(typed)
    case .erase:
      if !typed.isEmpty { typed.removeLast() }
    case .giveUp:
      guard game?.isPlaying == true else { return [] }
      game?.giveUp()
      return rescore()
    case .back:
      guard let result = result() else { return [.pop] }
      switch saving {
      case .notAsked:
        saving = .asked
        return [.saveGameResult(result)]
      case .asked:
        return []
      case .saved, .failed:
        // A failed save stayed on screen once, so the learner read why; the next esc leaves.
        return [.close(.gamePlayed(result))]
      }
    case .help:
      return [.showHelp]
    }
    return []
  }

  mutating func receive(_ message: Message) -> [Effect] {
    switch message {
    case .key(.char(let c)):
      note = nil
      if isCharacterGame { return guess(String(c)) }
      typed.append(c)
    case .guessScores(_, let scores):
      isWaiting = false
      ticksSinceAnswer = 0
      guard let scores else {
        note = Localized(language).pick("the model cannot play: it is not ready, or not a causal LM", "模型无法参与：尚未就绪，或不是因果语言模型")
        return []
      }
      if let text = scores.text, game == nil {
        // A new game goes on where the last one stopped, so the learner never guesses text already seen.
        let resume = previous.last?.end ?? 0
        let start = resume + 1 < text.count ? max(0, resume - GuessingGame.shownContext) : 0
        game = GuessingGame(tokens: text, vocabularySize: tokenizer.vocabSize, start: start)
      }
      model = scores.predictions
      modelStep = scores.step
      // The earlier games are scored again by the model as it is now, so the learner sees the same characters scored by a better model.
      if scores.text != nil, !previous.isEmpty { return rescore() }
    case .gameResults(let results):
      // The zh lesson's text is another text: its games are its own, and so is where the next one starts.
      previous = results.filter { $0.isPlayed(in: language) }
    case .gameSaved(let outcome):
      guard saving == .asked, let result = result() else { return [] }
      switch outcome {
      case .success(let moved):
        saving = .saved
        previous.append(result)
        // A results file that could not be read was moved aside, not replaced: say so once.
        if let moved {
          note = moved
          return []
        }
        return [.close(.gamePlayed(result))]
      case .failure(let error):
        saving = .failed
        note = Localized(language).pick("results not saved: \(error.description) (esc again to leave)", "结果未保存：\(error.description)（再按 esc 离开）")
      }
    case .tick:
      ticksSinceAnswer += 1
      // Training goes on underneath: rescore now and then, so the model's side follows it.
      if !isWaiting, ticksSinceAnswer >= Self.rescoreTicks, !scoredPositions.isEmpty { return rescore() + [.redraw] }
    case .key, .mouse, .resize, .snapshot, .prediction, .formulaReplay, .guessRows, .sampled, .saved, .exerciseAnswer,
      .exerciseSaveFailed, .uncovered, .quizHistory, .quizSaved, .playground, .ownTextProgress, .ownTextOpened, .childResult,
      .embeddingMap, .mergeReplay, .predictions:
      // Other keys, other screens' answers and resizes change nothing here.
      break
    }
    return []
  }

  /// Makes one guess from text typed or a key; says why a guess did not count.
  private mutating func guess(_ text: String) -> [Effect] {
    guard var game, game.isPlaying else { return [] }
    let L = Localized(language)
    let shown = TokenDisplay.visible(text)
    switch game.guess(game.resolve(text, tokenizer: tokenizer)) {
    case .right:
      self.game = game
      return rescore()
    case .wrong:
      break
    case .repeated:
      note = L.pick("\(shown) was guessed already: not counted", "\(shown) 已经猜过：不计")
    case .unknown:
      if !text.isEmpty { note = L.pick("\(shown) is not in the vocabulary: not counted", "\(shown) 不在词表中：不计") }
    }
    self.game = game
    return []
  }

  /// Asks the session for the model's scores of every position played, at its current step.
  private mutating func rescore() -> [Effect] {
    let positions = scoredPositions
    guard !positions.isEmpty else { return [] }
    isWaiting = true
    ticksSinceAnswer = 0
    return [.scoreGuesses(session, positions: positions, withText: false)]
  }

  /// The positions the model scores: this game's, and those of the earlier games shown.
  var scoredPositions: [Int] {
    var positions = Set(game?.playedIndices ?? [])
    guard let count = game?.tokens.count else { return [] }
    for result in previous.suffix(Self.rescoredGames) {
      positions.formUnion(result.played.clamped(to: 0..<count))
    }
    return positions.sorted()
  }

  /// An earlier game scored by the model at its current step, from the predictions it sent.
  func modelScore(of result: GameResult) -> GuessScore? {
    var score = GuessScore()
    for index in result.played {
      guard let prediction = model[index] else { return nil }
      score.record(prediction)
    }
    return score.positions > 0 ? score : nil
  }

  /// The game as a result line; nil before any position is played.
  func result(date: Date = Date()) -> GameResult? {
    guard let game, !game.played.isEmpty else { return nil }
    let you = game.score
    let model = game.modelScore(self.model)
    return GameResult(
      date: ISO8601DateFormatter().string(from: date), lesson: plan.id, step: modelStep ?? 0, positions: you.positions,
      start: game.start, end: game.position, youTop1: you.top1Accuracy, youUpperBits: you.upperBoundBits,
      youLowerBits: you.lowerBoundBits, modelTop1: model.top1Accuracy, modelBits: model.crossEntropyBits,
      language: language.rawValue)
  }
}

/// `g` in a causal lesson: the game on the lesson's own model, once its tokenizer has arrived.
extension GameScreen: LessonChildScreen {
  static var place: LessonKeyPlace { .afterWatch }

  static func key(_ context: LessonChildContext, _ L: Localized) -> LessonChildKey? {
    guard context.plan.run.objective == .clm else { return nil }
    return LessonChildKey(
      key: "g", label: L.pick("you vs model", "你 vs 模型"),
      help: L.pick("Shannon's guessing game: you against the model on the validation text", "香农猜字游戏：你与模型比赛猜验证文本"), priority: 4)
  }

  static func open(from context: LessonChildContext) -> LessonChildOpening {
    // The game reads the text through the tokenizer, which arrives with the session's data.
    guard let tokenizer = context.snapshot.tokenizer else {
      return .unavailable(Localized(context.language).pick("the model is still loading", "模型仍在加载"))
    }
    return .push(GameScreen(plan: context.plan, session: context.session, tokenizer: tokenizer), pausingTheRun: false)
  }
}
