import Foundation

/// What is at a path, following symlinks: what reading or writing a file there must check first.
public enum FileKind: Equatable, Sendable {
  /// Nothing (or a dangling symlink).
  case missing
  case regular
  case folder
  /// A device, FIFO or socket, named ("a FIFO").
  case special(String)

  /// Why a path cannot be used, as the end of a line that starts with the path.
  public struct Problem: Error, Equatable, Sendable {
    /// E.g. "is a folder, expected a safetensors file".
    public let reason: String
  }

  /// The kind of what is at `path` (symlinks followed).
  public static func of(_ path: String) -> FileKind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .missing }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .regular
    case S_IFDIR: return .folder
    default: return .special(describe(mode: info.st_mode))
    }
  }

  /// What a file of `mode` (from stat) is, for a message: "a FIFO", "a device".
  public static func describe(mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFREG: return "a regular file"
    case S_IFDIR: return "a folder"
    case S_IFIFO: return "a FIFO"
    case S_IFSOCK: return "a socket"
    case S_IFCHR, S_IFBLK: return "a device"
    default: return "not a file"
    }
  }

  /// Whether two paths name the same file (after symlinks), whether or not it exists yet.
  public static func sameFile(_ a: String, _ b: String) -> Bool {
    var first = stat()
    var second = stat()
    if stat(a, &first) == 0, stat(b, &second) == 0 {
      return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }
    return URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath()
      == URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath()
  }

  /// Throws unless `path` is a regular file; `expected` says what it should hold ("a safetensors file").
  public static func requireRegularFile(_ path: String, expected: String) throws(Problem) {
    switch of(path) {
    case .regular: return
    case .missing: throw Problem(reason: "no such file, expected \(expected)")
    case .folder: throw Problem(reason: "is a folder, expected \(expected)")
    case .special(let kind): throw Problem(reason: "is not a regular file (it is \(kind)), expected \(expected)")
    }
  }

  /// The system's reason for a failed read or write ("Permission denied"), not Foundation's code.
  public static func reason(_ error: any Error) -> String {
    let error = error as NSError
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
    return error.localizedDescription
  }
}
