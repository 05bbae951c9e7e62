import Curriculum
import Foundation
import TermUI

/// The words of the questions asked before each stage's picture.
extension Localized {
  private func n(_ value: Float, _ decimals: Int) -> String { formatFixed(Double(value), decimals: decimals) }
  private func q(_ token: String) -> String { pick("“\(token)”", "「\(token)」") }

  var yesNo: [String] { [pick("yes", "是"), pick("no", "否")] }
  var aboveBelow: [String] { [pick("above", "高于"), pick("below", "低于")] }
  var positiveNegative: [String] { [pick("positive", "正"), pick("negative", "负")] }

  // MARK: Stages

  func tokenizeQuestion(_ text: String) -> String {
    pick("Part of the window reads “\(text)”. How many tokens is that part?",
         "窗口里有一段文本「\(text)」。这一段会切成几个词元？")
  }

  func tokenizeWhy(_ tokens: String, count: Int) -> String {
    pick("\(count) tokens: \(tokens) (each box below is one).", "\(count) 个词元：\(tokens)（下方每个方框是一个）。")
  }

  func targetQuestion(position: Int, token: String) -> String {
    pick("At position \(position) the input is \(q(token)). What is its target?",
         "位置 \(position) 的输入是\(q(token))。它的目标是什么？")
  }

  func targetWhy(input: String, target: String) -> String {
    pick("targets[i] = inputs[i+1]: after \(q(input)) the text goes on with \(q(target)).",
         "targets[i] = inputs[i+1]：文本在\(q(input))之后接着是\(q(target))。")
  }

  func pickedQuestion(length: Int) -> String {
    pick("Each position is picked with p = 0.15. How many of this row's \(length) positions carry a label?",
         "每个位置以 p = 0.15 被选中。这一行的 \(length) 个位置里有几个带标签？")
  }

  func pickedWhy(picked: Int, length: Int) -> String {
    pick("\(picked) were picked (0.15 × \(length) ≈ \(formatFixed(0.15 * Double(length), decimals: 1)) expected); the rest carry no loss.",
         "选中了 \(picked) 个（期望 0.15 × \(length) ≈ \(formatFixed(0.15 * Double(length), decimals: 1))）；其余位置不计损失。")
  }

  func embedQuestion(token: String, first: Int, second: Int) -> String {
    pick("Positions \(first) and \(second) both hold \(q(token)). Do they get the same input vector x?",
         "位置 \(first) 和 \(second) 都是\(q(token))。它们的输入向量 x 相同吗？")
  }

  func embedWhy(same: Bool, first: Int, second: Int) -> String {
    same
      ? pick("The same: here wpe[\(first)] and wpe[\(second)] are equal.", "相同：这里 wpe[\(first)] 与 wpe[\(second)] 恰好相等。")
      : pick("Not the same: one row of wte, but different position rows wpe[\(first)] and wpe[\(second)] are added.",
             "不同：词元行 wte 相同，但加上的位置行 wpe[\(first)] 与 wpe[\(second)] 不同。")
  }

  /// `layer` and `head` count from 0, as the model's tensors do; they are shown from 1, as the heatmap's title shows them.
  func mostAttendedQuestion(query: String, position: Int, layer: Int, head: Int) -> String {
    pick("Layer \(layer + 1), head \(head + 1): which earlier token will \(q(query))@\(position) look at most?",
         "第 \(layer + 1) 层第 \(head + 1) 头：\(q(query))@\(position) 最关注前面哪个词元？")
  }

  func mostAttendedWhy(_ option: String, weight: Float) -> String {
    pick("\(option) gets weight \(n(weight, 2)), the largest of its row.", "\(option) 的权重 \(n(weight, 2))，是这一行最大的。")
  }

  func lookRightQuestion(query: String, position: Int, right: String) -> String {
    pick("May \(q(query))@\(position) look at the token to its right, \(q(right))?",
         "\(q(query))@\(position) 能关注它右边的\(q(right))吗？")
  }

