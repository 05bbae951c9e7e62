#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Round tick values for a plot's step axis: 0, 500, 1k, 1.5k on a linear axis; 1, 10, 100, 1k on a log one.
///
/// A reader takes in "1k" at a glance and not "15169 30337", so ticks sit on 1, 2 or 5
/// times a power of ten, and labels drop trailing zeros into k and M.
public enum AxisTicks {
  /// Ticks on a linear axis from `low` to `high`: at most `maxCount`, on a round spacing.
  public static func linear(from low: Double, to high: Double, maxCount: Int) -> [Double] {
    guard low.isFinite, high.isFinite, high > low, maxCount >= 2 else { return low.isFinite ? [low] : [] }
    let rough = (high - low) / Double(maxCount - 1)
    let magnitude = pow(10, floor(log10(rough)))
    let spacing = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough * (1 - 1e-9) } ?? 10 * magnitude
    var ticks: [Double] = []
    var value = ceil(low / spacing - 1e-9) * spacing
    while value <= high + spacing * 1e-9 {
      ticks.append(abs(value) < spacing * 1e-9 ? 0 : value)
      value += spacing
    }
    return ticks
  }

  /// Powers of ten from `low` to `high` (both above 0); when there are more than
  /// `maxCount`, every second or third decade.
  public static func logarithmic(from low: Double, to high: Double, maxCount: Int) -> [Double] {
    guard low > 0, high >= low, low.isFinite, high.isFinite, maxCount >= 1 else { return [] }
    let first = Int(ceil(log10(low) - 1e-9))
    let last = Int(floor(log10(high) + 1e-9))
    guard last >= first else { return [] }
    let every = Swift.max(1, Int(ceil(Double(last - first + 1) / Double(maxCount))))
    return stride(from: first, through: last, by: every).map { pow(10, Double($0)) }
  }

  /// A tick's label: `0`, `500`, `1k`, `1.5k`, `10k`, `2M`; fractions for small values.
  public static func label(_ value: Double) -> String {
    let magnitude = abs(value)
    func trimmed(_ number: Double) -> String {
      var text = formatFixed(number, decimals: 2)
      if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
      }
      return text
    }
    if magnitude >= 1_000_000 { return trimmed(value / 1_000_000) + "M" }
    if magnitude >= 1000 { return trimmed(value / 1000) + "k" }
    return trimmed(value)
  }
}
