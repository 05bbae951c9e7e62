import Curriculum
import TermUI

/// Seeing the run organise, from the lesson view: the live embedding map and the BPE merges.
extension LessonScreen {
  /// `m` the embedding map; `b` the BPE merges (a one-line note on a lesson that is not BPE).
  func organiseKeys(_ L: Localized) -> [KeyBinding<Action>] {
    [
      KeyBinding([.char("m")], shown: "m", label: L.pick("map", "地图"), help: L.pick("embedding map: wte in 2-D (PCA), live, with nearest neighbours", "嵌入地图：wte 的二维投影（PCA），实时更新，含最近邻"), priority: 3, action: .map),
      KeyBinding([.char("b")], shown: "b", label: "BPE", help: L.pick("BPE: the tokenizer's merges replayed one by one on the text", "BPE：在文本上逐次重放分词器的合并"), priority: plan.run.tokenizer == .bpe ? 3 : nil, action: .merges),
    ]
  }

  mutating func performOrganise(_ action: Action) -> [Effect] {
    let L = Localized(language)
    switch action {
    case .map:
      // The map reads token names through the tokenizer, which arrives with the session's data.
      guard let tokenizer = snapshot.tokenizer else {
        note = L.mapNeedsModel
        return []
      }
      return [.push(MapScreen(plan: plan, session: session, tokenizer: tokenizer, snapshot: snapshot))]
    case .merges:
      guard (snapshot.tokenizer?.kind ?? plan.run.tokenizer) == .bpe else {
        note = L.mergeNeedsBPE
        return []
      }
      return [.push(MergeScreen(plan: plan, session: session))]
    default:
      return []
    }
  }
}
