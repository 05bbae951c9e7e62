import Foundation

/// Compares text with a committed golden file; returns a description of the mismatch, or nil.
///
/// A missing golden is written and reported as a failure until it is reviewed and
/// committed; `NEXTTOKEN_RECORD_GOLDENS=1` rewrites every golden the run touches.
public func goldenMismatch(_ actual: String, named name: String, in directory: URL) -> String? {
  let url = directory.appendingPathComponent(name + ".txt")
  let record = ProcessInfo.processInfo.environment["NEXTTOKEN_RECORD_GOLDENS"] == "1"
  guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try? actual.write(to: url, atomically: true, encoding: .utf8)
    return record ? nil : "recorded a new golden \(url.lastPathComponent); review it and run again"
  }
  guard expected != actual else { return nil }
  let expectedLines = expected.components(separatedBy: "\n")
  let actualLines = actual.components(separatedBy: "\n")
  for i in 0..<max(expectedLines.count, actualLines.count) {
    let e = i < expectedLines.count ? expectedLines[i] : "<none>"
    let a = i < actualLines.count ? actualLines[i] : "<none>"
    if e != a {
      return "\(name): line \(i + 1) differs\n expected: \(e)\n   actual: \(a)\n--- whole screen ---\n\(actual)"
    }
  }
  return "\(name): differs"
}

/// The package's root folder, found from this file's location.
public func packageRoot(file: String = #filePath) -> URL {
  var url = URL(fileURLWithPath: file)
  while url.path != "/" {
    url.deleteLastPathComponent()
    if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
  }
  return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}
