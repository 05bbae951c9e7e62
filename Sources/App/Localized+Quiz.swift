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
      pick("Type a number or an expression: 1.5, 1/8, 2^3, √16, sqrt(16), ln 172, log2 8, e^2, 1,300.",
           "请输入数字或算式：1.5、1/8、2^3、√16、sqrt(16)、ln 172、log2 8、e^2、1,300。")
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
    return "✗ " + (hint.map { general + " " + $0 } ?? general) + " " + more
  }

  func checkShown(_ answer: String) -> String { pick("The answer is \(answer).", "答案是 \(answer)。") }
}
