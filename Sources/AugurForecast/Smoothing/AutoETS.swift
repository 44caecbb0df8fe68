import AugurCore
import Foundation

/// One exponential-smoothing state-space form (Hyndman, Koehler, Ord & Snyder 2008): the error,
/// trend and season components, e.g. ETS(M,Ad,M).
public struct ETSForm: Hashable, Sendable, CustomStringConvertible {
    public enum ErrorType: String, Sendable { case additive = "A", multiplicative = "M" }
    public enum TrendType: String, Sendable { case none = "N", additive = "A", damped = "Ad" }
    public enum SeasonType: String, Sendable { case none = "N", additive = "A", multiplicative = "M" }

    public var error: ErrorType
    public var trend: TrendType
    public var season: SeasonType

    public init(_ error: ErrorType, _ trend: TrendType, _ season: SeasonType) {
        self.error = error
        self.trend = trend
        self.season = season
    }

    public var description: String { "ETS(\(error.rawValue),\(trend.rawValue),\(season.rawValue))" }

    /// The forms AutoETS considers, as R's `ets(restrict = TRUE)`: no multiplicative trend, no additive
    /// error with multiplicative season; multiplicative forms only for positive data.
    public static func candidates(seasonal: Bool, positive: Bool) -> [ETSForm] {
        var out: [ETSForm] = []
        for e in [ErrorType.additive, .multiplicative] where positive || e == .additive {
            for t in [TrendType.none, .additive, .damped] {
                for s in [SeasonType.none, .additive, .multiplicative] {
                    if s != .none, !seasonal { continue }
                    if s == .multiplicative, e == .additive || !positive { continue }
                    out.append(ETSForm(e, t, s))
                }
            }
        }
        return out
    }

    /// Additive error and no multiplicative part: the class with closed-form forecast variances.
    var hasAnalyticVariance: Bool { error == .additive && season != .multiplicative }
}

/// A fitted ETS model: its form, parameters, initial and final states, and fit statistics.
public struct ETSModel: Sendable, Equatable, CustomStringConvertible {
    public var form: ETSForm
    /// Season length (1 for a non-seasonal form).
    public var m: Int
    public var alpha: Double
    public var beta: Double?
    public var gamma: Double?
    public var phi: Double?
    /// Initial level, slope (when trended) and m seasonal states (newest first), as estimated.
    public var initialStates: [Double]
    /// −2 log-likelihood up to constants (`n log Σe²`, plus `2 Σ log|ŷ|` for multiplicative errors).
    public var likelihood: Double
    public var logLikelihood: Double { -0.5 * likelihood }
    public var aicc: Double
    /// Parameters counted by the information criteria (smoothing, initial states and σ²).
    public var parameterCount: Int
    /// Residual variance (of relative errors for multiplicative-error forms).
    public var sigma2: Double
    /// The state after the last observation: level, slope, seasonal states (newest first).
    public var finalLevel: Double
    public var finalSlope: Double
    public var finalSeasons: [Double]

    public var description: String {
        var parts = [String(format: "%@ α=%.3f", form.description, alpha)]
        if let beta { parts.append(String(format: "β=%.3f", beta)) }
        if let phi { parts.append(String(format: "φ=%.3f", phi)) }
        if let gamma { parts.append(String(format: "γ=%.3f", gamma)) }
        return parts.joined(separator: " ") + String(format: ", AICc %.1f", aicc)
    }
}

/// The ETS recursions, estimation by maximum likelihood and selection by AICc.
public enum ETS {
    static let lower = (alpha: 1e-4, beta: 1e-4, gamma: 1e-4, phi: 0.8)
    static let upper = (alpha: 0.9999, beta: 0.9999, gamma: 0.9999, phi: 0.98)

    struct Parameters {
        var alpha: Double, beta: Double, gamma: Double, phi: Double
    }

