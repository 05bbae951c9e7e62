import Dispatch
import Foundation
import Model
import Testing
import TestSupport

/// The project's lock: exclusive like a Mutex, and the only lock the code uses.
@Suite struct LockedTests {
  struct Refused: Error, Equatable {}

  @Test func threadsAddingAtOnceLoseNothing() {
    let count = Locked(0)
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      for _ in 0..<10_000 { count.withLock { $0 += 1 } }
    }
    #expect(count.withLock { $0 } == 40_000)
  }

  @Test func anErrorLeavesTheValueAsChangedAndTheLockFree() {
    let list = Locked<[Int]>([])
    #expect(throws: Refused()) {
      try list.withLock { (list: inout [Int]) throws(Refused) in
        list.append(1)
        throw Refused()
      }
    }
    // Taking it again would never return if the error had left it held.
    #expect(list.withLock { $0 } == [1])
  }

  /// A plain Synchronization.Mutex hides races from the thread sanitizer on Linux
  /// (see Locked), so `make test-sanitized` could not be trusted with one.
  @Test func noSourceUsesAPlainMutex() throws {
    let root = packageRoot()
    let allowed: Set<String> = ["Sources/Model/Support/Locked.swift", "Tests/Sanitizers/MutexHandOff.swift"]
    var offenders: [String] = []
    for folder in ["Sources", "Tests"] {
      let files = try #require(FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path))
      for case let file as String in files where file.hasSuffix(".swift") {
        let path = "\(folder)/\(file)"
        guard !allowed.contains(path) else { continue }
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.contains(/\bMutex\s*[<(]/) {
          offenders.append("\(path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
        }
      }
    }
    #expect(offenders.isEmpty, "use Locked instead of Mutex:\n\(offenders.joined(separator: "\n"))")
  }
}