  func lookRightWhy(may: Bool, weight: Float) -> String {
    may
      ? pick("Yes: no causal mask here, every token sees both sides (weight \(n(weight, 2))).",
             "能：这里没有因果掩码，每个词元都看得到两边（权重 \(n(weight, 2))）。")
      : pick("No: the causal mask sets every weight right of the diagonal to 0; a token sees only what came before.",
             "不能：因果掩码把对角线右边的权重都设为 0，词元只能看到前文。")
  }

  func topTokenQuestion(position: Int, token: String, masked: Bool) -> String {
    masked
      ? pick("At position \(position) (input \(q(token))), which token will the model rank first?",
             "位置 \(position)（输入\(q(token))）处，模型会把哪个词元排第一？")
      : pick("After \(q(token)) (position \(position)), which token will the model rank first?",
             "在\(q(token))（位置 \(position)）之后，模型会把哪个词元排第一？")
  }

  func topTokenWhy(_ top: String, p: Float, target: String, targetP: Float) -> String {
    pick("\(q(top)) has the highest p = \(n(p, 3)); the target \(q(target)) has p = \(n(targetP, 3)).",
         "\(q(top))的 p = \(n(p, 3)) 最高；目标\(q(target))的 p = \(n(targetP, 3))。")
  }

  func topTenQuestion(target: String, position: Int) -> String {
    pick("At position \(position), is the target \(q(target)) among the model's 10 most likely tokens?",
         "位置 \(position) 处，目标\(q(target))在模型最可能的 10 个词元之内吗？")
  }

  func topTenWhy(target: String, rank: Int, vocabulary: Int, p: Float) -> String {
    pick("\(q(target)) ranks \(rank) of \(vocabulary), with p = \(n(p, 3)).", "\(q(target)) 在 \(vocabulary) 个中排第 \(rank)，p = \(n(p, 3))。")
  }

  var lnVLine: String { pick("ln V (a uniform guess)", "ln V（均匀乱猜）") }
  var unigramLine: String { pick("unigram", "一元（unigram）") }
  var bigramLine: String { pick("bigram", "二元（bigram）") }

  func lossQuestion(line: String, value: Float) -> String {
    pick("Will this step's loss be above or below the \(line) line, \(n(value, 2))?",
         "这一步的损失会高于还是低于 \(line) 线 \(n(value, 2))？")
  }

  func lossWhy(loss: Float, above: Bool, line: String, value: Float) -> String {
    pick("The loss is \(n(loss, 3)), \(above ? "above" : "below") \(line) at \(n(value, 3)).",
         "损失为 \(n(loss, 3))，\(above ? "高于" : "低于") \(line)\(line.hasSuffix("）") ? "" : " ")的 \(n(value, 3))。")
  }

  func gradientQuestion(token: String, isTarget: Bool) -> String {
    isTarget
      ? pick("Is the gradient dL/dz on the target \(q(token))'s logit positive or negative?",
             "目标\(q(token))的 logit 上的梯度 dL/dz 是正还是负？")
      : pick("Is dL/dz on the logit of \(q(token)), the model's top wrong guess, positive or negative?",
             "模型最看好的错误答案\(q(token))，其 logit 上的 dL/dz 是正还是负？")
  }

  func gradientWhy(gradient: Float, isTarget: Bool) -> String {
    isTarget
      ? pick("p − 1 = \(n(gradient, 3)) < 0: stepping against it raises the target's logit.",
             "p − 1 = \(n(gradient, 3)) < 0：逆梯度而行会抬高目标的 logit。")
      : pick("p − 0 = \(n(gradient, 3)) > 0: stepping against it lowers that wrong guess.",
             "p − 0 = \(n(gradient, 3)) > 0：逆梯度而行会压低这个错误答案。")
  }

  var updateQuestion: String {
    pick("After the optimizer step, will the loss on this same batch be lower?", "优化器更新之后，同一批数据上的损失会更低吗？")
  }

