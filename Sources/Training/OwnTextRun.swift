import Curriculum
import Foundation

extension Lesson {
  /// The lesson for a run on the learner's own text, once the run passed `train`'s checks.
  ///
  /// Builds the run's data and model exactly as `train` does, so a bad corpus, a corpus
  /// too short for the context or an impossible model throws `train`'s one-line error. The
  /// lesson names its corpus by absolute path, so a checkpoint saved from it opens anywhere.
  ///
  /// `progress` hears how far reading and tokenizing got; answering false stops with `CorpusError.cancelled`.
  public static func ownText(
    run: RunConfiguration, language: Language, corporaDirectory: URL? = nil, progress: (CorpusProgress) -> Bool = { _ in true }
  ) throws -> Lesson {
    let trainer = try Trainer(configuration: run, corporaDirectory: corporaDirectory, evaluationInterval: 0, progress: progress)
    let path = try RunConfiguration.corpusPath(run.corpus, corporaDirectory: corporaDirectory)
    let corpus = Corpus(path: URL(fileURLWithPath: path).standardizedFileURL.path, text: trainer.corpusText)
    return ownText(
      corpus: corpus, objective: run.objective == .mlm ? .mlm : .clm, tokenizer: run.tokenizer,
      bpeMerges: run.bpeMerges,
      model: LessonModelSize(layers: run.layers, heads: run.heads, dim: run.dim, context: run.context, batch: run.batch),
      seed: run.seed, optimizer: run.optimizer == .sgd ? .sgd : .adamw, learningRate: Double(run.learningRate),
      warmupSteps: run.warmupSteps, language: language)
  }
}
