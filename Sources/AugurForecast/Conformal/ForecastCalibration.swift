import AugurCore

/// A forecast path kept for calibration: made at `origin` (the model saw the first `origin` values of
/// the history), with the model's own intervals per calibrated level.
public struct RecordedPath: Sendable, Codable, Equatable {
    public var origin: Int
    public var point: [Double]
    /// `lower[l]`, `upper[l]`: the model's own bounds at the record's l-th level (empty without).
    public var lower: [[Double]]
    public var upper: [[Double]]

    public init(origin: Int, forecast: Forecast, levels: [Double], horizon: Int) {
        self.origin = origin
        point = Array(forecast.point.prefix(horizon))
        let own = levels.compactMap { forecast.interval(level: $0) }
        lower = own.count == levels.count ? own.map { Array($0.lower.prefix(horizon)) } : []
        upper = own.count == levels.count ? own.map { Array($0.upper.prefix(horizon)) } : []
    }

    func calibrationPath(levels: [Double], shift: Int) -> CalibrationPath {
        CalibrationPath(origin: origin - shift, point: point,
                        modelIntervals: lower.isEmpty ? [] : levels.indices.map {
                            PredictionInterval(level: levels[$0], lower: lower[$0], upper: upper[$0])
                        },
                        feedsCalibration: true)
    }
}

/// The calibration state of one model on one series, as the store keeps it between forecasts: the
/// method validation chose, and the model's forecast paths at recent origins whose errors calibrate
/// the next interval. The online part (the score windows, adaptive conformal's miscoverage per horizon)
/// is a function of these paths and the data, replayed at each forecast: a path stored today is
/// resolved by tomorrow's bar, so tomorrow's interval learns from today's miss.
public struct CalibrationRecord: Sendable, Codable, Equatable {
    public var choice: IntervalChoice
    public var levels: [Double]
    /// Steps calibrated (longer forecasts need a new record).
    public var horizon: Int
    public var returnKind: ReturnKind
    /// The values the calibration reads start here (absolute index); volatility models are estimated on
    /// values[windowStart ..< estimationEnd].
    public var windowStart: Int
    public var estimationEnd: Int
    /// Oldest first; at most `keep`.
    public var paths: [RecordedPath]
    public var keep: Int
    /// Each candidate's validation score when the choice was made (lower is better), best first.
    public var ranking: [Ranked]
    /// ACI's miscoverage per horizon and level after the newest resolved path (nil when the method
    /// does not adapt).
    public var alpha: [[Double]]?

    public struct Ranked: Sendable, Codable, Equatable {
        public var choice: IntervalChoice
        public var score: Double
    }

    /// What a forecast says about its intervals, e.g. `GARCH(1,1)-scaled conformal, ACI γ=0.005 (validated
    /// on 375 origins; 80% miscoverage now 0.17 at h=1)`.
    public var summary: String {
        var s = choice.description + " (chosen on \(paths.count) origins"
        if let i = levels.firstIndex(of: 80), let a = alpha?.first, i < a.count {
            s += String(format: "; ACI's 80%% target miscoverage now %.3f at h=1", a[i])
        }
        return s + ")"
    }
}

/// The calibration layer at a forecast origin (what `augur forecast` and `augur daily` use), the same
/// methods as the backtest's: `calibrate` makes a record from the model's forecasts at the newest
/// origins of the history and chooses the method on them; `advance` adds today's forecast to a stored
/// record and replays it.
public enum ForecastCalibration {
    /// Origins a new record forecasts from: the newest `span` (at most half the history), every one.
    public static let span = 500
    /// Observations before the calibration window that volatility models may be estimated on.
    public static let estimationWindow = 1000

    /// The origins a new record forecasts from: the newest `span` of `history` (at most half of it).
    public static func origins(_ history: TimeSeriesHistory) -> Range<Int> {
        let n = history.count
        return min(max(n - min(span, n / 2), 2), n)..<n
    }

