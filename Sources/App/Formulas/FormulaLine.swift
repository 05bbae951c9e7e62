import Foundation
import TermUI

/// One line of the formula panel.
public struct FormulaLine: Sendable, Equatable {
  /// What a line is, so the panel can style it.
  public enum Role: Sendable, Equatable {
    /// What the lines below compute.
    case heading
    /// A formula with this step's numbers plugged in.
    case math
    /// The value the stage view shows, computed again here.
    case result
    /// A remark in words.
    case note
  }

  public var text: String
  public var role: Role

  public init(_ text: String, _ role: Role = .math) {
    self.text = text
    self.role = role
  }
}

/// Numbers and symbols written for a terminal: Unicode math, or plain ASCII where the font lacks it.
enum MathText {
  /// The ASCII spelling of one symbol (nil: the character stays).
  private static let plainSymbols: [Character: String] = [
    "√": "sqrt", "Σ": "sum", "∂": "d", "−": "-", "·": "*", "↦": "->", "→": "->", "‖": "|", "∞": "inf",
    "≥": ">=", "≤": "<=", "≠": "!=", "≈": "~", "β": "b", "λ": "lambda", "ε": "eps", "ℓ": "l", "′": "'",
    "m̂": "m^", "v̂": "v^", "×": "x", "…": "...", "“": "\"", "”": "\"", "⊙": "*", "∈": "in",
  ]
  private static let subscripts: [Character: Character] = [
    "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
    "ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₜ": "t", "₋": "-",
  ]
  private static let superscripts: [Character: Character] = [
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
    "ᵗ": "t", "⁻": "-",
  ]

  /// `text` in plain ASCII math: √ → sqrt, Σ → sum, β₁ᵗ → b_1^t.
  static func plain(_ text: String) -> String {
    var text = text
    for (symbol, spelled) in [("√v̂", "sqrt(v^)"), ("√d", "sqrt(d)")] {
      text = text.replacingOccurrences(of: symbol, with: spelled)
    }
    var out = ""
    var run: Character?  // "_" or "^" while inside a run of sub- or superscripts
    for character in text {
      if let sub = subscripts[character] {
        if run != "_" { out.append("_") }
        out.append(sub)
        run = "_"
      } else if let sup = superscripts[character] {
        if run != "^" { out.append("^") }
        out.append(sup)
        run = "^"
      } else {
        out += plainSymbols[character] ?? String(character)
        run = nil
      }
    }
    return out
  }

  /// `n` in subscript digits: 12 → ₁₂.
  static func subscripted(_ n: Int) -> String {
    let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
    return String(String(n).map { $0 == "-" ? "₋" : digits[Int(String($0))!] })
  }

  /// A fixed-point number with a real minus sign: −0.0301.
  static func fixed(_ value: Double, _ decimals: Int) -> String {
    minus(formatFixed(value, decimals: decimals))
  }

  /// A signed fixed-point number: +0.0147, −0.0301.
  static func signed(_ value: Double, _ decimals: Int) -> String {
    // The sign of the value itself, as the stage views print it: −0.000 for a tiny negative.
    (value < 0 ? "−" : "+") + formatFixed(abs(value), decimals: decimals)
  }

  /// About `digits` significant digits, in scientific notation when small: 1.08e−5.
  static func number(_ value: Double, digits: Int = 3) -> String {
    if value == 0 || !value.isFinite { return fixed(value, 0) }
    let magnitude = abs(value)
    if magnitude >= 1e-3 && magnitude < 1e5 {
      let exponent = Int((magnitude).log10Floor)
      return fixed(value, max(0, digits - 1 - exponent))
    }
    let exponent = Int(magnitude.log10Floor)
    var mantissa = value / pow10(exponent)
    var shown = exponent
    if abs((mantissa * pow10(digits - 1)).rounded()) >= pow10(digits) { mantissa /= 10; shown += 1 }
    return fixed(mantissa, digits - 1) + "e" + minus(String(shown))
  }

  /// A hyperparameter as it is usually written: 0.9, 0.95, 1e−8, 0.003.
  static func constant(_ value: Double) -> String {
    var text = number(value, digits: 3)
    let exponent = text.firstIndex(of: "e").map { String(text[$0...]) } ?? ""
    text = String(text.dropLast(exponent.count))
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text + exponent
  }

  /// A number as a factor of a product: negatives in parentheses.
  static func factor(_ value: Double, digits: Int = 3) -> String {
    let text = number(value, digits: digits)
    return value < 0 ? "(" + text + ")" : text
  }

  private static func pow10(_ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<abs(n) { result *= 10 }
    return n < 0 ? 1 / result : result
  }

  private static func minus(_ text: String) -> String {
    text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }
}

extension Double {
  /// ⌊log₁₀ |self|⌋ for a finite non-zero value, without Foundation.
  fileprivate var log10Floor: Double {
    var magnitude = Swift.abs(self)
    var exponent = 0.0
    while magnitude >= 10 { magnitude /= 10; exponent += 1 }
    while magnitude < 1 { magnitude *= 10; exponent -= 1 }
    return exponent
  }
}
