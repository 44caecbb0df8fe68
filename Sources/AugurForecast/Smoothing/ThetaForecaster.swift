import AugurCore

/// The theta method of Assimakopoulos & Nikolopoulos (2000), in Hyndman & Billah's (2003) form: simple
/// exponential smoothing with a drift equal to half the slope of the series' linear trend,
///
///     ŷ_{n+h} = ℓ_n + (b/2)·((h − 1) + (1 − (1 − α)^n)/α),
///
/// as `forecast::thetaf` computes it. When the series tests seasonal (`Seasonality.isSeasonal` at period
/// m, the 90% ACF test) it is first divided by classical multiplicative seasonal indices, and forecasts and
/// bounds are multiplied back. Intervals are those of the SES part, σ²(1 + α²(h − 1)), as in `thetaf`.
public struct ThetaForecaster: Forecaster {
    public let kind = ModelKind.theta
    /// The candidate season; nil takes it from the history's frequency (daily data counts as non-seasonal,
    /// see `Seasonality.modelPeriod`). It is used only when the seasonality test accepts it.
    public var season: Int?
    /// The smoothing parameter of the last fit.
    public private(set) var alpha = 0.5
    /// Half the slope of the (deseasonalised) series' least-squares line.
    public private(set) var drift = 0.0
    /// Seasonal indices of the last fit, empty when the series was treated as non-seasonal.
    public private(set) var seasonalIndices: [Double] = []
    private var fitted: (level: Double, count: Int)?
    private var sigma = 0.0

    public init(season: Int? = nil) { self.season = season }

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        try requireCount(history, 3, model: name)
        var y = history.values
        let m = season ?? (history.frequency == .daily ? 1 : history.frequency?.seasonLength ?? 1)
        seasonalIndices = []
        if m > 1, y.allSatisfy({ $0 > 0 }), Seasonality.isSeasonal(y, period: m) {
            seasonalIndices = try ClassicalDecomposition.multiplicativeIndices(y, period: m)
            y = y.indices.map { y[$0] / seasonalIndices[$0 % m] }
        }
        alpha = SimpleExponentialSmoothing.optimalAlpha(y)
        let ses = SimpleExponentialSmoothing.run(y, alpha: alpha)
        sigma = residualVariance(ses.residuals, estimatedParameters: 1).squareRoot()
        drift = Self.leastSquaresSlope(y) / 2
        fitted = (ses.level, y.count)
    }

    /// Slope of the least-squares line through (t, y_t), t = 0 … n−1.
    static func leastSquaresSlope(_ y: [Double]) -> Double {
        let n = Double(y.count)
        let tMean = (n - 1) / 2, yMean = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (t, v) in y.enumerated() {
            let dt = Double(t) - tMean
            sxy += dt * (v - yMean)
            sxx += dt * dt
        }
        return sxx > 0 ? sxy / sxx : 0
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        try validatePrediction(horizon: horizon, levels: levels)
        guard let fitted else { throw .notFitted(model: name) }
        let start = (1 - integerPower(1 - alpha, fitted.count)) / alpha
        let points = (1...horizon).map { fitted.level + drift * (Double($0 - 1) + start) }
        let standardErrors = (1...horizon).map { sigma * (1 + alpha * alpha * Double($0 - 1)).squareRoot() }
        var forecast = try Forecast.gaussian(model: kind, point: points, standardErrors: standardErrors, levels: levels)
        if !seasonalIndices.isEmpty {
            let m = seasonalIndices.count
            let factors = (0..<horizon).map { seasonalIndices[(fitted.count + $0) % m] }
            forecast.point = zip(forecast.point, factors).map { $0 * $1 }
            for i in forecast.intervals.indices {
                forecast.intervals[i].lower = zip(forecast.intervals[i].lower, factors).map { $0 * $1 }
                forecast.intervals[i].upper = zip(forecast.intervals[i].upper, factors).map { $0 * $1 }
            }
        }
        return forecast
    }
}

/// base^n by repeated squaring, for (1 − α)^n without Foundation.
private func integerPower(_ base: Double, _ n: Int) -> Double {
    var result = 1.0, b = base, e = n
    while e > 0 {
        if e & 1 == 1 { result *= b }
        b *= b
        e >>= 1
    }
    return result
}
