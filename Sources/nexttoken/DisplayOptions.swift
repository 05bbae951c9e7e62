import ArgumentParser
import Foundation
import TermUI

/// How the app draws: the flags the interactive commands share.
struct DisplayOptions: ParsableArguments {
  @Flag(
    help: ArgumentHelp(
      "Draw with the characters a Linux console shows: block and ASCII plots, shaded heatmaps, plain-math formulas.",
      discussion: "Also chosen by TERM=linux and by NEXTTOKEN_ASCII=1."))
  var ascii = false

  @Flag(
    name: .customLong("no-mouse"),
    help: ArgumentHelp(
      "Leave the mouse to the terminal.",
      discussion: "The mouse clicks lessons, stages, tokens and choices, and the wheel scrolls; shift-drag still selects text in most terminals."))
  var noMouse = false

  /// True when the frames must keep to the console-safe characters.
  var isConsoleSafe: Bool { Self.isConsoleSafe(flag: ascii, environment: ProcessInfo.processInfo.environment) }

  /// `--ascii`, NEXTTOKEN_ASCII=1, or the Linux console (TERM=linux, linux-16color, …).
  static func isConsoleSafe(flag: Bool, environment: [String: String]) -> Bool {
    if flag { return true }
    if let value = environment["NEXTTOKEN_ASCII"], !value.isEmpty, value != "0" { return true }
    let term = environment["TERM"] ?? ""
    return term == "linux" || term.hasPrefix("linux-")
  }

  /// The theme for a terminal of `capability`.
  func theme(capability: ColorCapability) -> Theme {
    Theme(capability: capability, consoleSafe: isConsoleSafe)
  }
}
