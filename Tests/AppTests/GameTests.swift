@testable import App
import Curriculum
import Foundation
import Model
import TermUI
import Testing
import Training

/// The guessing game, driven by messages: the text and the model's scores arrive as `.guessScores`; no session, no threads.
@Suite final class GameTests {
  let fixture: LessonFixture
  let state: URL

  init() throws {
    fixture = try LessonFixture()
    state = fixture.directory.appendingPathComponent("state")
  }
  deinit { fixture.remove() }

  var folders: UserFolders { UserFolders(environment: ["XDG_STATE_HOME": state.path, "HOME": fixture.directory.path]) }
  /// Reads and writes the results where the app would, in the fixture's folders.
  var runner: EffectRunner { EffectRunner(corporaDirectory: nil, folders: folders, onCallersThread: true) }

  func plan(_ kind: TokenizerKind, language: Language = .en) -> LessonPlan {
    var plan = fixture.plan(language: language)
    plan.run.tokenizer = kind
    return plan
  }

  /// A game whose session has sent the validation text.
  func openGame(_ kind: TokenizerKind, language: Language = .en) throws -> (GameScreen, Trainer) {
    let plan = plan(kind, language: language)
    let trainer = try Trainer(configuration: plan.run, evaluationInterval: 0)
    var screen = GameScreen(plan: plan, session: .next(), tokenizer: trainer.tokenizer)
    #expect(screen.carryOut(screen.start(), with: runner) == ["loadGames(clm)", "score(\(screen.session.raw), 0 positions, text)"])
    _ = screen.update(.guessScores(screen.session, GuessingScores(step: 5, text: trainer.validationTokens, predictions: [:])))
    return (screen, trainer)
  }

  /// A character of the vocabulary that is not `answer`.
  func wrongCharacter(_ tokenizer: any Tokenizer, not answer: Int32) -> Character {
    let id = (0..<Int32(tokenizer.ordinaryCount)).first { $0 != answer && tokenizer.token($0).count == 1 && tokenizer.token($0) != "\n" }!
    return Character(tokenizer.token(id))
  }

  @Test func oneKeyIsOneGuessForCharactersAndWrongGuessesStayListed() throws {
    var (screen, trainer) = try openGame(.char)
    let game = try #require(screen.game)
    #expect(game.position == GuessingGame.shownContext)
    let answer = try #require(game.answer)
    let wrong = wrongCharacter(trainer.tokenizer, not: answer)
    #expect(screen.press(.char(wrong)) == [])
    #expect(screen.game?.wrong == [trainer.tokenizer.guessID(String(wrong))!])
    #expect(screen.rendered().joined(separator: "\n").contains("wrong: " + TokenDisplay.visible(String(wrong))))
    // The same wrong guess again is not counted twice.
    #expect(screen.press(.char(wrong)) == [])
    #expect(screen.game?.wrong.count == 1)
    #expect(screen.note?.contains("guessed already") == true)
    let right = Character(trainer.tokenizer.token(answer))
    let effects = right == "\n" ? screen.press(.enter) : screen.press(.char(right))
    #expect(effects == ["score(\(screen.session.raw), 1 positions)"])
    #expect(screen.game?.played == [PlayedPosition(index: game.position, token: answer, guesses: 2, gaveUp: false)])
    #expect(screen.game?.position == game.position + 1 && screen.game?.wrong == [])
  }

  @Test func aGuessOutsideTheVocabularySaysSoAndDoesNotCount() throws {
    var (screen, _) = try openGame(.char)
    #expect(screen.press(.char("€")) == [])
    #expect(screen.game?.wrong == [] && screen.game?.played == [])
    #expect(screen.rendered().joined(separator: "\n").contains("€ is not in the vocabulary: not counted"))
    var (words, _) = try openGame(.word)
    for c in "zebra" { _ = words.update(.key(.char(c))) }
    #expect(words.press(.enter) == [])
    #expect(words.note == "zebra is not in the vocabulary: not counted" && words.game?.wrong == [] && words.typed == "")
  }

