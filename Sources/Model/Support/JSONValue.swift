/// A JSON document built in code, written with its object keys in the order given.
///
/// Swift dictionaries compare strings by canonical equivalence, so "é" and "e" + U+0301
/// would share one key; vocabularies that keep them apart are written through this type.
package indirect enum JSONValue: Sendable {
  case string(String)
  case int(Int)
  case double(Double)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// The document as UTF-8 text, two-space indented; non-ASCII text is written as is.
  package func serialized() -> String {
    var out = ""
    write(to: &out, indent: "")
    out += "\n"
    return out
  }

  private func write(to out: inout String, indent: String) {
    switch self {
    case .string(let text): Self.quote(text, to: &out)
    case .int(let value): out += String(value)
    case .double(let value): out += value.isFinite ? "\(value)" : "null"
    case .bool(let value): out += value ? "true" : "false"
    case .null: out += "null"
    case .array(let items):
      guard !items.isEmpty else { out += "[]"; return }
      let inner = indent + "  "
      out += "[\n"
      for (index, item) in items.enumerated() {
        out += inner
        item.write(to: &out, indent: inner)
        out += index + 1 < items.count ? ",\n" : "\n"
      }
      out += indent + "]"
    case .object(let members):
      guard !members.isEmpty else { out += "{}"; return }
      let inner = indent + "  "
      out += "{\n"
      for (index, (key, value)) in members.enumerated() {
        out += inner
        Self.quote(key, to: &out)
        out += ": "
        value.write(to: &out, indent: inner)
        out += index + 1 < members.count ? ",\n" : "\n"
      }
      out += indent + "}"
    }
  }

  /// `text` as a JSON string literal, quotes included.
  package static func quoted(_ text: String) -> String {
    var out = ""
    quote(text, to: &out)
    return out
  }

  private static func quote(_ text: String, to out: inout String) {
    out += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}
