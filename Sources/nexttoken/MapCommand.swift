import App
import ArgumentParser
import Curriculum
import Foundation
import Model
import TermUI
import Training

/// `nexttoken map`: a checkpoint's token embeddings projected to 2-D by PCA, drawn or as JSON.
struct MapCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "map",
    abstract: "Draw a checkpoint's token embeddings (wte) projected on their two principal axes.",
    discussion: """
      The rows of wte are centred and projected on the top two eigenvectors of their \
      covariance (PCA); each axis points so that the token farthest along it is positive. \
      The drawing labels the tokens the corpus uses most (the corpus is read again when it \
      can be found). --json prints one object per token, {"id", "token", "x", "y"}, for \
      checking against a PCA of your own.
      """)

  @Option(help: "A checkpoint written by `nexttoken train --out` or saved with w.")
  var checkpoint: String

  @Flag(help: "Print one JSON object per token instead of the drawing.")
  var json = false

  @Option(help: "Columns of the drawing.")
  var width = 80

  @Option(help: "Rows of the drawing.")
  var height = 24

  @Flag(name: .customLong("ascii"), help: "Draw with block characters instead of braille.")
  var ascii = false

  @Option(help: "A token to pick (its text, e.g. a or ␣ for a space): the drawing lists its nearest neighbours by cosine similarity.")
  var pick: String?

  func validate() throws {
    guard (20...1000).contains(width) else { throw ValidationError("--width \(width): expected 20…1000 columns") }
    guard (6...1000).contains(height) else { throw ValidationError("--height \(height): expected 6…1000 rows") }
  }

  func run() throws {
    let url = URL(fileURLWithPath: checkpoint)
    let saved = try Checkpoint.read(from: url)
    let model = saved.model()
    // Frequencies choose the labels; without the corpus every ordinary token counts once.
    let counts: [Int]
    if let trainer = try? Checkpoint.load(from: url, evaluationInterval: 0) {
      counts = trainer.tokenCounts
    } else {
      counts = (0..<saved.config.vocabSize).map { saved.tokenizer.isSpecial(Int32($0)) ? 0 : 1 }
    }
    var picked: Int32?
    if let pick {
      let tokenizer = saved.tokenizer
      picked = (0..<Int32(tokenizer.vocabSize)).first { tokenizer.displayToken($0) == pick || tokenizer.token($0) == pick }
      guard picked != nil else { throw ValidationError("--pick \(pick): no such token in the checkpoint's vocabulary") }
    }
    let map: EmbeddingMap
    do {
      map = try EmbeddingMap(model: model, counts: counts, step: saved.step, request: EmbeddingMapRequest(picked: picked), fitLimit: Int.max)
    } catch {
      throw CommandFailure("\(checkpoint): \(error.description)")
    }
    if json {
      var out = ""
      for (index, token) in map.tokens.enumerated() {
        out += #"{"id":\#(token),"token":\#(JSONText.quoted(saved.tokenizer.token(token))),"x":\#(map.x[index]),"y":\#(map.y[index])}"# + "\n"
      }
      FileHandle.standardOutput.write(Data(out.utf8))
    } else {
      let language: Language = saved.run.corpus.contains(".zh") ? .zh : .en
      let lines = EmbeddingMapPicture.lines(map: map, tokenizer: saved.tokenizer, size: Size(width: width, height: height), language: language, usesBraille: !ascii)
      print(lines.joined(separator: "\n"))
    }
  }
}

/// `nexttoken bpe`: the merges a BPE tokenizer learns from a corpus, in order.
struct BPECommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bpe",
    abstract: "List the merges byte-pair encoding learns from a corpus, in the order it learns them.",
    discussion: """
      The same training as `train --tokenizer bpe --bpe-merges N`: the text is cut into \
      chunks (words with their leading space, digit runs, symbol runs, whitespace), and \
      each merge joins the most frequent adjacent pair inside a chunk. Each line gives the \
      rank, the two ids joined, the new token, how often the pair occurred, and the text's \
      length in tokens after the merge. Fewer merges come back when no pair occurs twice.
      """)

  @Option(help: "A UTF-8 text file, or the name of a bundled corpus.")
  var corpus: String

  @Option(help: "How many merges to learn (default: \(BPETokenizer.defaultMerges)).")
  var merges = BPETokenizer.defaultMerges

  @Flag(help: "Print one JSON object per merge: {\"rank\", \"left\", \"right\", \"token\", \"count\", \"tokens_after\"}.")
  var json = false

  func validate() throws {
    try checkSize(.merges, merges, flag: "--merges")
  }

  func run() throws {
    let text = try Corpus.load(path: RunConfiguration.corpusPath(corpus)).text
    let tokenizer = BPETokenizer.train(text: text, merges: merges)
    var out = ""
    if !json {
      out += "rank  left  right  token            count  tokens after\n"
    }
    for row in MergeReplay.table(tokenizer: tokenizer, text: text) {
      let merge = row.merge
      if json {
        out += #"{"rank":\#(merge.rank),"left":\#(merge.left),"right":\#(merge.right),"token":\#(JSONText.quoted(tokenizer.token(merge.merged))),"count":\#(merge.count),"tokens_after":\#(row.tokensAfter)}"# + "\n"
      } else {
        let shown = tokenizer.displayToken(merge.merged)
        let pad = String(repeating: " ", count: max(1, 16 - displayWidth(of: shown)))
        out += String(format: "%4d  %4d  %5d  ", merge.rank, merge.left, merge.right) + shown + pad + String(format: "%6d  %12d", merge.count, row.tokensAfter) + "\n"
      }
    }
    FileHandle.standardOutput.write(Data(out.utf8))
  }
}
