import Foundation

/// A number as a learner may type it in a check: `5.15`, `1/8`, `2^3`, `√16`, `ln 172`, `e^2`.
///
/// Full-width digits and Chinese punctuation are read as their ASCII forms (a Chinese
/// input method types `５．１５` or `１，３００`). A comma before exactly three digits
/// groups thousands (`1,300` is 1300); any other comma is a decimal comma (`5,15`).
/// Functions: `ln`, `log` (natural, as in the lessons), `log2`, `log10`, `exp`, `sqrt`/`√`;
/// constants `e` and `π`/`pi`; `%` divides by 100; `×`, `·`, `÷` and `**` work as in print.
public enum NumberExpression {
  /// The value of `text`, or nil when it is no expression of those forms or its value is not finite.
  public static func evaluate(_ text: String) -> Double? {
    let normalized = normalize(text)
    guard !normalized.isEmpty, normalized.count <= 200 else { return nil }
    var parser = Parser(Array(normalized))
    guard let value = parser.parseExpression(), parser.isAtEnd, value.isFinite else { return nil }
    return value
  }

  /// ASCII forms of full-width characters, Chinese punctuation and typographic operators.
  static func normalize(_ text: String) -> String {
    let compatible = text.precomposedStringWithCompatibilityMapping
    var out = ""
    for character in compatible {
      switch character {
      case "。", "．": out.append(".")
      case "，", "、": out.append(",")
      case "（": out.append("(")
      case "）": out.append(")")
      case "−", "–", "－": out.append("-")
      case "×", "·", "⋅", "∗": out.append("*")
      case "÷", "∕", "⁄": out.append("/")
      case "＾": out.append("^")
      case "％": out.append("%")
      case "√", "π": out.append(character)
      default:
        if character.isWhitespace { out.append(" ") } else { out.append(contentsOf: String(character).lowercased()) }
      }
    }
    return groupThousands(out.replacingOccurrences(of: "**", with: "^").trimmingCharacters(in: .whitespaces))
  }

  /// Drops commas that group thousands and turns the others into decimal points.
  ///
  /// A comma is a thousands separator when it follows a digit run that does not start
  /// with a lone 0 and exactly three digits follow it (not four, not a decimal point then more).
  static func groupThousands(_ text: String) -> String {
    let characters = Array(text)
    var out = ""
    var index = 0
    while index < characters.count {
      let character = characters[index]
      guard character == "," else {
        out.append(character)
        index += 1
        continue
      }
      let lead = String(out.reversed().prefix { $0.isASCIIDigit }.reversed())
      let after = characters[(index + 1)...].prefix { $0.isASCIIDigit }
      let isGrouping = !lead.isEmpty && lead != "0" && after.count == 3
      out.append(isGrouping ? "" : ".")
      index += 1
    }
    return out
  }

  /// A recursive-descent parser over the normalised characters.
  struct Parser {
    let characters: [Character]
    var index = 0
    /// Nesting depth, bounded so a long run of `(` cannot exhaust the stack.
    var depth = 0

    init(_ characters: [Character]) {
      self.characters = characters
    }

    var isAtEnd: Bool {
      mutating get {
        skipSpaces()
        return index == characters.count
      }
    }

    mutating func skipSpaces() {
      while index < characters.count, characters[index] == " " { index += 1 }
    }

    mutating func peek() -> Character? {
      skipSpaces()
      return index < characters.count ? characters[index] : nil
    }

    mutating func take(_ character: Character) -> Bool {
      guard peek() == character else { return false }
      index += 1
      return true
    }

    /// expression := term (('+' | '-') term)*
    mutating func parseExpression() -> Double? {
      depth += 1
      defer { depth -= 1 }
      guard depth < 32, var value = parseTerm() else { return nil }
      while true {
        if take("+") {
          guard let rhs = parseTerm() else { return nil }
          value += rhs
        } else if take("-") {
          guard let rhs = parseTerm() else { return nil }
          value -= rhs
        } else {
          return value
        }
      }
    }

