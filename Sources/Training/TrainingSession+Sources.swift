import Curriculum
import Model
import Foundation

/// Where a session's run comes from (a corpus, text in memory, a checkpoint), and keeping it.
extension TrainingSession {
  /// Builds the model and data on the session's queue; `snapshot` reports failures.
  ///
  /// A fine-tuning run whose base is pre-trained first keeps that base in `bases` (the app:
  /// `UserFolders.bases`) and uses it again; with nil it pre-trains the base on every build.
  public convenience init(
    configuration: RunConfiguration, prompt: String = "", label: String = "session", corporaDirectory: URL? = nil, bases: URL? = nil
  ) {
    self.init(configuration: configuration, prompt: prompt, label: label, source: .corpus(corporaDirectory, bases: bases))
  }

  /// A session whose commands run on `queue` (tests: the caller's thread).
  package convenience init(
    configuration: RunConfiguration, prompt: String, label: String, corporaDirectory: URL?, bases: URL?, queue: SessionQueue
  ) {
    self.init(configuration: configuration, prompt: prompt, label: label, source: .corpus(corporaDirectory, bases: bases), queue: queue)
  }

  /// A session that trains on `text` rather than a corpus file (benchmarks and tests).
  public convenience init(configuration: RunConfiguration, text: String, prompt: String = "", label: String = "session") {
    self.init(configuration: configuration, prompt: prompt, label: label, source: .text(text))
  }

  /// A session that goes on training a checkpoint from its step; its corpus is read again.
  ///
  /// `configuration` stands in until the checkpoint is loaded (the snapshot then holds the
  /// checkpoint's own run). A missing or changed corpus fails the session with `train
  /// --resume`'s message; `reset()` reloads the checkpoint.
  public convenience init(checkpoint: URL, configuration: RunConfiguration, prompt: String = "", label: String = "session", corporaDirectory: URL? = nil) {
    self.init(configuration: configuration, prompt: prompt, label: label, source: .checkpoint(checkpoint, corporaDirectory: corporaDirectory))
  }

  /// A checkpoint's session whose commands run on `queue` (tests: the caller's thread).
  package convenience init(checkpoint: URL, configuration: RunConfiguration, prompt: String, label: String, corporaDirectory: URL?, queue: SessionQueue) {
    self.init(
      configuration: configuration, prompt: prompt, label: label, source: .checkpoint(checkpoint, corporaDirectory: corporaDirectory),
      queue: queue)
  }

  /// Saves the model as it is now as a checkpoint in the learner's data folder, named
  /// `name-stepN.safetensors`.
  ///
  /// Runs on the session's queue between steps, so the file holds one consistent step; the
  /// write is atomic (a temporary file, then a rename). An existing file is never replaced:
  /// a second save of the same step gets `-2`, `-3`, … `completion` runs on the session's queue.
  public func saveCheckpoint(
    in folders: UserFolders, name: String, completion: @escaping @Sendable (Result<URL, CheckpointSaveError>) -> Void
  ) {
    queue.async { [self] in
      let result = trainer.withLock { trainer -> Result<URL, CheckpointSaveError> in
        guard let trainer else { return .failure(.noModel) }
        let free = CheckpointName.freeURL(in: folders.data, name: name, step: trainer.stepCount)
        let url: URL
        do throws(UserFoldersError) { url = try folders.dataFile(free.lastPathComponent) } catch { return .failure(.folder(error)) }
        do throws(SafetensorsError) { try Checkpoint.save(trainer, to: url) } catch { return .failure(.file(error)) }
        return .success(url)
      }
      completion(result)
    }
  }
}

/// Why the app could not save a checkpoint; the description is the line it shows.
public enum CheckpointSaveError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The session's model could not be built (its snapshot says why).
  case noModel
  /// The data folder could not be made or is not a folder.
  case folder(UserFoldersError)
  /// The file could not be written.
  case file(SafetensorsError)

  public var description: String {
    switch self {
    case .noModel: "there is no model to save: the run could not be set up"
    case .folder(let error): error.description
    case .file(let error): error.description
    }
  }
}

/// File names for checkpoints the app saves: `lesson-step120.safetensors`.
public enum CheckpointName {
  /// `name` with anything but letters, digits, `.`, `-` and `_` replaced by `-` (never empty).
  public static func sanitized(_ name: String) -> String {
    let kept = String(name.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
    let trimmed = kept.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
    return trimmed.isEmpty ? "model" : trimmed
  }

  /// The file for `name` at `step` in `folder`, with `-2`, `-3`, … when taken.
  public static func freeURL(in folder: URL, name: String, step: Int) -> URL {
    let base = "\(sanitized(name))-step\(step)"
    var url = folder.appendingPathComponent(base + ".safetensors")
    var copy = 2
    while FileManager.default.fileExists(atPath: url.path) {
      url = folder.appendingPathComponent("\(base)-\(copy).safetensors")
      copy += 1
    }
    return url
  }
}
