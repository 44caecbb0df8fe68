import AugurCore

/// How prediction intervals are made from a model's past errors: one method for every model.
///
/// A *score* is a past forecast's error divided by the local volatility known at its origin,
/// s = (y − ŷ) / σ̂(origin, h). The interval at a new origin is the point forecast plus quantiles of
/// the recent scores times the new origin's σ̂: narrow when the market is calm, wide when it is not,
/// whichever regime the scores came from. With `.constant` volatility this is plain split conformal.
/// With an adaptation rate γ > 0 the miscoverage each horizon aims at moves after every resolved
/// forecast, αₜ₊₁ = αₜ + γ (α − missₜ) (adaptive conformal inference, Gibbs & Candès 2021), so a run of
/// misses widens the next intervals even before the scores catch up.
public struct IntervalMethod: Sendable, Hashable, Codable, CustomStringConvertible {
    public var volatility: VolatilityModel
    /// Symmetric: ± the quantile of |s|. Otherwise the two tails' quantiles of signed s (follows skew).
    public var symmetric: Bool
    /// ACI's γ at horizon 1; 0 keeps the nominal miscoverage. Horizon h moves at γ / h: its misses
    /// arrive h steps late and overlap, so a run of them would otherwise swing the target to zero.
    public var adaptationRate: Double

    /// Gaussian quantiles of the volatility model itself instead of the scores' (point ± z σ̂, z from
    /// ACI's current target): the volatility model's own interval, adapted online.
    public var parametric: Bool

    public init(volatility: VolatilityModel, symmetric: Bool = false, adaptationRate: Double = 0, parametric: Bool = false) {
        self.volatility = volatility
        self.symmetric = symmetric
        self.adaptationRate = adaptationRate
        self.parametric = parametric && volatility != .constant
    }

    /// Plain split conformal on the recent errors, the method to compare against.
    public static let split = IntervalMethod(volatility: .constant)

    /// ACI's rate of the candidates, per update at horizon 1; horizon h updates at rate/h (see
    /// `adaptationRate`).
    public static let standardAdaptationRate = 0.01

    /// The candidates that validation chooses among, for calibration origins `step` observations apart:
    /// every volatility model with conformal quantiles, symmetric or not, and with its own Gaussian
    /// quantiles, all adapting online (ACI at 0.01 a day at horizon 1, scaled by the step).
    ///
    /// The Gaussian candidates (point ± z σ̂, the volatility model's own interval) were added after the
    /// conformal ones were measured too wide at 20 days: on the eleven daily bench series naive's
    /// pooled MSIS went 11.21 / 26.60 / 53.14 → 10.81 / 25.71 / 45.82 at h = 1 / 5 / 20, below split
    /// conformal's at every horizon, with the 80% coverage 78.9 / 80.5 / 79.6% (95%: 94.9 / 93.2 / 91.4).
    ///
    /// Adaptation is not left to validation: a training part that happened to be calm cannot show
    /// what adapting is worth when it ends. On the eleven daily bench series (naive, every origin of
    /// the test part) letting validation switch ACI off left 80% coverage at 78.1 / 78.9 / 75.3% pooled
    /// at h = 1 / 5 / 20, with the S&P 500 to mid-2018 at 71% at h = 1; always adapting gave
    /// 80.0 / 80.1 / 76.9%, every series within 78–86% at h = 1. A rate of 0.02 covered more at
    /// h = 20 (77.7%) but widened the 5- and 20-day intervals beyond split conformal's interval
    /// score.
    public static func candidates(step: Int, includeUnscaled: Bool = true) -> [IntervalMethod] {
        var out: [IntervalMethod] = []
        let scales: [VolatilityModel] = (includeUnscaled ? [.constant] : []) + [.ewma(lambda: 0.94), .ewma(lambda: 0.97), .ewma(lambda: 0.99), .garch]
        for v in scales {
            for symmetric in [false, true] {
                out.append(IntervalMethod(volatility: v, symmetric: symmetric,
                                          adaptationRate: standardAdaptationRate * Double(step)))
            }
            if v != .constant {
                out.append(IntervalMethod(volatility: v, adaptationRate: standardAdaptationRate * Double(step), parametric: true))
            }
        }
        return out
    }

