/// The chat template of supervised fine-tuning and its three role tokens.
///
/// One example is `<|user|>` prompt `<|assistant|>` response `<|end|>`, with nothing
/// between the pieces: the role tokens mark where each part starts and ends, and
/// `<|end|>` is what a fine-tuned model says when its answer is done.
public enum ChatTemplate {
  public static let user = "<|user|>"
  public static let assistant = "<|assistant|>"
  public static let end = "<|end|>"
  /// The role tokens in id order: they follow the base tokenizer's ids.
  public static let roles = [user, assistant, end]

  /// The first role token written inside `text`, if any.
  public static func roleToken(in text: String) -> String? {
    var first: (String, String.Index)?
    for role in roles {
      if let range = text.range(of: role), first.map({ range.lowerBound < $0.1 }) ?? true { first = (role, range.lowerBound) }
    }
    return first?.0
  }

  /// The template as a transformers chat template (Jinja): a user turn is `<|user|>` and its
  /// text; an assistant turn `<|assistant|>`, its text and `<|end|>`; the generation prompt `<|assistant|>`.
  public static let jinja =
    "{% for message in messages %}{% if message['role'] == 'user' %}{{ '<|user|>' + message['content'] }}"
    + "{% elif message['role'] == 'assistant' %}{{ '<|assistant|>' + message['content'] + '<|end|>' }}{% endif %}"
    + "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
}

/// A tokenizer extended with the chat template's role tokens, for supervised fine-tuning.
///
/// The base tokenizer's ids are unchanged; `<|user|>`, `<|assistant|>` and `<|end|>` take
/// the next three ids, so a pre-trained model grows its embedding by three rows and
/// keeps every other. The role tokens are special: sampling never draws them, except
/// `<|end|>` when a chat answer may stop. `encode` reads a role token's name in text as
/// that token (as transformers does with added tokens); prompts and corpus texts are
/// refused when they contain one, so no learner text ever turns into a role token.
public struct ChatTokenizer: Tokenizer {
  /// The tokenizer that was extended.
  public let base: any Tokenizer

  /// Extends `base`; a tokenizer that already is a `ChatTokenizer` keeps its own base.
  public init(base: any Tokenizer) {
    self.base = (base as? ChatTokenizer)?.base ?? base
  }

  public var kind: TokenizerKind { base.kind }
  public var vocabSize: Int { base.vocabSize + ChatTemplate.roles.count }
  public var ordinaryCount: Int { base.ordinaryCount }
  public var maskID: Int32 { base.maskID }
  public var unknownID: Int32? { base.unknownID }
  /// The id of `<|user|>`.
  public var userID: Int32 { Int32(base.vocabSize) }
  /// The id of `<|assistant|>`.
  public var assistantID: Int32 { Int32(base.vocabSize + 1) }
  /// The id of `<|end|>`: the end of an answer, and the run's end-of-sequence token.
  public var endID: Int32 { Int32(base.vocabSize + 2) }

  /// The ids of one example in the template: the prompt's tokens after `<|user|>`, then
  /// `<|assistant|>`, the response's tokens and `<|end|>` (without them when `response` is nil:
  /// the prompt a chat answers).
  public func template(prompt: String, response: String?) -> (ids: [Int32], responseStart: Int) {
    var ids = [userID] + base.encode(prompt) + [assistantID]
    let start = ids.count
    if let response { ids += base.encode(response) + [endID] }
    return (ids, start)
  }

  /// Whether `id` is one of the three role tokens.
  public func isRole(_ id: Int32) -> Bool { id >= userID && Int(id) < vocabSize }

  public func encode(_ text: String) -> [Int32] {
    var ids: [Int32] = []
    var rest = Substring(text)
    while !rest.isEmpty {
      var next: (range: Range<Substring.Index>, id: Int32)?
      for (offset, role) in ChatTemplate.roles.enumerated() {
        if let range = rest.range(of: role), next.map({ range.lowerBound < $0.range.lowerBound }) ?? true {
          next = (range, userID + Int32(offset))
        }
      }
      guard let next else {
        ids += base.encode(String(rest))
        break
      }
      ids += base.encode(String(rest[..<next.range.lowerBound]))
      ids.append(next.id)
      rest = rest[next.range.upperBound...]
    }
    return ids
  }

  public func decode(_ ids: [Int32]) -> String {
    // Runs of base ids are decoded together, so a BPE character split over tokens stays whole.
    var text = ""
    var run: [Int32] = []
    for id in ids {
      if isRole(id) {
        text += base.decode(run) + token(id)
        run.removeAll()
      } else {
        run.append(id)
      }
    }
    return text + base.decode(run)
  }

  public func token(_ id: Int32) -> String {
    isRole(id) ? ChatTemplate.roles[Int(id - userID)] : base.token(id)
  }

  /// The base's JSON: a checkpoint whose objective is SFT extends it again when read.
  public func serialized() -> String { base.serialized() }
}

extension Tokenizer {
  /// This tokenizer as a chat tokenizer, if it has the role tokens.
  public var chat: ChatTokenizer? { self as? ChatTokenizer }
}
