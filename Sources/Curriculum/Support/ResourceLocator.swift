import Foundation
import Model

/// Finds the app's data folders (`Corpora`, `Lessons`) wherever the app is run from.
package enum ResourceLocator {
  /// Where a folder was looked for, and why it was not found.
  package struct NotFound: Error, Sendable {
    package let folder: String
    package let variable: String
    /// Set when the environment variable names a folder that does not exist.
    package let badVariableValue: String?
    package let searched: [String]
  }

  /// Where a data folder was found, and why it was chosen.
  package struct Location: Sendable, Equatable {
    package enum Source: Sendable, Equatable {
      /// The environment variable named it.
      case variable
      /// `share/nexttoken/` beside the binary's `bin` folder (`make install`, the package).
      case installed
      /// The source checkout the binary was built in (it lives in the checkout's `.build`).
      case binaryCheckout
      /// The current folder, a source checkout: used only when nothing above was found.
      case currentCheckout
    }

    package let url: URL
    package let source: Source

    /// Why this folder: "installed beside the program", "set by NEXTTOKEN_CORPORA".
    package func why(variable: String) -> String {
      switch source {
      case .variable: "set by \(variable)"
      case .installed: "installed beside the program"
      case .binaryCheckout: "the source checkout the program was built in"
      case .currentCheckout: "the source checkout in the current folder"
      }
    }

    /// A one-line note for standard error when the folder came from the current folder,
    /// so that using it is never silent; nil otherwise.
    package func note(folder: String, variable: String) -> String? {
      guard source == .currentCheckout else { return nil }
      return "note: using \(url.path) from the source checkout in the current folder (no installed \(folder) folder was found beside the program); set \(variable) to choose another"
    }
  }

  /// The folder named by `variable` if set; else `folder` in the installed data beside the
  /// executable (`../share/nexttoken/`); else `folder` in the source checkout the executable
  /// was built in (a parent of it); else `folder` in the current folder when that is a source
  /// checkout.
  ///
  /// An explicit variable wins, so a lesson author can point an installed binary at the
  /// lessons they are writing. `make install` puts the binary in `PREFIX/bin` and the data in
  /// `PREFIX/share/nexttoken`; the release binary of a checkout lives in `.build/release/`,
  /// so walking up from it finds the repository's folders wherever the shell happens to be.
  /// A folder is taken from a parent or from the current folder only when it sits in a
  /// source checkout (`isCheckout`): an installed program run from some other folder never
  /// reads a stray `Corpora/` there.
  package static func locate(
    folder: String, variable: String, environment: [String: String], currentDirectory: URL,
    executable: URL?
  ) throws(NotFound) -> Location {
    if let value = environment[variable], !value.isEmpty {
      let url = URL(fileURLWithPath: value, relativeTo: currentDirectory).standardizedFileURL
      guard isDirectory(url) else {
        throw NotFound(folder: folder, variable: variable, badVariableValue: value, searched: [])
      }
      return Location(url: url, source: .variable)
    }
    // Both the path the binary was started by and its target, for a symlink on PATH.
    let binaryFolders = executable.map { [$0, $0.resolvingSymlinksInPath()] }?.map {
      $0.deletingLastPathComponent().standardizedFileURL
    } ?? []
    var candidates: [(URL, Location.Source)] = binaryFolders.map {
      ($0.deletingLastPathComponent().appendingPathComponent("share/nexttoken").appendingPathComponent(folder).standardizedFileURL, .installed)
    }
    if var directory = binaryFolders.last {
      while true {
        if isCheckout(directory) { candidates.append((directory.appendingPathComponent(folder), .binaryCheckout)) }
        let parent = directory.deletingLastPathComponent().standardizedFileURL
        if parent.path == directory.path || directory.path == "/" { break }
        directory = parent
      }
    }
    let current = currentDirectory.standardizedFileURL
    if isCheckout(current) { candidates.append((current.appendingPathComponent(folder), .currentCheckout)) }
    var seen = Set<String>()  // The current folder is often the binary's checkout too.
    candidates = candidates.filter { seen.insert($0.0.standardizedFileURL.path).inserted }
    for (candidate, source) in candidates where isDirectory(candidate) {
      return Location(url: candidate.standardizedFileURL, source: source)
    }
    var searched = candidates.map(\.0.path)
    if !isCheckout(current) { searched.append("\(current.appendingPathComponent(folder).path) (not used: the current folder is no source checkout)") }
    throw NotFound(folder: folder, variable: variable, badVariableValue: nil, searched: searched)
  }

  /// Whether `directory` is a NextToken source checkout: `Package.swift` and the program's
  /// sources (`Sources/nexttoken`) side by side.
  package static func isCheckout(_ directory: URL) -> Bool {
    var isFolder: ObjCBool = false
    let package = directory.appendingPathComponent("Package.swift").path
    guard FileManager.default.fileExists(atPath: package, isDirectory: &isFolder), !isFolder.boolValue else { return false }
    return isDirectory(directory.appendingPathComponent("Sources/nexttoken"))
  }

  /// The notes already written, so each is written once per run however often a folder is looked up.
  private static let written = Locked<Set<String>>([])

  /// Writes `note` to standard error, once per process.
  package static func writeOnce(_ note: String) {
    guard written.withLock({ $0.insert(note).inserted }) else { return }
    FileHandle.standardError.write(Data((note + "\n").utf8))
  }

  package static func isDirectory(_ url: URL) -> Bool {
    var flag: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
  }

  /// The running executable, for the search above.
  package static var currentExecutable: URL? {
    Bundle.main.executableURL
  }

  package static var currentDirectory: URL {
    URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
  }
}
