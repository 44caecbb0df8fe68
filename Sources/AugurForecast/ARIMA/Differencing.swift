/// How many differences a series needs before an ARMA model fits it, as R's `forecast::ndiffs` and
/// `nsdiffs` (and statsforecast's ports): repeated KPSS tests for d, a seasonal-strength test for D.
public enum Differencing {
    /// The KPSS level-stationarity statistic (Kwiatkowski et al. 1992) with the Newey–West long-run
    /// variance over `lags` lags (Bartlett weights), as statsmodels' `kpss(x, "c", nlags)`.
    public static func kpss(_ x: [Double], lags: Int) -> Double {
        let n = x.count
        let mean = x.reduce(0, +) / Double(n)
        let e = x.map { $0 - mean }
        var cumulative = 0.0, eta = 0.0
        for v in e { cumulative += v; eta += cumulative * cumulative }
        eta /= Double(n) * Double(n)
        var s = e.reduce(0) { $0 + $1 * $1 }
        if lags > 0 {
            for i in 1...lags where i < n {
                var c = 0.0
                for t in i..<n { c += e[t] * e[t - i] }
                s += 2 * (1 - Double(i) / Double(lags + 1)) * c
            }
        }
        s /= Double(n)
        return eta / s
    }

    /// KPSS's 5% critical value for the level case: the test rejects stationarity above it (its
    /// interpolated p-value is then below 0.05).
    public static let kpssCritical5 = 0.463

    /// Whether the KPSS test rejects level stationarity at 5%, with ⌊3√n/13⌋ lags.
    static func kpssRejects(_ x: [Double]) -> Bool {
        let lags = Int((3 * Double(x.count).squareRoot() / 13).rounded(.down))
        let stat = kpss(x, lags: lags)
        return stat.isFinite && stat > kpssCritical5
    }

    static func isConstant(_ x: [Double]) -> Bool {
        guard let first = x.first else { return true }
        return x.allSatisfy { $0 == first }
    }

    /// The number of first differences d ≤ `maxD` after which KPSS no longer rejects stationarity.
    public static func ndiffs(_ x: [Double], maxD: Int = 2) -> Int {
        var x = x, d = 0
        guard !isConstant(x), x.count > 2 else { return 0 }
        var reject = kpssRejects(x)
        while reject, d < maxD {
            d += 1
            x = (1..<x.count).map { x[$0] - x[$0 - 1] }
            if isConstant(x) || x.count < 3 { return d }
            reject = kpssRejects(x)
        }
        return d
    }

    /// The strength of seasonality (Wang, Smith & Hyndman 2006): max(0, 1 − Var(R) / Var(S + R)) of an
    /// additive decomposition into trend (the centred moving average), seasonal indices S and remainder R.
    /// statsforecast decomposes by STL; the classical decomposition gives the same answer away from the
    /// 0.64 threshold.
    public static func seasonalStrength(_ x: [Double], period m: Int) -> Double {
        guard m > 1, x.count >= 2 * m else { return 0 }
        let (first, trend, index) = ClassicalDecomposition.decompose(x, period: m, multiplicative: false)
        let detrended = trend.indices.map { x[first + $0] - trend[$0] }
        let remainder = detrended.indices.map { detrended[$0] - index[(first + $0) % m] }
        func variance(_ v: [Double]) -> Double {
            let mean = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(v.count - 1, 1))
        }
        let total = variance(detrended)
        guard total > 0 else { return 0 }
        return max(0, min(1, 1 - variance(remainder) / total))
    }

    /// The number of seasonal differences D ≤ `maxD`: difference while the seasonal strength exceeds 0.64.
    public static func nsdiffs(_ x: [Double], period m: Int, maxD: Int = 1) -> Int {
        guard m > 1, m < x.count, !isConstant(x) else { return 0 }
        var x = x, D = 0
        var seasonal = seasonalStrength(x, period: m) > 0.64
        while seasonal, D < maxD {
            D += 1
            x = (m..<x.count).map { x[$0] - x[$0 - m] }
            if isConstant(x) { return D }
            seasonal = x.count >= 2 * m && D < maxD ? seasonalStrength(x, period: m) > 0.64 : false
        }
        return D
    }
}
