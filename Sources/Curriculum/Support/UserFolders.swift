import Foundation
import Model

/// The learner's own NextToken folders, following the XDG Base Directory specification.
///
/// The program may be installed read-only (`/usr/share/nexttoken`), so nothing the learner
/// makes is ever written beside the lessons. Two folders, created on first write:
///
/// - `state`: what the app remembers between runs and the learner never manages by hand —
///   guessing-game results, exercise answers, the last playground choices.
///   `$XDG_STATE_HOME/nexttoken`, else `~/.local/state/nexttoken`.
/// - `data`: files the learner made and may want to keep or copy — checkpoints saved
///   from the app. `$XDG_DATA_HOME/nexttoken`, else `~/.local/share/nexttoken`.
///
/// As the specification asks, a variable holding a relative path is ignored. Folders are
/// created readable by the user only (0700). Write files with `write(_:to:)` (or
/// `AtomicFile`), so an interrupted save never leaves half a file.
///
/// ```swift
/// let folders = UserFolders()
/// let results = try folders.stateFile("guessing-game.json")   // creates the folder
/// try UserFolders.write(json, to: results)
/// ```
public struct UserFolders: Sendable, Equatable {
  /// Where the app keeps what it remembers between runs.
  public let state: URL
  /// Where the learner's own files (saved checkpoints) go.
  public let data: URL
  /// Where fine-tuning lessons keep the bases they pre-trained, to use them again.
  public var bases: URL { data.appendingPathComponent("bases") }

  /// The folders for `environment` (`XDG_STATE_HOME`, `XDG_DATA_HOME`, `HOME`).
  ///
  /// `home` is used when `HOME` is unset or empty; it defaults to the account's home folder.
  public init(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    home: URL = URL(fileURLWithPath: NSHomeDirectory(), isDirectory: true)
  ) {
    let homeFolder = environment["HOME"].flatMap { $0.hasPrefix("/") ? URL(fileURLWithPath: $0, isDirectory: true) : nil } ?? home
    func base(_ variable: String, _ fallback: String) -> URL {
      if let value = environment[variable], value.hasPrefix("/") { return URL(fileURLWithPath: value, isDirectory: true) }
      return homeFolder.appendingPathComponent(fallback, isDirectory: true)
    }
    state = base("XDG_STATE_HOME", ".local/state").appendingPathComponent("nexttoken", isDirectory: true).standardizedFileURL
    data = base("XDG_DATA_HOME", ".local/share").appendingPathComponent("nexttoken", isDirectory: true).standardizedFileURL
  }

  /// The file `name` in the state folder, creating the folder if needed.
  public func stateFile(_ name: String) throws(UserFoldersError) -> URL {
    try Self.create(state, role: "state")
    return state.appendingPathComponent(name)
  }

  /// The file `name` in the data folder, creating the folder if needed.
  public func dataFile(_ name: String) throws(UserFoldersError) -> URL {
    try Self.create(data, role: "data")
    return data.appendingPathComponent(name)
  }

  /// Replaces the file at `url` with `bytes` atomically; the error names the file.
  ///
  /// A file replaced keeps its permissions; a new one gets `mode` (nil: 0666 less the umask).
  public static func write(_ bytes: Data, to url: URL, mode: mode_t? = nil) throws(UserFoldersError) {
    do {
      try AtomicFile.write(bytes, to: url, mode: mode)
    } catch {
      throw UserFoldersError(error.description)
    }
  }

  private static func create(_ folder: URL, role: String) throws(UserFoldersError) {
    if ResourceLocator.isDirectory(folder) { return }
    do {
      try FileManager.default.createDirectory(
        at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      // Foundation's reason for a file in the way is "error 512": name the file instead.
      var blocker = folder.standardizedFileURL
      var inTheWay: String?
      while blocker.path != "/" {
        if case .regular = FileKind.of(blocker.path) { inTheWay = blocker.path }
        blocker.deleteLastPathComponent()
      }
      let reason = inTheWay.map { "\($0) is a file, not a folder" } ?? FileKind.reason(error)
      throw UserFoldersError("cannot create the \(role) folder \(folder.path): \(reason)")
    }
  }
}

/// Why a folder of `UserFolders` could not be created or a file in it written.
public struct UserFoldersError: Error, Sendable, Equatable, CustomStringConvertible {
  /// One line naming the folder or file and what went wrong.
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
