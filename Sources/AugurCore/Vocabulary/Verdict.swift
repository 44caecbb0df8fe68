/// Does a model beat a baseline (the random walk) in a backtest? One judgement per horizon. The
/// judging rule is AugurForecast's (`Verdict.judge`); the CLI and the reports render the same value.
public struct Verdict: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable { case better, level, worse }

    /// What one horizon was judged by: MASE when both models have it, else the model's MAE relative
    /// to naive.
    public enum Evidence: Sendable, Equatable, Codable {
        case mase(model: Double, baseline: Double)
        case relativeMAE(Double)
    }

    public struct Judgement: Sendable, Equatable, Codable {
        public var horizon: Int
        public var outcome: Outcome
        /// Relative change against the baseline (−0.02: 2% lower error).
        public var change: Double
        public var evidence: Evidence
        /// Two-sided Diebold–Mariano p-value of equal accuracy (absolute errors at this horizon, the
        /// same origins); nil when the errors were not at hand or no test was possible.
        public var pValue: Double?

        public init(horizon: Int, outcome: Outcome, change: Double, evidence: Evidence, pValue: Double? = nil) {
            self.horizon = horizon
            self.outcome = outcome
            self.change = change
            self.evidence = evidence
            self.pValue = pValue
        }

        /// Better or worse at the 5% level (false when no test was possible).
        public var significant: Bool { (pValue ?? 1) < 0.05 }
    }

    public var model: ModelKind
    public var baseline: ModelKind
    /// By horizon; horizons with neither MASE nor relative MAE are left out.
    public var judgements: [Judgement]

    public init(model: ModelKind, baseline: ModelKind, judgements: [Judgement]) {
        self.model = model
        self.baseline = baseline
        self.judgements = judgements
    }

    /// Horizons where the model was better.
    public var betterCount: Int { judgements.filter { $0.outcome == .better }.count }
    /// Horizons where it was better and the Diebold–Mariano test says the difference is significant.
    public var significantlyBetterCount: Int { judgements.filter { $0.outcome == .better && $0.significant }.count }
    /// Whether any judgement carries a test.
    public var tested: Bool { judgements.contains { $0.pValue != nil } }
}
