import AugurCore

/// Seasonal naive: each future value equals the value one season earlier (last January for next January).
///
/// Intervals: σ√(⌊(h − 1)/m⌋ + 1), since the forecast for h only accumulates one seasonal-difference
/// error per complete season ahead; σ² from the seasonal differences y_t − y_{t−m} (FPP3 §5.5).
public struct SeasonalNaiveForecaster: Forecaster {
    public let kind = ModelKind.snaive
    /// The season length; nil takes the history's frequency's `seasonLength` (12 for monthly, 5 for daily).
    public var season: Int?
    private var lastSeason: [Double]?
    private var sigma = 0.0

    public init(season: Int? = nil) { self.season = season }

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        guard let m = season ?? history.frequency?.seasonLength else {
            throw .invalidParameter(name: "season", value: .nan,
                                    reason: "give a season length or a history with dates or a frequency")
        }
        guard m >= 1 else { throw .invalidParameter(name: "season", value: Double(m), reason: "must be at least 1") }
        try requireCount(history, m + 1, model: name)
        let y = history.values
        let residuals = (m..<y.count).map { y[$0] - y[$0 - m] }
        sigma = residualVariance(residuals, estimatedParameters: 0).squareRoot()
        lastSeason = Array(y.suffix(m))
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        try validatePrediction(horizon: horizon, levels: levels)
        guard let lastSeason else { throw .notFitted(model: name) }
        let m = lastSeason.count
        return try .gaussian(model: kind, point: (0..<horizon).map { lastSeason[$0 % m] },
                             standardErrors: (0..<horizon).map { sigma * Double($0 / m + 1).squareRoot() },
                             levels: levels)
    }
}
