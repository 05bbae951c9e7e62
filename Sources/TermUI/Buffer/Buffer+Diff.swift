extension Buffer {
  /// The cells that differ from `previous`, in row-major order.
  ///
  /// Continuation cells are never reported: drawing a wide grapheme covers
  /// them. When the sizes differ every cell is reported.
  public func diff(from previous: Buffer) -> [CellChange] {
    var changes: [CellChange] = []
    let width = area.width
    if previous.area != area {
      changes.reserveCapacity(cells.count)
      for (i, cell) in cells.enumerated() where !cell.isContinuation {
        changes.append(CellChange(x: area.x + i % width, y: area.y + i / width, cell: cell))
      }
      return changes
    }
    cells.withUnsafeBufferPointer { now in
      previous.cells.withUnsafeBufferPointer { before in
        var i = 0
        let count = now.count
        while i < count {
          let cell = now[i]
          if cell != before[i] {
            if cell.isContinuation {
              // The lead was unchanged but what it covers changed: redraw the lead.
              if i % width != 0, now[i - 1].width == 2, now[i - 1] == before[i - 1] {
                changes.append(CellChange(x: area.x + (i - 1) % width, y: area.y + (i - 1) / width, cell: now[i - 1]))
              }
            } else {
              changes.append(CellChange(x: area.x + i % width, y: area.y + i / width, cell: cell))
            }
          }
          i += 1
        }
      }
    }
    return changes
  }
}
