import AugurCore

/// Everything that can go wrong while fitting, forecasting, scoring or backtesting.
public enum ForecastError: Error, Equatable, CustomStringConvertible, ClassifiedError {
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
    case missingMetricInput(metric: Metric, input: String)
    /// A metric is undefined on these values (no points, a zero MASE scale, a zero actual for MAPE).
    case undefinedMetric(metric: Metric, reason: String)
    /// A neural model could not be trained or run; the trainer's error is kept.
    case training(model: ModelKind, TrainingError)

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
        case .training(let m, let e): return "\(m): \(e)"
        }
    }

    /// Data that a model cannot fit is the user's to fix (more data, another model); a model's own
    /// failure to run is internal.
    public var blame: Blame {
        switch self {
        case .training(_, let e): return e.blame
        case .insufficientData, .invalidParameter, .nonFiniteValue, .invalidHorizon, .invalidLevel: return .user
        case .notFitted, .lengthMismatch, .missingMetricInput, .undefinedMetric: return .internal
        }
    }
}
