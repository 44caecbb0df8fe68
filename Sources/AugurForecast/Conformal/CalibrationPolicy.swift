/// Where a neural model's conformal calibration looks: the newest `origins` forecast origins of the
/// data it was fitted on (at most `maxShare` of them, so a short series keeps most of its history
/// out of the calibration), each forecast `horizon` steps ahead. One value for every neural model,
/// so the constants live here and nowhere else.
public struct CalibrationPolicy: Sendable, Equatable, Codable {
    /// Calibration origins, the newest of the history.
    public var origins: Int
    /// The largest horizon calibrated (beyond it, intervals widen by √h from the last one).
    public var horizon: Int
    /// The largest share of the available origins used.
    public var maxShare: Double

    public init(origins: Int = 250, horizon: Int = 20, maxShare: Double = 0.25) {
        self.origins = origins
        self.horizon = horizon
        self.maxShare = maxShare
    }

    /// 250 origins, horizons 1…20, at most a quarter of the history.
    public static let standard = CalibrationPolicy()

    /// How many origins to calibrate on when `available` steps could be origins (at least 1).
    public func originCount(available: Int) -> Int {
        min(origins, max(1, Int(Double(available) * maxShare)))
    }

    /// Log-price residuals per horizon, `result[h - 1]`: for every origin o (in order) and every
    /// h ≤ `horizon` with o + h < `count`, the actual log change from o to o + h minus the sum of the
    /// forecast log returns 1…h made at o (`forecastReturns[b]` for the b-th origin).
    public static func logResiduals(origins: [Int], forecastReturns: [[Double]], horizon: Int, count: Int,
                                    actualLogChange: (_ origin: Int, _ steps: Int) -> Double) -> [[Double]] {
        var residuals = [[Double]](repeating: [], count: max(horizon, 0))
        guard horizon >= 1 else { return residuals }
        for (b, o) in origins.enumerated() {
            var cumulative = 0.0
            for h in 1...horizon where o + h < count {
                cumulative += forecastReturns[b][h - 1]
                residuals[h - 1].append(actualLogChange(o, h) - cumulative)
            }
        }
        return residuals
    }
}
