import Curriculum
import TermUI

/// Seeing the run organise, from the lesson view: the live embedding map and the BPE merges.
extension LessonScreen {
  /// `m` the embedding map; `b` the BPE merges (a one-line note on a lesson that is not BPE).
  func organiseKeys(_ L: Localized) -> [KeyBinding<LessonAction>] {
    [
      KeyBinding([.char("m")], shown: "m", label: L.pick("map", "地图"), help: L.pick("embedding map: wte in 2-D (PCA), live, with nearest neighbours", "嵌入地图：wte 的二维投影（PCA），实时更新，含最近邻"), priority: 3, action: .map),
      KeyBinding([.char("b")], shown: "b", label: "BPE", help: L.pick("BPE: the tokenizer's merges replayed one by one on the text", "BPE：在文本上逐次重放分词器的合并"), priority: plan.run.tokenizer == .bpe ? 3 : nil, action: .merges),
    ]
  }

  /// `m`: the embedding map, once the tokenizer it names tokens with has arrived.
  mutating func openMap() -> [Effect] {
    guard let tokenizer = snapshot.tokenizer else {
      note = Localized(language).mapNeedsModel
      return []
    }
    return [.push(MapScreen(plan: plan, session: session, tokenizer: tokenizer, snapshot: snapshot))]
  }

  /// `b`: the BPE merges replayed, on a BPE lesson.
  mutating func openMerges() -> [Effect] {
    guard (snapshot.tokenizer?.kind ?? plan.run.tokenizer) == .bpe else {
      note = Localized(language).mergeNeedsBPE
      return []
    }
    return [.push(MergeScreen(plan: plan, session: session))]
  }
}
