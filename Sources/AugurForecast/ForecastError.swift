/// Everything that can go wrong while fitting, forecasting, scoring or backtesting.
public enum ForecastError: Error, Equatable, CustomStringConvertible {
    /// `predict` was called before `fit`.
    case notFitted(model: String)
    /// The history is too short for the model (e.g. seasonal naive needs one full season).
    case insufficientData(model: String, needed: Int, got: Int)
    case invalidHorizon(Int)
    /// A prediction-interval level outside (0, 100).
    case invalidLevel(Double)
    case invalidParameter(name: String, value: Double, reason: String)
    case nonFiniteValue(index: Int)
    case lengthMismatch(what: String, expected: Int, got: Int)
    /// A metric needs an input that was not supplied (training data for MASE, origins for direction, …).
    case missingMetricInput(metric: String, input: String)
    /// A metric is undefined on these values (no points, a zero MASE scale, a zero actual for MAPE).
    case undefinedMetric(metric: String, reason: String)

    public var description: String {
        switch self {
        case .notFitted(let m): return "model '\(m)' was asked to forecast before it was fitted"
        case .insufficientData(let m, let needed, let got):
            return "model '\(m)' needs at least \(needed) observations, got \(got)"
        case .invalidHorizon(let h): return "forecast horizon must be at least 1, got \(h)"
        case .invalidLevel(let l): return "interval level must be strictly between 0 and 100 (percent), got \(l)"
        case .invalidParameter(let n, let v, let r): return "parameter \(n) = \(v) is invalid: \(r)"
        case .nonFiniteValue(let i): return "value at index \(i) is NaN or infinite"
        case .lengthMismatch(let w, let e, let g): return "\(w): expected \(e) values, got \(g)"
        case .missingMetricInput(let m, let i): return "metric \(m) needs \(i), which was not supplied"
        case .undefinedMetric(let m, let r): return "metric \(m) is undefined: \(r)"
        }
    }
}