    /// The state of the recursion: level, slope and the seasonal states in a ring (the current period's,
    /// the oldest, at `current`; the newest just before it), in a buffer the caller owns so that no step
    /// allocates and no step divides an index.
    struct State {
        var level: Double
        var slope: Double
        var ring: UnsafeMutableBufferPointer<Double>
        var current = 0
        let m: Int

        /// From `states` (level, slope?, m seasonal states newest first).
        init<C: RandomAccessCollection>(_ x: C, form: ETSForm, m: Int, ring: UnsafeMutableBufferPointer<Double>)
            where C.Element == Double, C.Index == Int {
            let trended = form.trend != .none
            let base = x.startIndex
            level = x[base]
            slope = trended ? x[base + 1] : 0
            self.ring = ring
            self.m = m
            if form.season != .none {
                // Newest at slot 0, older ones at m−1, m−2, …: the oldest (current) at slot 1 mod m.
                for k in 0..<m { ring[(m - k) % m] = x[base + (trended ? 2 : 1) + k] }
                current = 1 % m
            }
        }

        /// The seasonal states newest first.
        func seasons() -> [Double] { (0..<m).map { ring[(current - 1 - $0 + 2 * m) % m] } }

        /// The one-step forecast `f` and its trend part `q`.
        @inline(__always) func forecast(form: ETSForm, phi: Double) -> (q: Double, f: Double) {
            let q = form.trend == .none ? level : level + phi * slope
            switch form.season {
            case .none: return (q, q)
            case .additive: return (q, q + ring[current])
            case .multiplicative: return (q, q * ring[current])
            }
        }

        /// The error-correction update with the observed `y` (Hyndman et al. 2008, as R's etscalc).
        @inline(__always) mutating func update(_ y: Double, q: Double, form: ETSForm, p: Parameters, phi: Double) {
            let deseasoned: Double
            switch form.season {
            case .none: deseasoned = y
            case .additive: deseasoned = y - ring[current]
            case .multiplicative: deseasoned = abs(ring[current]) < 1e-10 ? 1e10 : y / ring[current]
            }
            let oldL = level
            level = q + p.alpha * (deseasoned - q)
            if form.trend != .none { slope = phi * slope + (p.beta / p.alpha) * ((level - oldL) - phi * slope) }
            if form.season != .none {
                let t = form.season == .additive ? y - q : (abs(q) < 1e-10 ? 1e10 : y / q)
                ring[current] += p.gamma * (t - ring[current])
                current += 1
                if current == m { current = 0 }
            }
        }
    }

    /// Runs the model over `y` from `states`: the likelihood term (`n log Σe²`, plus `2 Σ log|ŷ|` for
    /// multiplicative errors) and the final state; the one-step errors go to `errors` when given. nil
    /// when a forecast breaks down. Nothing is allocated per step: this is the optimiser's objective.
    static func recurse<C: RandomAccessCollection>(_ y: UnsafeBufferPointer<Double>, form: ETSForm, m: Int, p: Parameters,
                        states x: C, ring: UnsafeMutableBufferPointer<Double>,
                        errors: UnsafeMutableBufferPointer<Double>? = nil)
        -> (likelihood: Double, state: State)? where C.Element == Double, C.Index == Int {
        var state = State(x, form: form, m: m, ring: ring)
        let phi = form.trend == .damped ? p.phi : 1
        let additiveError = form.error == .additive
        // Σ log|ŷ| without a log per step: a running product kept in [1, 2) by moving its binary
        // exponent into an integer sum after every factor (exact), one log at the end.
        var sse = 0.0, product = 1.0, exponents = 0
        for i in 0..<y.count {
            let (q, f) = state.forecast(form: form, phi: phi)
            guard f.isFinite else { return nil }
            let e: Double
            if additiveError { e = y[i] - f } else {
                guard abs(f) > 1e-10 else { return nil }
                e = (y[i] - f) / f
            }
            errors?[i] = e
            sse += e * e
            if !additiveError {
                product *= max(abs(f), 1e-8)
                ETS.renormalise(&product, &exponents)
            }
            state.update(y[i], q: q, form: form, p: p, phi: phi)
        }
        let logSum = ETS.logarithm(product, exponents)
        let n = Double(y.count)
        var lik = n * log(sse > 0 ? sse : sse + 1e-8)
        if form.error == .multiplicative { lik += 2 * logSum }
        return lik.isFinite ? (lik, state) : nil
    }

