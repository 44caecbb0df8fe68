import AugurCore
import Foundation

/// The returns a volatility model reads: log returns for a strictly positive series (a price, an index
/// level), plain differences otherwise (a spread, a rate that crosses zero), with the factor that turns
/// a return's standard deviation into the series' units at an origin.
public enum ReturnKind: String, Sendable, Hashable, Codable {
    /// log(yₜ / yₜ₋₁); the level factor is the origin's value.
    case log
    /// yₜ − yₜ₋₁; the level factor is 1.
    case difference

    /// Log returns when every value is positive, differences otherwise.
    public static func of(_ values: some Collection<Double>) -> ReturnKind {
        values.allSatisfy { $0 > 0 } ? .log : .difference
    }

    /// Differences for a value series; for a price series, log returns when every value is positive.
    public static func of(_ values: some Collection<Double>, kind: SeriesKind) -> ReturnKind {
        kind == .value ? .difference : of(values)
    }

    /// Return t, from values[t − 1] to values[t] (t ≥ 1). A log return across a value that is not
    /// positive is taken as 0, so a series that turns non-positive after the kind was chosen never
    /// produces NaN.
    public func value(_ values: [Double], _ t: Int) -> Double {
        switch self {
        case .log:
            let a = values[t - 1], b = values[t]
            return a > 0 && b > 0 ? Foundation.log(b / a) : 0
        case .difference:
            return values[t] - values[t - 1]
        }
    }

    /// The change from `a` to `b`: log(b / a) or b − a. For `log`, both must be positive.
    public func change(from a: Double, to b: Double) -> Double {
        self == .log ? Foundation.log(b / a) : b - a
    }

    /// The path from `last` after cumulative returns: last · exp(Σr) or last + Σr.
    public func path(from last: Double, returns: [Double]) -> [Double] {
        var p = last
        switch self {
        case .log: return returns.map { r in p *= exp(r); return p }
        case .difference: return returns.map { r in p += r; return p }
        }
    }

    /// What one unit of return is worth, in the series' units, at a value.
    public func levelFactor(_ value: Double) -> Double {
        switch self {
        case .log: return abs(value)
        case .difference: return 1
        }
    }
}

/// The exponentially weighted start value of a variance recursion, as the `arch` package computes it:
/// the mean of the first min(75, n) squared residuals weighted by 0.94ᵏ.
func backcastVariance(_ residuals: [Double]) -> Double {
    let tau = min(75, residuals.count)
    guard tau > 0 else { return 0 }
    var weight = 1.0, total = 0.0, sum = 0.0
    for k in 0..<tau {
        sum += weight * residuals[k] * residuals[k]
        total += weight
        weight *= 0.94
    }
    return sum / total
}

/// A GARCH(1,1) with a constant mean and Gaussian errors (Bollerslev 1986), estimated by maximum
/// likelihood as the `arch` package does by default:
///
///     rₜ = μ + εₜ,   σ²ₜ = ω + α ε²ₜ₋₁ + β σ²ₜ₋₁,   εₜ ~ N(0, σ²ₜ)
///
/// with ε²₀ and σ²₀ replaced by the backcast of the residuals about their mean, and ω > 0, α, β ≥ 0,
/// α + β < 1 (a finite unconditional variance).
public struct GARCH11: Sendable, Hashable, Codable {
    public var mu: Double
    public var omega: Double
    public var alpha: Double
    public var beta: Double
    /// The start value of the recursion (fixed during estimation, as in `arch`).
    public var backcast: Double
    /// The maximised Gaussian log-likelihood.
    public var logLikelihood: Double

    public init(mu: Double, omega: Double, alpha: Double, beta: Double, backcast: Double, logLikelihood: Double = .nan) {
        self.mu = mu
        self.omega = omega
        self.alpha = alpha
        self.beta = beta
        self.backcast = backcast
        self.logLikelihood = logLikelihood
    }

    /// The unconditional variance ω / (1 − α − β).
    public var unconditionalVariance: Double { omega / (1 - alpha - beta) }