  @Test func wordsAreTypedThenEnteredWithoutTheirSpace() throws {
    var (screen, trainer) = try openGame(.word)
    let answer = try #require(screen.game?.answer)
    let text = trainer.tokenizer.token(answer).trimmingCharacters(in: .whitespaces)
    for c in text + "x" { #expect(screen.press(.char(c)) == []) }
    #expect(screen.press(.backspace) == [])
    #expect(screen.typed == text)
    #expect(screen.press(.enter) == ["score(\(screen.session.raw), 1 positions)"])
    #expect(screen.game?.played.first?.guesses == 1 && screen.game?.score.top1Accuracy == 1)
  }

  @Test func givingUpCountsAsRankV() throws {
    var (screen, trainer) = try openGame(.char)
    #expect(screen.press(.tab) == ["score(\(screen.session.raw), 1 positions)"])
    let played = try #require(screen.game?.played.first)
    #expect(played.gaveUp && played.guesses == trainer.tokenizer.vocabSize)
    let score = try #require(screen.game?.score)
    #expect(abs(score.upperBoundBits - log2(Double(trainer.tokenizer.vocabSize))) < 1e-12, "naming the token costs log₂ V")
    #expect(score.lowerBoundBits <= score.upperBoundBits)
    #expect(screen.game?.score.rankCounts == [trainer.tokenizer.vocabSize: 1])
    #expect(screen.rendered().joined(separator: "\n").contains("gave up (rank \(trainer.tokenizer.vocabSize))"))
  }

  @Test func theScoreboardPutsYouAndTheModelSideBySide() throws {
    var (screen, trainer) = try openGame(.char)
    // Right at once, then after 2 guesses: the learner's ranks are 1 and 2.
    for wrongFirst in [false, true] {
      let answer = try #require(screen.game?.answer)
      if wrongFirst { _ = screen.press(.char(wrongCharacter(trainer.tokenizer, not: answer))) }
      let right = Character(trainer.tokenizer.token(answer))
      _ = right == "\n" ? screen.press(.enter) : screen.press(.char(right))
    }
    let indices = try #require(screen.game?.playedIndices)
    let predictions = [
      indices[0]: TokenPrediction(token: 0, rank: 1, logProbability: log(0.5)),
      indices[1]: TokenPrediction(token: 0, rank: 1, logProbability: log(0.25)),
    ]
    _ = screen.update(.guessScores(screen.session, GuessingScores(step: 42, text: nil, predictions: predictions)))
    let model = try #require(screen.game?.modelScore(screen.model))
    #expect(model.crossEntropyBits == 1.5 && model.top1Accuracy == 1)
    #expect(screen.game?.score.upperBoundBits == 1 && screen.game?.score.top1Accuracy == 0.5)
    let lines = screen.rendered(width: 100, height: 34)
    let text = lines.joined(separator: "\n")
    #expect(text.contains("model at step 42"))
    #expect(lines.contains { $0.contains("scoreboard") && $0.contains("you") && $0.contains("model") })
    #expect(lines.contains { $0.contains("upper bound, bits/token") && $0.contains("1.00") && $0.contains("0.00") })
    #expect(lines.contains { $0.contains("cross-entropy, bits/token") && $0.contains("1.50") })
    #expect(lines.contains { $0.contains("top-1 accuracy") && $0.contains("50%") && $0.contains("100%") })
    #expect(lines.contains { $0.contains("rank 1 · p 25%") })
    #expect(GameScreen.probability(0.004) == "0.40%" && GameScreen.probability(0.5) == "50%")
  }

  @Test func theModelIsRescoredWhileTheLearnerThinks() throws {
    var (screen, _) = try openGame(.char)
    _ = screen.press(.tab)
    _ = screen.update(.guessScores(screen.session, GuessingScores(step: 6, text: nil, predictions: [:])))
    var asked: [String] = []
    for _ in 0..<GameScreen.rescoreTicks { asked += describe(screen.update(.tick) ?? []) }
    #expect(asked == ["score(\(screen.session.raw), 1 positions)", "redraw"])
    // No second request while one is on its way.
    for _ in 0..<GameScreen.rescoreTicks { #expect(describe(screen.update(.tick) ?? []) == []) }
  }

  @Test func theChineseGameSaysYouAndModelInChinese() throws {
    var (screen, _) = try openGame(.char, language: .zh)
    _ = screen.press(.tab)
    let lines = screen.rendered(width: 100, height: 34)
    #expect(lines[0].contains("模型：第 5 步"))
    // Below the title (which glosses "you vs model"), the columns are in Chinese.
    let body = lines.dropFirst().joined(separator: "\n")
    #expect(body.contains("记分板") && body.contains("你") && body.contains("模型"))
    #expect(!body.contains("you") && !body.contains("model"), "\(body)")
  }

  @Test func resultsAreSavedInTheStateStoreAndShownNextTime() throws {
    var (screen, trainer) = try openGame(.char)
    let log2V = log2(Double(trainer.tokenizer.vocabSize))
    // Nothing played: leaving writes nothing.
    var empty = screen
    #expect(empty.press(.escape, runner: runner) == ["pop"])
    #expect(!FileManager.default.fileExists(atPath: state.appendingPathComponent("nexttoken").path))
    _ = screen.press(.tab)
    _ = screen.press(.tab)
    // The result is saved by the runner, then handed to the lesson as the game closes.
    #expect(screen.press(.escape, runner: runner) == ["saveGame(clm)", "close(game)"])
    let store = StateStore(folders: folders)
    #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("nexttoken/games.json").path))
    let games = store.records(GameRecords.self)["clm"]
    #expect(games.count == 1)
    let saved = try #require(games.first)
    #expect(saved.positions == 2 && saved.youTop1 == 0 && saved.lesson == "clm" && saved.step == 5)
    #expect(saved.end == GuessingGame.shownContext + 2)
    // Two give-ups: no guess found either token, so both must be named, log₂ V bits each.
    #expect(abs(saved.youUpperBits - log2V) < 1e-12)
    // The next game shows it, and goes on where it stopped.
    var (next, _) = try openGame(.char)
    #expect(next.previous == [saved])
    #expect(next.game?.position == saved.end)
    #expect(next.rendered(height: 34).joined(separator: "\n").contains(String(format: "2 positions · you ≤ %.2f bits", log2V)))
    _ = next.press(.tab)
    _ = next.press(.escape, runner: runner)
    #expect(store.records(GameRecords.self)["clm"].count == 2)
  }

  @Test func oldResultFilesAreMigratedAndAnUnreadableOneIsMovedAsideNotReplaced() throws {
    let folder = state.appendingPathComponent("nexttoken")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let old = GameResult(
      date: "2026-01-02T03:04:05Z", lesson: "clm", step: 3, positions: 2, start: 16, end: 18, youTop1: 0.5,
      youUpperBits: 2, youLowerBits: 1, modelTop1: 0.5, modelBits: 3)
    let line = String(decoding: try JSONEncoder().encode(old), as: UTF8.self)
    try Data("\(line)\n\(line)\n".utf8).write(to: folder.appendingPathComponent("game-clm.jsonl"))
    var (screen, _) = try openGame(.char)
    #expect(screen.previous == [old, old])
    _ = screen.press(.tab)
    #expect(screen.press(.escape, runner: runner) == ["saveGame(clm)", "close(game)"])
    #expect(StateStore(folders: folders).records(GameRecords.self)["clm"].count == 3)
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("game-clm.jsonl.migrated").path))

    // Now the store's file is damaged: the next game moves it aside, says so, and leaves on the next esc.
    let games = folder.appendingPathComponent("games.json")
    try Data("{\"format\": 1, \"rec".utf8).write(to: games)
    var (next, _) = try openGame(.char)
    #expect(next.previous.isEmpty)
    _ = next.press(.tab)
    #expect(next.press(.escape, runner: runner) == ["saveGame(clm)"])
    let note = try #require(next.note)
    #expect(note.hasPrefix("games.json could not be read (not a NextToken state file): kept as games.json.unreadable-"))
    #expect(next.press(.escape, runner: runner) == ["close(game)"])
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    let aside = try #require(names.first { $0.hasPrefix("games.json.unreadable-") })
    #expect(try String(contentsOf: folder.appendingPathComponent(aside), encoding: .utf8) == "{\"format\": 1, \"rec")
    #expect(StateStore(folders: folders).records(GameRecords.self)["clm"].count == 1)
  }