    /// What validation chooses among for `history`. For daily data (or data without a detected
    /// frequency) only the volatility-scaled methods: volatility clusters in market series, and a
    /// training part that happened to be calm cannot show that unscaled intervals fail when it ends
    /// (the failure this layer exists for: on the bench series, letting split conformal and the
    /// models' own intervals compete left VIX 2014–15 at 64% coverage for 80%). For weekly and coarser
    /// data, where returns are mostly season and trend, split conformal and the model's own intervals
    /// compete too.
    public static func calibrationCandidates(for history: TimeSeriesHistory, step: Int)
        -> (methods: [IntervalMethod], includeModel: Bool) {
        let daily = (history.frequency ?? .daily) == .daily
        return (candidates(step: step, includeUnscaled: !daily), !daily)
    }

    public var description: String {
        let base = volatility == .constant ? "split conformal"
            : parametric ? "\(volatility) Gaussian" : "\(volatility)-scaled conformal"
        return base + (symmetric ? ", symmetric" : "") + (adaptationRate > 0 ? ", ACI γ=\(adaptationRate)/h" : "")
    }
}

/// Which intervals a backtest or forecast shows.
public enum IntervalPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Each model's own intervals (analytic, simulated, or the neural model's stored calibration).
    case model
    /// Split conformal on the model's recent out-of-sample errors.
    case split
    /// The method validation chooses among volatility-scaled and adaptive conformal methods, split
    /// conformal and the model's own intervals.
    case calibrated
}

/// The newest `capacity` scores of one horizon, in arrival order and kept sorted (signed and
/// absolute) as they come and go, so a quantile is a lookup rather than a sort.
struct ScoreWindow: Sendable {
    let capacity: Int
    private var arrivals: [Double] = []
    private var signed: [Double] = []
    private var absolute: [Double] = []

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { signed.count }

    /// Adds a score, dropping the oldest beyond `capacity`.
    mutating func append(_ x: Double) {
        arrivals.append(x)
        signed.insert(x, at: Self.lowerBound(x, in: signed))
        absolute.insert(abs(x), at: Self.lowerBound(abs(x), in: absolute))
        if arrivals.count > capacity {
            let old = arrivals.removeFirst()
            signed.remove(at: Self.lowerBound(old, in: signed))
            absolute.remove(at: Self.lowerBound(abs(old), in: absolute))
        }
    }

    /// The first index whose value is not below `x`.
    private static func lowerBound(_ x: Double, in sorted: [Double]) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The (lower, upper) score quantiles for miscoverage `alpha`: conformal order statistics
    /// (⌈(n + 1)(1 − α)⌉-th smallest), the sample extremes when α is too small for n scores, and
    /// zero width when α ≥ 1. Symmetric: ± the quantile of |s|; otherwise the two tails of s.
    func bounds(alpha: Double, symmetric: Bool) -> (Double, Double) {
        guard alpha < 1 else { return (0, 0) }
        let n = count
        /// ⌈(n + 1)p⌉, within 1…n (the slack keeps an exact integer from rounding up past it).
        func rank(_ p: Double) -> Int { min(max(Int((Double(n + 1) * p - 1e-9).rounded(.up)), 1), n) }
        if symmetric {
            let q = absolute[rank(1 - max(alpha, 0)) - 1]
            return (-q, q)
        }
        // The k-th smallest above, its mirror (the k-th largest) below.
        let k = rank(1 - max(alpha, 0) / 2)
        return (signed[n - k], signed[k - 1])
    }
}

/// What the calibration layer chose for one model: a conformal method, or the model's own intervals
/// when those validated best.
public enum IntervalChoice: Sendable, Hashable, Codable, CustomStringConvertible {
    case model
    case conformal(IntervalMethod)

    public var description: String {
        switch self {
        case .model: return "the model's own"
        case .conformal(let m): return m.description
        }
    }
}

/// One forecast path that the calibration layer sees: made at `origin` (the model saw values[0 ..< origin]).
public struct CalibrationPath: Sendable {
    public var origin: Int
    /// Steps 1…H.
    public var point: [Double]
    /// The model's own intervals, per level of the calibrator, when it made them.
    public var modelIntervals: [PredictionInterval]
    /// Whether this path's errors feed the calibration (a path on the calibration grid); the others
    /// only receive intervals.
    public var feedsCalibration: Bool

