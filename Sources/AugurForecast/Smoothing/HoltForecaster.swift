import AugurCore

/// Holt's linear trend method with an optional damped trend, ETS(A,Ad,N) / ETS(A,A,N).
///
/// The forecast is ℓ_n + (φ + φ² + … + φ^h)·b_n: with φ < 1 the trend flattens out, which forecasts
/// better than a trend extended for ever (Gardner & McKenzie). Parameters α, β* (the trend's smoothing
/// in component form) and φ minimise the one-step SSE by Nelder–Mead within α, β* ∈ [0.0001, 0.9999]
/// and φ ∈ [0.8, 0.98] (the bounds `forecast::ets` uses). States start at ℓ₁ = y₁, b₁ = y₂ − y₁.
///
/// Intervals: the class-1 ETS variance σ²(1 + Σ_{j=1}^{h−1} c_j²) with c_j = α + αβ*·(φ + … + φ^j),
/// which is the closed form of FPP3 Table 8.8 written as its sum.
public struct HoltForecaster: Forecaster {
    public let kind = ModelKind.holt
    public var damped: Bool
    /// Fixed parameters (nil entries are fitted).
    public var fixedAlpha: Double?, fixedBeta: Double?, fixedPhi: Double?
    /// The parameters of the last fit.
    public private(set) var alpha = 0.5, beta = 0.1, phi = 1.0
    private var state: (level: Double, trend: Double)?
    private var sigma = 0.0

    public init(damped: Bool = true, alpha: Double? = nil, beta: Double? = nil, phi: Double? = nil) {
        self.damped = damped
        fixedAlpha = alpha
        fixedBeta = beta
        fixedPhi = phi
    }

    /// One-step SSE, final states and residuals for the given parameters.
    static func run(_ y: [Double], alpha: Double, beta: Double, phi: Double)
        -> (sse: Double, level: Double, trend: Double, residuals: [Double]) {
        var level = y[0], trend = y[1] - y[0], sse = 0.0
        var residuals: [Double] = []
        residuals.reserveCapacity(y.count - 1)
        for t in 1..<y.count {
            let forecast = level + phi * trend
            let e = y[t] - forecast
            sse += e * e
            residuals.append(e)
            // Error-correction form: ℓ_t = ℓ_{t−1} + φb_{t−1} + αe_t, b_t = φb_{t−1} + αβ*e_t.
            level = forecast + alpha * e
            trend = phi * trend + alpha * beta * e
        }
        return (sse, level, trend, residuals)
    }

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        try requireCount(history, 4, model: name)
        let y = history.values
        let unit = 0.0001...0.9999
        for (label, value) in [("alpha", fixedAlpha), ("beta", fixedBeta)] {
            if let v = value, !(v > 0 && v <= 1) { throw .invalidParameter(name: label, value: v, reason: "must lie in (0, 1]") }
        }
        if let v = fixedPhi, !(v > 0 && v <= 1) { throw .invalidParameter(name: "phi", value: v, reason: "must lie in (0, 1]") }
        let phiBounds = damped ? 0.8...0.98 : 1.0...1.0
        // Optimise only the free parameters; fixed ones are pinned by equal bounds.
        let lower = [fixedAlpha ?? unit.lowerBound, fixedBeta ?? unit.lowerBound, fixedPhi ?? phiBounds.lowerBound]
        let upper = [fixedAlpha ?? unit.upperBound, fixedBeta ?? unit.upperBound, fixedPhi ?? phiBounds.upperBound]
        let start = [fixedAlpha ?? 0.5, fixedBeta ?? 0.1, fixedPhi ?? phiBounds.upperBound]
        let best = Optimizer.nelderMead(start: start, lower: lower, upper: upper, tolerance: 1e-10, maxEvaluations: 600) {
            Self.run(y, alpha: $0[0], beta: $0[1], phi: $0[2]).sse
        }
        (alpha, beta, phi) = (best.x[0], best.x[1], best.x[2])
        let fitted = Self.run(y, alpha: alpha, beta: beta, phi: phi)
        sigma = residualVariance(fitted.residuals, estimatedParameters: damped ? 3 : 2).squareRoot()
        state = (fitted.level, fitted.trend)
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        try validatePrediction(horizon: horizon, levels: levels)
        guard let state else { throw .notFitted(model: name) }
        var points: [Double] = [], standardErrors: [Double] = []
        var dampedSum = 0.0, phiPower = 1.0, varianceSum = 1.0
        for _ in 1...horizon {
            // Standard error at step h uses c_1 … c_{h−1}: add c_{h−1} before advancing φ's sum.
            standardErrors.append(sigma * varianceSum.squareRoot())
            phiPower *= phi
            dampedSum += phiPower
            points.append(state.level + dampedSum * state.trend)
            let c = alpha + alpha * beta * dampedSum
            varianceSum += c * c
        }
        return try .gaussian(model: kind, point: points, standardErrors: standardErrors, levels: levels)
    }
}
