import Foundation
import Model
import Testing

@Suite struct AtomicFileTests {
  func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-atomic-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func aSymlinkIsWrittenThroughAndStaysALink() throws {
    let directory = try folder()
    defer { try? FileManager.default.removeItem(at: directory) }
    let elsewhere = directory.appendingPathComponent("elsewhere")
    try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
    let target = elsewhere.appendingPathComponent("model.safetensors")
    try Data("old".utf8).write(to: target)
    let link = directory.appendingPathComponent("link.safetensors")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "elsewhere/model.safetensors")
    try AtomicFile.write(Data("new".utf8), to: link)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "elsewhere/model.safetensors")
    #expect(try String(contentsOf: target, encoding: .utf8) == "new")
    // The temporary file went to the target's folder, and is gone.
    #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path) == ["model.safetensors"])
  }

  func mode(_ url: URL) -> mode_t {
    var info = stat()
    return stat(url.path, &info) == 0 ? info.st_mode & 0o7777 : 0
  }

  @Test func aReplacedFileKeepsItsModeAlsoThroughASymlink() throws {
    let directory = try folder()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("model.safetensors")
    try Data("old".utf8).write(to: file)
    chmod(file.path, 0o600)
    try AtomicFile.write(Data("new".utf8), to: file)
    #expect(mode(file) == 0o600)
    chmod(file.path, 0o640)
    let link = directory.appendingPathComponent("link.safetensors")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "model.safetensors")
    try AtomicFile.write(Data("newer".utf8), to: link)
    #expect(mode(file) == 0o640)
    #expect(try String(contentsOf: file, encoding: .utf8) == "newer")
    // A new file gets the mode asked for, else the umask's.
    let fresh = directory.appendingPathComponent("state.json")
    try AtomicFile.write(Data("{}".utf8), to: fresh, mode: 0o600)
    #expect(mode(fresh) == 0o600)
    let plain = directory.appendingPathComponent("plain.json")
    try AtomicFile.write(Data("{}".utf8), to: plain)
    // Read, not set: other tests create files at the same time.
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
    let mask = try #require(mode_t(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8))
    #expect(mode(plain) == 0o666 & ~mask)
  }

  @Test func foldersDevicesAndFIFOsAreNeverReplaced() throws {
    let directory = try folder()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("fifo")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    #expect(throws: AtomicFile.WriteError(file: fifo.path, reason: "is not a regular file (it is a FIFO), expected a file to write to")) {
      try AtomicFile.write(Data("x".utf8), to: fifo)
    }
    #expect(FileKind.of(fifo.path) == .special("a FIFO"))
    #expect(throws: AtomicFile.WriteError(file: "/dev/null", reason: "is not a regular file (it is a device), expected a file to write to")) {
      try AtomicFile.checkWritable(URL(fileURLWithPath: "/dev/null"))
    }
    #expect(throws: AtomicFile.WriteError(file: directory.path, reason: "is a folder, expected a file name")) {
      try AtomicFile.write(Data("x".utf8), to: directory)
    }
    let missing = directory.appendingPathComponent("no/such/x")
    #expect(throws: AtomicFile.WriteError(file: missing.path, reason: "the folder \(directory.path)/no/such does not exist")) {
      try AtomicFile.checkWritable(missing)
    }
  }

  @Test func staleTemporaryFilesOfOurNamingAreRemoved() throws {
    let directory = try folder()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("ck.safetensors")
    let stale = directory.appendingPathComponent(".ck.safetensors.\(UUID().uuidString).tmp")
    let fresh = directory.appendingPathComponent(".ck.safetensors.\(UUID().uuidString).tmp")
    let notOurs = directory.appendingPathComponent(".ck.safetensors.backup.tmp")
    let otherFile = directory.appendingPathComponent(".other.\(UUID().uuidString).tmp")
    for url in [stale, fresh, notOurs, otherFile] { try Data("partial".utf8).write(to: url) }
    let old = Date().addingTimeInterval(-AtomicFile.staleAge - 60)
    for url in [stale, notOurs, otherFile] {
      try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: url.path)
    }
    try AtomicFile.write(Data("whole".utf8), to: target)
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
    #expect(left == Set([target, fresh, notOurs, otherFile].map(\.lastPathComponent)))
  }

  @Test func sameFileSeesThroughLinksAndDotSegments() throws {
    let directory = try folder()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("a.txt")
    try Data("a".utf8).write(to: file)
    let link = directory.appendingPathComponent("b.txt")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "a.txt")
    #expect(FileKind.sameFile(file.path, link.path))
    #expect(FileKind.sameFile(file.path, directory.path + "/./a.txt"))
    #expect(FileKind.sameFile(directory.path + "/new.bin", directory.path + "/x/../new.bin"))
    #expect(!FileKind.sameFile(file.path, directory.path + "/new.bin"))
  }
}
