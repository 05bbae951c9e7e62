import Foundation

/// A lesson made on the spot for any text: the learner's own corpus, trained with the
/// settings they chose, narrated by the built-in text of every stage.
///
/// It has no stage sections of its own, so every stage shows its built-in narrative;
/// the intro and the run text say what is being trained and on what.
extension Lesson {
  /// The id of every own-text lesson (checkpoints saved from it are named after the file instead).
  public static let ownTextID = "own-text"

  /// A lesson that trains on `corpus` with the given settings.
  ///
  /// The title is the corpus's file name, so the header says which text is on screen; the
  /// prompt is the text's first words (for MLM with one of them masked).
  public static func ownText(
    corpus: Corpus, objective: LessonObjective, tokenizer: TokenizerKind, bpeMerges: Int, model: LessonModelSize,
    seed: UInt64, optimizer: LessonOptimizer, learningRate: Double, warmupSteps: Int, language: Language
  ) -> Lesson {
    let url = URL(fileURLWithPath: corpus.path)
    let name = url.lastPathComponent
    let prompt = OwnTextPrompt.prompt(from: corpus.text, tokenizer: tokenizer, masked: objective == .mlm)
    let text = OwnTextNarrative(
      name: name, characters: corpus.text.count, tokenizer: tokenizer, objective: objective, model: model)
    return Lesson(
      url: url, id: ownTextID, language: language, order: Int.max, title: name,
      summary: text.summary(language), objective: objective, corpus: url.path, tokenizer: tokenizer,
      bpeMerges: bpeMerges, model: model, seed: seed, optimizer: optimizer, learningRate: learningRate,
      warmupSteps: warmupSteps, stages: Stage.allCases, prompt: prompt,
      sections: [
        LessonSection(name: "intro", text: text.intro(language), line: 0, bodyLine: 0),
        LessonSection(name: "run", text: text.run(language), line: 0, bodyLine: 0),
      ])
  }
}

extension Lesson {
  /// The intro of a reopened checkpoint: where it stands and that training goes on from there.
  public static func checkpointIntro(name: String, step: Int, corpus: String, language: Language) -> String {
    switch language {
    case .en:
      return "The checkpoint **\(name)**, trained to step \(step) on \(corpus). Every stage below shows this model as it is now; **space** steps on from step \(step), **r** trains on, **w** saves it again."
    case .zh:
      return "检查点 **\(name)**：在 \(corpus) 上训练到第 \(step) 步。下面每个阶段都显示这个模型现在的样子；**空格**从第 \(step) 步继续，**r** 接着训练，**w** 再次保存。"
    }
  }
}

/// The prompt an own-text lesson opens the prompt box with: how the text itself begins.
enum OwnTextPrompt {
  /// The first words of the first non-blank line, at most about `limit` characters.
  ///
  /// Text without spaces (Chinese, code) gives its first few characters. For MLM, one
  /// word (or, with the char tokenizer, one character) in the middle becomes [MASK].
  static func prompt(from text: String, tokenizer: TokenizerKind, masked: Bool, limit: Int = 24) -> String {
    let line = text.split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .first { !$0.isEmpty } ?? ""
    var words: [String] = []
    if line.contains(" ") {
      for word in line.split(separator: " ").map(String.init) {
        guard words.count < 4, (words + [word]).joined(separator: " ").count <= limit else { break }
        words.append(word)
      }
    }
    // Text without spaces (Chinese, code) has no words to cut at: its first characters will do.
    if words.isEmpty { words = [String(line.prefix(line.contains(" ") ? limit : 6))] }
    guard masked else { return words.joined(separator: " ") }
    if tokenizer != .char && words.count > 1 {
      words[words.count / 2] = "[MASK]"
      return words.joined(separator: " ")
    }
    var characters = Array(words.joined(separator: " "))
    let letters = characters.indices.filter { !characters[$0].isWhitespace }
    guard !letters.isEmpty else { return "[MASK]" }
    let middle = letters[letters.count / 2]
    characters.replaceSubrange(middle...middle, with: Array("[MASK]"))
    return String(characters)
  }
}

/// The intro, run text and browser summary of an own-text lesson, in English and Chinese.
struct OwnTextNarrative {
  let name: String
  let characters: Int
  let tokenizer: TokenizerKind
  let objective: LessonObjective
  let model: LessonModelSize

  private var isMasked: Bool { objective == .mlm }

  func summary(_ language: Language) -> String {
    switch language {
    case .en: return "Your own text: \(name), \(characters) characters."
    case .zh: return "你自己的文本：\(name)，\(characters) 个字符。"
    }
  }

  func intro(_ language: Language) -> String {
    let size = "\(model.layers)×\(model.heads)×\(model.dim)"
    switch language {
    case .en:
      let task = isMasked
        ? "hide about 15% of its tokens and recover them from both sides (**MLM**, as BERT)"
        : "predict each next token from the ones before it (**CLM**, as GPT)"
      return """
        A fresh model (layers × heads × dim = \(size)) learns **\(name)**, \(characters) characters cut into \(tokenizer.rawValue) tokens. Its task: \(task).

        Every stage below shows this text and this model, with the built-in explanation of the stage. Press **space** to run the first iteration, **r** to train, **w** to keep the model.
        """
    case .zh:
      let task = isMasked
        ? "遮住约 15% 的词元，再从左右两边还原它们（**MLM**，如 BERT）"
        : "根据前面的词元预测下一个词元（**CLM**，如 GPT）"
      return """
        一个全新的模型（层 × 头 × 宽度 = \(size)）学习 **\(name)**：\(characters) 个字符，切成 \(tokenizer.rawValue) 词元。任务：\(task)。

        下面每个阶段都显示这段文本和这个模型，并附上该阶段的内置讲解。按**空格**运行第一轮，按 **r** 训练，按 **w** 保存模型。
        """
    }
  }

  func run(_ language: Language) -> String {
    switch language {
    case .en:
      return """
        The loss starts near ln V, the uniform guess, and falls toward the unigram and bigram lines: first the model learns which tokens are common, then which follow which. Below the bigram line it uses more than the previous token.

        A small text is soon memorised: when val turns up while train keeps falling, more text or a smaller model would generalise better.
        """
    case .zh:
      return """
        损失从均匀乱猜的 ln V 附近开始，向一元与二元熵的两条线下降：模型先学会哪些词元常见，再学会谁跟在谁后面。降到二元线以下，说明它用到的不只是前一个词元。

        文本太短很快就会被背下来：验证损失回升而训练损失继续下降时，更多的文本或更小的模型会泛化得更好。
        """
    }
  }
}
