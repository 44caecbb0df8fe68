import Foundation

/// The Diebold–Mariano test of equal accuracy for two forecasts of the same values at horizon h, with
/// the small-sample correction of Harvey, Leybourne & Newbold (1997) and Student's t with T − 1
/// degrees of freedom, as R's `forecast::dm.test`.
///
/// The loss differential is d_t = |e₁,t|^power − |e₂,t|^power; its long-run variance is the
/// autocovariances of d up to lag h − 1 (an h-step forecast's errors are MA(h − 1) under the null).
public struct DieboldMariano: Sendable, Equatable {
    /// The corrected statistic: negative when the first forecast's loss is lower.
    public var statistic: Double
    /// P(T ≤ statistic): the one-sided p-value of "the first forecast is more accurate".
    public var pLess: Double
    /// The two-sided p-value.
    public var pTwoSided: Double
    /// Mean loss differential (first − second).
    public var meanDifference: Double
    public var count: Int

    /// nil when there are fewer than 3 pairs or the differential has no variance (identical losses):
    /// no test is possible.
    public init?(_ e1: [Double], _ e2: [Double], horizon: Int, power: Double = 1) {
        let pairs = zip(e1, e2).filter { $0.0.isFinite && $0.1.isFinite }
        let n = pairs.count
        guard n >= 3, horizon >= 1 else { return nil }
        let d = pairs.map { pow(abs($0.0), power) - pow(abs($0.1), power) }
        let mean = d.reduce(0, +) / Double(n)
        func autocovariance(_ k: Int) -> Double {
            var s = 0.0
            for i in k..<n { s += (d[i] - mean) * (d[i - k] - mean) }
            return s / Double(n)
        }
        var h = horizon, variance = autocovariance(0)
        if h > 1 { for k in 1..<min(h, n) { variance += 2 * autocovariance(k) } }
        // As R's dm.test: a non-positive long-run variance falls back to the test at horizon 1.
        if variance <= 0 { h = 1; variance = autocovariance(0) }
        guard variance > 0 else { return nil }
        let dm = mean / (variance / Double(n)).squareRoot()
        let nn = Double(n), hh = Double(h)
        let correction = ((nn + 1 - 2 * hh + hh * (hh - 1) / nn) / nn)
        guard correction > 0 else { return nil }
        statistic = dm * correction.squareRoot()
        let df = nn - 1
        pLess = StudentT.cdf(statistic, degreesOfFreedom: df)
        pTwoSided = 2 * min(pLess, 1 - pLess)
        meanDifference = mean
        count = n
    }
}

/// Student's t distribution function through the regularised incomplete beta function.
enum StudentT {
    static func cdf(_ t: Double, degreesOfFreedom v: Double) -> Double {
        guard t.isFinite else { return t > 0 ? 1 : 0 }
        let x = v / (v + t * t)
        let tail = 0.5 * IncompleteBeta.regularized(x, a: v / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }
}

/// I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4), to about 1e-14.
enum IncompleteBeta {
    static func regularized(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = logGammas + a * log(x) + b * log(1 - x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * fraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * fraction(1 - x, a: b, b: a) / b
    }

    private static func fraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let mm = Double(m)
            var num = mm * (b - mm) * x / ((a + 2 * mm - 1) * (a + 2 * mm))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            num = -(a + mm) * (a + b + mm) * x / ((a + 2 * mm) * (a + 2 * mm + 1))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