    public init(origin: Int, point: [Double], modelIntervals: [PredictionInterval] = [], feedsCalibration: Bool) {
        self.origin = origin
        self.point = point
        self.modelIntervals = modelIntervals
        self.feedsCalibration = feedsCalibration
    }
}

/// Runs a calibration method forward in time over a series' forecast paths, causally: the interval
/// issued at origin t uses only the errors of grid paths whose targets lie before t (o + h ≤ t), the
/// volatility known at t, and the ACI state those errors produced.
public struct IntervalCalibrator: Sendable {
    public var values: [Double]
    public var levels: [Double]
    public var horizon: Int
    /// The newest scores per horizon that the quantiles use.
    public var window: Int
    /// Below this many scores at a horizon, the interval is the model's own (or, without one, a
    /// Gaussian band on the EWMA(0.94) volatility).
    public var minimumScores: Int
    public var returnKind: ReturnKind
    /// Where volatility models are estimated: values[0 ..< estimationEnd].
    public var estimationEnd: Int

    /// Volatility paths computed once at creation, for the models every run will ask for (a GARCH
    /// fit is the costly part of a run, and the candidates share three per model, the models of a
    /// backtest all of them).
    private let prepared: [VolatilityModel: Result<VolatilityPath, ForecastError>]

    /// The volatility used where too few scores have been resolved.
    static let fallbackVolatility = VolatilityModel.ewma(lambda: 0.94)

    /// - Parameter preparing: volatility models to compute once now (the candidates a validation
    ///   will run); any other is computed when a run asks for it.
    public init(values: [Double], levels: [Double], horizon: Int, window: Int = 250, minimumScores: Int = 10,
                returnKind: ReturnKind, estimationEnd: Int, preparing: [VolatilityModel] = []) {
        self.values = values
        self.levels = levels
        self.horizon = horizon
        self.window = window
        self.minimumScores = minimumScores
        self.returnKind = returnKind
        self.estimationEnd = estimationEnd
        var prepared: [VolatilityModel: Result<VolatilityPath, ForecastError>] = [:]
        for model in preparing + [Self.fallbackVolatility] where prepared[model] == nil {
            prepared[model] = Result { () throws(ForecastError) in
                try VolatilityPath(values: values, model: model, kind: returnKind, estimationEnd: estimationEnd)
            }
        }
        self.prepared = prepared
    }

    /// The path of `model`: prepared, or computed now.
    func volatilityPath(_ model: VolatilityModel) throws(ForecastError) -> VolatilityPath {
        if let p = prepared[model] { return try p.get() }
        return try VolatilityPath(values: values, model: model, kind: returnKind, estimationEnd: estimationEnd)
    }