  func updateWhy(before: Float, after: Float, lower: Bool) -> String {
    lower
      ? pick("\(n(before, 3)) → \(n(after, 3)): the step went downhill on this batch.", "\(n(before, 3)) → \(n(after, 3))：这一步在这批数据上走了下坡。")
      : pick("\(n(before, 3)) → \(n(after, 3)): the step overshot; a smaller learning rate would go downhill.",
             "\(n(before, 3)) → \(n(after, 3))：这一步迈过了头；学习率小一些才会下降。")
  }

  func bigramQuestion(value: Float) -> String {
    pick("Before you run: at about which step will validation pass the bigram line (\(n(value, 2)))?",
         "运行之前：验证损失大约在第几步低于二元线（\(n(value, 2))）？")
  }

  func bigramWhy(step: Int) -> String {
    pick("validation passed the bigram line at step \(StageQuestion.grouped(step)).", "验证损失在第 \(StageQuestion.grouped(step)) 步低于二元线。")
  }

  // MARK: Asking and marking

  var predictTitle: String { pick("Predict first", "先预测") }

  func choiceHint(count: Int, isYesNo: Bool) -> String {
    isYesNo
      ? pick("y or n (1 or 2) answers · 0 skips · P turns questions off", "y 或 n（1 或 2）作答 · 0 跳过 · P 关闭提问")
      : pick("1–\(count) answers · 0 skips · P turns questions off", "1–\(count) 作答 · 0 跳过 · P 关闭提问")
  }

  var numberHint: String {
    pick("type a number, then enter · 0 skips · P turns questions off", "输入一个数再按 enter · 0 跳过 · P 关闭提问")
  }

  var typingHint: String {
    pick("enter answers · backspace erases · esc goes back to the question", "enter 作答 · backspace 删除 · esc 返回问题")
  }

  /// The one-line hint for a key that answers nothing.
  func notAnAnswer(_ key: String, hint: String) -> String {
    pick("\(key) does not answer: \(hint)", "\(key) 不能作答：\(hint)")
  }

  var right: String { pick("✓ right", "✓ 对了") }
  func wrong(truth: String) -> String { pick("✗ the answer is \(truth)", "✗ 答案是 \(truth)") }
  var skipped: String { pick("skipped", "已跳过") }
  func yourAnswer(_ response: String) -> String { pick("you said \(response)", "你答 \(response)") }
  func otherStep(_ step: Int) -> String { pick("(asked at step \(step))", "（第 \(step) 步时提问）") }
  var bigramPending: String {
    pick("noted: marked when validation passes the bigram line", "已记下：验证损失低于二元线时评判")
  }

  func predicted(_ score: PredictionScore) -> String { pick("predicted \(score.fraction)", "预测 \(score.fraction)") }
  var questionsOn: String { pick("questions on: each stage asks before it shows", "提问已开启：每个阶段先提问再显示") }
  var questionsOff: String { pick("questions off: P turns them back on", "提问已关闭：按 P 重新开启") }

  // MARK: Keys

  var answerKey: String { pick("answer", "作答") }
  var skipKey: String { pick("skip", "跳过") }
  var questionsKey: String { pick("questions", "提问") }
  var answerHelp: String { pick("answer the question (1–4, y/n, or type a number)", "回答问题（1–4、y/n，或输入数字）") }
  var skipHelp: String { pick("skip the question (counts as skipped, not wrong)", "跳过问题（记为跳过，不算错）") }
  var hintHelp: String { pick("a key that answers nothing repeats the hint", "不能作答的键会重复提示") }
  var questionsHelp: String { pick("questions before each stage on / off (remembered)", "每个阶段前的提问：开 / 关（会记住）") }
  var typeHelp: String { pick("type the number", "输入数字") }
  var eraseHelp: String { pick("erase the last character", "删除最后一个字符") }
  var submitHelp: String { pick("answer with the number typed", "以输入的数作答") }
  var cancelHelp: String { pick("back to the question", "返回问题") }
}