    /// term := unary (('*' | '/') unary | unary)*, the last being implicit multiplication (`2√16`, `2e`).
    mutating func parseTerm() -> Double? {
      guard var value = parseUnary() else { return nil }
      while true {
        if take("*") {
          guard let rhs = parseUnary() else { return nil }
          value *= rhs
        } else if take("/") {
          guard let rhs = parseUnary() else { return nil }
          value /= rhs
        } else if let next = peek(), next == "(" || next == "√" || next == "π" || next.isLetter {
          guard let rhs = parseUnary() else { return nil }
          value *= rhs
        } else {
          return value
        }
      }
    }

    /// unary := ('-' | '+') unary | power
    mutating func parseUnary() -> Double? {
      depth += 1
      defer { depth -= 1 }
      guard depth < 64 else { return nil }
      if take("-") { return parseUnary().map { -$0 } }
      if take("+") { return parseUnary() }
      return parsePower()
    }

    /// power := postfix ('^' unary)?, right-associative: `2^3^2` is 2^9.
    mutating func parsePower() -> Double? {
      guard let base = parsePostfix() else { return nil }
      guard take("^") else { return base }
      guard let exponent = parseUnary() else { return nil }
      return Foundation.pow(base, exponent)
    }

    /// postfix := primary '%'?
    mutating func parsePostfix() -> Double? {
      guard let value = parsePrimary() else { return nil }
      return take("%") ? value / 100 : value
    }

    /// primary := number | constant | function operand | '(' expression ')'
    mutating func parsePrimary() -> Double? {
      guard let next = peek() else { return nil }
      if next == "(" {
        index += 1
        guard let value = parseExpression(), take(")") else { return nil }
        return value
      }
      if next == "√" {
        index += 1
        return parseFunctionOperand().map { $0.squareRoot() }
      }
      if next == "π" {
        index += 1
        return Double.pi
      }
      if next.isASCIIDigit || next == "." { return parseNumber() }
      guard next.isLetter else { return nil }
      var name = ""
      while index < characters.count, characters[index].isLetter || (!name.isEmpty && characters[index].isASCIIDigit && name.hasPrefix("log")) {
        name.append(characters[index])
        index += 1
      }
      switch name {
      case "e": return M_E
      case "pi": return Double.pi
      case "ln", "log": return parseFunctionOperand().map { Foundation.log($0) }
      case "log2": return parseFunctionOperand().map { Foundation.log2($0) }
      case "log10", "lg": return parseFunctionOperand().map { Foundation.log10($0) }
      case "exp": return parseFunctionOperand().map { Foundation.exp($0) }
      case "sqrt": return parseFunctionOperand().map { $0.squareRoot() }
      default: return nil
      }
    }

    /// A function's operand: `ln 172`, `ln(172)`, `√16`, `ln e^2` (a power binds tighter than the function).
    mutating func parseFunctionOperand() -> Double? {
      depth += 1
      defer { depth -= 1 }
      guard depth < 64 else { return nil }
      if take("-") { return parseFunctionOperand().map { -$0 } }
      return parsePower()
    }

    /// A decimal number, with an optional exponent: `5.15`, `.5`, `1e-3`.
    mutating func parseNumber() -> Double? {
      let start = index
      while index < characters.count, characters[index].isASCIIDigit || characters[index] == "." { index += 1 }
      // An exponent only when digits follow (`2e` is 2·e, `1e-3` is 0.001).
      if index < characters.count, characters[index] == "e" {
        var look = index + 1
        if look < characters.count, characters[look] == "-" || characters[look] == "+" { look += 1 }
        if look < characters.count, characters[look].isASCIIDigit {
          index = look
          while index < characters.count, characters[index].isASCIIDigit { index += 1 }
        }
      }
      return Double(String(characters[start..<index]))
    }
  }
}

extension Character {
  var isASCIIDigit: Bool { isASCII && isNumber }
}
