/// The one-sentence answer to "does the model beat the random walk?", horizon by horizon.
public enum Verdict {
    /// E.g. "LSTM vs naive: worse at h=1 (MASE 1.745 vs 1.729, +0.9%), better at h=5 (MASE 1.702 vs 1.731,
    /// -1.7%)." Each horizon is judged by MASE when both models have it, else by the model's relative MAE
    /// (below 1 beats naive); horizons with neither are left out. The report's `verdictOverride` wins.
    public static func sentence(for report: SymbolReport) -> String {
        if let override = report.verdictOverride { return override }
        guard let model = report.primaryModel else { return "No model was trained, so there is no verdict." }
        let baseline = report.baselineModel
        let rows = report.backtest.filter { $0.model == model }.sorted { $0.horizon < $1.horizon }
        guard !rows.isEmpty else { return "\(model) has no backtest, so there is no verdict against \(baseline)." }
        var judgements: [String] = []
        var better = 0
        for row in rows {
            let reference = report.backtest.first { $0.model == baseline && $0.horizon == row.horizon }
            if let mase = row.mase, let baseMASE = reference?.mase, baseMASE > 0 {
                let change = mase / baseMASE - 1
                let word = judgement(change)
                if word == "better" { better += 1 }
                judgements.append("\(word) at h=\(row.horizon) (MASE \(NumberFormat.fixed(mase, decimals: 3)) vs "
                                  + "\(NumberFormat.fixed(baseMASE, decimals: 3)), \(NumberFormat.signedPercent(change)))")
            } else if let relative = row.relativeMAE {
                let word = judgement(relative - 1)
                if word == "better" { better += 1 }
                judgements.append("\(word) at h=\(row.horizon) (rel. MAE \(NumberFormat.fixed(relative, decimals: 3)), "
                                  + "\(NumberFormat.signedPercent(relative - 1)))")
            }
        }
        guard !judgements.isEmpty else {
            return "\(model) vs \(baseline): no MASE or relative MAE to compare."
        }
        let tally = "better at \(better) of \(judgements.count) horizon\(judgements.count == 1 ? "" : "s")"
        return "\(model) vs \(baseline): " + judgements.joined(separator: ", ") + "; \(tally)."
    }

    // Differences that round to 0.0% are not a win either way.
    private static func judgement(_ change: Double) -> String {
        if abs(change) < 0.0005 { return "level" }
        return change < 0 ? "better" : "worse"
    }
}
