import Foundation
import Testing
import TestSupport

/// `make install` into a temporary prefix, then the installed program used from elsewhere, as a
/// learner would: it finds its lessons and corpora, its man page and completions are in place,
/// and `make uninstall` takes exactly those files away again.
///
/// Installs the debug build (`CONFIG=debug`) that `make test` has just built, with the man page
/// and completions `make test` generated for it, so make runs no compiler here. The release
/// build is the same files from a static, stripped binary.
@Suite(.serialized) struct InstallEndToEndTests {
  static let root = TmuxSession.packageRoot.path
  static let generated = TmuxSession.packageRoot.appendingPathComponent(".build/generated/debug")

  init() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: TmuxSession.binaryPath),
      "build the binary first: swift build --product nexttoken")
    try #require(
      FileManager.default.fileExists(atPath: Self.generated.appendingPathComponent("nexttoken.1").path),
      "generate the man page and completions first: make docs CONFIG=debug (make test does)")
  }

  /// Runs `make TARGET CONFIG=debug …` in the package.
  static func make(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let result = try spawnAndWait(
      "/usr/bin/env", ["make", "--no-print-directory", "-C", root, "CONFIG=debug"] + arguments,
      environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MAKE") })
    return (result.status, result.output)
  }

  /// Runs `program` from `directory` with a plain environment: no NEXTTOKEN_* variables.
  static func run(_ program: String, _ arguments: [String], from directory: String) throws -> (status: Int32, output: String) {
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NEXTTOKEN_") }
    environment["LC_ALL"] = "C.UTF-8"
    let result = try spawnAndWait(
      "/bin/sh", ["-c", #"cd "$1" && shift && exec "$@""#, "sh", directory, program] + arguments,
      environment: environment)
    return (result.status, result.output)
  }

  /// Every file under `folder`, relative to it, sorted.
  static func files(under folder: URL) -> [String] {
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    var found: [String] = []
    for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
      found.append(String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)))
    }
    return found.sorted()
  }

  @Test("the installed program runs from / with its own lessons, corpora, man page and completions; uninstall removes exactly them")
  func installRunUninstall() throws {
    let folder = try TemporaryDirectory(prefix: "nexttoken-install")
    let prefix = folder.url.appendingPathComponent("p")
    let installed = try Self.make(["install", "PREFIX=\(prefix.path)"])
    try #require(installed.status == 0, "make install failed:\n\(installed.output)")

    let lessonFiles = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/Lessons").filter { $0.hasSuffix(".md") }
    let corpusFiles = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/Corpora").filter { $0.hasSuffix(".txt") || $0.hasSuffix(".md") }
    let expected = (
      ["bin/nexttoken", "share/man/man1/nexttoken.1", "share/bash-completion/completions/nexttoken",
       "share/zsh/site-functions/_nexttoken", "share/fish/vendor_completions.d/nexttoken.fish"]
        + lessonFiles.map { "share/nexttoken/Lessons/\($0)" } + corpusFiles.map { "share/nexttoken/Corpora/\($0)" }
    ).sorted()
    #expect(Self.files(under: prefix) == expected)

    // From /, far from the source folder, the program finds what it installed.
    let binary = prefix.appendingPathComponent("bin/nexttoken").path
    let lessons = try Self.run(binary, ["lessons"], from: "/")
    #expect(lessons.status == 0, "nexttoken lessons failed:\n\(lessons.output)")
    let fromSource = try Self.run(TmuxSession.binaryPath, ["lessons"], from: Self.root)
    // The same lessons; the last lines name the folders read, which differ.
    func listed(_ output: String) -> [Substring] { output.split(separator: "\n").filter { !$0.hasPrefix("Lessons: ") && !$0.hasPrefix("Corpora: ") } }
    #expect(listed(lessons.output) == listed(fromSource.output), "the installed lessons differ from the source folder's")
    #expect(lessons.output.contains("Corpora: \(prefix.path)/share/nexttoken/Corpora (installed beside the program)"), "\(lessons.output)")
    #expect(lessons.output.contains("Labels from the text itself"))
    let train = try Self.run(binary, ["train", "--corpus", "sentences.en.txt", "--steps", "2"], from: "/")
    #expect(train.status == 0, "train failed:\n\(train.output)")
    #expect(train.output.contains("on sentences.en.txt") && train.output.contains("Final: step 2"), "\(train.output)")

    // The man page is the generated one; bash completes `nexttoken tr` to the commands starting so.
    let manual = try String(contentsOf: prefix.appendingPathComponent("share/man/man1/nexttoken.1"), encoding: .utf8)
    #expect(manual.contains(".Dt NEXTTOKEN 1") && manual.contains(".It Em train"))
    let completion = prefix.appendingPathComponent("share/bash-completion/completions/nexttoken").path
    let script = #"shopt -s extglob; source "$1"; COMP_LINE="nexttoken tr"; COMP_WORDS=(nexttoken tr); COMP_CWORD=1; COMP_POINT=${#COMP_LINE}; _nexttoken nexttoken tr nexttoken; echo "${COMPREPLY[*]}""#
    let completed = try spawnAndWait("/bin/bash", ["-c", script, "bash", completion], environment: ProcessInfo.processInfo.environment)
    #expect(completed.output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.sorted() == ["trace", "train"], "\(completed.output)")

    // A learner's own file in share/nexttoken (PREFIX=~/.local is also the XDG data folder) stays.
    let own = try folder.write("p/share/nexttoken/mine.safetensors", "weights")
    let removed = try Self.make(["uninstall", "PREFIX=\(prefix.path)"])
    #expect(removed.status == 0, "make uninstall failed:\n\(removed.output)")
    #expect(!removed.output.contains("Error"), "make uninstall reported an error:\n\(removed.output)")
    #expect(Self.files(under: prefix) == ["share/nexttoken/mine.safetensors"])
    #expect(FileManager.default.fileExists(atPath: own.path))
  }

  @Test("DESTDIR stages an install under /usr, with zsh's vendor folder, for packaging")
  func destdir() throws {
    let folder = try TemporaryDirectory(prefix: "nexttoken-destdir")
    let staged = try Self.make(["install", "PREFIX=/usr", "DESTDIR=\(folder.url.path)"])
    try #require(staged.status == 0, "make install DESTDIR failed:\n\(staged.output)")
    let files = Self.files(under: folder.url)
    #expect(files.contains("usr/bin/nexttoken"))
    #expect(files.contains("usr/share/zsh/vendor-completions/_nexttoken"))
    #expect(files.contains("usr/share/nexttoken/Corpora/sentences.en.txt"))
    // From /, the staged binary finds the staged data beside it.
    let lessons = try Self.run(folder.url.appendingPathComponent("usr/bin/nexttoken").path, ["lessons"], from: "/")
    #expect(lessons.status == 0 && lessons.output.contains("Labels from the text itself"), "\(lessons.output)")
  }
}
