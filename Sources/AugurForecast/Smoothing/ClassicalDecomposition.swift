/// Classical multiplicative seasonal decomposition (R's `decompose(type = "multiplicative")`), used by
/// the theta method to remove seasonality before smoothing and put it back afterwards.
public enum ClassicalDecomposition {
    /// Seasonal indices for positions 0 … m−1 of the series (position of y_t is t mod m), averaging to 1.
    ///
    /// The trend is the centred moving average of order m (a 2×m average when m is even, so it stays
    /// centred); each index is the mean of y_t / trend_t over the seasons where the trend exists, and the
    /// indices are then scaled to mean 1. Needs m ≥ 2, at least 2m values, and all values positive.
    public static func multiplicativeIndices(_ y: [Double], period m: Int) throws(ForecastError) -> [Double] {
        guard m >= 2 else { throw .invalidParameter(name: "period", value: Double(m), reason: "must be at least 2") }
        guard y.count >= 2 * m else { throw .insufficientData(model: "decomposition", needed: 2 * m, got: y.count) }
        guard y.allSatisfy({ $0 > 0 }) else {
            throw .invalidParameter(name: "values", value: y.min() ?? 0, reason: "multiplicative decomposition needs positive values")
        }
        return indices(y, period: m, multiplicative: true)
    }

    /// Seasonal indices, multiplicative (ratios to the centred moving average, scaled to mean 1) or
    /// additive (differences from it, centred on 0). Positions without a trend value get the neutral index.
    static func indices(_ y: [Double], period m: Int, multiplicative: Bool) -> [Double] {
        decompose(y, period: m, multiplicative: multiplicative).indices
    }

    /// The centred moving average of order m: m equal weights for odd m; ½, 1 … 1, ½ over m + 1 points
    /// for even m, so it stays centred. Its values are at t = first ..< first + trend.count (empty when
    /// y is too short for one).
    static func centredMovingAverage(_ y: [Double], order m: Int) -> (first: Int, trend: [Double]) {
        let weights: [Double] = m % 2 == 1 ? Array(repeating: 1.0 / Double(m), count: m)
            : [0.5 / Double(m)] + Array(repeating: 1.0 / Double(m), count: m - 1) + [0.5 / Double(m)]
        let half = weights.count / 2
        var trend: [Double] = []
        trend.reserveCapacity(max(0, y.count - 2 * half))
        for t in half..<max(y.count - half, half) {
            var sum = 0.0
            for (k, w) in weights.enumerated() { sum += w * y[t - half + k] }
            trend.append(sum)
        }
        return (half, trend)
    }

    /// The centred moving average of order m (values at t = first ..< first + trend.count) and the
    /// seasonal indices taken from it.
    static func decompose(_ y: [Double], period m: Int, multiplicative: Bool) -> (first: Int, trend: [Double], indices: [Double]) {
        let (half, trends) = centredMovingAverage(y, order: m)
        var sums = [Double](repeating: 0, count: m), counts = [Int](repeating: 0, count: m)
        for (k, trend) in trends.enumerated() {
            let t = half + k
            sums[t % m] += multiplicative ? y[t] / trend : y[t] - trend
            counts[t % m] += 1
        }
        let raw = (0..<m).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : (multiplicative ? 1 : 0) }
        let mean = raw.reduce(0, +) / Double(m)
        return (half, trends, multiplicative ? raw.map { $0 / mean } : raw.map { $0 - mean })
    }
}
