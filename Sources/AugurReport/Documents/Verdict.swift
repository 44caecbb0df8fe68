import AugurCore

/// The one-sentence answer to "does the model beat the random walk?", horizon by horizon, rendered
/// from the report's `verdict` (judged by AugurForecast), e.g. "lstm vs naive: worse at h=1 (MASE
/// 1.745 vs 1.729, +0.9%), better at h=5 (MASE 1.702 vs 1.731, -1.7%); better at 1 of 2 horizons."
public enum VerdictText {
    public static func sentence(for report: SymbolReport) -> String {
        guard let model = report.primaryModel else { return "No model was trained, so there is no verdict." }
        guard let verdict = report.verdict, !report.backtest.filter({ $0.model == model }).isEmpty else {
            return "\(model.name) has no backtest, so there is no verdict against \(report.baselineModel.name)."
        }
        return sentence(verdict)
    }

    public static func sentence(_ verdict: Verdict) -> String {
        let model = verdict.model.name, baseline = verdict.baseline.name
        guard !verdict.judgements.isEmpty else { return "\(model) vs \(baseline): no MASE or relative MAE to compare." }
        let parts = verdict.judgements.map { j -> String in
            let test = j.pValue.map { p in
                (j.significant || j.outcome == .level ? "" : "not significant, ") + "DM p " + NumberFormat.fixed(p, decimals: 3)
            }
            switch j.evidence {
            case .mase(let m, let b):
                return "\(j.outcome.rawValue) at h=\(j.horizon) (MASE \(NumberFormat.fixed(m, decimals: 3)) vs "
                    + "\(NumberFormat.fixed(b, decimals: 3)), \(NumberFormat.signedPercent(j.change))"
                    + (test.map { "; \($0)" } ?? "") + ")"
            case .relativeMAE(let r):
                return "\(j.outcome.rawValue) at h=\(j.horizon) (rel. MAE \(NumberFormat.fixed(r, decimals: 3)), "
                    + "\(NumberFormat.signedPercent(j.change))" + (test.map { "; \($0)" } ?? "") + ")"
            }
        }
        let n = verdict.judgements.count
        let tail = verdict.tested
            ? "; significantly better at \(verdict.significantlyBetterCount) of \(n) horizon\(n == 1 ? "" : "s") (Diebold–Mariano, 5%)."
            : "; better at \(verdict.betterCount) of \(n) horizon\(n == 1 ? "" : "s")."
        return "\(model) vs \(baseline): " + parts.joined(separator: ", ") + tail
    }
}
