import Curriculum
import Model

/// Why a checkpoint cannot be read or trained on, as one line that names the file.
public enum CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Not readable as a safetensors file: missing, a folder, not a regular file, damaged.
  case file(SafetensorsError)
  /// A safetensors file without a NextToken metadata field.
  case notACheckpoint(path: String, missing: String)
  /// A checkpoint of another format version.
  case unsupportedFormat(path: String, found: String)
  /// A metadata field that does not hold what it should.
  case invalidMetadata(path: String, key: String, reason: String)
  /// A size in the metadata outside `SizeLimits`, or needing too much memory.
  case size(path: String, SizeError)
  /// A tensor that is missing or has the wrong shape or dtype.
  case tensor(path: String, name: String, reason: String)
  /// The optimizer's state does not fit the model.
  case optimizerState(path: String, reason: String)
  /// A NaN, an infinity or an absurdly large weight: the run that wrote it had diverged.
  case badValue(path: String, tensor: String, index: Int, value: Float)
  /// Training on needs the corpus, which cannot be loaded.
  case corpusUnavailable(path: String, corpus: String, reason: String)
  /// Training on needs the same corpus, which has changed.
  case corpusChanged(path: String, corpus: String, tokensThen: Int, tokensNow: Int)

  /// The largest weight magnitude a checkpoint may hold; trained GPT-2 weights stay in the tens.
  public static let largestWeight: Float = 10_000

  public var description: String {
    switch self {
    case .file(let error):
      return error.description
    case .notACheckpoint(let path, let missing):
      return "\(path): not a NextToken checkpoint (its metadata has no \"\(missing)\")"
    case .unsupportedFormat(let path, let found):
      return "\(path): unsupported checkpoint format \"\(found)\", expected \"\(Checkpoint.format)\""
    case .invalidMetadata(let path, let key, let reason):
      return "\(path): metadata \"\(key)\" \(reason)"
    case .size(let path, let error):
      return "\(path): \(error.message { "metadata \($0.rawValue)" })"
    case .tensor(let path, let name, let reason):
      return "\(path): tensor \(name) \(reason)"
    case .optimizerState(let path, let reason):
      return "\(path): the optimizer state does not fit the model: \(reason)"
    case .badValue(let path, let tensor, let index, let value):
      let what = value.isNaN ? "NaN" : value.isInfinite ? "\(value > 0 ? "+" : "-")infinity" : "\(value)"
      return "\(path): tensor \(tensor) holds \(what) at index \(index); expected finite weights within ±\(Int(Self.largestWeight)) (the run that wrote it had diverged)"
    case .corpusUnavailable(let path, let corpus, let reason):
      return "\(path): training on needs its corpus \(corpus), which cannot be loaded: \(reason)"
    case .corpusChanged(let path, let corpus, let then, let now):
      return "\(path): the corpus \(corpus) changed since this checkpoint was written (\(then) tokens then, \(now) now)"
    }
  }
}