  @Test func anEarlierGameIsScoredAgainByTheModelAsItIsNow() throws {
    var (first, trainer) = try openGame(.char)
    _ = first.press(.tab)
    _ = first.press(.tab)
    _ = first.press(.escape, runner: runner)
    let saved = try #require(StateStore(folders: folders).records(GameRecords.self)["clm"].first)
    #expect(saved.language == "en")
    // Reopened: once the text is there, the model is asked to score the earlier game's positions.
    let plan = plan(.char)
    var screen = GameScreen(plan: plan, session: .next(), tokenizer: trainer.tokenizer)
    _ = screen.carryOut(screen.start(), with: runner)
    let effects = screen.receive(.guessScores(screen.session, GuessingScores(step: 40, text: trainer.validationTokens, predictions: [:])))
    #expect(describe(effects) == ["score(\(screen.session.raw), 2 positions)"])
    #expect(screen.scoredPositions == Array(saved.played))
    // Its answer: rank 1 and 2 at step 40, so the model's upper bound over that game is 1 bit.
    var predictions: [Int: TokenPrediction] = [:]
    for (offset, index) in saved.played.enumerated() {
      predictions[index] = TokenPrediction(token: trainer.validationTokens[index], rank: offset + 1, logProbability: -1)
    }
    _ = screen.update(.guessScores(screen.session, GuessingScores(step: 40, text: nil, predictions: predictions)))
    let shown = screen.rendered(height: 34).joined(separator: "\n")
    #expect(shown.contains("2 positions · you ≤ \(GameScreen.bits(saved.youUpperBits)) · model ≤ 1.00 bits now (step 40)"), "\(shown)")
  }