    /// Moves the binary exponent of a positive, normal `product` into `exponents`, leaving its significand
    /// in [1, 2): exact, so a product of many factors neither overflows nor loses anything.
    @inline(__always) static func renormalise(_ product: inout Double, _ exponents: inout Int) {
        let bits = product.bitPattern
        exponents += Int((bits >> 52) & 0x7FF) - 1023
        product = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
    }

    /// log(product · 2^exponents).
    @inline(__always) static func logarithm(_ product: Double, _ exponents: Int) -> Double {
        log(product) + Double(exponents) * 0.693_147_180_559_945_309_4
    }

    /// `recurse` with its own buffers: the likelihood term, the one-step errors and the final state
    /// (seasonal states newest first).
    static func run(_ y: [Double], form: ETSForm, m: Int, p: Parameters, states x: [Double])
        -> (likelihood: Double, errors: [Double], level: Double, slope: Double, seasons: [Double])? {
        let ring = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(m, 1))
        defer { ring.deallocate() }
        var errors = [Double](repeating: 0, count: y.count)
        let r = y.withUnsafeBufferPointer { yp in
            errors.withUnsafeMutableBufferPointer { ep in recurse(yp, form: form, m: m, p: p, states: x, ring: ring, errors: ep) }
        }
        guard let r else { return nil }
        return (r.likelihood, errors, r.state.level, r.state.slope, form.season == .none ? [] : r.state.seasons())
    }

    /// Point forecasts 1…h from a state.
    static func forecast(level l: Double, slope b: Double, seasons s: [Double], form: ETSForm, m: Int, phi: Double,
                         horizon h: Int) -> [Double] {
        var out: [Double] = []
        var phiStar = form.trend == .damped ? phi : 1
        for i in 0..<h {
            var f = form.trend == .none ? l : l + phiStar * b
            if form.season != .none {
                let j = ((m - 1 - i) % m + m) % m
                f = form.season == .additive ? f + s[j] : f * s[j]
            }
            out.append(f)
            phiStar += form.trend == .damped ? pow(phi, Double(i + 2)) : 1
        }
        return out
    }

    /// Initial states by the heuristic of R's `ets` (and statsforecast): a classical decomposition
    /// (a one-harmonic Fourier regression for fewer than three seasons) for the seasonal states,
    /// then a level (and slope) from the first `max(10, 2m)` seasonally adjusted values.
    static func initialStates(_ y: [Double], m: Int, form: ETSForm) -> [Double]? {
        let n = y.count
        var seasons: [Double] = [], adjusted = y
        if form.season != .none {
            guard n >= 4 else { return nil }
            let multiplicative = form.season == .multiplicative
            var index = [Double](repeating: multiplicative ? 1 : 0, count: m)
            if n >= 3 * m {
                index = ClassicalDecomposition.indices(y, period: m, multiplicative: multiplicative)
            } else {
                // y ≈ a + b t + c sin(2πt/m) + d cos(2πt/m): the harmonic is the season.
                let rows = (1...n).map { t -> [Double] in
                    let w = 2 * Double.pi * Double(t) / Double(m)
                    return [1, Double(t), sin(w), cos(w)]
                }
                guard let c = leastSquares(rows, y) else { return nil }
                index = (0..<m).map { k in
                    let t = k + 1, w = 2 * Double.pi * Double(t) / Double(m)
                    let harmonic = c[2] * sin(w) + c[3] * cos(w)
                    let base = c[0] + c[1] * Double(t)
                    return multiplicative ? (base + harmonic) / base : harmonic
                }
            }
            let seasonal = (0..<n).map { index[$0 % m] }
            // The states newest first: positions m−1 … 1 of the first season, then position 0 last
            // (that one is re-derived so the states sum to 0, or average 1).
            seasons = (1..<m).reversed().map { index[$0] }
            if multiplicative {
                seasons = seasons.map { max($0, 1e-2) }
                adjusted = zip(y, seasonal).map { $0 / max($1, 1e-2) }
            } else {
                adjusted = zip(y, seasonal).map { $0 - $1 }
            }
        }
        let maxn = min(max(10, 2 * (form.season == .none ? 1 : m)), n)
        let head = Array(adjusted.prefix(maxn))
        if form.trend == .none { return [head.reduce(0, +) / Double(maxn)] + seasons }
        guard let c = leastSquares((1...maxn).map { [1, Double($0)] }, head) else { return nil }
        var l0 = c[0], b0 = c[1]
        if abs(l0 + b0) < 1e-8 { l0 *= 1 + 1e-3; b0 *= 1 - 1e-3 }
        return [l0, b0] + seasons
    }

    /// Ordinary least squares by the normal equations (small designs only).
    static func leastSquares(_ rows: [[Double]], _ y: [Double]) -> [Double]? {
        let k = rows[0].count
        var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for (r, v) in zip(rows, y) {
            for i in 0..<k {
                for j in 0..<k { a[i][j] += r[i] * r[j] }
                a[i][k] += r[i] * v
            }
        }
        for c in 0..<k {   // Gauss-Jordan with partial pivoting
            guard let p = (c..<k).max(by: { abs(a[$0][c]) < abs(a[$1][c]) }), abs(a[p][c]) > 1e-12 else { return nil }
            a.swapAt(c, p)
            for r in 0..<k where r != c {
                let f = a[r][c] / a[c][c]
                for j in c...k { a[r][j] -= f * a[c][j] }
            }
        }
        return (0..<k).map { a[$0][k] / a[$0][$0] }
    }

    /// Fits one form by maximum likelihood: smoothing parameters within the usual bounds (β ≤ α,
    /// γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98) and the admissible region's easy tests, initial states free.
    /// nil when the form cannot be fitted to `y` (too few observations, a breakdown).
    public static func fit(_ y: [Double], form: ETSForm, m seasonLength: Int, fixedAlpha: Double? = nil) -> ETSModel? {
        guard let e = Estimation(y, form: form, m: seasonLength, fixedAlpha: fixedAlpha) else { return nil }
        let ring = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(e.m, 1))
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: e.stateCount + 1)
        defer { ring.deallocate(); scratch.deallocate() }
        let best = y.withUnsafeBufferPointer { yp in
            NelderMeadSearch.minimize({ v in
                guard let p = e.evaluable(v, states: scratch) else { return .infinity }
                let x = UnsafeBufferPointer(rebasing: scratch[0..<e.stateCount])
                return recurse(yp, form: form, m: e.m, p: p, states: x, ring: ring)?.likelihood ?? .infinity
            }, start: e.start, lower: e.lo, upper: e.hi)
        }
        return e.finish(y, best: best)
    }

    /// One form's maximum-likelihood problem on one series: the optimiser's start and bounds (smoothing
    /// parameters as R's initparam, then the initial states), how its vector maps to parameters and
    /// states, and the fitted model from the best vector.
    struct Estimation {
        let form: ETSForm
        let m: Int
        let fixedAlpha: Double?
        let trended: Bool, seasonal: Bool, damped: Bool
        var start: [Double] = [], lo: [Double] = [], hi: [Double] = []
        let smoothingCount: Int
        /// Initial states the recursion takes (the free ones plus the re-derived last seasonal one).
        let stateCount: Int
        let parameterCount: Int

        init?(_ y: [Double], form: ETSForm, m seasonLength: Int, fixedAlpha: Double?) {
            let m = form.season == .none ? 1 : seasonLength
            guard let x0 = ETS.initialStates(y, m: m, form: form) else { return nil }
            self.form = form
            self.m = m
            self.fixedAlpha = fixedAlpha
            trended = form.trend != .none; seasonal = form.season != .none; damped = form.trend == .damped
            let alpha0 = fixedAlpha ?? (ETS.lower.alpha + 0.2 * (ETS.upper.alpha - ETS.lower.alpha) / Double(m))
            let beta0 = ETS.lower.beta + 0.1 * (min(ETS.upper.beta, alpha0) - ETS.lower.beta)
            let gamma0 = ETS.lower.gamma + 0.05 * (min(ETS.upper.gamma, 1 - alpha0) - ETS.lower.gamma)
            let phi0 = ETS.lower.phi + 0.99 * (ETS.upper.phi - ETS.lower.phi)
            if fixedAlpha == nil { start.append(alpha0); lo.append(ETS.lower.alpha); hi.append(ETS.upper.alpha) }
            if trended { start.append(beta0); lo.append(ETS.lower.beta); hi.append(ETS.upper.beta) }
            if seasonal { start.append(gamma0); lo.append(ETS.lower.gamma); hi.append(ETS.upper.gamma) }
            if damped { start.append(phi0); lo.append(ETS.lower.phi); hi.append(ETS.upper.phi) }
            smoothingCount = start.count
            start += x0
            lo += Array(repeating: -.infinity, count: x0.count)
            hi += Array(repeating: .infinity, count: x0.count)
            stateCount = start.count - smoothingCount + (seasonal ? 1 : 0)
            parameterCount = start.count + 1   // + σ²
            guard parameterCount < y.count - 1 else { return nil }
        }

        func parameters(_ v: [Double]) -> Parameters {
            var j = 0
            func next() -> Double { defer { j += 1 }; return v[j] }
            let a = fixedAlpha ?? next()
            let b = trended ? next() : 0, g = seasonal ? next() : 0, f = damped ? next() : 1
            return Parameters(alpha: a, beta: b, gamma: g, phi: f)
        }

        /// The initial states of the optimiser's vector, the last seasonal one re-derived so that they sum
        /// to 0 (or average 1), into `out` (no allocation: this runs at every evaluation).
        func fillStates(_ v: [Double], into out: UnsafeMutableBufferPointer<Double>) {
            let free = v.count - smoothingCount
            var sum = 0.0
            let first = trended ? 2 : 1
            for i in 0..<free {
                out[i] = v[smoothingCount + i]
                if i >= first { sum += out[i] }
            }
            if seasonal { out[free] = Double(form.season == .multiplicative ? m : 0) - sum }
        }

        /// The parameters of `v` with its states filled into `states`, or nil when `v` is outside the
        /// admissible region (or has a negative multiplicative seasonal state): its value is then +∞.
        func evaluable(_ v: [Double], states: UnsafeMutableBufferPointer<Double>) -> Parameters? {
            let p = parameters(v)
            guard ETS.admissible(p, form: form, m: m) else { return nil }
            fillStates(v, into: states)
            if form.season == .multiplicative {
                for i in (trended ? 2 : 1)..<stateCount where states[i] < 0 { return nil }
            }
            return p
        }

        /// The fitted model at the optimiser's best vector.
        func finish(_ y: [Double], best: [Double]) -> ETSModel? {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: stateCount + 1)
            defer { buffer.deallocate() }
            fillStates(best, into: buffer)
            let p = parameters(best), states = Array(buffer.prefix(stateCount))
            guard let r = ETS.run(y, form: form, m: m, p: p, states: states), r.likelihood.isFinite else { return nil }
            let n = Double(y.count), k = Double(parameterCount)
            let aic = r.likelihood + 2 * k
            let aicc = aic + 2 * k * (k + 1) / (n - k - 1)
            let sigma2 = r.errors.reduce(0) { $0 + $1 * $1 } / (n - k - 1)
            return ETSModel(form: form, m: m, alpha: p.alpha, beta: trended ? p.beta : nil, gamma: seasonal ? p.gamma : nil,
                            phi: damped ? p.phi : nil, initialStates: states, likelihood: r.likelihood, aicc: aicc,
                            parameterCount: parameterCount, sigma2: sigma2, finalLevel: r.level, finalSlope: r.slope,
                            finalSeasons: r.seasons)
        }
    }

    /// The usual bounds between parameters and the easy tests of the admissible region.
    static func admissible(_ p: Parameters, form: ETSForm, m: Int) -> Bool {
        if form.trend != .none, p.beta > p.alpha { return false }
        if form.season != .none, p.gamma > 1 - p.alpha { return false }
        let phi = form.trend == .damped ? p.phi : 1
        if form.season == .none {
            if p.alpha < 1 - 1 / phi || p.alpha > 1 + 1 / phi { return false }
            if form.trend != .none, p.beta < p.alpha * (phi - 1) || p.beta > (1 + phi) * (2 - p.alpha) { return false }
        } else if m > 1 {
            if p.gamma < max(1 - 1 / phi - p.alpha, 0) || p.gamma > 1 + 1 / phi - p.alpha { return false }
            let mm = Double(m)
            if p.alpha < 1 - 1 / phi - p.gamma * (1 - mm + phi + phi * mm) / (2 * phi * mm) { return false }
            if form.trend != .none, p.beta < -(1 - phi) * (p.gamma / mm + p.alpha) { return false }
        }
        return true
    }

    /// Every candidate form fitted, the one with the lowest AICc kept. A constant series is ETS(A,N,N)
    /// with α = 0.9999; a series too short for a seasonal form is fitted without season.
    public static func auto(_ y: [Double], m: Int) -> ETSModel? {
        if let first = y.first, y.allSatisfy({ $0 == first }) {
            return fit(y, form: ETSForm(.additive, .none, .none), m: 1, fixedAlpha: 0.9999)
        }
        let seasonal = m > 1 && m <= 24 && y.count > m
        let positive = y.allSatisfy { $0 > 0 }
        var best: ETSModel?
        for form in ETSForm.candidates(seasonal: seasonal, positive: positive) {
            guard let model = fit(y, form: form, m: m), model.aicc.isFinite else { continue }
            if best == nil || model.aicc < best!.aicc { best = model }
        }
        return best
    }
}

