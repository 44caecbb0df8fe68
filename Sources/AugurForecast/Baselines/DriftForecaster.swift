import AugurCore

/// The random walk with drift: the last value plus h times the average change over the history,
/// i.e. the line from the first to the last observation extended.
///
/// Intervals: the forecast error adds the h one-step errors (variance hσ²) and h times the error of the
/// estimated drift, which is the mean of n − 1 differences (variance h²σ²/(n − 1)); so the standard
/// error is σ√(h(1 + h/(n − 1))). σ² comes from the drift-corrected differences, with one parameter.
public struct DriftForecaster: Forecaster {
    public let kind = ModelKind.drift
    private var last: Double?
    private var slope = 0.0
    private var sigma = 0.0
    private var differenceCount = 1

    public init() {}

    /// The estimated drift per step, (y_n − y_1)/(n − 1); zero before fitting.
    public var drift: Double { slope }

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        try requireCount(history, 3, model: name)
        let y = history.values, n = y.count
        slope = (y[n - 1] - y[0]) / Double(n - 1)
        let residuals = (1..<n).map { y[$0] - y[$0 - 1] - slope }
        sigma = residualVariance(residuals, estimatedParameters: 1).squareRoot()
        differenceCount = n - 1
        last = y[n - 1]
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        try validatePrediction(horizon: horizon, levels: levels)
        guard let last else { throw .notFitted(model: name) }
        let steps = (1...horizon).map(Double.init)
        let m = Double(differenceCount)
        return try .gaussian(model: kind, point: steps.map { last + $0 * slope },
                             standardErrors: steps.map { sigma * ($0 * (1 + $0 / m)).squareRoot() },
                             levels: levels)
    }
}
