import Foundation

/// Writes files so a reader never sees half of one.
///
/// Checkpoints, traces and the learner's saved state are replaced whole: the bytes go
/// to a hidden temporary file in the same folder (so the rename cannot cross file
/// systems), which is flushed and then renamed over the target. A crash or a full disk
/// leaves the old file as it was; a temporary file a killed save left behind is removed
/// by the next save of the same file.
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
  ///
  /// A symlink is written through: its target is replaced (by a rename in the target's
  /// folder) and the link stays a link. A folder, device, FIFO or socket is never replaced.
  /// The new file keeps the permissions of the one it replaces (a 0600 checkpoint stays
  /// private); a new file gets `mode`, or the usual 0666 less the umask when it is nil.
  public static func write(_ data: Data, to url: URL, mode: mode_t? = nil) throws(WriteError) {
    let target = try checkWritable(url)
    let temporary = target.deletingLastPathComponent().appendingPathComponent(
      "\(temporaryPrefix(of: target))\(UUID().uuidString)\(temporarySuffix)")
    var replaced = stat()
    let keptMode: mode_t? = stat(target.path, &replaced) == 0 ? replaced.st_mode & 0o7777 : mode
    do throws(WriteError) {
      // Private until the rename when a mode is to be kept, so a 0600 file's bytes are never
      // readable by others, not even in the temporary file; else the umask decides, as for any new file.
      let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, keptMode == nil ? 0o666 : 0o600)
      guard descriptor >= 0 else { throw WriteError(file: url.path, reason: "cannot write: \(String(cString: strerror(errno)))") }
      let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
      do {
        try handle.write(contentsOf: data)
        if let keptMode, fchmod(descriptor, keptMode) != 0 { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
        try handle.synchronize()
        try handle.close()
      } catch {
        throw WriteError(file: url.path, reason: "cannot write: \(FileKind.reason(error))")
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
    if rename(temporary.path, target.path) != 0 {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw WriteError(file: url.path, reason: "cannot replace the file: \(reason)")
    }
  }

  /// Checks that `write(_:to:)` can replace `url`, before any work is done, and returns the
  /// file it would replace (symlinks followed). Removes temporary files of our own naming
  /// that an earlier, killed save left next to it.
  @discardableResult
  public static func checkWritable(_ url: URL) throws(WriteError) -> URL {
    func fail(_ reason: String) -> WriteError { WriteError(file: url.path, reason: reason) }
    let target = destination(of: url)
    let folder = target.deletingLastPathComponent()
    switch FileKind.of(target.path) {
    case .missing, .regular: break
    case .folder: throw fail("is a folder, expected a file name")
    case .special(let kind): throw fail("is not a regular file (it is \(kind)), expected a file to write to")
    }
    guard FileKind.of(folder.path) == .folder else { throw fail("the folder \(folder.path) does not exist") }
    guard access(folder.path, W_OK | X_OK) == 0 else { throw fail("the folder \(folder.path) is not writable") }
    // In a sticky folder (like /tmp) only the file's owner may replace it.
    var folderInfo = stat()
    var fileInfo = stat()
    if stat(folder.path, &folderInfo) == 0, folderInfo.st_mode & S_ISVTX != 0, stat(target.path, &fileInfo) == 0 {
      let me = geteuid()
      if me != 0, fileInfo.st_uid != me, folderInfo.st_uid != me {
        throw fail("cannot be replaced: it belongs to another user in a folder only owners may replace files in")
      }
    }
    removeStaleTemporaries(of: target)
    return target
  }

  /// The file a write to `url` replaces: the end of its chain of symlinks.
  public static func destination(of url: URL) -> URL {
    var path = url.standardizedFileURL.path
    // A loop of links ends after 40 steps, as the kernel's does; the write then fails plainly.
    for _ in 0..<40 {
      guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { break }
      path = link.hasPrefix("/") ? link : (path as NSString).deletingLastPathComponent + "/" + link
    }
    return URL(fileURLWithPath: path).standardizedFileURL
  }

  /// How long a temporary file of ours must have been left before a new save of the same
  /// file removes it: no save takes this long, so it belongs to a save that was killed.
  public static let staleAge: TimeInterval = 600

  private static let temporarySuffix = ".tmp"
  private static func temporaryPrefix(of target: URL) -> String { ".\(target.lastPathComponent)." }

  /// Removes `.NAME.<UUID>.tmp` files next to `target` older than `staleAge`.
  static func removeStaleTemporaries(of target: URL) {
    let folder = target.deletingLastPathComponent()
    let prefix = temporaryPrefix(of: target)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
    for name in names where name.hasPrefix(prefix) && name.hasSuffix(temporarySuffix) {
      let middle = name.dropFirst(prefix.count).dropLast(temporarySuffix.count)
      guard UUID(uuidString: String(middle)) != nil else { continue }
      let path = folder.appendingPathComponent(name).path
      guard FileKind.of(path) == .regular,
        let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
        Date().timeIntervalSince(modified) > staleAge
      else { continue }
      try? FileManager.default.removeItem(atPath: path)
    }
  }
}
