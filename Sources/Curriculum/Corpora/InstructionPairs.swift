import Foundation

/// One (prompt, response) pair of a fine-tuning corpus, and the line its `### user` is on.
public struct InstructionPair: Sendable, Equatable {
  public let prompt: String
  public let response: String
  /// 1-based line of the example's `### user` header.
  public let line: Int

  public init(prompt: String, response: String, line: Int) {
    self.prompt = prompt
    self.response = response
    self.line = line
  }
}

/// Why a fine-tuning corpus cannot be used, as one line naming the file and line.
public struct InstructionPairsError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// The text format of fine-tuning corpora: blocks of `### user` and `### assistant`.
///
///     ### user
///     What does the hen lay?
///     ### assistant
///     The hen lays an egg.
///
/// A `### user` line starts an example; the lines up to `### assistant` are its prompt,
/// and the lines after it up to a blank line (or the next `### user`, or the end of the
/// file) its response. Texts may span lines (joined with "\n"); spaces at their ends are
/// dropped. Blank lines separate examples; any other text outside a block, a header other
/// than these two, an example without a response, an empty prompt or response, and a
/// role token (`<|user|>`, `<|assistant|>`, `<|end|>`) typed inside a text are refused with
/// the line, so no learner text ever turns into a role token.
public enum InstructionPairs {
  public static let userHeader = "### user"
  public static let assistantHeader = "### assistant"

  /// Whether `text` looks like a fine-tuning corpus: its first non-blank line is `### user`.
  public static func looksLikePairs(_ text: String) -> Bool {
    text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) }
      .map { $0.trimmingCharacters(in: .whitespaces) == userHeader } ?? false
  }

  /// Reads every pair of `text`; `path` names the file in errors.
  public static func parse(_ text: String, path: String) throws(InstructionPairsError) -> [InstructionPair] {
    enum Part { case none, prompt, response }
    var pairs: [InstructionPair] = []
    var part = Part.none
    var start = 0
    var prompt: [String] = []
    var response: [String] = []
    func fail(_ line: Int, _ message: String) -> InstructionPairsError {
      InstructionPairsError("\(path):\(line): \(message)")
    }
    func finish(at line: Int) throws(InstructionPairsError) {
      switch part {
      case .none: return
      case .prompt:
        throw fail(start, "the example has no response: expected '\(assistantHeader)' and the answer after its prompt")
      case .response:
        let promptText = prompt.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let responseText = response.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if promptText.isEmpty { throw fail(start, "the prompt is empty: expected the user's text after '\(userHeader)'") }
        if responseText.isEmpty { throw fail(start, "the response is empty: expected the answer after '\(assistantHeader)'") }
        pairs.append(InstructionPair(prompt: promptText, response: responseText, line: start))
        part = .none
      }
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, raw) in lines.enumerated() {
      let number = index + 1
      let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed == userHeader {
        try finish(at: number)
        (part, start, prompt, response) = (.prompt, number, [], [])
        continue
      }
      if trimmed == assistantHeader {
        guard part == .prompt else {
          throw fail(number, part == .none
            ? "'\(assistantHeader)' without a '\(userHeader)' before it"
            : "a second '\(assistantHeader)' in one example; start the next with '\(userHeader)'")
        }
        part = .response
        continue
      }
      if trimmed.hasPrefix("###") {
        throw fail(number, "unknown header '\(trimmed)', expected '\(userHeader)' or '\(assistantHeader)'")
      }
      if let role = ChatTemplate.roleToken(in: line) {
        throw fail(number, "'\(role)' is a role token of the chat template; it cannot be typed inside a prompt or response (refused, not escaped)")
      }
      if trimmed.isEmpty {
        // A blank line ends a response; inside a prompt it is part of the text.
        if part == .response { try finish(at: number) } else if part == .prompt { prompt.append(line) }
        continue
      }
      switch part {
      case .none: throw fail(number, "text outside an example, expected '\(userHeader)' to start one")
      case .prompt: prompt.append(line)
      case .response: response.append(line)
      }
    }
    try finish(at: lines.count)
    if pairs.isEmpty { throw InstructionPairsError("\(path): no examples, expected blocks of '\(userHeader)' and '\(assistantHeader)'") }
    return pairs
  }
}

/// Fine-tuning examples in the chat template, ready to be cut into batches.
public struct SFTExample: Sendable, Equatable {
  /// `<|user|>` prompt `<|assistant|>` response `<|end|>`.
  public let tokens: [Int32]
  /// The index of the response's first token in `tokens` (just after `<|assistant|>`).
  public let responseStart: Int
  /// The line of the example's `### user`.
  public let line: Int

  public init(tokens: [Int32], responseStart: Int, line: Int) {
    self.tokens = tokens
    self.responseStart = responseStart
    self.line = line
  }

  /// The labels of a window of `length` holding this example: tokens[i + 1] where that
  /// token is in the response or is its `<|end|>` (every next token when `maskPrompt` is
  /// false), −100 elsewhere, padding included: by position, never by token id.
  public func labels(length: Int, maskPrompt: Bool) -> [Int32] {
    var labels = [Int32](repeating: Batch.ignoredLabel, count: length)
    let first = maskPrompt ? responseStart : 1
    for target in max(1, first)..<min(tokens.count, length + 1) {
      labels[target - 1] = tokens[target]
    }
    return labels
  }
}

extension InstructionPairs {
  /// The examples of `pairs` in `tokenizer`'s template, each checked to fit `context`
  /// tokens and to hold only text the base vocabulary knows (refused with file:line).
  public static func examples(
    _ pairs: [InstructionPair], tokenizer: ChatTokenizer, context: Int, path: String
  ) throws(InstructionPairsError) -> [SFTExample] {
    var examples: [SFTExample] = []
    examples.reserveCapacity(pairs.count)
    for pair in pairs {
      for (what, text) in [("prompt", pair.prompt), ("response", pair.response)] {
        if let unknown = tokenizer.base.firstUnknownPiece(in: text) {
          let kindName = tokenizer.kind == .char ? "character" : "word"
          throw InstructionPairsError(
            "\(path):\(pair.line): the \(what) has the \(kindName) '\(TokenDisplay.visible(unknown.text))', which the base model's vocabulary lacks (refused; pairs may use only what the base was trained on)")
        }
      }
      let (ids, start) = tokenizer.template(prompt: pair.prompt, response: pair.response)
      guard ids.count <= context else {
        throw InstructionPairsError(
          "\(path):\(pair.line): the example is \(ids.count) tokens in the chat template, longer than the context of \(context) (refused, not truncated); shorten it or use a longer --context")
      }
      let example = SFTExample(tokens: ids, responseStart: start, line: pair.line)
      // Unreachable while responses are non-empty; kept so a batch can never average over nothing.
      guard example.labels(length: context, maskPrompt: true).contains(where: { $0 != Batch.ignoredLabel }) else {
        throw InstructionPairsError("\(path):\(pair.line): the example has no labelled token, so its batch would have no loss")
      }
      examples.append(example)
    }
    return examples
  }

  /// The text of every prompt and response, one per line: what a tokenizer for the pairs learns from.
  public static func plainText(_ pairs: [InstructionPair]) -> String {
    pairs.map { $0.prompt + "\n" + $0.response + "\n" }.joined()
  }
}
