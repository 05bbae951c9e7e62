import Foundation

/// Why a safetensors file could not be read or written, naming the file.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file's path (or a caller-chosen label for in-memory data).
  public let file: String
  /// What is wrong, e.g. "header length 4096 runs past the end of the file (120 bytes)".
  public let reason: String

  public init(file: String, reason: String) {
    self.file = file
    self.reason = reason
  }

  public var description: String { "\(file): \(reason)" }
}

/// A safetensors file: named little-endian tensors plus string metadata.
///
/// Layout: an 8-byte little-endian header length n, n bytes of JSON
/// (`{"name": {"dtype", "shape", "data_offsets": [begin, end]}, …,
/// "__metadata__": {…}}`), then the raw data; offsets count from the end of
/// the header. Written with sorted keys, tensors in name order, and the header
/// padded with spaces so the data starts 8-byte aligned. Readable by Python's
/// `safetensors` with NumPy or PyTorch.
public struct SafetensorsFile: Sendable, Equatable {
  /// The element types this file format supports here.
  public enum DType: String, Sendable, Equatable {
    case f32 = "F32"
    case i32 = "I32"
    case i64 = "I64"

    /// Bytes per element.
    public var size: Int { self == .i64 ? 8 : 4 }
  }

  /// One tensor's values.
  public enum Values: Sendable, Equatable {
    case f32([Float])
    case i32([Int32])
    case i64([Int64])

    /// The element type these values are stored as.
    public var dtype: DType {
      switch self {
      case .f32: .f32
      case .i32: .i32
      case .i64: .i64
      }
    }

    /// The number of elements.
    public var count: Int {
      switch self {
      case .f32(let v): v.count
      case .i32(let v): v.count
      case .i64(let v): v.count
      }
    }
  }

  /// One named tensor: its shape (row-major) and values.
  public struct Tensor: Sendable, Equatable {
    /// Row-major dimensions ([] for a scalar).
    public let shape: [Int]
    /// The elements in row-major order.
    public let values: Values

    /// A tensor whose value count must equal the product of `shape` (a scalar has shape []).
    public init(shape: [Int], values: Values) {
      precondition(shape.allSatisfy { $0 >= 0 }, "shape \(shape) has a negative dimension")
      precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
      self.shape = shape
      self.values = values
    }

    /// An F32 tensor.
    public init(shape: [Int], floats: [Float]) { self.init(shape: shape, values: .f32(floats)) }
    /// An I32 tensor.
    public init(shape: [Int], ints: [Int32]) { self.init(shape: shape, values: .i32(ints)) }
  }

  /// Tensors by name.
  public var tensors: [String: Tensor]
  /// The header's `__metadata__` (string to string).
  public var metadata: [String: String]

