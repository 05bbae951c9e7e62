import Foundation
import Training

/// What the screens say about supervised fine-tuning: the masked labels and the chat box.
extension Localized {
  var padding: String { pick("pad", "填充") }
  var sftLabelsRule: String {
    pick("· = −100: no loss. The template, the question and the padding are greyed; only the answer and <|end|> are targets.",
         "· = −100：不计损失。模板、问题和填充都是灰色；只有回答和 <|end|> 是目标。")
  }

  func sftLabelled(_ count: Int, of total: Int) -> String {
    pick("\(count) of these \(total) positions carry loss: one per answer token, plus <|end|>.",
         "这 \(total) 个位置中有 \(count) 个计损失：回答的每个词元一个，再加 <|end|>。")
  }

  func sftAllLabelled(_ count: Int, of total: Int) -> String {
    pick("--mask-prompt false: \(count) of \(total) positions carry loss, the question's too; only the padding is −100.",
         "--mask-prompt false：\(total) 个位置中有 \(count) 个计损失，问题也算；只有填充是 −100。")
  }

  func sftNoLoss(_ token: String, padding: Bool) -> String {
    padding
      ? pick("“\(token)” is padding after the example: −100, no loss (found by its position).", "“\(token)” 是例子之后的填充：−100，不计损失（按位置判断）。")
      : pick("“\(token)” predicts a token of the template or the question: −100, no loss.", "“\(token)” 预测的是模板或问题里的词元：−100，不计损失。")
  }

  func sftTarget(_ token: String, _ target: String) -> String {
    pick("“\(token)” → “\(target)”: the next token of the answer is the target.", "“\(token)” → “\(target)”：回答的下一个词元就是目标。")
  }

  func sftLossBars(shown: Int, total: Int) -> String {
    pick("bars only on the \(shown) positions with a label; the other \(total - shown) are −100",
         "只有 \(shown) 个有标签的位置画条形；其余 \(total - shown) 个是 −100")
  }

  var chatTitle: String { pick("chat: ask the fine-tuned model", "对话：向微调后的模型提问") }
  var chatEditHelp: String {
    pick("type a question; enter: the model answers one token per space, until <|end|>",
         "输入一个问题；回车：每按一次空格模型回答一个词元，直到 <|end|>")
  }
  var chatQuestionEmpty: String { pick("Type a question first.", "请先输入一个问题。") }
  var answerDone: String {
    pick("<|end|>: the model says its answer is done. e asks again, esc closes.", "<|end|>：模型表示回答结束。e 重新提问，esc 关闭。")
  }
  var answerFull: String {
    pick("The context is full before <|end|>. e asks again, esc closes.", "还没到 <|end|>，上下文就满了。e 重新提问，esc 关闭。")
  }

  func roleTokenRefused(_ role: String) -> String {
    pick("“\(role)” is a role token; it cannot be typed in a question (refused).", "“\(role)” 是角色词元，不能在问题里输入（已拒绝）。")
  }

  func questionTooLong(_ count: Int, context: Int) -> String {
    pick("The question is \(count) tokens in the template; the model reads \(context), no room to answer.",
         "问题套进模板后有 \(count) 个词元；模型只读 \(context) 个，没有地方回答了。")
  }
}

extension Localized {
  func preparingBase(_ progress: BaseProgress) -> String {
    pick("Pre-training the base on \(progress.corpus): step \(progress.step)/\(progress.total) (once, then kept)",
         "正在用 \(progress.corpus) 预训练基座：\(progress.step)/\(progress.total) 步（只需一次）")
  }
}