/// AutoETS behind the `Forecaster` protocol (`ModelKind.autoets`): the ETS form with the lowest AICc,
/// refitted at every origin; intervals analytic without a multiplicative season (Hyndman et al. 2008,
/// classes 1 and 2), otherwise from 2,000 seeded simulated paths.
public struct AutoETSForecaster: Forecaster {
    public let kind = ModelKind.autoets
    /// The season length; nil takes it from the history (`Seasonality.automaticLength`: 12 monthly, 4 quarterly,
    /// 52 weekly — over 24 is fitted without season — and for daily data 1, or 5 when the changes have
    /// a strong weekly pattern).
    public var season: Int?
    public private(set) var model: ETSModel?

    public init(season: Int? = nil) { self.season = season }

    public var fittedDescription: String? { model?.description }

    public private(set) var fitNotes: [String] = []

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        try requireCount(history, 4, model: name)
        let m = season ?? Seasonality.automaticLength(history)
        guard let fitted = ETS.auto(history.values, m: m) else {
            throw .insufficientData(model: name, needed: 8, got: history.count)
        }
        model = fitted
        fitNotes = Self.notes(history.values, m: m)
    }

    /// Why the forms tried were simpler than the season asks for.
    static func notes(_ y: [Double], m: Int) -> [String] {
        if let first = y.first, y.allSatisfy({ $0 == first }) { return ["the series is constant: ETS(A,N,N) at its value"] }
        var notes: [String] = []
        if m > 24 { notes.append("a season of \(m) is longer than ETS's limit of 24: fitted without season") }
        else if m > 1, y.count <= m { notes.append("\(y.count) observations are not more than one season of \(m): fitted without season") }
        if !y.allSatisfy({ $0 > 0 }) { notes.append("the series is not all positive: additive-error forms only") }
        return notes
    }

    /// Every history fitted at once when they are prefixes of the longest (a backtest's origins): the
    /// (origin, form) searches run in lockstep with their likelihoods in SIMD lanes (`ETS.auto(prefixesOf:)`).
    public func fittedTogether(_ histories: [TimeSeriesHistory]) throws(ForecastError) -> [any Forecaster]? {
        guard histories.count > 1, let longest = histories.max(by: { $0.count < $1.count }) else { return nil }
        let m = season ?? Seasonality.automaticLength(longest)
        let y = longest.values
        for h in histories {
            guard h.count >= 4, season != nil || Seasonality.automaticLength(h) == m,
                  h.values.elementsEqual(y.prefix(h.count)) else { return nil }
        }
        let models = ETS.auto(prefixesOf: y, counts: histories.map(\.count), m: m)
        var out: [any Forecaster] = []
        for (h, fitted) in zip(histories, models) {
            guard let fitted else { throw .insufficientData(model: name, needed: 8, got: h.count) }
            var copy = self
            copy.model = fitted
            copy.fitNotes = Self.notes(h.values, m: m)
            out.append(copy)
        }
        return out
    }

    /// Replaces the fitted model (tests compare interval methods on one form).
    mutating func setModel(_ model: ETSModel) { self.model = model }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        try validatePrediction(horizon: horizon, levels: levels)
        guard let model else { throw .notFitted(model: name) }
        let phi = model.phi ?? 1
        let point = ETS.forecast(level: model.finalLevel, slope: model.finalSlope, seasons: model.finalSeasons,
                                 form: model.form, m: model.m, phi: phi, horizon: horizon)
        if model.form.hasAnalyticVariance {
            // σ²_h = σ² (1 + Σ_{j<h} c_j²), c_j = α + β φ_j + γ [j mod m = 0], φ_j = φ + … + φ^j.
            var se: [Double] = [], sum = 0.0, phiJ = 0.0
            for h in 1...horizon {
                se.append((model.sigma2 * (1 + sum)).squareRoot())
                phiJ += model.form.trend == .damped ? pow(phi, Double(h)) : 1
                var c = model.alpha
                if model.form.trend != .none { c += (model.beta ?? 0) * phiJ }
                if model.form.season != .none, h % model.m == 0 { c += model.gamma ?? 0 }
                sum += c * c
            }
            return try .gaussian(model: kind, point: point, standardErrors: se, levels: levels)
        }
        if model.form.error == .multiplicative, model.form.season != .multiplicative {
            // Class 2 (Hyndman et al. 2008, §6.2; R's and statsforecast's formulas): θ_1 = μ_1²,
            // θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h−j}, v_h = (1 + σ²) θ_h − μ_h², with class 1's c_j.
            // In units of the largest forecast, so that squares of huge values do not overflow.
            let scale = point.map(abs).max().map { $0 > 0 && $0.isFinite ? $0 : 1 } ?? 1
            var c: [Double] = [], theta: [Double] = [], se: [Double] = [], phiJ = 0.0
            for h in 1...horizon {
                var sum = 0.0
                for j in 1..<h { sum += c[j - 1] * c[j - 1] * theta[h - j - 1] }
                let mu = point[h - 1] / scale
                let th = mu * mu + model.sigma2 * sum
                theta.append(th)
                se.append(scale * max((1 + model.sigma2) * th - mu * mu, 0).squareRoot())
                phiJ += model.form.trend == .damped ? pow(phi, Double(h)) : 1
                var cj = model.alpha
                if model.form.trend != .none { cj += (model.beta ?? 0) * phiJ }
                if model.form.season != .none, h % model.m == 0 { cj += model.gamma ?? 0 }
                c.append(cj)
            }
            return try .gaussian(model: kind, point: point, standardErrors: se, levels: levels)
        }
        return try Forecast(model: kind, point: point, intervals: simulatedIntervals(model, point: point, levels: levels))
    }

    /// Quantiles of seeded simulated paths: each step draws ε ~ N(0, σ²), forecasts one step, and
    /// updates the state with the simulated value.
    func simulatedIntervals(_ model: ETSModel, point: [Double], levels: [Double],
                            paths: Int = 2_000) throws(ForecastError) -> [PredictionInterval] {
        let h = point.count, sd = model.sigma2.squareRoot()
        var rng = NormalSampler(seed: 0xE75)
        var draws = [[Double]](repeating: [Double](repeating: 0, count: paths), count: h)
        let p = ETS.Parameters(alpha: model.alpha, beta: model.beta ?? 0, gamma: model.gamma ?? 0, phi: model.phi ?? 1)
        let m = model.m, form = model.form
        let phi = form.trend == .damped ? p.phi : 1
        let start = [model.finalLevel] + (form.trend != .none ? [model.finalSlope] : []) + model.finalSeasons
        let ring = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(m, 1))
        defer { ring.deallocate() }
        for k in 0..<paths {
            var state = ETS.State(start, form: form, m: m, ring: ring)
            for step in 0..<h {
                let (q, f) = state.forecast(form: form, phi: phi)
                let e = rng.next() * sd
                let y = form.error == .additive ? f + e : f * (1 + e)
                draws[step][k] = y
                state.update(y, q: q, form: form, p: p, phi: phi)
            }
        }
        // Each step's draws are selected from, not sorted: the order statistics the quantiles need, by
        // quickselect on one working copy per step (the same values a full sort would give), in
        // increasing rank, each search confined to the part above the previous rank.
        var lower = [[Double]](repeating: [], count: levels.count), upper = lower
        for step in 0..<h {
            var finite = draws[step].filter(\.isFinite)
            guard !finite.isEmpty else { throw .nonFiniteValue(index: step) }
            func rank(_ p: Double) -> Int { min(finite.count - 1, max(0, Int((p * Double(finite.count - 1)).rounded()))) }
            let tails = levels.map { (1 - $0 / 100) / 2 }
            let ranks = tails.map(rank) + tails.map { rank(1 - $0) }
            var quantile: [Int: Double] = [:], from = 0
            for r in Set(ranks).sorted() {
                quantile[r] = Self.select(&finite, rank: r, from: from)
                from = r + 1
            }
            for l in levels.indices {
                lower[l].append(min(quantile[ranks[l]]!, point[step]))
                upper[l].append(max(quantile[ranks[levels.count + l]]!, point[step]))
            }
        }
        return levels.enumerated().map { PredictionInterval(level: $0.element, lower: lower[$0.offset], upper: upper[$0.offset]) }
    }

    /// The element of rank `k` (0-based) of `values`, partially reordering them so that it stands at `k`
    /// with none larger before it and none smaller after (Hoare's quickselect with a median-of-three
    /// pivot; no NaN in `values`). `from`: the elements before it are known to rank below `k`.
    static func select(_ values: inout [Double], rank k: Int, from: Int = 0) -> Double {
        var lo = from, hi = values.count - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if values[mid] < values[lo] { values.swapAt(mid, lo) }
            if values[hi] < values[lo] { values.swapAt(hi, lo) }
            if values[hi] < values[mid] { values.swapAt(hi, mid) }
            let pivot = values[mid]
            var i = lo, j = hi
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return values[k] }
        }
        return values[k]
    }
}

/// Standard normal draws (Box–Muller on a seeded xorshift): the same seed, the same paths.
struct NormalSampler {
    var state: UInt64
    var spare: Double?
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func uniform() -> Double {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return (Double(state >> 11) + 0.5) / Double(1 << 53)
    }

    mutating func next() -> Double {
        if let s = spare { spare = nil; return s }
        let u = uniform(), v = uniform()
        let r = (-2 * log(u)).squareRoot()
        spare = r * sin(2 * .pi * v)
        return r * cos(2 * .pi * v)
    }
}
