import AugurCore

extension Verdict {
    /// Changes smaller than this (0.05%, i.e. 0.0% when rounded to one decimal) are a draw.
    public static let levelBand = 0.0005

    /// Judges `model` against `baseline` at every horizon of `scores` where the model has a row:
    /// by MASE when both have it (and the baseline's is positive), else by the model's relative MAE
    /// (below 1 beats naive). A change inside ±`levelBand` is `level`.
    ///
    /// `errors[model][h]`, when given, are the forecast errors (actual − point) at horizon h, one per
    /// origin in the same order for every model (nil where not scored): each judgement then carries
    /// the two-sided Diebold–Mariano p-value of the model against the baseline. Origins `originStep`
    /// apart: h-step errors are correlated over ⌈h / originStep⌉ − 1 lags.
    public static func judge(_ model: ModelKind, against baseline: ModelKind = .naive,
                             in scores: [BacktestScore], errors: [ModelKind: [Int: [Double?]]]? = nil,
                             originStep: Int = 1) -> Verdict {
        let rows = scores.filter { $0.model == model }.sorted { $0.horizon < $1.horizon }
        func pValue(_ h: Int) -> Double? {
            guard let m = errors?[model]?[h], let b = errors?[baseline]?[h], m.count == b.count else { return nil }
            let pairs = zip(m, b).compactMap { x, y -> (Double, Double)? in
                guard let x, let y, x.isFinite, y.isFinite else { return nil }
                return (x, y)
            }
            let step = max(originStep, 1)
            return DieboldMariano(pairs.map(\.0), pairs.map(\.1), horizon: (h + step - 1) / step, power: 1)?.pTwoSided
        }
        let judgements = rows.compactMap { row -> Judgement? in
            let reference = scores.first { $0.model == baseline && $0.horizon == row.horizon }
            if let mase = row[.mase], let base = reference?[.mase], base > 0 {
                let change = mase / base - 1
                return Judgement(horizon: row.horizon, outcome: outcome(change), change: change,
                                 evidence: .mase(model: mase, baseline: base), pValue: pValue(row.horizon))
            }
            if let relative = row[.relativeMAE] {
                return Judgement(horizon: row.horizon, outcome: outcome(relative - 1), change: relative - 1,
                                 evidence: .relativeMAE(relative), pValue: baseline == .naive ? pValue(row.horizon) : nil)
            }
            return nil
        }
        return Verdict(model: model, baseline: baseline, judgements: judgements)
    }

    static func outcome(_ change: Double) -> Outcome {
        if abs(change) < levelBand { return .level }
        return change < 0 ? .better : .worse
    }
}

extension BacktestResult {
    /// Each model's errors (actual − point) by horizon, one per origin in origin order (nil where the
    /// target is beyond the data): what `Verdict.judge` tests.
    public var errorsByOrigin: [ModelKind: [Int: [Double?]]] {
        var out: [ModelKind: [Int: [(Int, Double?)]]] = [:]
        for f in forecasts {
            out[f.model, default: [:]][f.horizon, default: []].append((f.originIndex, f.actual.map { $0 - f.point }))
        }
        return out.mapValues { $0.mapValues { $0.sorted { $0.0 < $1.0 }.map(\.1) } }
    }
}
