import Yams

/// The front matter that shapes a live run: `pace:` and `pause_at:`, and their sections.
extension LessonParser {
  /// A pace from `pace: 10`, `pace: 10/s` or `pace: max`, or nil after reporting the choices.
  mutating func pace(_ entry: (line: Int, value: Node)) -> Pace? {
    let valueLine = line(of: entry.value, fallback: entry.line)
    guard case .scalar(let scalar) = entry.value, !isNull(scalar) else {
      report(valueLine, "field 'pace' must be one of \(Pace.choiceNames) (steps a second), found \(kindName(entry.value))")
      return nil
    }
    guard let pace = Pace(parsing: scalar.string) else {
      report(valueLine, "unknown pace '\(scalar.string)'; expected one of \(Pace.choiceNames) (steps a second)")
      return nil
    }
    return pace
  }

  /// The milestones of `pause_at: [bigram, best]`, each once, in the order a run reaches them.
  mutating func milestoneList(_ entry: (line: Int, value: Node)) -> [(milestone: MilestoneKind, line: Int)]? {
    let allowed = MilestoneKind.allCases.map(\.rawValue).joined(separator: ", ")
    guard case .sequence(let sequence) = entry.value else {
      report(line(of: entry.value, fallback: entry.line), "field 'pause_at' must be a list like [bigram, best], found \(kindName(entry.value))")
      return nil
    }
    var milestones: [(milestone: MilestoneKind, line: Int)] = []
    var isValid = true
    for item in sequence {
      let itemLine = line(of: item, fallback: entry.line)
      guard case .scalar(let scalar) = item, let milestone = MilestoneKind(rawValue: scalar.string.trimmingWhitespace()) else {
        report(itemLine, "unknown milestone \(kindName(item)) in 'pause_at'; expected one of \(allowed)")
        isValid = false
        continue
      }
      if milestones.contains(where: { $0.milestone == milestone }) {
        report(itemLine, "milestone '\(milestone.rawValue)' is listed twice in 'pause_at'")
        isValid = false
        continue
      }
      milestones.append((milestone, itemLine))
    }
    return isValid ? milestones.sorted { $0.milestone < $1.milestone } : nil
  }

  /// Every paused-at milestone has its `## at …` section, and every such section is shown.
  mutating func checkMilestoneSections(_ sections: [LessonSection], pauseAt: [(milestone: MilestoneKind, line: Int)]) {
    for (milestone, line) in pauseAt where !sections.contains(where: { $0.milestone == milestone }) {
      report(line, "milestone '\(milestone.rawValue)' is listed in 'pause_at' but has no '## \(milestone.sectionName)' section")
    }
    for section in sections {
      guard let milestone = section.milestone, !pauseAt.contains(where: { $0.milestone == milestone }) else { continue }
      report(section.line, "section '## \(section.name)' is never shown: add '\(milestone.rawValue)' to 'pause_at'")
    }
  }
}
