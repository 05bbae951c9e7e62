import Foundation

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

  /// The folder named by `variable` if set; else `folder` in the installed data beside the
  /// executable (`../share/nexttoken/`); else `folder` in the current directory, or in the
  /// executable's directory or any parent of it (a source checkout).
  ///
  /// An explicit variable wins, so a lesson author can point an installed binary at the
  /// lessons they are writing. `make install` puts the binary in `PREFIX/bin` and the data in
  /// `PREFIX/share/nexttoken`; the release binary of a checkout lives in `.build/release/`,
  /// so walking up from it finds the repository's folders wherever the shell happens to be.
  package static func locate(
    folder: String, variable: String, environment: [String: String], currentDirectory: URL,
    executable: URL?
  ) throws(NotFound) -> URL {
    if let value = environment[variable], !value.isEmpty {
      let url = URL(fileURLWithPath: value, relativeTo: currentDirectory).standardizedFileURL
      guard isDirectory(url) else {
        throw NotFound(folder: folder, variable: variable, badVariableValue: value, searched: [])
      }
      return url
    }
    // Both the path the binary was started by and its target, for a symlink on PATH.
    let binaryFolders = executable.map { [$0, $0.resolvingSymlinksInPath()] }?.map {
      $0.deletingLastPathComponent().standardizedFileURL
    } ?? []
    var candidates = binaryFolders.map {
      $0.deletingLastPathComponent().appendingPathComponent("share/nexttoken").appendingPathComponent(folder).standardizedFileURL
    }
    candidates.append(currentDirectory.appendingPathComponent(folder))
    if var directory = binaryFolders.last {
      while true {
        candidates.append(directory.appendingPathComponent(folder))
        let parent = directory.deletingLastPathComponent().standardizedFileURL
        if parent.path == directory.path || directory.path == "/" { break }
        directory = parent
      }
    }
    var seen = Set<String>()  // The current directory is often on the binary's path too.
    candidates = candidates.filter { seen.insert($0.standardizedFileURL.path).inserted }
    for candidate in candidates where isDirectory(candidate) {
      return candidate.standardizedFileURL
    }
    throw NotFound(folder: folder, variable: variable, badVariableValue: nil, searched: candidates.map(\.path))
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
