/// Formats a number with a fixed number of decimals, without Foundation.
///
/// Non-finite values read "nan", "inf" and "-inf".
public func formatFixed(_ value: Double, decimals: Int) -> String {
  if value.isNaN { return "nan" }
  if value.isInfinite { return value < 0 ? "-inf" : "inf" }
  let decimals = max(0, min(9, decimals))
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let scaled = (abs(value) * scale).rounded()
  guard scaled < 9e18 else { return String(value) }
  let integer = UInt64(scaled)
  let divisor = UInt64(scale)
  let whole = integer / divisor
  let fraction = integer % divisor
  let sign = value < 0 && integer != 0 ? "-" : ""
  if decimals == 0 { return sign + String(whole) }
  let digits = String(fraction)
  return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
}

/// Formats a number in few characters for axis ticks and legends: 1.2k, 0.031, 4.17.
public func formatCompact(_ value: Double) -> String {
  if !value.isFinite { return formatFixed(value, decimals: 0) }
  let magnitude = abs(value)
  if magnitude >= 1_000_000 { return formatFixed(value / 1_000_000, decimals: magnitude >= 10_000_000 ? 0 : 1) + "M" }
  if magnitude >= 10_000 { return formatFixed(value / 1000, decimals: 0) + "k" }
  if magnitude >= 1000 { return formatFixed(value / 1000, decimals: 1) + "k" }
  if magnitude >= 100 || magnitude == 0 { return formatFixed(value, decimals: 0) }
  if magnitude >= 10 { return formatFixed(value, decimals: 1) }
  if magnitude >= 1 { return formatFixed(value, decimals: 2) }
  if magnitude >= 0.01 { return formatFixed(value, decimals: 3) }
  return formatFixed(value, decimals: 4)
}
