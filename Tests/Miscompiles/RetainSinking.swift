// The smallest program this toolchain (Swift 6.3.1) miscompiles at -O, found behind the
// crash on restarting a run: `make check-miscompiles` builds it with the address
// sanitizer, with and without the workaround in Package.swift.
//
// `restart` keeps a field of an address-only struct (the existential makes it one), then
// overwrites the struct. The optimizer's retain sinking (ARC code motion) moves the retain
// of the kept value below the destroy_addr of the old struct, which it does not count as a
// release of that very value: the copy is retained after the old struct freed it, a
// use-after-free. `-Xllvm -sil-disable-pass=retain-sinking` makes it correct again.
//
//   swiftc -O -sanitize=address RetainSinking.swift && ./RetainSinking   # heap-use-after-free

public protocol P {}

public struct Snapshot {
  public var losses: [Float] = []
  public var tokenizer: (any P)?
  public var previousRun: [Float]?
  public init() {}
}

@inline(never)
func restart(_ snapshot: inout Snapshot) {
  let kept = snapshot.previousRun
  snapshot = Snapshot()
  snapshot.previousRun = kept
}

var snapshot = Snapshot()
var total = 0
for step in 0..<1000 {
  snapshot.previousRun = [Float](repeating: 1, count: step % 7 + 1)
  restart(&snapshot)
  total += snapshot.previousRun?.count ?? 0
}
print("kept \(total) losses")