    /// A new record and the calibrated forecast at the end of `history`.
    ///
    /// - Parameters:
    ///   - final: the model's forecast from the whole history, `horizon` steps with its own intervals at
    ///     `levels` (when it has them).
    ///   - pathsAt: the model's forecasts, likewise, from each of the prefixes given (each fitted on that
    ///     prefix alone), in order; called once with the prefixes at `origins(history)`.
    public static func calibrate(history: TimeSeriesHistory, horizon: Int, levels: [Double],
                                 policy: IntervalPolicy = .calibrated, final: Forecast,
                                 pathsAt: ([TimeSeriesHistory]) throws(ForecastError) -> [Forecast])
        throws(ForecastError) -> (forecast: Forecast, record: CalibrationRecord) {
        let n = history.count
        let range = origins(history), first = range.lowerBound
        let forecasts = try pathsAt(range.map { history.prefix($0) })
        guard forecasts.count == range.count else {
            throw .lengthMismatch(what: "calibration forecasts", expected: range.count, got: forecasts.count)
        }
        let paths = zip(range, forecasts).map { RecordedPath(origin: $0, forecast: $1, levels: levels, horizon: horizon) }
        let windowStart = max(0, first - estimationWindow)
        var record = CalibrationRecord(choice: .conformal(.split), levels: levels, horizon: horizon, returnKind: ReturnKind.of(history.values[windowStart..<n], kind: history.kind),
                                       windowStart: windowStart, estimationEnd: n, paths: paths, keep: n - first,
                                       ranking: [], alpha: nil)
        guard policy != .model, paths.count >= 20 else {
            record.choice = policy == .split ? .conformal(.split) : .model
            return try advance(record, history: history, forecast: final)
        }
        var prepared: IntervalCalibrator?
        if policy == .calibrated {
            let candidates = IntervalMethod.calibrationCandidates(for: history, step: 1)
            let calibrator = record.calibrator(history, preparing: candidates.methods.map(\.volatility))
            prepared = calibrator
            let cal = record.paths.map { $0.calibrationPath(levels: levels, shift: windowStart) }
            let chosen = try calibrator.chooseAndRun(paths: cal, candidates: candidates.methods,
                                                     includeModel: candidates.includeModel,
                                                     validationStart: cal[cal.count / 4].origin, cutoff: n - windowStart)
            record.choice = chosen.choice
            record.ranking = chosen.ranking.map { CalibrationRecord.Ranked(choice: $0.0, score: $0.1) }
        }
        return try advance(record, history: history, forecast: final, calibrator: prepared)
    }

    /// Adds the forecast made at the end of `history` to `record` (replacing one made at the same
    /// origin), drops the oldest paths beyond `keep`, and returns that forecast with the record's
    /// method's intervals. `calibrator`: one already made for this record and history (its volatility
    /// paths are reused).
    public static func advance(_ record: CalibrationRecord, history: TimeSeriesHistory, forecast: Forecast,
                               calibrator: IntervalCalibrator? = nil)
        throws(ForecastError) -> (forecast: Forecast, record: CalibrationRecord) {
        var r = record
        let n = history.count
        guard forecast.horizon <= r.horizon else {
            throw .invalidParameter(name: "horizon", value: Double(forecast.horizon),
                                    reason: "beyond the \(r.horizon) steps this calibration covers")
        }
        r.paths.removeAll { $0.origin >= n }
        let newest = RecordedPath(origin: n, forecast: forecast, levels: r.levels, horizon: r.horizon)
        if r.paths.count >= r.keep { r.paths.removeFirst(r.paths.count - r.keep + 1) }
        let all = r.paths + [newest]
        var out = forecast
        let run = try (calibrator ?? r.calibrator(history)).run(r.choice, paths: all.map { $0.calibrationPath(levels: r.levels, shift: r.windowStart) })
        // The calibrator works on the calibrated horizon; the forecast may be shorter.
        out.intervals = run.intervals[all.count - 1].map { i in
            PredictionInterval(level: i.level, lower: Array(i.lower.prefix(forecast.horizon)),
                               upper: Array(i.upper.prefix(forecast.horizon)))
        }
        r.alpha = run.alpha
        r.paths = all
        return (out, r)
    }
}

extension CalibrationRecord {
    func calibrator(_ history: TimeSeriesHistory, preparing: [VolatilityModel] = []) -> IntervalCalibrator {
        IntervalCalibrator(values: Array(history.values[windowStart...]), levels: levels, horizon: horizon,
                           returnKind: returnKind, estimationEnd: estimationEnd - windowStart, preparing: preparing)
    }
}
