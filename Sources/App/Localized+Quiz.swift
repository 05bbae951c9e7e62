import Curriculum

/// Texts of checks v2 (hints, tries, giving up), the course quiz and its scores.
extension Localized {
  // A check's tries.
  var checkNext: String { pick("next", "下一题") }
  var checkNextHelp: String { pick("the lesson's next check", "本课的下一道小测") }
  var checkGiveUp: String { pick("show answer", "看答案") }
  var checkGiveUpHelp: String { pick("give up: show the answer and its explanation", "放弃：显示答案和解释") }
  var checkClear: String { pick("clear", "清空") }
  var checkClearHelp: String { pick("clear the answer box (ctrl-u)", "清空答案框（ctrl-u）") }
  func checkCount(_ number: Int, of total: Int) -> String { pick("\(number) of \(total)", "第 \(number)/\(total) 题") }

  /// One line naming what the box accepts.
  func checkUnreadable(_ kind: Exercise.Unreadable) -> String {
    switch kind {
    case .number:
      pick("Type a number or an expression: 1.5, 1/8, 2^3, √16, ln 172, log2 8, e^2",
           "请输入数字或算式：1.5、1/8、2^3、√16、ln 172、log2 8、e^2")
    case .choice(let count):
      pick("Type 1–\(count) or one of the choices.", "请输入 1–\(count) 或其中一个选项。")
    case .token:
      pick("Type a token.", "请输入一个词元。")
    }
  }

  /// After a first wrong answer: its hint, or a general "not yet", and what is left.
  func checkNotYet(hint: String?, triesLeft: Int) -> String {
    let general = pick("Not yet.", "还不对。")
    let more = triesLeft == 1
      ? pick("One more try (ctrl-u clears; tab shows the answer).", "还有一次机会（ctrl-u 清空；tab 看答案）。")
      : pick("Try again (tab shows the answer).", "再试一次（tab 看答案）。")
    // Chinese sentences follow one another without a space; English ones with one.
    let gap = pick(" ", "")
    return "✗ " + (hint.map { general + gap + $0 } ?? general) + gap + more
  }

  func checkShown(_ answer: String) -> String { answerSentence(answer, capitalised: true) }

  /// "the answer is 2.", or for an answer that is itself a sentence (a choice), "the answer: The next token…".
  ///
  /// Such answers start with a capital and may end with their own full stop, which
  /// "the answer is" would bury mid-sentence or double.
  func answerSentence(_ answer: String, capitalised: Bool) -> String {
    let stop = answer.last.map { ".。!！?？".contains($0) } ?? false
    if language == .zh { return "答案是 \(answer)" + (stop ? "" : "。") }
    let lead = answer.first?.isUppercase == true ? "answer:" : "answer is"
    return (capitalised ? "The " : "the ") + lead + " \(answer)" + (stop ? "" : ".")
  }
}

/// The course quiz's words.
extension Localized {
  var quizBegin: String { pick("begin", "开始") }
  var quizBeginHelp: String { pick("begin the quiz", "开始测验") }
  var quizCloseHelp: String { pick("back to the lessons (a take left unfinished is not kept)", "回到课程列表（没答完的这一次不保存）") }
  var quizDontKnow: String { pick("don't know", "不知道") }
  var quizDontKnowHelp: String { pick("I don't know: show the answer (counts as not right)", "不知道：显示答案（计为答错）") }
  var quizNextHelp: String { pick("the next question", "下一题") }
  var quizDoneHelp: String { pick("back to the lessons", "回到课程列表") }

  func quizFormLine(_ form: Quiz.Form, questions: Int) -> String {
    switch form {
    case .first:
      pick("\(questions) questions, one try each. Type a number, an expression (1/8, ln 172) or a choice's number; tab if you don't know. The score is for you alone.",
           "共 \(questions) 题，每题答一次。输入数字、算式（1/8、ln 172）或选项编号；不知道就按 tab。成绩只给你自己看。")
    case .retake:
      pick("A retake: \(questions) parallel questions — the same ideas on other cases and numbers, so the score shows what you learned, not what you remember.",
           "重测：\(questions) 道平行题——同样的概念，换了情形和数字，所以分数反映你学到的，而不是你记住的答案。")
    }
  }

  /// "before 4/10 · now 9/10", or the one score there is; nil before any take.
  func quizScores(_ history: QuizHistory) -> String? {
    guard let before = history.before else { return nil }
    let first = pick("before \(before.right)/\(before.asked)", "之前 \(before.right)/\(before.asked)")
    guard let now = history.now else { return first }
    return first + " · " + pick("now \(now.right)/\(now.asked)", "现在 \(now.right)/\(now.asked)")
  }

  func quizResult(right: Int, of total: Int) -> String {
    pick("You answered \(right) of \(total) right.", "你答对了 \(right)/\(total) 题。")
  }

  var quizFirstDone: String {
    pick("This is your \"before\". Take the quiz again after the lessons: it asks parallel questions, and the browser shows before and now.",
         "这是你的“之前”。学完课程后再测一次：题目是平行的，课程列表会并排显示之前和现在。")
  }

  var quizLaterDone: String {
    pick("The browser shows your first score beside this one.", "课程列表会把你第一次的分数和这次并排显示。")
  }

  // In the browser.
  var quizEntry: String { pick("Course quiz", "课程测验") }
  var quizKey: String { pick("quiz", "测验") }
  var quizKeyHelp: String { pick("take the course quiz (about 10 questions; again any time)", "做课程测验（约 10 题；随时可以再做）") }
  var quizOfferTitle: String { pick("What do you know already?", "你已经知道多少？") }

  func quizOffer(questions: Int) -> String {
    pick("Before lesson 1: a \(questions)-question quiz on the whole course, so you can see later what you learned. Press t, or start with the lesson (enter).",
         "开始第 1 课之前：一份 \(questions) 道题的全课程测验，之后你能看到自己学到了多少。按 t 开始，或直接进入本课（enter）。")
  }

  func quizAgainOffer(_ history: QuizHistory) -> String {
    guard let score = quizScores(history) else {
      return pick("You reached the end of the course. Take the quiz to see what you know now. Press t or enter.",
                  "你学完了整个课程。做一次测验，看看你现在知道多少。按 t 或 enter。")
    }
    return pick("You reached the end of the course. Take the quiz again (\(score)): parallel questions show what you learned. Press t or enter.",
                "你学完了整个课程。再做一次测验（\(score)）：平行题会显示你学到了什么。按 t 或 enter。")
  }
}

/// `nexttoken progress`'s table.
extension Localized {
  var progressLesson: String { pick("lesson", "课程") }
  var progressPredictions: String { pick("predicted", "预测") }
  var progressChecks: String { pick("checks", "小测") }
  var progressGame: String { pick("game (best)", "游戏（最好）") }

  func progressGameBest(top1: Double, bits: Double, games: Int) -> String {
    let percent = Int((top1 * 100).rounded())
    return pick("\(percent)% first guess · ≤ \(String(format: "%.2f", bits)) bits (\(games) game\(games == 1 ? "" : "s"))",
                "首猜 \(percent)% · ≤ \(String(format: "%.2f", bits)) 比特（\(games) 局）")
  }
}
