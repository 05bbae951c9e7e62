import Foundation

/// A fresh folder under the system's temporary directory, removed when released.
public final class TemporaryDirectory {
  public let url: URL

  public init(prefix: String = "nexttoken-test") throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(at: url)
  }

  /// Writes `text` as UTF-8 to `name` (folders in the name are created) and returns its URL.
  @discardableResult
  public func write(_ name: String, _ text: String) throws -> URL {
    try write(name, bytes: Array(text.utf8))
  }

  /// Writes raw bytes to `name` and returns its URL.
  @discardableResult
  public func write(_ name: String, bytes: [UInt8]) throws -> URL {
    let file = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: file)
    return file
  }

  /// Creates a sub-folder and returns its URL.
  @discardableResult
  public func makeFolder(_ name: String) throws -> URL {
    let folder = url.appendingPathComponent(name, isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }
}

/// Small lesson and corpus texts that do not depend on the real `Corpora` and `Lessons`.
public enum CurriculumFixtures {
  /// A tiny English corpus: a few hundred word tokens, enough for context 8.
  public static let tinyCorpus: String = {
    let animals = ["cat", "dog", "fox", "owl", "hen", "cow"]
    let places = ["mat", "log", "rug", "box", "hill", "barn"]
    var lines: [String] = []
    for (index, animal) in animals.enumerated() {
      for offset in 0..<places.count {
        let place = places[(index + offset) % places.count]
        lines.append("The \(animal) sat on the \(place).")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }()

  /// A valid English lesson whose corpus is `corpus`; `replacing` swaps whole lines of
  /// the front matter (by key) and `sections` replaces the body.
  public static func lesson(
    id: String = "tiny", lang: String = "en", order: Int = 1, corpus: String = "tiny.txt",
    frontMatter overrides: [String: String?] = [:], sections: String? = nil
  ) -> String {
    var fields: [(String, String)] = [
      ("id", id), ("lang", lang), ("order", "\(order)"), ("title", "A tiny lesson"),
      ("summary", "Labels from the text itself."), ("objective", "clm"), ("corpus", corpus),
      ("tokenizer", "word"),
      ("model", "\n  layers: 1\n  heads: 2\n  dim: 16\n  context: 8\n  batch: 4"),
      ("seed", "42"), ("optimizer", "adamw"), ("learning_rate", "0.003"), ("warmup_steps", "10"),
      ("stages", "[tokenize, labels]"), ("prompt", "\"The cat\""),
    ]
    for (key, value) in overrides {
      if let index = fields.firstIndex(where: { $0.0 == key }) {
        if let value { fields[index].1 = value } else { fields.remove(at: index) }
      } else if let value {
        fields.append((key, value))
      }
    }
    let front = fields.map { key, value in value.hasPrefix("\n") ? "\(key):\(value)" : "\(key): \(value)" }
    let body = sections ?? """
      ## intro
      Press **space** to see the next stage.

      ## tokenize
      The text becomes `tokens`.

      ## labels
      Each label is the next token.

      ## run
      Press r to run.
      """
    return "---\n" + front.joined(separator: "\n") + "\n---\n\n" + body + "\n"
  }
}