    /// Estimates the model from `returns` (at least 30).
    ///
    /// The returns are divided by their standard deviation first (the estimates are scaled back), so
    /// that the optimiser sees parameters of order one whatever the series' units.
    public static func fit(_ returns: [Double]) throws(ForecastError) -> GARCH11 {
        guard returns.count >= 30 else { throw .insufficientData(model: "GARCH(1,1)", needed: 30, got: returns.count) }
        guard returns.allSatisfy(\.isFinite) else {
            throw .nonFiniteValue(index: returns.firstIndex { !$0.isFinite } ?? 0)
        }
        let n = Double(returns.count)
        let mean = returns.reduce(0, +) / n
        let sd = (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        guard sd > 1e-9 * max(abs(mean), 1e-300) else {
            throw .invalidParameter(name: "returns", value: 0, reason: "a constant series has no volatility to model")
        }
        let z = returns.map { $0 / sd }
        let zMean = mean / sd
        let backcast = backcastVariance(z.map { $0 - zMean })
        // Parameters (μ, ω, α, β) on the standardised returns; the variance is 1, so ω ≈ 1 − α − β.
        func negativeLogLikelihood(_ p: [Double]) -> Double {
            let (mu, omega, alpha, beta) = (p[0], p[1], p[2], p[3])
            guard omega > 0, alpha >= 0, beta >= 0, alpha + beta < 0.99999 else { return .infinity }
            return -GARCH11.logLikelihood(z, mu: mu, omega: omega, alpha: alpha, beta: beta, backcast: backcast)
        }
        var best = (x: [zMean, 0.05, 0.1, 0.85], value: negativeLogLikelihood([zMean, 0.05, 0.1, 0.85]))
        // Nelder–Mead from two starts (a persistent and a less persistent volatility), then restarted
        // from its own answer until it stops improving: the likelihood's ridge along α + β is long.
        for start in [[zMean, 0.05, 0.1, 0.85], [zMean, 0.2, 0.05, 0.75]] {
            var x = start, value = negativeLogLikelihood(start)
            for _ in 0..<6 {
                let r = Optimizer.nelderMead(start: x, lower: [-1, 1e-8, 0, 0], upper: [1, 5, 1, 1], step: 0.05,
                                             tolerance: 1e-13, maxEvaluations: 4000, negativeLogLikelihood)
                let improved = r.value < value - 1e-10
                x = r.x; value = min(value, r.value)
                if !improved { break }
            }
            if value < best.value { best = (x, value) }
        }
        guard best.value.isFinite else {
            throw .invalidParameter(name: "GARCH(1,1)", value: .nan, reason: "the likelihood could not be maximised")
        }
        let p = best.x
        // Back to the series' units: returns × sd, variances × sd².
        let logScale = n * Foundation.log(sd)
        return GARCH11(mu: p[0] * sd, omega: p[1] * sd * sd, alpha: p[2], beta: p[3], backcast: backcast * sd * sd,
                       logLikelihood: -best.value - logScale)
    }

    /// The Gaussian log-likelihood of `returns` under these parameters.
    static func logLikelihood(_ returns: [Double], mu: Double, omega: Double, alpha: Double, beta: Double,
                              backcast: Double) -> Double {
        var previousSquare = backcast, previousVariance = backcast
        var total = 0.0
        let log2pi = Foundation.log(2 * Double.pi)
        for r in returns {
            let variance = omega + alpha * previousSquare + beta * previousVariance
            guard variance > 0 else { return -.infinity }
            let e = r - mu
            total -= 0.5 * (log2pi + Foundation.log(variance) + e * e / variance)
            previousSquare = e * e
            previousVariance = variance
        }
        return total
    }

    /// The conditional variances σ²ₜ of `returns` (σ²₀ from the backcast), and after them the variance
    /// of the next, unseen return: `returns.count + 1` values.
    public func conditionalVariances(_ returns: [Double]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(returns.count + 1)
        var previousSquare = backcast, previousVariance = backcast
        for r in returns {
            let v = omega + alpha * previousSquare + beta * previousVariance
            out.append(v)
            previousSquare = (r - mu) * (r - mu)
            previousVariance = v
        }
        out.append(omega + alpha * previousSquare + beta * previousVariance)
        return out
    }

    /// The variance of the sum of the next `h` returns, given the next return's variance `next`:
    /// Σₖ₌₁ʰ E[σ²ₜ₊ₖ], where E[σ²ₜ₊ₖ] = σ̄² + (α + β)ᵏ⁻¹ (σ²ₜ₊₁ − σ̄²) reverts to the unconditional σ̄².
    public func cumulativeVariance(next: Double, horizon h: Int) -> Double {
        let persistence = alpha + beta, longRun = unconditionalVariance
        var total = 0.0, decay = 1.0
        for _ in 0..<h {
            total += longRun + decay * (next - longRun)
            decay *= persistence
        }
        return total
    }
}

/// How an origin's local volatility is estimated for scaling conformal scores.
public enum VolatilityModel: Sendable, Hashable, Codable, CustomStringConvertible {
    /// No scale: every origin counts the same (plain split conformal).
    case constant
    /// RiskMetrics: σ²ₜ₊₁ = λ σ²ₜ + (1 − λ) r²ₜ, the h-step variance h σ²ₜ₊₁.
    case ewma(lambda: Double)
    /// A GARCH(1,1) estimated on the returns before the first origin it serves.
    case garch

