import Curriculum
import Foundation
import Model
import TermUI
import Training

extension Localized {
  var liveRun: String { pick("live run", "实时训练") }
  var warmUp: String { pick("warm-up", "预热") }

  var explodedTitle: String { pick("The loss exploded", "损失爆炸了") }

  func exploded(loss: Float, step: Int, rate: Float) -> String {
    let lossText = loss.isFinite ? String(format: "%.2f", Double(loss)) : "NaN"
    return pick(
      "At step \(step) the loss reached \(lossText) with learning rate \(String(format: "%.2g", Double(rate))). The steps were too large: the weights overshot and the numbers blew up. Training is paused. Press - to lower the learning rate, then r to reset the model and try again.",
      "第 \(step) 步时损失达到 \(lossText)，学习率为 \(String(format: "%.2g", Double(rate)))。步子迈得太大，权重来回越冲越远，数值失控了。训练已暂停。按 - 降低学习率，再按 r 重置模型重新开始。")
  }

  var failedTitle: String { pick("The lesson cannot start", "课程无法开始") }
  var codeTitle: String { pick("training loop", "训练循环") }
  var computing: String { pick("computing…", "计算中…") }
  var pressSpace: String { pick("Press space to run the first iteration, one stage at a time.", "按空格运行第一轮迭代，一次展示一个阶段。") }
  var running: String { pick("running", "运行中") }
  var paused: String { pick("paused", "已暂停") }
  var diverged: String { pick("diverged", "发散") }
  var failed: String { pick("failed", "失败") }
  var step: String { pick("step", "步") }
  var loss: String { pick("loss", "损失") }
  var validation: String { pick("val", "验证") }
  var train: String { pick("train", "训练") }
  var unigram: String { pick("unigram", "一元") }
  var bigram: String { pick("bigram", "二元") }
  var steps: String { pick("steps", "步数") }
  var promptEmpty: String { pick("Type a prompt first.", "请先输入提示词。") }
  var allMasksFilled: String { pick("Every [MASK] is filled. e edits, esc closes.", "所有 [MASK] 都已填好。e 编辑，esc 关闭。") }
  var lossPlotTitle: String { pick("loss", "损失") }
  var gradNormTitle: String { pick("gradient norm", "梯度范数") }
  var sampleTitle: String { pick("the model continues the prompt", "模型续写") }
  var promptStepHelp: String { pick("space: sample one token · t: temperature · k: top-k · e: edit · esc: close", "空格：采样一个词元 · t：温度 · k：top-k · e：编辑 · esc：关闭") }
  func askToSave(step: Int) -> String {
    pick("This model trained to step \(step). Save it as a checkpoint in your data folder?\n\ny: save and close · n: close without saving · esc: stay",
         "这个模型已训练到第 \(step) 步。要把它作为检查点保存到你的数据文件夹吗？\n\ny：保存并关闭 · n：不保存，关闭 · esc：留下")
  }

  /// The value text of a token top-k cut.
  var cut: String { pick("cut", "截去") }

  /// "temperature 0.8 · top-k 40 · perplexity 12.3": the prompt box's controls and what they generated.
  func samplingLine(_ controls: SamplingControls, perplexity: PerplexityMeter) -> String {
    let temperature = controls.isGreedy ? pick("greedy", "贪心") : String(format: "%g", Double(controls.temperature))
    let topK = controls.topK.map(String.init) ?? pick("all", "全部")
    let meter = perplexity.value.map { String(format: "%.1f", $0) } ?? "–"
    return pick("temperature", "温度") + " \(temperature) · top-k \(topK) · " + pick("perplexity", "困惑度") + " \(meter)"
  }

  func attentionTitle(layer: Int, step: Int) -> String {
    pick("attention, layer \(layer + 1), step \(step)", "注意力，第 \(layer + 1) 层，第 \(step) 步")
  }

