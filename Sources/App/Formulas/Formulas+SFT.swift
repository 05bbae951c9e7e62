import Curriculum

/// The labels stage of supervised fine-tuning: the next token, but only inside the answer.
extension Formulas {
  func sftLabelLines(_ at: FormulaFocus) -> [FormulaLine] {
    let i = at.position
    let T = trace.length
    let batch = trace.batch
    let length = batch.exampleLengths.indices.contains(at.row) ? batch.exampleLengths[at.row] : T
    let start = (0..<T).first { at.labels[$0] >= 0 } ?? T
    let count = at.labels.filter { $0 >= 0 }.count
    var lines = [
      FormulaLine(t("targets[i] = inputs[i+1] if that token is in the answer or is <|end|>, else −100",
                    "targets[i] = inputs[i+1]，若该词元属于回答或是 <|end|>；否则 −100"), .heading)
    ]
    if i >= length {
      lines.append(FormulaLine("targets[\(i)] = −100  (\(t("padding: position \(i) ≥ the example's \(length) tokens", "填充：位置 \(i) ≥ 例子的 \(length) 个词元")))", .result))
    } else if let target = at.target {
      lines.append(FormulaLine("targets[\(i)] = inputs[\(i + 1)] = \(target)  \(quoted(target))", .result))
    } else {
      let next = i + 1 < length ? quoted(at.inputs[i + 1]) : "—"
      lines.append(FormulaLine("targets[\(i)] = −100  (\(t("inputs[\(i + 1)] = \(next) is not the answer's: no loss", "inputs[\(i + 1)] = \(next) 不属于回答：不计损失")))", .result))
    }
    lines.append(FormulaLine(t("this row: positions \(start)…\(start + count - 1) carry loss, \(count) of T = \(T); the loss averages over them alone",
                               "这一行：位置 \(start)…\(start + count - 1) 计损失，T = \(T) 个中的 \(count) 个；损失只对它们求平均"), .note))
    lines.append(FormulaLine(t("padding is found by position (≥ \(length)), never by its token: <|end|> must stay a target",
                               "填充按位置（≥ \(length)）判断，而不是按词元：<|end|> 必须仍是目标"), .note))
    return lines
  }
}
