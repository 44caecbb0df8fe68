import AugurCore
/// Split-conformal prediction intervals: bounds taken from the empirical distribution of a model's past
/// errors rather than from a variance formula, for models that have none (a neural net) or whose
/// formula is doubtful.
///
/// With n calibration residuals r = actual − forecast at a horizon, the k-th smallest score with
/// k = ⌈(n + 1)·p⌉ is the finite-sample-corrected p-quantile: if the residuals and the next error are
/// exchangeable, the interval covers with probability at least the nominal level.
public enum ConformalIntervals {
    public enum Method: Sendable {
        /// point ± the level-quantile of |r|: symmetric, the right choice for unbiased errors.
        case symmetric
        /// point + the (1 − L)/2 and (1 + L)/2 quantiles of r: follows skew and bias in the errors.
        case quantile
    }

    /// Intervals around `point` at each level; `calibrationResiduals[k]` holds the residuals observed at
    /// horizon k + 1 and must exist for every step of `point`.
    ///
    /// - Throws: `ForecastError.insufficientData` when a horizon has too few residuals for a level
    ///   (the corrected quantile would be beyond the largest: 95% needs at least 19 residuals for
    ///   `.symmetric`, 39 for `.quantile`).
    public static func intervals(point: [Double], calibrationResiduals: [[Double]], levels: [Double],
                                 method: Method = .symmetric) throws(ForecastError) -> [PredictionInterval] {
        guard calibrationResiduals.count >= point.count else {
            throw .lengthMismatch(what: "calibration horizons", expected: point.count, got: calibrationResiduals.count)
        }
        var out: [PredictionInterval] = []
        for level in levels {
            guard level > 0, level < 100 else { throw .invalidLevel(level) }
            var lower: [Double] = [], upper: [Double] = []
            for (k, p) in point.enumerated() {
                let r = calibrationResiduals[k]
                switch method {
                case .symmetric:
                    let q = try orderStatistic(r.map(abs).sorted(), probability: level / 100)
                    lower.append(p - q)
                    upper.append(p + q)
                case .quantile:
                    let sorted = r.sorted(), tail = (1 - level / 100) / 2
                    // The lower bound mirrors the upper: the k-th largest is the (n + 1 − k)-th smallest.
                    let high = try orderStatistic(sorted, probability: 1 - tail)
                    let low = -(try orderStatistic(sorted.reversed().map { -$0 }, probability: 1 - tail))
                    lower.append(p + low)
                    upper.append(p + high)
                }
            }
            out.append(PredictionInterval(level: level, lower: lower, upper: upper))
        }
        return out
    }

    /// The ⌈(n + 1)p⌉-th smallest of `sorted` (1-based).
    static func orderStatistic(_ sorted: [Double], probability p: Double) throws(ForecastError) -> Double {
        let n = sorted.count
        // The small slack keeps (n + 1)p that is an integer in exact arithmetic from rounding up past it.
        let k = Int((Double(n + 1) * p - 1e-9).rounded(.up))
        guard k <= n, k >= 1 else {
            throw .insufficientData(model: "conformal", needed: Int((p / (1 - p)).rounded(.up)), got: n)
        }
        return sorted[k - 1]
    }

    /// Residuals actual − forecast per horizon 1…`horizon`, from `origins` rolling origins that end just
    /// before the last observation of `history`: the model is fitted on the data before each origin only,
    /// so the residuals are honest out-of-sample errors. Origins whose target lies beyond the history are
    /// skipped, so longer horizons get fewer residuals.
    public static func calibrationResiduals<F: Forecaster>(_ model: F, history: TimeSeriesHistory, horizon: Int,
                                                           origins: Int) throws(ForecastError) -> [[Double]] {
        guard horizon >= 1 else { throw .invalidHorizon(horizon) }
        var model = model
        var residuals = [[Double]](repeating: [], count: horizon)
        let n = history.count
        // Origin o sees values[0 ..< o]; the last one can still score horizon 1 at index n − 1.
        for origin in max(1, n - origins)..<n {
            try model.fit(history.prefix(origin))
            let forecast = try model.predict(horizon: horizon, levels: [])
            for h in 1...horizon where origin + h - 1 < n {
                residuals[h - 1].append(history.values[origin + h - 1] - forecast.point[h - 1])
            }
        }
        return residuals
    }
}

/// Wraps any forecaster and replaces its intervals with split-conformal ones, calibrated at each `fit`
/// on the wrapped model's errors over the last `calibrationOrigins` origins of the history.
public struct ConformalForecaster<Base: Forecaster>: Forecaster {
    public var base: Base
    public var calibrationOrigins: Int
    public var method: ConformalIntervals.Method
    /// The largest horizon calibrated; `predict` beyond it throws.
    public var maxHorizon: Int
    private var residuals: [[Double]] = []

    public var kind: ModelKind { base.kind }

    public init(_ base: Base, calibrationOrigins: Int = 100, maxHorizon: Int, method: ConformalIntervals.Method = .symmetric) {
        self.base = base
        self.calibrationOrigins = calibrationOrigins
        self.maxHorizon = maxHorizon
        self.method = method
    }

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        residuals = try ConformalIntervals.calibrationResiduals(base, history: history, horizon: maxHorizon,
                                                                origins: calibrationOrigins)
        try base.fit(history)
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        guard horizon <= maxHorizon else { throw .invalidHorizon(horizon) }
        guard !residuals.isEmpty else { throw .notFitted(model: name) }
        var forecast = try base.predict(horizon: horizon, levels: [])
        forecast.intervals = try ConformalIntervals.intervals(point: forecast.point, calibrationResiduals: residuals,
                                                              levels: levels, method: method)
        return forecast
    }
}
