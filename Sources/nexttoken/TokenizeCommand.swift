import ArgumentParser
import Curriculum
import Foundation
import Training

/// `nexttoken tokenize`: the ids a checkpoint's tokenizer gives a text.
struct TokenizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokenize",
    abstract: "Print the tokens a checkpoint's tokenizer cuts a text into, with their ids.")

  @Option(help: "A checkpoint written by `nexttoken train --out`.")
  var checkpoint: String

  @Option(help: "A UTF-8 text file (default: standard input).")
  var text: String?

  @Flag(help: "Print one JSON object: {\"ids\": [...], \"tokens\": [...]}.")
  var json = false

  @Flag(help: "Read the text as a question and print the chat prompt a fine-tuned (SFT) checkpoint answers: <|user|> text <|assistant|>. Without it, role tokens written in the text are read as role tokens.")
  var chat = false

  func run() throws {
    let saved = try Checkpoint.read(from: URL(fileURLWithPath: checkpoint))
    let data: Data
    if let text {
      guard let contents = FileManager.default.contents(atPath: text) else { throw CommandFailure("--text \(text): cannot read the file") }
      data = contents
    } else {
      data = FileHandle.standardInput.readDataToEndOfFile()
    }
    guard let string = String(data: data, encoding: .utf8) else {
      throw CommandFailure("\(text ?? "standard input") is not valid UTF-8 text")
    }
    let tokenizer = saved.tokenizer
    var ids = tokenizer.encode(string)
    if chat {
      guard let chatTokenizer = tokenizer.chat else {
        throw CommandFailure("\(checkpoint) is not fine-tuned for chat (it has no role tokens); --chat needs a checkpoint trained with --objective sft")
      }
      // The question as `generate --chat` reads it: spaces and newlines at its ends dropped.
      let question = string.trimmingCharacters(in: .whitespacesAndNewlines)
      if let role = ChatTemplate.roleToken(in: question) {
        throw CommandFailure("'\(role)' is a role token of the chat template and cannot be typed in a question (refused, not escaped)")
      }
      ids = chatTokenizer.template(prompt: question, response: nil).ids
    }
    if json {
      let tokens = ids.map { JSONText.quoted(tokenizer.token($0)) }
      print(#"{"ids":[\#(ids.map(String.init).joined(separator: ","))],"tokens":[\#(tokens.joined(separator: ","))]}"#)
    } else {
      for id in ids { print("\(id)\t\(tokenizer.displayToken(id))") }
    }
  }
}

/// JSON string literals for hand-written JSON lines.
enum JSONText {
  static func quoted(_ text: String) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
    let array = String(decoding: data, as: UTF8.self)
    return String(array.dropFirst().dropLast())
  }
}
