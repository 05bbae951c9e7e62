import Curriculum

/// Texts of the teacher-forcing view and the lesson's closing exercise.
extension Localized {
  // The titles keep the names "teacher forcing" and "free running" in English in both languages:
  // they are the terms learners meet in papers and code.
  func guessModeTitle(_ mode: GuessMode) -> String {
    switch mode {
    case .teacherForcing: pick("teacher forcing — training", "teacher forcing（教师强制）——训练")
    case .freeRunning: pick("free running — generation", "free running（自由生成）——生成")
    }
  }

  func guessModeCaption(_ mode: GuessMode, passes: Int, length: Int) -> String {
    switch mode {
    case .teacherForcing:
      pick("1 pass: all \(length) positions at once, each reading the true text before it",
           "1 次前向计算：\(length) 个位置同时预测，每个都读前面真实的文本")
    case .freeRunning:
      pick("\(passes) passes: each guess is fed back as the next input (\(passes - 1) times); errors compound",
           "\(passes) 次前向计算：每次的猜测接回去当下一个输入（\(passes - 1) 次）；错误会累积")
    }
  }

  var freeRunningNeedsWeights: String {
    pick("free running needs all of this step's weights, which this trace does not hold: press . to return to live",
         "free running 需要这一步的全部权重，这条记录里没有：按 . 回到实时")
  }

  var modelReads: String { pick("reads", "读入") }
  var topGuess: String { pick("top guess", "最可能") }

  func guessScore(correct: Int, of total: Int) -> String {
    pick("\(correct) of \(total) top guesses are the target", "\(total) 个位置中有 \(correct) 个猜中目标")
  }

  func guessModeNext(_ mode: GuessMode) -> String {
    switch mode {
    case .teacherForcing: pick("a: free running (generation, T passes) · ←/→ token", "a：free running（生成，T 次计算）· ←/→ 词元")
    case .freeRunning: pick("a: back to the distribution · ←/→ token", "a：回到概率分布 · ←/→ 词元")
    }
  }

  /// The footer's label for `a`: what pressing it shows next, not what is on screen now.
  ///
  /// In Chinese the label is the term's translation, which the view's title pairs with the English name.
  func guessModeKey(next: GuessMode?) -> String {
    switch next {
    case .teacherForcing: pick("teacher forcing", "教师强制")
    case .freeRunning: pick("free running", "自由生成")
    case nil: pick("distribution", "概率分布")
    }
  }

  var guessModeHelp: String {
    pick("logits stage: teacher forcing (training, 1 pass) → free running (generation, T passes) → back to the distribution",
         "logits 阶段：teacher forcing（教师强制：训练，一次计算）→ free running（自由生成：T 次计算）→ 回到概率分布")
  }

  // The exercise.
  var checkKey: String { pick("check", "小测") }
  var checkHelp: String { pick("the lesson's check: a question to answer", "本课小测：回答一道题") }
  func checkTitle(_ lesson: String) -> String { pick("Check · \(lesson)", "小测 · \(lesson)") }
  var checkPrompt: String { pick("your answer: ", "你的答案：") }
  /// A question's choice, numbered as it is answered: "2) MLM".
  func checkChoice(_ number: Int, _ option: String) -> String { "\(number)) \(option)" }
  /// A question's choices on one line: "1) CLM   2) MLM".
  func checkChoices(_ options: [String]) -> String {
    options.enumerated().map { checkChoice($0.offset + 1, $0.element) }.joined(separator: Self.choiceGap)
  }
  /// What separates the choices on one line.
  static let choiceGap = "   "
  var checkRight: String { pick("✓ Right.", "✓ 答对了。") }
  func checkWrong(_ answer: String) -> String {
    if language == .en, answer.first?.isUppercase == true { return "✗ Not quite. " + answerSentence(answer, capitalised: true) }
    return pick("✗ Not quite: ", "✗ 不对：") + answerSentence(answer, capitalised: false)
  }
  func checkPrevious(_ response: String, right: Bool) -> String {
    right ? pick("Last time you answered \(response): right.", "上次你答 \(response)：对。")
      : pick("Last time you answered \(response): not right.", "上次你答 \(response)：不对。")
  }
  var checkSubmit: String { pick("answer", "作答") }
  var checkSubmitHelp: String { pick("mark the answer typed", "批改输入的答案") }
  var checkErase: String { pick("erase", "删除") }
  var checkClose: String { pick("close", "关闭") }
  var checkCloseHelp: String { pick("back to the lesson", "回到课程") }
  var checkAgain: String { pick("try again", "再答一次") }
  var checkAgainHelp: String { pick("answer the question again", "重新回答这道题") }
}