  /// A file holding `tensors` and `metadata`.
  public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
    self.tensors = tensors
    self.metadata = metadata
  }

  // MARK: - Typed access

  /// The Float values of tensor `name`, or an error naming the file when it is missing or not F32.
  public func floats(_ name: String, file: String = "safetensors data") throws(SafetensorsError) -> [Float] {
    guard let tensor = tensors[name] else { throw SafetensorsError(file: file, reason: "missing tensor \(name)") }
    guard case .f32(let values) = tensor.values else {
      throw SafetensorsError(file: file, reason: "tensor \(name) has dtype \(tensor.values.dtype.rawValue), expected F32")
    }
    return values
  }

  /// The integer values of tensor `name` as Int32 (I64 is narrowed when every value fits).
  public func int32s(_ name: String, file: String = "safetensors data") throws(SafetensorsError) -> [Int32] {
    guard let tensor = tensors[name] else { throw SafetensorsError(file: file, reason: "missing tensor \(name)") }
    switch tensor.values {
    case .i32(let values): return values
    case .i64(let values):
      var narrowed: [Int32] = []
      narrowed.reserveCapacity(values.count)
      for value in values {
        guard let small = Int32(exactly: value) else {
          throw SafetensorsError(file: file, reason: "tensor \(name) holds \(value), which does not fit in Int32")
        }
        narrowed.append(small)
      }
      return narrowed
    case .f32:
      throw SafetensorsError(file: file, reason: "tensor \(name) has dtype F32, expected I32 or I64")
    }
  }

  // MARK: - Writing

  /// The file's bytes.
  public func encoded() -> Data {
    let names = tensors.keys.sorted()
    var entries: [(String, String)] = []
    var offset = 0
    for name in names {
      let tensor = tensors[name]!
      let bytes = tensor.values.count * tensor.values.dtype.size
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      entries.append((
        name,
        "{\"data_offsets\":[\(offset),\(offset + bytes)],\"dtype\":\"\(tensor.values.dtype.rawValue)\",\"shape\":[\(shape)]}"
      ))
      offset += bytes
    }
    if !metadata.isEmpty {
      let fields = metadata.keys.sorted().map { "\(Self.jsonString($0)):\(Self.jsonString(metadata[$0]!))" }
      entries.append(("__metadata__", "{" + fields.joined(separator: ",") + "}"))
    }
    entries.sort { $0.0 < $1.0 }
    var header = Array(("{" + entries.map { "\(Self.jsonString($0.0)):\($0.1)" }.joined(separator: ",") + "}").utf8)
    while (8 + header.count) % 8 != 0 { header.append(UInt8(ascii: " ")) }
    var data = Data(capacity: 8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(contentsOf: header)
    for name in names {
      switch tensors[name]!.values {
      case .f32(let values): Self.appendLittleEndian(values.map(\.bitPattern), to: &data)
      case .i32(let values): Self.appendLittleEndian(values, to: &data)
      case .i64(let values): Self.appendLittleEndian(values, to: &data)
      }
    }
    return data
  }

  private static func appendLittleEndian<I: FixedWidthInteger>(_ values: [I], to data: inout Data) {
    let little = values.map(\.littleEndian)
    little.withUnsafeBytes { data.append(contentsOf: $0) }
  }

  private static func jsonString(_ text: String) -> String {
    JSONValue.quoted(text)
  }

  /// Writes the file atomically (see `AtomicFile`): readers see the old file or the new one.
  public func write(to url: URL) throws(SafetensorsError) {
    do {
      try AtomicFile.write(encoded(), to: url)
    } catch {
      throw SafetensorsError(file: error.file, reason: error.reason)
    }
  }

  // MARK: - Reading

  /// Reads and validates the file at `url`, which must be a regular file.
  public static func read(from url: URL) throws(SafetensorsError) -> SafetensorsFile {
    let data: Data
    do {
      try FileKind.requireRegularFile(url.path, expected: "a safetensors file")
      data = try Data(contentsOf: url)
    } catch let error as FileKind.Problem {
      throw SafetensorsError(file: url.path, reason: error.reason)
    } catch {
      throw SafetensorsError(file: url.path, reason: "cannot read: \(FileKind.reason(error))")
    }
    return try SafetensorsFile(data: data, file: url.path)
  }

  /// Parses and validates safetensors bytes; `file` names the source in errors.
  public init(data: Data, file: String) throws(SafetensorsError) {
    func fail(_ reason: String) -> SafetensorsError { SafetensorsError(file: file, reason: reason) }
    func bytesCount(_ n: Int) -> String { n == 1 ? "1 byte" : "\(n) bytes" }
    let bytes = [UInt8](data)
    let notSafetensors = "is not a safetensors file (expected an 8-byte header length, then a JSON header)"
    guard bytes.count >= 10 else { throw fail("\(notSafetensors); it holds only \(bytes.count) bytes") }
    var headerLength: UInt64 = 0
    for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    // A header always starts with "{": anything else is some other kind of file.
    guard bytes[8] == UInt8(ascii: "{") else { throw fail(notSafetensors) }
    guard headerLength >= 2, headerLength <= UInt64(bytes.count - 8) else {
      throw fail("header length \(headerLength) runs past the end of the file (\(bytes.count) bytes): the file is truncated or not a safetensors file")
    }
    let headerEnd = 8 + Int(headerLength)
    let headerBytes = Data(bytes[8..<headerEnd])
    guard String(data: headerBytes, encoding: .utf8) != nil else { throw fail("header is not valid UTF-8") }
    let json: Any
    do {
      // Not JSONSerialization: on Linux it drops a U+FEFF that starts a string or follows an
      // escape, so a tokenizer holding that character would not load from its own checkpoint.
      json = try JSONDecoder().decode(JSONTree.self, from: headerBytes).foundation
    } catch {
      throw fail("header is not valid JSON")
    }
    guard let header = json as? [String: Any] else { throw fail("header is not a JSON object") }
    let dataSize = bytes.count - headerEnd

    var metadata: [String: String] = [:]
    if let rawMetadata = header["__metadata__"] {
      guard let fields = rawMetadata as? [String: Any] else { throw fail("__metadata__ is not an object") }
      for (key, value) in fields {
        guard let text = value as? String else { throw fail("__metadata__.\(key) is not a string") }
        metadata[key] = text
      }
    }

    var tensors: [String: Tensor] = [:]
    var spans: [(begin: Int, end: Int, name: String)] = []
    for (name, rawEntry) in header where name != "__metadata__" {
      guard let entry = rawEntry as? [String: Any] else { throw fail("tensor \(name): entry is not an object") }
      guard let dtypeName = entry["dtype"] as? String else { throw fail("tensor \(name): dtype missing or not a string") }
      guard let dtype = DType(rawValue: dtypeName) else {
        throw fail("tensor \(name): unsupported dtype \(dtypeName), expected F32, I32 or I64")
      }
      guard let shape = Self.integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
        throw fail("tensor \(name): shape must be an array of non-negative integers")
      }
      guard let offsets = Self.integers(entry["data_offsets"]), offsets.count == 2 else {
        throw fail("tensor \(name): data_offsets must be two integers")
      }
      let begin = offsets[0], end = offsets[1]
      guard begin >= 0, begin <= end, end <= dataSize else {
        throw fail("tensor \(name): data_offsets [\(begin), \(end)] outside the data (\(dataSize) bytes)")
      }
      var count = 1
      for dimension in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        guard !overflow else { throw fail("tensor \(name): shape \(shape) is too large") }
        count = product
      }
      let (needed, tooLarge) = count.multipliedReportingOverflow(by: dtype.size)
      guard !tooLarge, needed == end - begin else {
        throw fail("tensor \(name): \(end - begin) bytes of data, but shape \(shape) of \(dtype.rawValue) needs \(needed)")
      }
      spans.append((begin, end, name))
      let start = headerEnd + begin
      let values: Values
      switch dtype {
      case .f32: values = .f32(Self.decode(bytes, start: start, count: count, as: UInt32.self, into: Float.self))
      case .i32: values = .i32(Self.decode(bytes, start: start, count: count, as: Int32.self))
      case .i64: values = .i64(Self.decode(bytes, start: start, count: count, as: Int64.self))
      }
      tensors[name] = Tensor(shape: shape, values: values)
    }
    // The tensors must tile the data exactly: a gap, an overlap or trailing bytes mean a
    // wrong header length or a damaged file, and every tensor would read shifted values.
    spans.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    var covered = 0
    var previous = ""
    for span in spans where span.end > span.begin {
      if span.begin < covered { throw fail("tensors \(previous) and \(span.name) overlap in the data") }
      previous = span.name
      if span.begin > covered { throw fail("a gap of \(bytesCount(span.begin - covered)) at data offset \(covered), between tensors") }
      covered = span.end
    }
    if covered != dataSize {
      throw fail("\(bytesCount(dataSize - covered)) of trailing data after the last tensor (the header length or the file size is wrong)")
    }
    self.tensors = tensors
    self.metadata = metadata
  }

  private static func integers(_ value: Any?) -> [Int]? {
    guard let array = value as? [Any] else { return nil }
    var result: [Int] = []
    for element in array {
      guard let integer = element as? Int else { return nil }
      result.append(integer)
    }
    return result
  }

  private static func decode<I: FixedWidthInteger>(_ bytes: [UInt8], start: Int, count: Int, as: I.Type) -> [I] {
    decode(bytes, start: start, count: count, as: I.self, into: I.self)
  }

  /// `count` little-endian values of type `I` from `start`, as `T` (of the same size: I itself,
  /// or Float for UInt32). One copy on little-endian machines, element by element otherwise.
  private static func decode<I: FixedWidthInteger, T>(_ bytes: [UInt8], start: Int, count: Int, as: I.Type, into: T.Type) -> [T] {
    precondition(MemoryLayout<T>.size == MemoryLayout<I>.size)
    let size = MemoryLayout<I>.size
    return bytes.withUnsafeBytes { raw in
      [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        let out = UnsafeMutableRawBufferPointer(buffer)
        out.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<(start + count * size)]))
        if I(littleEndian: 1) != 1 {
          for i in 0..<count {
            out.storeBytes(of: I(littleEndian: out.load(fromByteOffset: i * size, as: I.self)), toByteOffset: i * size, as: I.self)
          }
        }
        initialized = count
      }
    }
  }

}

/// Any JSON value, read with `JSONDecoder` (which keeps every character of a string) and
/// handed on as Foundation values: `[String: Any]`, `[Any]`, `String`, `Int`, `Double`, `Bool`, `NSNull`.
package enum JSONTree: Decodable {
  case value(Any)

  package var foundation: Any {
    switch self {
    case .value(let value): value
    }
  }

  package init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .value(NSNull())
    } else if let value = try? container.decode(Bool.self) {
      self = .value(value)
    } else if let value = try? container.decode(Int.self) {
      self = .value(value)
    } else if let value = try? container.decode(Double.self) {
      self = .value(value)
    } else if let value = try? container.decode(String.self) {
      self = .value(value)
    } else if let value = try? container.decode([JSONTree].self) {
      self = .value(value.map(\.foundation))
    } else {
      self = .value(try container.decode([String: JSONTree].self).mapValues(\.foundation))
    }
  }
}