    /// Every path's intervals under `method` (paths sorted by origin), with the ACI miscoverage per
    /// horizon and level after the last path.
    func simulate(_ method: IntervalMethod, paths: [CalibrationPath]) throws(ForecastError)
        -> (intervals: [[PredictionInterval]], alpha: [[Double]]) {
        let volatility = try volatilityPath(method.volatility)
        let fallback = try volatilityPath(Self.fallbackVolatility)
        let z = try levels.map { l throws(ForecastError) in try NormalDistribution.centralQuantile(level: l) }
        let nominal = levels.map { 1 - $0 / 100 }
        let grid = paths.indices.filter { paths[$0].feedsCalibration }
        // Per horizon: the scores resolved so far (oldest first), the next grid path to resolve, and
        // the ACI miscoverage per level.
        var scores = [ScoreWindow](repeating: ScoreWindow(capacity: window), count: horizon)
        var nextToResolve = [Int](repeating: 0, count: horizon)
        var alpha = [[Double]](repeating: nominal, count: horizon)
        var issued = [[PredictionInterval]](repeating: [], count: paths.count)

        for (index, path) in paths.enumerated() {
            let t = path.origin
            // Resolve every grid path whose target at horizon h is now observed (o + h ≤ t).
            for h in 1...horizon {
                while nextToResolve[h - 1] < grid.count {
                    let g = grid[nextToResolve[h - 1]]
                    let p = paths[g]
                    guard p.origin + h <= t, h <= p.point.count else { break }
                    nextToResolve[h - 1] += 1
                    let actual = values[p.origin + h - 1]
                    let sigma = volatility.scale(origin: p.origin, horizon: h)
                    if sigma > 0, sigma.isFinite {
                        scores[h - 1].append((actual - p.point[h - 1]) / sigma)
                    }
                    if method.adaptationRate > 0, !issued[g].isEmpty {
                        for (li, interval) in issued[g].enumerated() {
                            let miss = actual < interval.lower[h - 1] || actual > interval.upper[h - 1]
                            alpha[h - 1][li] += method.adaptationRate / Double(h) * (nominal[li] - (miss ? 1 : 0))
                        }
                    }
                }
            }
            // Issue this path's intervals.
            let steps = min(path.point.count, horizon)
            var lower = [[Double]](repeating: [], count: levels.count)
            var upper = lower
            for h in 1...max(steps, 1) where h <= steps {
                let point = path.point[h - 1]
                let s = scores[h - 1]
                let sigma = volatility.scale(origin: t, horizon: h)
                for li in levels.indices {
                    var low: Double, high: Double
                    if method.parametric, sigma.isFinite, sigma > 0 {
                        let a = alpha[h - 1][li]
                        let q = a >= 1 ? 0 : NormalDistribution.quantile(1 - max(a, 1e-6) / 2)
                        (low, high) = (point - q * sigma, point + q * sigma)
                    } else if s.count >= minimumScores, sigma.isFinite {
                        (low, high) = s.bounds(alpha: alpha[h - 1][li], symmetric: method.symmetric)
                        low = point + low * sigma
                        high = point + high * sigma
                    } else if li < path.modelIntervals.count, h <= path.modelIntervals[li].lower.count {
                        (low, high) = (path.modelIntervals[li].lower[h - 1], path.modelIntervals[li].upper[h - 1])
                    } else {
                        let f = fallback.scale(origin: t, horizon: h)
                        (low, high) = (point - z[li] * f, point + z[li] * f)
                    }
                    lower[li].append(low)
                    upper[li].append(high)
                }
            }
            issued[index] = Self.tidy(point: Array(path.point.prefix(steps)), lower: lower, upper: upper, levels: levels)
        }
        return (issued, alpha)
    }

    /// The promises every interval keeps: it contains the point forecast; at each level, neither side
    /// is nearer the point than at the horizon before (uncertainty does not shrink with the horizon;
    /// quantiles of a hundred scores jitter); a higher level's interval contains a lower level's.
    static func tidy(point: [Double], lower: [[Double]], upper: [[Double]], levels: [Double]) -> [PredictionInterval] {
        var lo = lower, hi = upper
        for li in levels.indices {
            var below = 0.0, above = 0.0
            for h in point.indices {
                below = max(below, point[h] - lo[li][h])
                above = max(above, hi[li][h] - point[h])
                lo[li][h] = point[h] - below
                hi[li][h] = point[h] + above
            }
        }
        // Nest the levels: each level's band at least as wide as every lower level's.
        let order = levels.indices.sorted { levels[$0] < levels[$1] }
        for (a, b) in zip(order, order.dropFirst()) {
            for h in point.indices {
                lo[b][h] = min(lo[b][h], lo[a][h])
                hi[b][h] = max(hi[b][h], hi[a][h])
            }
        }
        return levels.indices.map { PredictionInterval(level: levels[$0], lower: lo[$0], upper: hi[$0]) }
    }
}

extension IntervalCalibrator {
    /// The mean interval score (Winkler; Gneiting & Raftery 2007) of `intervals` per horizon, on the
    /// paths whose index is in `evaluated`, summed over the levels, for targets before `cutoff`, divided
    /// by the mean absolute error at that horizon (so horizons compare). Lower is better; nil where
    /// nothing was scored.
    func validationScores(_ intervals: [[PredictionInterval]], paths: [CalibrationPath], evaluated: [Int],
                          cutoff: Int) -> [Double?] {
        var perHorizon = [Double](repeating: 0, count: horizon)
        var absError = [Double](repeating: 0, count: horizon)
        var counts = [Int](repeating: 0, count: horizon)
        for i in evaluated {
            let p = paths[i]
            for h in 1...horizon where h <= p.point.count && p.origin + h <= cutoff {
                let y = values[p.origin + h - 1]
                absError[h - 1] += abs(y - p.point[h - 1])
                counts[h - 1] += 1
                for (li, interval) in intervals[i].enumerated() {
                    let a = 1 - levels[li] / 100
                    let l = interval.lower[h - 1], u = interval.upper[h - 1]
                    perHorizon[h - 1] += (u - l) + (2 / a) * (max(l - y, 0) + max(y - u, 0))
                }
            }
        }
        return (0..<horizon).map { h in counts[h] > 0 && absError[h] > 0 ? perHorizon[h] / absError[h] : nil }
    }

