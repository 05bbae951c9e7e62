// The thread sanitizer's blind spot behind `Locked` (Sources/Model/Support/Locked.swift):
// `make check-sanitizer-blind-spot` builds this with Locked.swift under the thread sanitizer.
//
// Two threads add one to a counter 200,000 times each under one lock; the total is always
// 400,000, so the program is correct. With a plain Synchronization.Mutex on Linux the
// sanitizer still reports "Swift access race": a contended lock is taken inside the
// Synchronization library (not built with the sanitizer) and handed between threads by
// the kernel, so the sanitizer sees no happens-before between one holder and the next.
// With `Locked` it must report nothing.
//
//   swiftc -parse-as-library -package-name nexttoken -sanitize=thread \
//     MutexHandOff.swift ../../Sources/Model/Support/Locked.swift -o hand-off
//   ./hand-off mutex    # reports races (while the blind spot lasts)
//   ./hand-off locked   # must run clean

import Dispatch
import Synchronization

final class PlainCounter: Sendable {
  let count = Mutex<[Int]>([0])
  func add() { count.withLock { $0[0] += 1 } }
  var total: Int { count.withLock { $0[0] } }
}

final class LockedCounter: Sendable {
  let count = Locked<[Int]>([0])
  func add() { count.withLock { $0[0] += 1 } }
  var total: Int { count.withLock { $0[0] } }
}

/// Runs `add` 200,000 times on each of two threads at once.
func hammer(_ add: @escaping @Sendable () -> Void) {
  let group = DispatchGroup()
  for _ in 0..<2 {
    DispatchQueue.global().async(group: group) {
      for _ in 0..<200_000 { add() }
    }
  }
  group.wait()
}

@main
enum MutexHandOff {
  static func main() {
    switch CommandLine.arguments.dropFirst().first {
    case "mutex":
      let counter = PlainCounter()
      hammer { counter.add() }
      print("Mutex: \(counter.total)")
    case "locked":
      let counter = LockedCounter()
      hammer { counter.add() }
      print("Locked: \(counter.total)")
    default:
      print("usage: hand-off mutex|locked")
    }
  }
}