  func promptTitle(masked: Bool) -> String {
    masked ? pick("fill the masks", "填空") : pick("generate, one token at a time", "逐个词元生成")
  }

  func promptEditHelp(masked: Bool) -> String {
    masked
      ? pick("Type text with [MASK] where the model should fill in. enter: start · esc: close", "输入文本，在要填的地方写 [MASK]。enter 开始 · esc 关闭")
      : pick("Type a prompt. enter: see the next-token distribution · esc: close", "输入提示词。enter 查看下一个词元的分布 · esc 关闭")
  }

  func nextTokenHeader(masked: Bool, position: Int) -> String {
    masked
      ? pick("distribution at the first [MASK] (position \(position)):", "第一个 [MASK]（位置 \(position)）处的分布：")
      : pick("next-token distribution:", "下一个词元的分布：")
  }

  var helpTitle: String { pick("Keys", "按键") }
  /// After the scroll keys on the help's border: "↑/↓ PgUp/PgDn: scroll · other keys close".
  var helpScrollHint: String { pick(": scroll · other keys close", "：滚动 · 其他键关闭") }
  var mouseHelp: String {
    pick(
      "Mouse: click a lesson, a stage, a token or a choice; the wheel scrolls. Shift-drag still selects text in most terminals; nexttoken --no-mouse turns the mouse off.",
      "鼠标：点击课程、阶段、词元或选项；滚轮滚动。大多数终端里按住 Shift 拖动仍可选择文字；nexttoken --no-mouse 关闭鼠标。")
  }

  var browserTitle: String { pick("NextToken — how language models learn, one step at a time", "NextToken —— 一步一步看懂语言模型如何学习") }
  var brokenLessons: String { pick("could not be loaded:", "无法加载：") }
  var ownText: String { pick("Your own text", "你自己的文本") }
  var ownTextSummary: String { pick("Train on any text: a bundled corpus or a file of yours.", "用任意文本训练：自带语料或你自己的文件。") }
  var ownTextIntro: String {
    pick("Pick a text and a model; enter opens the lesson on it, with the built-in explanation of every stage. Your choices are remembered.",
         "选一段文本和一个模型；按 enter 用它打开课程，每个阶段都有内置讲解。你的选择会被记住。")
  }
  /// What the form does with the corpus now: "reading notes.txt".
  func corpusPhase(_ progress: CorpusProgress?) -> String {
    guard let progress else { return pick("opening", "正在打开") }
    switch progress.phase {
    case .reading: return pick("reading \(progress.name)", "正在读取 \(progress.name)")
    case .tokenizing: return pick("tokenizing \(progress.name)", "正在分词 \(progress.name)")
    case .counting: return pick("counting the tokens of \(progress.name)", "正在统计 \(progress.name) 的词元")
    }
  }

  /// How a typed corpus path is read, under the field.
  func typedPathRule(folder: String) -> String {
    let start = folder.isEmpty ? "" : pick(" from \(folder)", "相对于 \(folder)")
    let bound = "\(Corpus.largestFile / 1_000_000) MB"
    return pick(
      "a UTF-8 text file of at most \(bound); ~/ is your home folder, other paths start\(start)",
      "一个不超过 \(bound) 的 UTF-8 文本文件；~/ 是你的主目录，其他路径\(start.isEmpty ? "相对于当前文件夹" : start)")
  }

  var noLessons: String { pick("No lessons found.", "没有找到课程。") }
  var compareTitle: String { pick("CLM against MLM: the same network, two objectives", "CLM 对比 MLM：同一个网络，两种目标") }
  /// The compare sides' titles, the longest form first; every form keeps the mask's name.
  var causalSides: [String] {
    [pick("CLM — predict the next token (causal)", "CLM —— 预测下一个词元（因果）"),
     pick("CLM — next token (causal)", "CLM —— 下一个词元（因果）"), pick("CLM (causal)", "CLM（因果）")]
  }
  var maskedSides: [String] {
    [pick("MLM — recover masked tokens (bidirectional)", "MLM —— 还原被遮住的词元（双向）"),
     pick("MLM — masked tokens (bidirectional)", "MLM —— 被遮住的词元（双向）"), pick("MLM (bidirectional)", "MLM（双向）")]
  }
  var pressS: String { pick("Press s to step both, r to run both.", "按 s 两边各走一步，按 r 同时运行。") }
}

