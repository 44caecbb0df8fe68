import AugurCore

/// The historical mean: every future value equals the average of the history.
///
/// Intervals: σ√(1 + 1/n), a new observation's variance plus that of the estimated mean; σ² is the sample
/// variance (one estimated parameter).
public struct MeanForecaster: Forecaster {
    public let kind = ModelKind.mean
    private var mean: Double?
    private var sigma = 0.0
    private var count = 1

    public init() {}

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        try requireCount(history, 2, model: name)
        let y = history.values
        let m = y.reduce(0, +) / Double(y.count)
        sigma = residualVariance(y.map { $0 - m }, estimatedParameters: 1).squareRoot()
        count = y.count
        mean = m
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        try validatePrediction(horizon: horizon, levels: levels)
        guard let mean else { throw .notFitted(model: name) }
        let se = sigma * (1 + 1 / Double(count)).squareRoot()
        return try .gaussian(model: kind, point: Array(repeating: mean, count: horizon),
                             standardErrors: Array(repeating: se, count: horizon), levels: levels)
    }
}
