import AugurCore

extension Verdict {
    /// Changes smaller than this (0.05%, i.e. 0.0% when rounded to one decimal) are a draw.
    public static let levelBand = 0.0005

    /// Judges `model` against `baseline` at every horizon of `scores` where the model has a row:
    /// by MASE when both have it (and the baseline's is positive), else by the model's relative MAE
    /// (below 1 beats naive). A change inside ±`levelBand` is `level`.
    public static func judge(_ model: ModelKind, against baseline: ModelKind = .naive,
                             in scores: [BacktestScore]) -> Verdict {
        let rows = scores.filter { $0.model == model }.sorted { $0.horizon < $1.horizon }
        let judgements = rows.compactMap { row -> Judgement? in
            let reference = scores.first { $0.model == baseline && $0.horizon == row.horizon }
            if let mase = row[.mase], let base = reference?[.mase], base > 0 {
                let change = mase / base - 1
                return Judgement(horizon: row.horizon, outcome: outcome(change), change: change,
                                 evidence: .mase(model: mase, baseline: base))
            }
            if let relative = row[.relativeMAE] {
                return Judgement(horizon: row.horizon, outcome: outcome(relative - 1), change: relative - 1,
                                 evidence: .relativeMAE(relative))
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
