import AugurCore
import Foundation

extension ARIMA {
    /// The search's limits, as R's `auto.arima` defaults.
    public struct SearchLimits: Sendable {
        public var maxP = 5, maxQ = 5, maxSeasonalP = 2, maxSeasonalQ = 2
        public var maxD = 2, maxSeasonalD = 1
        /// The most models the stepwise search fits.
        public var maxModels = 94
        public init() {}
    }

    /// The Hyndman–Khandakar stepwise search (R's `forecast::auto.arima`, statsforecast's
    /// `auto_arima_f`): d by repeated KPSS tests, D by the seasonal-strength test, then from
    /// ARIMA(2,d,2)(1,D,1) and three simple starts, moves of ±1 in p, q, P, Q (alone and in pairs) and
    /// toggling the constant while AICc improves. Series longer than 150 (or seasons over 12) search
    /// with CSS and refit the best by exact likelihood. Returns nil only when nothing could be fitted.
    public static func auto(_ y: [Double], m seasonLength: Int, limits: SearchLimits = SearchLimits()) -> ARIMAModel? {
        let n = y.count
        guard n >= 3 else { return nil }
        let m = max(seasonLength, 1)
        if Differencing.isConstant(y) {
            return fixed(y, order: ARIMAOrder(0, 0, 0, m: m), constant: .mean, mu: y.reduce(0, +) / Double(n))
        }
        let approximation = n > 150 || m > 12
        var maxP = min(limits.maxP, n / 3), maxQ = min(limits.maxQ, n / 3)
        var maxSP = min(limits.maxSeasonalP, n / 3 / m), maxSQ = min(limits.maxSeasonalQ, n / 3 / m)
        var D = 0
        if m == 1 {
            maxSP = 0; maxSQ = 0
        } else if n > 2 * m {
            D = Differencing.nsdiffs(y, period: m, maxD: limits.maxSeasonalD)
        }
        var dx = D > 0 ? difference(y, d: 0, D: D, m: m) : y
        let d = Differencing.ndiffs(dx, maxD: limits.maxD)
        if d > 0 { dx = difference(dx, d: d, D: 0, m: m) }
        guard !dx.isEmpty else { return nil }
        if Differencing.isConstant(dx) {
            // The data follow a polynomial (or a repeating season) exactly.
            let o = ARIMAOrder(0, d, 0, seasonal: (0, D, 0), m: m)
            let constant: ARIMAModel.Constant = d + D == 1 ? .drift : d + D == 0 ? .mean : .none
            return fixed(y, order: o, constant: constant, mu: constant == .none ? 0 : dx[0])
        }
        if m > 1 {
            if maxP > 0 { maxP = min(maxP, m - 1) }
            if maxQ > 0 { maxQ = min(maxQ, m - 1) }
        }
        let allowConstant = d + D <= 1
        var constant = allowConstant
        let method: Method = approximation ? .css : .cssML

        struct Tried { var p, q, P, Q: Int; var constant: Bool; var ic: Double }
        var results: [Tried] = []
        func seen(_ p: Int, _ q: Int, _ P: Int, _ Q: Int, _ c: Bool) -> Bool {
            results.contains { $0.p == p && $0.q == q && $0.P == P && $0.Q == Q && $0.constant == c }
        }
        func order(_ p: Int, _ q: Int, _ P: Int, _ Q: Int) -> ARIMAOrder { ARIMAOrder(p, d, q, seasonal: (P, D, Q), m: m) }
        func ic(_ model: ARIMAModel?) -> Double { model?.aicc ?? .infinity }
        func attempt(_ p: Int, _ q: Int, _ P: Int, _ Q: Int, _ c: Bool) -> ARIMAModel? {
            let model = fit(y, order: order(p, q, P, Q), constant: c, method: method)
            results.append(Tried(p: p, q: q, P: P, Q: Q, constant: c, ic: ic(model)))
            return model
        }

        var startP = 2, startQ = 2, startSP = 1, startSQ = 1
        if n < 10 { startP = 1; startQ = 1; startSP = 0; startSQ = 0 }
        var p = min(startP, maxP), q = min(startQ, maxQ), P = min(startSP, maxSP), Q = min(startSQ, maxSQ)
        var best = attempt(p, q, P, Q, constant)
        func consider(_ model: ARIMAModel?) -> Bool {
            guard ic(model) < ic(best) else { return false }
            best = model
            return true
        }
        if consider(attempt(0, 0, 0, 0, constant)) { p = 0; q = 0; P = 0; Q = 0 }
        if maxP > 0 || maxSP > 0 {
            let p1 = maxP > 0 ? 1 : 0, sp1 = m > 1 && maxSP > 0 ? 1 : 0
            if consider(attempt(p1, 0, sp1, 0, constant)) { p = p1; P = sp1; q = 0; Q = 0 }
        }
        if maxQ > 0 || maxSQ > 0 {
            let q1 = maxQ > 0 ? 1 : 0, sq1 = m > 1 && maxSQ > 0 ? 1 : 0
            if consider(attempt(0, q1, 0, sq1, constant)) { p = 0; P = 0; q = q1; Q = sq1 }
        }
        if constant, consider(attempt(0, 0, 0, 0, false)) { p = 0; q = 0; P = 0; Q = 0; constant = false }

        // The neighbourhood, in auto.arima's order: seasonal moves first, then non-seasonal, then the constant.
        let moves: [(dp: Int, dq: Int, dP: Int, dQ: Int)] = [
            (0, 0, -1, 0), (0, 0, 0, -1), (0, 0, 1, 0), (0, 0, 0, 1),
            (0, 0, -1, -1), (0, 0, -1, 1), (0, 0, 1, -1), (0, 0, 1, 1),
            (-1, 0, 0, 0), (0, -1, 0, 0), (1, 0, 0, 0), (0, 1, 0, 0),
            (-1, -1, 0, 0), (-1, 1, 0, 0), (1, -1, 0, 0), (1, 1, 0, 0),
        ]
        var improved = true
        while improved, results.count < limits.maxModels {
            improved = false
            for mv in moves {
                let np = p + mv.dp, nq = q + mv.dq, nP = P + mv.dP, nQ = Q + mv.dQ
                guard np >= 0, nq >= 0, nP >= 0, nQ >= 0, np <= maxP, nq <= maxQ, nP <= maxSP, nQ <= maxSQ else { continue }
                guard !seen(np, nq, nP, nQ, constant), results.count < limits.maxModels else { continue }
                if consider(attempt(np, nq, nP, nQ, constant)) {
                    p = np; q = nq; P = nP; Q = nQ
                    improved = true
                    break
                }
            }
            if !improved, allowConstant, !seen(p, q, P, Q, !constant), results.count < limits.maxModels {
                if consider(attempt(p, q, P, Q, !constant)) { constant.toggle(); improved = true }
            }
        }
        if approximation {
            // Refit by exact likelihood, best CSS criterion first, until one is admissible.
            let ranked = results.enumerated().sorted { ($0.element.ic, $0.offset) < ($1.element.ic, $1.offset) }
            for r in ranked.map(\.element) {
                if let model = fit(y, order: order(r.p, r.q, r.P, r.Q), constant: r.constant, method: .cssML),
                   model.aicc < .infinity {
                    return model
                }
            }
            return nil
        }
        guard let best, best.aicc < .infinity else { return nil }
        return best
    }
}

