import AugurCore

/// Simple exponential smoothing, ETS(A,N,N): a level that moves a fraction α towards each new value;
/// the forecast is flat at the last level.
///
/// α is chosen by minimising the one-step in-sample SSE with golden-section search on [0.0001, 0.9999];
/// the level starts at the first value, so residuals run from the second. Intervals use the ETS(A,N,N)
/// variance σ²(1 + α²(h − 1)) (FPP3 §8.7), σ² from the residuals with one estimated parameter.
public struct SimpleExponentialSmoothing: Forecaster {
    public let kind = ModelKind.ses
    /// A fixed α, or nil to fit it.
    public var fixedAlpha: Double?
    /// The α used by the last fit.
    public private(set) var alpha = 0.5
    private var level: Double?
    private var sigma = 0.0

    public init(alpha: Double? = nil) { fixedAlpha = alpha }

    static let alphaBounds = 0.0001...0.9999

    /// One-step SSE and final level of SES with smoothing `alpha` and initial level y₁.
    static func run(_ y: [Double], alpha: Double) -> (sse: Double, level: Double, residuals: [Double]) {
        var level = y[0], sse = 0.0
        var residuals: [Double] = []
        residuals.reserveCapacity(y.count - 1)
        for t in 1..<y.count {
            let e = y[t] - level
            sse += e * e
            residuals.append(e)
            level += alpha * e
        }
        return (sse, level, residuals)
    }

    /// The SSE-optimal α for `y`.
    static func optimalAlpha(_ y: [Double]) -> Double {
        Optimizer.goldenSection(in: alphaBounds, tolerance: 1e-7) { run(y, alpha: $0).sse }.x
    }

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        try requireCount(history, 3, model: name)
        if let a = fixedAlpha, !(a > 0 && a <= 1) {
            throw .invalidParameter(name: "alpha", value: a, reason: "must lie in (0, 1]")
        }
        alpha = fixedAlpha ?? Self.optimalAlpha(history.values)
        let fitted = Self.run(history.values, alpha: alpha)
        sigma = residualVariance(fitted.residuals, estimatedParameters: 1).squareRoot()
        level = fitted.level
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        try validatePrediction(horizon: horizon, levels: levels)
        guard let level else { throw .notFitted(model: name) }
        return try .gaussian(model: kind, point: Array(repeating: level, count: horizon),
                             standardErrors: (1...horizon).map { sigma * (1 + alpha * alpha * Double($0 - 1)).squareRoot() },
                             levels: levels)
    }
}
