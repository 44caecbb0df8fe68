import AugurCore

/// An extra section comparing a chosen set of models by MASE per horizon, e.g.
/// `ModelComparison(title: "Seq2Seq vs plain", models: [.lstm, .seq2seq, .naive])`.
/// The numbers come from the report's `backtest` rows; models without rows are skipped, and the
/// section is left out unless at least two models other than the report's baseline have rows.
public struct ModelComparison: Sendable, Equatable {
    public var title: String
    public var models: [ModelKind]

    public init(title: String, models: [ModelKind]) {
        self.title = title
        self.models = models
    }
}