  @Test func gamesAreKeptPerLanguage() throws {
    var (english, _) = try openGame(.char)
    _ = english.press(.tab)
    _ = english.press(.escape, runner: runner)
    // The Chinese lesson's text is another text: the English game is neither listed nor resumed there.
    let (chinese, _) = try openGame(.char, language: .zh)
    #expect(chinese.previous.isEmpty)
    #expect(chinese.game?.position == GuessingGame.shownContext)
    let (again, _) = try openGame(.char)
    #expect(again.previous.count == 1)
  }

  @Test func anUntrainedModelIsSaidToBeOne() throws {
    let plan = plan(.char)
    let trainer = try Trainer(configuration: plan.run, evaluationInterval: 0)
    var screen = GameScreen(plan: plan, session: .next(), tokenizer: trainer.tokenizer)
    _ = screen.update(.guessScores(screen.session, GuessingScores(step: 0, text: trainer.validationTokens, predictions: [:])))
    #expect(screen.rendered(height: 34).joined(separator: "\n").contains("the model is at step 0, untrained: esc, then r, to train it"))
  }

  @Test func theTitleNamesTheGameOnceInLessonEleven() throws {
    var plan = plan(.char)
    plan.title = "You against the model"
    let trainer = try Trainer(configuration: plan.run, evaluationInterval: 0)
    let screen = GameScreen(plan: plan, session: .next(), tokenizer: trainer.tokenizer)
    let title = screen.rendered(height: 34)[0]
    #expect(title.components(separatedBy: "You against the model").count == 2, "\(title)")
  }

  @Test func anUnwritableStateFolderIsANoteNotACrash() throws {
    // The state folder's place is taken by a file.
    try Data("x".utf8).write(to: state)
    var (screen, _) = try openGame(.char)
    _ = screen.press(.tab)
    #expect(screen.press(.escape, runner: runner) == ["saveGame(clm)"])
    let note = try #require(screen.note)
    #expect(note.hasPrefix("results not saved: ") && !note.contains("\n"))
    #expect(note.contains("\(state.path) is a file, not a folder"), "the file in the way is named: \(note)")
    #expect(screen.rendered().joined(separator: "\n").contains("results not saved"))
    // Whole at 80 columns, wrapped rather than cut at the edge.
    let words = screen.rendered(width: 80, height: 34).joined(separator: " ").split(separator: " ").joined(separator: " ")
    #expect(words.contains(note.split(separator: " ").joined(separator: " ")), "\(words)")
    // The score still reaches the lesson: it does not travel through the file.
    #expect(screen.press(.escape, runner: runner) == ["close(game)"])
  }

