import AugurCore

/// Deciding whether a series is seasonal, and with what period, for the models and MASE's scale.
public enum Seasonality {
    /// Sample autocorrelations r_1 … r_maxLag (index 0 holds r_1), with the usual biased estimator
    /// r_k = Σ (y_t − ȳ)(y_{t−k} − ȳ) / Σ (y_t − ȳ)².
    public static func autocorrelations(_ y: [Double], maxLag: Int) -> [Double] {
        let n = y.count
        guard n > 1, maxLag >= 1 else { return [] }
        let mean = y.reduce(0, +) / Double(n)
        let d = y.map { $0 - mean }
        let denominator = d.reduce(0) { $0 + $1 * $1 }
        return (1...maxLag).map { k in
            guard k < n, denominator > 0 else { return 0 }
            return (k..<n).reduce(0) { $0 + d[$1] * d[$1 - k] } / denominator
        }
    }

    /// The seasonality test of Hyndman's `thetaf` (also used by statsforecast's theta models): seasonal at
    /// period m when |r_m| exceeds the 90% limit 1.645·√((1 + 2 Σ_{k<m} r_k²)/n), the Bartlett standard
    /// error of r_m under the hypothesis that autocorrelations beyond lag m − 1 vanish.
    /// False for m ≤ 1, for a constant series, and for n ≤ 2m, where the test has too little data.
    public static func isSeasonal(_ y: [Double], period m: Int) -> Bool {
        guard m > 1, y.count > 2 * m, let first = y.first, y.contains(where: { $0 != first }) else { return false }
        let r = autocorrelations(y, maxLag: m)
        let sumSquares = r.prefix(m - 1).reduce(0) { $0 + $1 * $1 }
        let limit = 1.645 * ((1 + 2 * sumSquares) / Double(y.count)).squareRoot()
        return abs(r[m - 1]) > limit
    }

    /// The period classical models should use: the frequency's season length when the test finds it,
    /// else 1. Daily market data is treated as non-seasonal: the ACF test cannot be trusted on a random
    /// walk (its r_5 is near 1 without any weekly pattern), and the statsforecast anchors use m = 1 too.
    public static func modelPeriod(for y: [Double], frequency: Frequency?) -> Int {
        guard let frequency, frequency != .daily else { return 1 }
        let m = frequency.seasonLength
        return isSeasonal(y, period: m) ? m : 1
    }

    /// The season length of the automatic models: 12 monthly, 4 quarterly, 52 weekly; for daily data 5
    /// (the trading week) only when the changes have a strong weekly pattern — a seasonal strength above
    /// 0.64, the threshold of the seasonal-differencing test — and 1 otherwise, as for market series.
    public static func automaticLength(_ history: TimeSeriesHistory) -> Int {
        guard let frequency = history.frequency else { return 1 }
        guard frequency == .daily else { return frequency.seasonLength }
        let y = history.values, week = frequency.seasonLength
        guard y.count > 20 else { return 1 }
        let changes = (1..<y.count).map { y[$0] - y[$0 - 1] }
        return Differencing.seasonalStrength(changes, period: week) > 0.64 ? week : 1
    }

    /// The baseline a model must beat: seasonal naive for a seasonal series (season length over 1),
    /// naive otherwise. `season` overrides the automatic length.
    public static func baseline(_ history: TimeSeriesHistory, season: Int? = nil) -> ModelKind {
        (season ?? automaticLength(history)) > 1 ? .snaive : .naive
    }
}
