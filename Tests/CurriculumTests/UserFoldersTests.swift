import Foundation
import Testing
import TestSupport
@testable import Curriculum

@Suite("User folders")
struct UserFoldersTests {
  @Test("the XDG variables name the folders; without them, ~/.local/state and ~/.local/share")
  func locations() {
    let home = URL(fileURLWithPath: "/fallback", isDirectory: true)
    let set = UserFolders(environment: ["HOME": "/home/ada", "XDG_STATE_HOME": "/xdg/state", "XDG_DATA_HOME": "/xdg/data"], home: home)
    #expect(set.state.path == "/xdg/state/nexttoken")
    #expect(set.data.path == "/xdg/data/nexttoken")

    let unset = UserFolders(environment: ["HOME": "/home/ada"], home: home)
    #expect(unset.state.path == "/home/ada/.local/state/nexttoken")
    #expect(unset.data.path == "/home/ada/.local/share/nexttoken")

    // The specification says relative values are invalid and to be ignored.
    let relative = UserFolders(environment: ["HOME": "/home/ada", "XDG_STATE_HOME": "state", "XDG_DATA_HOME": ""], home: home)
    #expect(relative.state.path == "/home/ada/.local/state/nexttoken")
    #expect(relative.data.path == "/home/ada/.local/share/nexttoken")

    let noHome = UserFolders(environment: [:], home: home)
    #expect(noHome.state.path == "/fallback/.local/state/nexttoken")
  }

  @Test("asking for a file creates its folder, private to the user, and a write replaces the file whole")
  func createsAndWrites() throws {
    let folder = try TemporaryDirectory()
    let folders = UserFolders(environment: ["XDG_STATE_HOME": folder.url.appendingPathComponent("s").path, "XDG_DATA_HOME": folder.url.appendingPathComponent("d").path])
    let results = try folders.stateFile("results.json")
    #expect(results.path == folder.url.appendingPathComponent("s/nexttoken/results.json").path)
    let attributes = try FileManager.default.attributesOfItem(atPath: folders.state.path)
    #expect((attributes[.posixPermissions] as? Int) == 0o700)

    try UserFolders.write(Data("first".utf8), to: results)
    try UserFolders.write(Data("second".utf8), to: results)
    #expect(try String(contentsOf: results, encoding: .utf8) == "second")
    // Only the file itself: no temporary file is left beside it.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folders.state.path) == ["results.json"])

    let checkpoint = try folders.dataFile("model.safetensors")
    #expect(checkpoint.deletingLastPathComponent().path == folders.data.path)
    #expect(ResourceLocator.isDirectory(folders.data))
  }

  @Test("a folder that cannot be made, or a file that cannot be written, is named in one line")
  func errors() throws {
    let folder = try TemporaryDirectory()
    let blocker = try folder.write("file", "not a folder")
    let folders = UserFolders(environment: ["XDG_STATE_HOME": blocker.path])
    do {
      _ = try folders.stateFile("x.json")
      Issue.record("expected an error")
    } catch {
      #expect(error.description.hasPrefix("cannot create the state folder \(blocker.path)/nexttoken: "))
      #expect(!error.description.contains("\n"))
    }
    let target = folder.url.appendingPathComponent("missing/x.json")
    do {
      try UserFolders.write(Data("x".utf8), to: target)
      Issue.record("expected an error")
    } catch {
      #expect(error.description == "\(target.path): the folder \(folder.url.path)/missing does not exist")
    }
  }
}
