/// How far preparing a corpus has got: reading the file, then building the tokenizer,
/// cutting the text into tokens and counting them.
///
/// Handed to a progress handler that answers false to stop the work; the work then
/// throws `CorpusError.cancelled`.
public struct CorpusProgress: Sendable, Equatable {
  public enum Phase: String, Sendable, Equatable, CaseIterable {
    case reading, tokenizing, counting
  }

  public let phase: Phase
  /// The file's name, without its folder.
  public let name: String
  /// What is done of the phase, out of `total` (bytes when reading; the phase's parts otherwise).
  public let done: Int
  public let total: Int

  public init(phase: Phase, name: String, done: Int, total: Int) {
    self.phase = phase
    self.name = name
    self.done = done
    self.total = total
  }

  /// The share of the whole preparation done, 0...1: reading weighs a tenth, tokenizing
  /// most of the rest (measured: building the tokenizer and encoding dominate).
  public var fraction: Double {
    let part = total > 0 ? min(1, Double(done) / Double(total)) : 0
    switch phase {
    case .reading: return 0.1 * part
    case .tokenizing: return 0.1 + 0.8 * part
    case .counting: return 0.9 + 0.1 * part
    }
  }
}