  @Test func gOpensTheGameInACausalLessonOnly() throws {
    let plan = fixture.plan()
    var maker = try SnapshotMaker(plan.run)
    var lesson = LessonScreen(plan: plan)
    #expect(lesson.press(.char("g")) == [])
    #expect(lesson.note == "the model is still loading")
    _ = lesson.update(.snapshot(lesson.session, maker.loaded()))
    #expect(lesson.press(.char("g")) == ["push(GameScreen)"])
    var masked = LessonScreen(plan: fixture.plan(objective: .mlm))
    #expect(masked.press(.char("g")) == nil)
  }

  @Test func theRouterHandsTheScoresToTheGameAndClosingItLeavesTheSessionRunning() throws {
    let plan = fixture.plan()
    var maker = try SnapshotMaker(plan.run)
    var router = Router(language: .en)
    let lesson = LessonScreen(plan: plan)
    _ = router.push(lesson)
    _ = router.update(.snapshot(lesson.session, maker.loaded()))
    _ = router.update(.key(.char("g")))
    #expect(router.top is GameScreen)
    _ = router.update(.guessScores(lesson.session, GuessingScores(step: 1, text: maker.trainer.validationTokens, predictions: [:])))
    #expect((router.top as? GameScreen)?.game != nil)
    // Nothing played: the game closes with nothing to hand back or save.
    let closed = router.update(.key(.escape))
    #expect(describe(closed.effects) == [] && router.top is LessonScreen)
  }

  @Test(arguments: Language.allCases)
  func theWordsYouModelAndBitsAreOnScreenInBothLanguages(language: Language) throws {
    let plan = plan(.char, language: language)
    let trainer = try Trainer(configuration: plan.run, evaluationInterval: 0)
    var screen = GameScreen(plan: plan, session: .next(), tokenizer: trainer.tokenizer)
    _ = screen.update(.guessScores(screen.session, GuessingScores(step: 5, text: trainer.validationTokens, predictions: [:])))
    let text = screen.rendered().joined(separator: "\n")
    for word in ["you", "model", "bits"] { #expect(text.contains(word), "\(language): \(word)") }
  }

  @Test func theLastGamesUpperBoundIsThePlotsYouLineInNats() throws {
    // Ranks 1 and V, half each: 1 bit for which, and log₂ V for the token given up on, half the time.
    var (screen, trainer) = try openGame(.char)
    let answer = try #require(screen.game?.answer)
    let right = Character(trainer.tokenizer.token(answer))
    _ = right == "\n" ? screen.press(.enter) : screen.press(.char(right))
    _ = screen.press(.tab)
    let result = try #require(screen.result())
    // The game hands its result to the lesson below as it closes: no file round trip.
    var router = Router(language: .en)
    var lesson = LessonScreen(plan: screen.plan)
    _ = router.push(lesson)
    _ = router.push(screen)
    let effects = router.update(.key(.escape)).effects
    #expect(describe(effects) == ["saveGame(clm)"])
    _ = router.update(.gameSaved(.failure(UserFoldersError("unwritable"))))
    #expect(router.top is GameScreen, "a failed save is shown once")
    _ = router.update(.key(.escape))
    lesson = try #require(router.top as? LessonScreen)
    let nats = (1 + 0.5 * log2(Double(trainer.tokenizer.vocabSize))) * M_LN2
    #expect(abs(result.youUpperBits * M_LN2 - nats) < 1e-12)
    #expect(abs((lesson.youNats ?? 0) - nats) < 1e-12)
    var maker = try SnapshotMaker(lesson.plan.run)
    let plot = LossPlotView(snapshot: maker.stepped(), language: .en, you: lesson.youNats)
    var buffer = Buffer(size: Size(width: 60, height: 14))
    plot.render(in: Rect(size: buffer.size), buffer: &buffer, theme: Theme(capability: .monochrome))
    #expect(buffer.lines.contains { $0.contains("you " + formatCompact(nats)) }, "\(buffer.lines.joined(separator: "\n"))")
  }
}
