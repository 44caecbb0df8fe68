import AugurCore

/// How each metric is computed, from one `MetricInput` (the keys are AugurCore's `Metric`).
extension Metric {
    public func value(on input: MetricInput) throws(ForecastError) -> Double {
        let y = input.actual, f = input.point
        guard !y.isEmpty else { throw .undefinedMetric(metric: self, reason: "no forecasts to score") }
        guard f.count == y.count else { throw .lengthMismatch(what: "\(rawValue) forecasts", expected: y.count, got: f.count) }
        switch self {
        case .mae:
            return meanAbsoluteError(y, f)
        case .rmse:
            return (zip(y, f).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(y.count)).squareRoot()
        case .mape:
            guard !y.contains(0) else { throw .undefinedMetric(metric: self, reason: "an actual value is zero") }
            return 100 * zip(y, f).reduce(0) { $0 + abs($1.0 - $1.1) / abs($1.0) } / Double(y.count)
        case .smape:
            return 100 * zip(y, f).reduce(0) { acc, p in
                let denominator = abs(p.0) + abs(p.1)
                return denominator == 0 ? acc : acc + 2 * abs(p.0 - p.1) / denominator
            } / Double(y.count)
        case .mase:
            let scale = try Metric.maseScale(training: input.training, seasonLength: input.seasonLength)
            return meanAbsoluteError(y, f) / scale
        case .relativeMAE:
            let b = try require(input.baselinePoint, "baseline forecasts", count: y.count)
            let baselineMAE = meanAbsoluteError(y, b)
            guard baselineMAE > 0 else { throw .undefinedMetric(metric: self, reason: "the baseline is exact") }
            return meanAbsoluteError(y, f) / baselineMAE
        case .directionalAccuracy:
            let o = try require(input.originValues, "origin values", count: y.count)
            // A flat forecast (sign 0) is right only when the actual did not move either: "no change"
            // is a direction call like any other, so the naive model scores the share of flat moves.
            let hits = (0..<y.count).filter { signum(f[$0] - o[$0]) == signum(y[$0] - o[$0]) }.count
            return 100 * Double(hits) / Double(y.count)
        case .coverage80, .coverage95:
            let (lower, upper) = try bounds(input, level: self == .coverage80 ? 80 : 95, count: y.count)
            let inside = (0..<y.count).filter { lower[$0] <= y[$0] && y[$0] <= upper[$0] }.count
            return 100 * Double(inside) / Double(y.count)
        case .pinball:
            guard !input.intervals.isEmpty else { throw .missingMetricInput(metric: self, input: "intervals") }
            var total = 0.0, terms = 0
            for i in input.intervals {
                let tail = (1 - i.level / 100) / 2
                for (tau, q) in [(tail, i.lower), (1 - tail, i.upper)] {
                    let q = try require(q, "interval bounds", count: y.count)
                    for k in 0..<y.count { total += Metric.pinballLoss(actual: y[k], quantile: q[k], probability: tau) }
                    terms += y.count
                }
            }
            return total / Double(terms)
        case .width80, .width95:
            let (lower, upper) = try bounds(input, level: self == .width80 ? 80 : 95, count: y.count)
            return zip(lower, upper).reduce(0) { $0 + ($1.1 - $1.0) } / Double(y.count)
        case .msis:
            let (lower, upper) = try bounds(input, level: 95, count: y.count)
            let scale = try Metric.maseScale(training: input.training, seasonLength: input.seasonLength)
            let alpha = 0.05
            var total = 0.0
            for k in 0..<y.count {
                total += upper[k] - lower[k]
                if y[k] < lower[k] { total += 2 / alpha * (lower[k] - y[k]) }
                if y[k] > upper[k] { total += 2 / alpha * (y[k] - upper[k]) }
            }
            return total / Double(y.count) / scale
        }
    }

    /// The bounds of the interval at `level`, aligned with the forecasts.
    private func bounds(_ input: MetricInput, level: Double, count: Int) throws(ForecastError) -> (lower: [Double], upper: [Double]) {
        guard let i = input.intervals.first(where: { abs($0.level - level) < 1e-9 }) else {
            throw .missingMetricInput(metric: self, input: "a \(Int(level))% interval")
        }
        return (try require(i.lower, "interval lower bounds", count: count), try require(i.upper, "interval upper bounds", count: count))
    }

    /// MASE's denominator: mean |y_t − y_{t−m}| over the training data, the in-sample MAE of the naive
    /// (m = 1) or seasonal naive (m > 1) forecast.
    public static func maseScale(training: [Double], seasonLength m: Int) throws(ForecastError) -> Double {
        guard m >= 1 else { throw .invalidParameter(name: "seasonLength", value: Double(m), reason: "must be at least 1") }
        guard training.count > m else {
            throw .missingMetricInput(metric: .mase, input: "training data longer than one season (\(m))")
        }
        let scale = (m..<training.count).reduce(0) { $0 + abs(training[$1] - training[$1 - m]) } / Double(training.count - m)
        guard scale > 0 else { throw .undefinedMetric(metric: .mase, reason: "the training data never changes") }
        return scale
    }

    /// max(τ(y − q), (τ − 1)(y − q)): under-forecasts cost τ per unit, over-forecasts 1 − τ.
    public static func pinballLoss(actual y: Double, quantile q: Double, probability tau: Double) -> Double {
        let e = y - q
        return max(tau * e, (tau - 1) * e)
    }

    private func require(_ values: [Double], _ what: String, count: Int) throws(ForecastError) -> [Double] {
        guard !values.isEmpty else { throw .missingMetricInput(metric: self, input: what) }
        guard values.count == count else { throw .lengthMismatch(what: "\(rawValue) \(what)", expected: count, got: values.count) }
        return values
    }
}

private func meanAbsoluteError(_ y: [Double], _ f: [Double]) -> Double {
    zip(y, f).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(y.count)
}

private func signum(_ x: Double) -> Int { x > 0 ? 1 : (x < 0 ? -1 : 0) }
