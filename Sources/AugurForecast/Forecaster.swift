// AugurForecast: every model behind one `Forecaster` protocol and one registry (`ModelKind.entry`):
// baselines, exponential smoothing, theta and the neural forecasters with their training loop, plus
// metrics, calibration, verdicts and the rolling-origin backtest that compares them.
// May import AugurCore and AugurNN only: no storage, no reports, no printing.
import AugurCore

/// A model that learns from a history and forecasts the next `h` values with prediction intervals.
///
/// Every model in Augur sits behind this protocol, so a backtest or a report never special-cases one:
///
/// ```swift
/// var model: any Forecaster = SimpleExponentialSmoothing()
/// try model.fit(TimeSeriesHistory(values: closes))
/// let f = try model.predict(horizon: 5, levels: [80, 95])
/// f.point          // 5 point forecasts
/// f.interval(level: 95)?.upper
/// ```
///
/// Models that are expensive to refit (a neural net) keep state: the backtest fits them once and then
/// calls `observe(_:newObservationCount:)` as each origin advances; see `RefitPolicy`.
public protocol Forecaster {
    /// Which model this is (its name in reports and tables comes from the kind).
    var kind: ModelKind { get }

    /// The fitted form and parameters, e.g. `ETS(M,N,M) α=0.365 γ=0.002, AICc 1458.1`.
    var fittedDescription: String? { get }

    /// What the user should know about the last fit: a simpler form than asked for and why (a series too
    /// short for its season, a constant series). Empty for most fits.
    var fitNotes: [String] { get }

    /// How often a backtest should call `fit` rather than `observe`. Baselines refit at every origin.
    var refitPolicy: RefitPolicy { get }

    /// Estimates the model from `history`; forecasts are made from the end of `history`.
    mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError)

    /// Tells a fitted model that `history` has grown by its last `newObservationCount` values, without a
    /// full refit; later forecasts start from the new end. The default refits on the whole history.
    mutating func observe(_ history: TimeSeriesHistory, newObservationCount: Int) throws(ForecastError)

    /// Fitted copies of this model, one per history, when the model fits several histories (the prefixes
    /// of one series that a backtest refits at, shortest first) faster together than one by one; nil to
    /// be fitted one by one. Copy k must be exactly what `fit(histories[k])` makes.
    func fittedTogether(_ histories: [TimeSeriesHistory]) throws(ForecastError) -> [any Forecaster]?

    /// Forecasts `horizon` steps after the end of the fitted history, with a central interval per level
    /// (in percent, e.g. `[80, 95]`).
    func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast
}

extension Forecaster {
    /// The kind's name, for messages.
    public var name: String { kind.name }

    /// The fitted form and parameters, for a model that chooses among forms (nil for the others).
    public var fittedDescription: String? { nil }

    public var fitNotes: [String] { [] }

    public func fittedTogether(_ histories: [TimeSeriesHistory]) throws(ForecastError) -> [any Forecaster]? { nil }

    /// Copies of this model, each fitted afresh on one of `histories`: all together when the model can
    /// (`fittedTogether`), else one by one.
    func fitted(on histories: [TimeSeriesHistory]) throws(ForecastError) -> [any Forecaster] {
        if let together = try fittedTogether(histories) { return together }
        var out: [any Forecaster] = []
        out.reserveCapacity(histories.count)
        for h in histories {
            var copy = self
            try copy.fit(h)
            out.append(copy)
        }
        return out
    }

    public var refitPolicy: RefitPolicy { .everyOrigin }

    public mutating func observe(_ history: TimeSeriesHistory, newObservationCount: Int) throws(ForecastError) {
        try fit(history)
    }
}

/// When a backtest re-estimates a model as the origin rolls forward.
public enum RefitPolicy: Sendable, Equatable {
    /// Refit on all data up to every origin (the classical protocol for baselines).
    case everyOrigin
    /// Refit at every `n`-th origin; in between the model is told the new observations.
    case everyNthOrigin(Int)
    /// Fit once before the first origin, then only advance state (a trained neural net).
    case once

    /// Whether the origin with this 0-based ordinal should get a full `fit`.
    public func refits(atOriginOrdinal k: Int) -> Bool {
        switch self {
        case .everyOrigin: return true
        case .everyNthOrigin(let n): return n <= 1 || k % n == 0
        case .once: return k == 0
        }
    }
}

/// A model's forecasts from each of a growing series of prefixes of one history (shortest first), as a
/// backtest and the calibration layer need them: fitted at each prefix the policy refits at (all of
/// them together when the model can: AutoETS does, in SIMD lanes), told the new observations at the
/// others.
///
/// `scored` (one flag per prefix): a backtest's scored origins among origins that only calibrate
/// intervals. From the first scored prefix on, the policy counts scored prefixes only (the others are
/// observed), so a model fitted once is fitted again at the first scored origin on everything before
/// it, and one refitted every n-th origin is refitted at every n-th scored one: the scored forecasts
/// are those of a backtest without calibration origins (which intervals a backtest scores does not
/// change its point forecasts). nil: every prefix counts.
public func forecastPaths(of prototype: any Forecaster, from prefixes: [TimeSeriesHistory], policy: RefitPolicy, horizon: Int,
                      levels: [Double], scored: [Bool]? = nil) throws(ForecastError) -> [Forecast] {
    var out: [Forecast] = []
    out.reserveCapacity(prefixes.count)
    if policy == .everyOrigin, let together = try prototype.fittedTogether(prefixes) {
        for m in together { out.append(try m.predict(horizon: horizon, levels: levels)) }
        return out
    }
    var model = prototype
    var scoredOrdinal = 0, reachedScored = false
    for (k, prefix) in prefixes.enumerated() {
        let isScored = scored.map { k < $0.count && $0[k] } ?? true
        reachedScored = reachedScored || isScored
        let refit: Bool
        if scored == nil || !reachedScored || policy == .everyOrigin {
            refit = policy.refits(atOriginOrdinal: k)
        } else if isScored {
            refit = policy.refits(atOriginOrdinal: scoredOrdinal)
            scoredOrdinal += 1
        } else {
            refit = false
        }
        if refit {
            try model.fit(prefix)
        } else {
            try model.observe(prefix, newObservationCount: prefix.count - prefixes[k - 1].count)
        }
        out.append(try model.predict(horizon: horizon, levels: levels))
    }
    return out
}
