import Curriculum
import Foundation
import Training

/// The words of the embedding map and the BPE view.
extension Localized {
  // MARK: The embedding map

  var mapScreenTitle: String { pick("Embedding map", "嵌入地图") }
  var mapTitle: String { pick("wte projected on its two principal axes (PCA)", "wte 投影到两个主成分轴上（PCA）") }
  var mapWaiting: String { pick("projecting the embeddings…", "正在投影嵌入向量…") }
  var mapPickHint: String { pick("←/→ picks a token to see its nearest neighbours", "←/→ 选一个词元，看它最近的邻居") }

  /// The map's header, the longest form first: how many tokens are not drawn is said more briefly where room runs short.
  func mapHeaders(step: Int, explained: (Double, Double), tokens: Int, unseen: Int) -> [String] {
    let x = String(format: "%.0f%%", 100 * explained.0), y = String(format: "%.0f%%", 100 * explained.1)
    let facts = pick("step \(step) · V \(tokens) · axes: \(x) + \(y) of the variance", "第 \(step) 步 · V \(tokens) · 两轴占方差 \(x) + \(y)")
    guard unseen > 0 else { return [facts] }
    return [
      facts + pick(" · \(unseen) unseen in the text, not drawn", " · \(unseen) 个未在文本中出现，未画出"),
      facts + pick(" · \(unseen) unseen, not drawn", " · \(unseen) 个未出现，未画出"),
    ]
  }

  func mapNeighbours(picked: String, list: String) -> String {
    pick("picked \(picked) · nearest by cosine: \(list)", "选中 \(picked) · 余弦最近：\(list)")
  }

  func mapTooSmall(_ problem: EmbeddingMapProblem) -> String {
    pick("No map: it needs at least 3 tokens and 2 dimensions; this model has \(problem.vocabulary) tokens of \(problem.dim).",
         "无法画地图：至少需要 3 个词元和 2 维；这个模型只有 \(problem.vocabulary) 个词元、\(problem.dim) 维。")
  }

  var mapNeedsModel: String { pick("the model is still loading: m opens the map once it is ready", "模型仍在加载：就绪后按 m 打开地图") }

  // MARK: The BPE view

  var mergeScreenTitle: String { pick("BPE, merge by merge", "BPE，一次合并一步") }
  var mergeWaiting: String { pick("replaying the merges on the text…", "正在文本上重放合并…") }
  var mergeTextTitle: String { pick("the text: ┊ chunk break · highlight new token · underline next pair", "文本：┊ 块边界 · 高亮为新词元 · 下划线为下一对") }
  var mergeRecent: String { pick("newest tokens: ", "最新词元：") }

  func mergeNotBPE(_ tokenizer: String) -> String {
    pick("No BPE merges to show: this lesson uses the \(tokenizer) tokenizer, not bpe.",
         "没有 BPE 合并可看：这一课用的是 \(tokenizer) 分词器，不是 bpe。")
  }

  func mergeLast(rank: Int, of total: Int, left: String, right: String, merged: String, id: Int, count: Int) -> String {
    pick("merge \(rank) of \(total): \(left) + \(right) → \(merged) (id \(id)), joined \(count) times",
         "第 \(rank)/\(total) 次合并：\(left) + \(right) → \(merged)（id \(id)），合并了 \(count) 处")
  }

  func mergeBytesOnly(merges: Int) -> String {
    pick("bytes only: 256 tokens, before any of the \(merges) merges", "只有字节：256 个词元，\(merges) 次合并都还没做")
  }

  func mergeCounts(bytes: Int, tokens: Int, saved: Double, merges: Int) -> String {
    // Before a merge joins anything there is nothing saved: "(−0.0%)" would say so wrongly signed.
    guard tokens < bytes else {
      return pick("the text: \(bytes) bytes → \(tokens) tokens, one per byte · V = 256 + \(merges) + [MASK]",
                  "文本：\(bytes) 字节 → \(tokens) 个词元，每字节一个 · V = 256 + \(merges) + [MASK]")
    }
    return pick("the text: \(bytes) bytes → \(tokens) tokens (−\(String(format: "%.1f", saved))%) · V = 256 + \(merges) + [MASK]",
         "文本：\(bytes) 字节 → \(tokens) 个词元（−\(String(format: "%.1f", saved))%）· V = 256 + \(merges) + [MASK]")
  }

  func mergeNext(left: String, right: String, count: Int) -> String {
    pick("next: \(left) + \(right), the most frequent pair (\(count) times)", "下一次：\(left) + \(right)，最常见的一对（\(count) 次）")
  }

  func mergeDone(merges: Int, vocabulary: Int) -> String {
    pick("all \(merges) merges applied: V = \(vocabulary), the vocabulary the model trains with",
         "\(merges) 次合并全部完成：V = \(vocabulary)，正是模型训练用的词表")
  }

  func mergeRestarted(merges: Int, was: Int, vocabulary: Int) -> String {
    pick("Restarted the run at step 0 with \(merges) merges (not \(was)): V = \(vocabulary), a new model.",
         "已从第 0 步重新训练，用 \(merges) 次合并（不是 \(was) 次）：V = \(vocabulary)，是新模型。")
  }

  func mergeAlreadyAll(_ merges: Int) -> String {
    pick("The model already trains with all \(merges) merges; step back (←) to train with fewer.",
         "模型已经在用全部 \(merges) 次合并训练；按 ← 退回几步，可以用更少的合并训练。")
  }

  var mergeCheckpointFixed: String {
    pick("A checkpoint's vocabulary is fixed: its weights were trained with it.", "检查点的词表是固定的：它的权重就是用这个词表训练的。")
  }

  var mergeNeedsBPE: String {
    pick("b replays BPE merges; this lesson's tokenizer is not bpe", "b 用来重放 BPE 合并；这一课的分词器不是 bpe")
  }
}
