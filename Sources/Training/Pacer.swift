import Curriculum

/// Decides when a paced run takes its next step, from times it is handed.
///
/// Invariant: from `start(at:)` on, a punctual caller gets exactly ⌊t·rate⌋ + 1 steps in
/// its first t seconds. A caller that falls behind (a slow step, a loaded machine) catches
/// up at most `maxBacklog` seconds' worth of steps, so after a stall the run goes on at
/// its pace instead of racing. Taking the time as an argument keeps it testable without
/// sleeping.
struct Pacer: Sendable {
  /// How far behind its schedule a run may catch up.
  static let maxBacklog = 0.1

  private(set) var pace: Pace
  /// The schedule: step n of it is due at `anchor + n × interval` (no drift from adding
  /// intervals up). Nil until the first step, which is due at once.
  private var anchor: Double?
  private var booked = 0
  private var lastStep: Double?

  init(pace: Pace = .max) {
    self.pace = pace
  }

  private var interval: Double? { pace.rate.map { 1 / Double($0) } }

  private var nextDue: Double? {
    guard let anchor, let interval else { return nil }
    return anchor + Double(booked) * interval
  }

  /// Starts a fresh schedule: the next step is due at once.
  mutating func start() {
    anchor = nil
  }

  /// Changes the pace; the next step comes one new interval after the last one.
  mutating func setPace(_ pace: Pace) {
    self.pace = pace
    guard let lastStep, let interval else { return }
    anchor = lastStep + interval
    booked = 0
  }

  /// Whether a step may be taken at `now`; if so, books it.
  mutating func takeStep(at now: Double) -> Bool {
    guard interval != nil else {
      lastStep = now
      return true
    }
    if let due = nextDue {
      guard now >= due else { return false }
      if now - due > Self.maxBacklog {
        anchor = now
        booked = 0
      }
    } else {
      anchor = now
      booked = 0
    }
    booked += 1
    lastStep = now
    return true
  }

  /// Seconds from `now` until the next step is due (0 when one is due now).
  func delay(at now: Double) -> Double {
    guard let nextDue else { return 0 }
    return Swift.max(0, nextDue - now)
  }
}
