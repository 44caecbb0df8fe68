/// A central prediction interval: `lower[k]`…`upper[k]` should hold the actual value `level` percent of
/// the time (k a forecast step, or an origin for a backtest's forecasts at one horizon). AugurForecast
/// makes them; AugurReport draws them.
public struct PredictionInterval: Sendable, Equatable {
    /// Nominal coverage in percent, e.g. 80 or 95.
    public var level: Double
    public var lower: [Double]
    public var upper: [Double]

    public init(level: Double, lower: [Double], upper: [Double]) {
        self.level = level
        self.lower = lower
        self.upper = upper
    }
}

extension PredictionInterval {
    /// Whether each actual value fell inside its bounds (`actual` parallel to the bounds).
    public func hits(_ actual: [Double]) -> [Bool] {
        zip(actual, zip(lower, upper)).map { $0 >= $1.0 && $0 <= $1.1 }
    }
}
