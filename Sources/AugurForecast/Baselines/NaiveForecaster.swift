import AugurCore

/// The random walk: every future value equals the last observed one. The baseline every other model must beat.
///
/// Intervals: the h-step error is a sum of h independent one-step errors, so its standard error is σ√h,
/// with σ² the mean squared first difference (FPP3 §5.5).
public struct NaiveForecaster: Forecaster {
    public let kind = ModelKind.naive
    private var last: Double?
    private var sigma = 0.0

    public init() {}

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        try requireCount(history, 2, model: name)
        let y = history.values
        let residuals = (1..<y.count).map { y[$0] - y[$0 - 1] }
        sigma = residualVariance(residuals, estimatedParameters: 0).squareRoot()
        last = y[y.count - 1]
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        try validatePrediction(horizon: horizon, levels: levels)
        guard let last else { throw .notFitted(model: name) }
        return try .gaussian(model: kind, point: Array(repeating: last, count: horizon),
                             standardErrors: (1...horizon).map { sigma * Double($0).squareRoot() },
                             levels: levels)
    }
}