    /// Every path's intervals under one choice: a conformal method run over the paths, or the model's
    /// own intervals (tidied: the point inside, no side narrowing with the horizon, levels nested),
    /// with ACI's miscoverage per horizon and level after the last path for a method that adapts.
    public func run(_ choice: IntervalChoice, paths: [CalibrationPath]) throws(ForecastError)
        -> (intervals: [[PredictionInterval]], alpha: [[Double]]?) {
        switch choice {
        case .model:
            return (paths.map { p in
                let steps = min(horizon, p.point.count)
                let point = Array(p.point.prefix(steps))
                // A path without intervals of its own (none is chosen so, but a later one may lack them)
                // gets none: zero width at the point.
                let own = p.modelIntervals.count == levels.count && p.modelIntervals.allSatisfy { $0.lower.count >= steps }
                return IntervalCalibrator.tidy(point: point,
                                               lower: own ? p.modelIntervals.map { Array($0.lower.prefix(steps)) } : levels.map { _ in point },
                                               upper: own ? p.modelIntervals.map { Array($0.upper.prefix(steps)) } : levels.map { _ in point },
                                               levels: levels)
            }, nil)
        case .conformal(let method):
            let r = try simulate(method, paths: paths)
            return (r.intervals, method.adaptationRate > 0 ? r.alpha : nil)
        }
    }

    /// The intervals of every path under the choice that validation prefers: each candidate (and the
    /// model's own intervals, when every path has them and `includeModel`) is run over all paths and
    /// scored per horizon on the grid paths from `validationStart` on whose targets lie before
    /// `cutoff`, the first origin the calibration serves; the best average over horizons wins (ties
    /// keep the earlier candidate). `ranking`: each candidate's average, best first.
    ///
    /// One choice serves every horizon. Choosing per horizon was tried on the ten daily bench series
    /// and did worse out of sample (naive's pooled 20-day MSIS rose from 49.0 to 56.5): each horizon's
    /// validation is noisy, and the widest choice then carries to the longer horizons through the
    /// promise that no side narrows with the horizon.
    public func chooseAndRun(paths: [CalibrationPath], candidates: [IntervalMethod], includeModel: Bool = true,
                             validationStart: Int, cutoff: Int) throws(ForecastError)
        -> (choice: IntervalChoice, intervals: [[PredictionInterval]], ranking: [(IntervalChoice, Double)]) {
        let evaluated = paths.indices.filter { paths[$0].feedsCalibration && paths[$0].origin >= validationStart && paths[$0].origin < cutoff }
        var tried: [(choice: IntervalChoice, intervals: [[PredictionInterval]], scores: [Double?])] = []
        let haveOwn = paths.allSatisfy { p in
            p.modelIntervals.count == levels.count && p.modelIntervals.allSatisfy { $0.lower.count >= min(horizon, p.point.count) }
        }
        var choices: [IntervalChoice] = haveOwn && includeModel ? [.model] : []
        choices += candidates.map { .conformal($0) }
        for c in choices {
            // A volatility model that cannot be estimated here (too few returns, a constant series)
            // is not a candidate.
            guard let r = try? run(c, paths: paths) else { continue }
            tried.append((c, r.intervals, validationScores(r.intervals, paths: paths, evaluated: evaluated, cutoff: cutoff)))
        }
        let ranking = tried.compactMap { t -> (IntervalChoice, Double)? in
            let s = t.scores.compactMap { $0 }
            return s.count == horizon ? (t.choice, s.reduce(0, +) / Double(s.count)) : nil
        }.sorted { $0.1 < $1.1 }
        // Nothing validated (too few origins): split conformal, the least assuming method.
        guard let best = ranking.first?.0 else {
            return (.conformal(.split), try run(.conformal(.split), paths: paths).intervals, ranking)
        }
        return (best, tried.first { $0.choice == best }!.intervals, ranking)
    }
}
