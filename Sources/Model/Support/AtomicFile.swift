import Foundation

/// Writes files so a reader never sees half of one.
///
/// Checkpoints, traces and the learner's saved state are replaced whole: the bytes go
/// to a hidden temporary file in the same folder (so the rename cannot cross file
/// systems), which is flushed and then renamed over the target. A crash or a full disk
/// leaves the old file as it was and no temporary file behind.
public enum AtomicFile {
  /// Why a file could not be written, naming the file.
  public struct WriteError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The path of the file that was to be written.
    public let file: String
    /// What went wrong, e.g. "cannot write: No space left on device".
    public let reason: String

    public init(file: String, reason: String) {
      self.file = file
      self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
  }

  /// Replaces the file at `url` with `data`, or leaves it untouched and throws.
  public static func write(_ data: Data, to url: URL) throws(WriteError) {
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    do {
      try data.write(to: temporary)
      let handle = try FileHandle(forWritingTo: temporary)
      defer { try? handle.close() }
      try handle.synchronize()
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw WriteError(file: url.path, reason: "cannot write: \(reason(error))")
    }
    if rename(temporary.path, url.path) != 0 {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw WriteError(file: url.path, reason: "cannot replace the file: \(reason)")
    }
  }

  /// The system's words for a failed write ("No space left on device"), not Foundation's
  /// "The file couldn't be saved." wrapper.
  private static func reason(_ error: any Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
    return nsError.localizedDescription
  }
}
