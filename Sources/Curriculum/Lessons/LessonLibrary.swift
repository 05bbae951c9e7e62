import Foundation

/// The course: every lesson of a folder, in one language.
public enum LessonLibrary {
  /// Loads every `NN-slug.LANG.md` lesson of `directory` in `language`.
  ///
  /// A lesson without a file in `language` falls back to its English file. A broken
  /// file is reported and skipped (a broken translation falls back to English when the
  /// English file loads). With `corporaDirectory`, a lesson whose corpus file does not
  /// exist is reported and skipped too. Lessons come back sorted by `order`, then `id`;
  /// a second lesson with an id already taken is reported and skipped. Files whose names
  /// carry no language (README.md) are ignored.
  public static func loadAll(
    directory: URL, language: Language, corporaDirectory: URL? = nil
  ) -> (lessons: [Lesson], errors: [LessonDiagnostic]) {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    } catch {
      let exists = ResourceLocator.isDirectory(directory)
      return ([], [LessonDiagnostic(file: directory.relativePath, line: 0, message: exists ? "cannot list the lessons folder" : "lessons folder not found")])
    }

    // Lesson files grouped by the part of their name before the language.
    var groups: [String: [Language: URL]] = [:]
    // The course quiz lives beside the lessons but is no lesson.
    for name in names where name.hasSuffix(".md") && !Quiz.isQuizFile(URL(fileURLWithPath: name)) {
      let parts = name.split(separator: ".")
      guard parts.count >= 3, let fileLanguage = Language(rawValue: String(parts[parts.count - 2])) else { continue }
      let stem = parts.dropLast(2).joined(separator: ".")
      groups[stem, default: [:]][fileLanguage] = directory.appendingPathComponent(name)
    }

    let check: LessonLoader.CorpusCheck = corporaDirectory.map { .exists(corporaDirectory: $0) } ?? .confined
    var lessons: [Lesson] = []
    var errors: [LessonDiagnostic] = []
    for stem in groups.keys.sorted() {
      guard let files = groups[stem] else { continue }
      var choices: [URL] = []
      if let preferred = files[language] { choices.append(preferred) }
      if language != .en, let english = files[.en] { choices.append(english) }
      for url in choices {
        let (lesson, diagnostics) = LessonLoader.analyze(url: url, corpus: check)
        errors += diagnostics
        if let lesson {
          lessons.append(lesson)
          break
        }
      }
    }

    lessons.sort { $0.order != $1.order ? $0.order < $1.order : $0.id < $1.id }
    var byID: [String: Lesson] = [:]
    var unique: [Lesson] = []
    for lesson in lessons {
      if let earlier = byID[lesson.id] {
        errors.append(
          LessonDiagnostic(
            file: lesson.url.relativePath, line: lesson.fieldLines["id"] ?? 1,
            message: "lesson id '\(lesson.id)' is already used by \(earlier.url.lastPathComponent)"))
        continue
      }
      byID[lesson.id] = lesson
      unique.append(lesson)
    }
    return (unique, errors)
  }

  /// Finds the `Lessons` folder: `NEXTTOKEN_LESSONS` if set, else the installed one beside the
  /// executable (`../share/nexttoken/Lessons`), else the source checkout's (see `ResourceLocator`).
  ///
  /// A folder taken from the current folder is announced through `note` (by default on standard error, once).
  public static func defaultDirectory(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: URL? = nil, executable: URL? = nil, note: ((String) -> Void)? = nil
  ) throws(LessonLibraryError) -> URL {
    let location = try locateDirectory(environment: environment, currentDirectory: currentDirectory, executable: executable)
    if let line = location.note(folder: "Lessons", variable: "NEXTTOKEN_LESSONS") { (note ?? ResourceLocator.writeOnce)(line) }
    return location.url
  }

  /// Where the `Lessons` folder is and why it was chosen (`lessons list` shows it).
  package static func locateDirectory(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: URL? = nil, executable: URL? = nil
  ) throws(LessonLibraryError) -> ResourceLocator.Location {
    do {
      return try ResourceLocator.locate(
        folder: "Lessons", variable: "NEXTTOKEN_LESSONS", environment: environment,
        currentDirectory: currentDirectory ?? ResourceLocator.currentDirectory,
        executable: executable ?? ResourceLocator.currentExecutable)
    } catch {
      if let value = error.badVariableValue {
        throw LessonLibraryError("NEXTTOKEN_LESSONS=\(value): no such folder")
      }
      throw LessonLibraryError(
        "cannot find the Lessons folder: set NEXTTOKEN_LESSONS to it, or reinstall NextToken (looked in \(error.searched.joined(separator: ", ")))")
    }
  }
}

/// Why the lessons folder could not be found.
public struct LessonLibraryError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
