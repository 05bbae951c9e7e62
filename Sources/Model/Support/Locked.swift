import Synchronization

/// A value that one thread at a time reads or changes: a `Mutex` the thread sanitizer can follow.
///
/// Use it instead of `Synchronization.Mutex` everywhere (a test checks this). The lock
/// is the same Mutex, with the same cost; what it adds is for the sanitizer. On Linux a
/// contended Mutex is taken by library code built without the sanitizer, and when
/// other threads wait the kernel hands the lock straight to the next one (a priority-
/// inheriting futex whose word never reads "unlocked" in between). The sanitizer sees
/// no release followed by an acquire, so it reports each access made under a lock taken
/// that way as a data race with the previous owner's, although the program is correct.
/// Here each holder releases an atomic word before it unlocks and the next acquires it
/// once it holds the lock; the sanitizer sees that order, which the Mutex guarantees
/// anyway. On x86 both are plain moves. `make test-sanitized` checks the blind spot
/// with Tests/Sanitizers/MutexHandOff.swift: once the plain Mutex runs clean there,
/// this type can go.
package final class Locked<Value>: Sendable {
  private let storage: Mutex<Value>
  /// Carries the order of the lock's holders to the sanitizer; its value means nothing.
  private let handOff = Atomic<UInt8>(0)

  package init(_ value: consuming sending Value) {
    storage = Mutex(value)
  }

  /// Runs `body` with the value while holding the lock; as `Mutex.withLock`.
  package func withLock<Result: ~Copyable, E: Error>(
    _ body: (inout sending Value) throws(E) -> sending Result
  ) throws(E) -> sending Result {
    try storage.withLock { (value: inout sending Value) throws(E) -> sending Result in
      _ = handOff.load(ordering: .acquiring)
      defer { handOff.store(0, ordering: .releasing) }
      return try body(&value)
    }
  }
}