/// AutoARIMA behind the `Forecaster` protocol (`ModelKind.autoarima`): the stepwise search refitted at
/// every origin; Gaussian intervals from the state-space forecast variance.
public struct AutoARIMAForecaster: Forecaster {
    public let kind = ModelKind.autoarima
    /// The season length; nil takes it from the history (as AutoETS: from the frequency, and for daily
    /// data from a test for a weekly pattern).
    public var season: Int?
    public private(set) var model: ARIMAModel?

    public init(season: Int? = nil) { self.season = season }

    public var fittedDescription: String? { model?.description }

    public private(set) var fitNotes: [String] = []

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        try requireCount(history, 4, model: name)
        let m = season ?? Seasonality.automaticLength(history)
        guard let fitted = ARIMA.auto(history.values, m: m) else {
            throw .insufficientData(model: name, needed: 8, got: history.count)
        }
        model = fitted
        let y = history.values
        var notes: [String] = []
        if Differencing.isConstant(y) { notes.append("the series is constant: ARIMA(0,0,0) at its value") }
        else if m > 1, y.count <= 2 * m { notes.append("\(y.count) observations are not more than two seasons of \(m): no seasonal differencing") }
        if fitted.sigma2 == 0, !Differencing.isConstant(y) {
            notes.append("the differenced series is constant: the fit is exact and the intervals have no width")
        }
        fitNotes = notes
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        try validatePrediction(horizon: horizon, levels: levels)
        guard let model else { throw .notFitted(model: name) }
        let (point, se) = ARIMA.forecast(model, horizon: horizon)
        return try .gaussian(model: kind, point: point, standardErrors: se, levels: levels)
    }
}
