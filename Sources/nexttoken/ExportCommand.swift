import ArgumentParser
import Foundation
import Training

/// `nexttoken export`: a checkpoint as a folder that Hugging Face transformers opens.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a CLM checkpoint as a Hugging Face model folder (transformers' from_pretrained opens it).",
    discussion: """
      The folder holds config.json (GPT-2), model.safetensors, generation_config.json and the \
      tokenizer (tokenizer.json, tokenizer_config.json, special_tokens_map.json), which cuts text \
      into the same ids as NextToken. In Python:
        from transformers import pipeline
        generate = pipeline("text-generation", model="DIR")
        print(generate("The river", max_new_tokens=50)[0]["generated_text"])
      """)

  @Option(help: "A CLM checkpoint written by `nexttoken train --out`.")
  var checkpoint: String

  @Option(help: "The folder to write (created; must be new or empty unless --force). A symlink to a folder is written through.")
  var out: String

  @Flag(help: "Replace --out's contents if it is a folder that is not empty (never the folder holding --checkpoint, the current folder or its parents, nor a folder you could not empty yourself).")
  var force = false

  func run() throws {
    let trainer = try Checkpoint.loadModel(from: URL(fileURLWithPath: checkpoint))
    let caveats: [String]
    do {
      caveats = try HuggingFaceExport.export(
        trainer, to: URL(fileURLWithPath: out), replacing: force, input: URL(fileURLWithPath: checkpoint))
    } catch {
      throw CommandFailure(trainer.isCausal ? "--out \(error)" : "\(checkpoint): \(error)")
    }
    for caveat in caveats { FileHandle.standardError.write("note: \(caveat)\n") }
    let folder = out.count > 1 && out.hasSuffix("/") ? String(out.dropLast()) : out
    print("Exported \(checkpoint) to \(folder)/ (\(HuggingFaceExport.fileNames.joined(separator: ", ")))")
  }
}