/// The words of watching a run: pace, milestones, history, the previous run.
extension Localized {
  var stepsLog: String { pick("steps (log)", "步数（对数）") }
  var paceWord: String { pick("pace", "速度") }
  func pace(_ pace: Pace) -> String {
    pace.rate.map { "\(paceWord) \($0)/s" } ?? pick("pace max", "速度 最快")
  }
  /// The milestone a run paused itself at, on the status line: "★ at step 680 (1.17)", its validation loss.
  func pausedAt(glyph: Character, step: Int, loss: Float?) -> String {
    let value = loss.map { String(format: "%.2f", Double($0)) }
    return pick("\(glyph) at step \(step)" + (value.map { " (\($0))" } ?? ""), "\(glyph) 第 \(step) 步" + (value.map { " (\($0))" } ?? ""))
  }
  /// The attention heatmap's legend: the masked cells, and the rows shown of all.
  var heatmapMasked: String { pick("masked", "掩码") }
  var heatmapRows: String { pick("rows", "行") }
  func history(step: Int) -> String { pick("history · step \(step)", "历史 · 第 \(step) 步") }
  var perplexity: String { pick("ppl", "困惑度") }
  var narrativeFolded: String { pick("(n: more)", "（n：展开）") }
  /// The same hint while n answers "no": the text unfolds with n once the question is answered.
  var narrativeFoldedAfterAnswer: String { pick("(more: n, after the answer)", "（回答后按 n 展开）") }

  func milestone(_ kind: MilestoneKind) -> String {
    switch kind {
    case .unigram: return unigram
    case .bigram: return bigram
    case .best: return pick("best", "最佳")
    case .diverged: return pick("diverged", "发散")
    }
  }

  /// Under a milestone's text when the learner changed the rate: the text describes the lesson's own run.
  func otherRateNote(lesson: Float, run: Float, changedAt step: Int?) -> String {
    if let step {
      return pick("(This text describes the lesson's run at lr \(Self.rate(lesson)) throughout; this run's rate changed at step \(step), so its steps and losses differ.)",
                  "（这段文字讲的是本课全程 lr \(Self.rate(lesson)) 的那次训练；这次在第 \(step) 步改了学习率，步数和损失都会不同。）")
    }
    return pick("(This text describes the lesson's run at lr \(Self.rate(lesson)); at lr \(Self.rate(run)) the steps and losses differ.)",
                "（这段文字讲的是本课 lr \(Self.rate(lesson)) 的那次训练；现在 lr 是 \(Self.rate(run))，步数和损失都会不同。）")
  }

  /// A learning rate as the lessons write it: 0.0025, 0.003, 0.5 (one significant digit, "2e-03", lost the 5).
  static func rate(_ rate: Float) -> String {
    let value = Double(rate)
    // %g writes 0.00006 as 6e-05 but 0.00015 as 0.00015; one lesson's rates show both, so small
    // rates are written out too, with the same three significant digits.
    guard value.isFinite, value != 0, abs(value) < 1e-4, abs(value) >= 1e-8 else { return String(format: "%.3g", value) }
    let decimals = 2 - Int(floor(log10(abs(value))))
    var text = String(format: "%.\(decimals)f", value)
    while text.hasSuffix("0") { text.removeLast() }
    return text
  }

  /// The dimmed curve's legend: what differed in the run before the restart.
  func previousRun(_ run: PreviousRun) -> String {
    let rates = run.learningRates.map(Self.rate).joined(separator: "→")
    return pick("last run (lr \(rates))", "重启前（lr \(rates)）")
  }
}