    public var description: String {
        switch self {
        case .constant: return "unscaled"
        case .ewma(let lambda): return "EWMA(λ=\(lambda))"
        case .garch: return "GARCH(1,1)"
        }
    }
}

/// The local scale at every origin of one series: `scale(origin:horizon:)` is the standard deviation,
/// in the series' units, of the change over `horizon` steps after an origin, estimated from the values
/// before the origin only.
public struct VolatilityPath: Sendable {
    public let model: VolatilityModel
    public let kind: ReturnKind
    /// The fitted GARCH, for `.garch`.
    public let garch: GARCH11?
    private let values: [Double]
    /// `nextVariance[o]`: the variance of the return from values[o − 1] to values[o], known from
    /// values[0 ..< o] (o ≥ 1).
    private let nextVariance: [Double]

    /// - Parameters:
    ///   - values: the series; scales are asked at origins o (the model saw values[0 ..< o]).
    ///   - estimationEnd: the GARCH is estimated on the returns within values[0 ..< estimationEnd].
    ///   - kind: how returns are taken (decide it on data before `estimationEnd`).
    public init(values: [Double], model: VolatilityModel, kind: ReturnKind, estimationEnd: Int) throws(ForecastError) {
        self.values = values
        self.model = model
        self.kind = kind
        let n = values.count
        var returns = [Double](repeating: 0, count: max(n - 1, 0))
        for t in 1..<max(n, 1) { returns[t - 1] = kind.value(values, t) }
        Self.clip(&returns, estimationEnd: estimationEnd, multiple: Self.clipMultiple)
        var next = [Double](repeating: 1, count: n + 1)
        switch model {
        case .constant:
            garch = nil
        case .ewma(let lambda):
            garch = nil
            // Zero-mean RiskMetrics recursion, started at the backcast of the returns before the end
            // of estimation (the first ones, so nothing later leaks back).
            var v = backcastVariance(Array(returns.prefix(max(1, min(estimationEnd - 1, returns.count)))))
            if !(v > 0) { v = 1e-12 }
            // Origin o (o ≥ 1) has seen returns 1 … o − 1, i.e. returns[0 ..< o − 1].
            next[0] = v; next[1] = v
            for o in 2...max(2, n) where o <= n {
                let r = returns[o - 2]
                v = lambda * v + (1 - lambda) * r * r
                next[o] = v
            }
        case .garch:
            let g = try GARCH11.fit(Array(returns.prefix(max(0, estimationEnd - 1))))
            garch = g
            let variances = g.conditionalVariances(returns)   // variances[t]: of returns[t]
            next[0] = variances[0]
            for o in 1...max(1, n) where o <= n { next[o] = variances[o - 1] }
        }
        nextVariance = next
    }

    /// Returns beyond this many robust standard deviations are capped (see `clip`). 15 leaves the
    /// eleven daily bench series' intervals as they were (naive's pooled coverage and MSIS within 0.1
    /// and 0.3%; 10 moved them more) and takes a 10× level shift from a ±11.6% one-day 80% interval
    /// to ±0.16%.
    public static let clipMultiple = 15.0

    /// Caps every return at `multiple` robust standard deviations (the median absolute return of the
    /// estimation part / 0.6745), so that one level shift — an unadjusted split, a rebased index, a bad
    /// bar — does not pass for months of volatility.
    static func clip(_ returns: inout [Double], estimationEnd: Int, multiple: Double) {
        let part = returns.prefix(max(0, min(estimationEnd - 1, returns.count))).map { abs($0) }
        guard !part.isEmpty else { return }
        let cap = multiple * median(part) / 0.6745
        guard cap > 0 else { return }
        for i in returns.indices { returns[i] = min(max(returns[i], -cap), cap) }
    }

    /// The standard deviation of the `horizon`-step change after origin `o` (values[0 ..< o] seen).
    public func scale(origin o: Int, horizon h: Int) -> Double {
        let level = kind.levelFactor(values[max(o - 1, 0)])
        switch model {
        case .constant:
            return 1
        case .ewma:
            return level * (Double(h) * nextVariance[o]).squareRoot()
        case .garch:
            return level * (garch?.cumulativeVariance(next: nextVariance[o], horizon: h) ?? 0).squareRoot()
        }
    }
}
