import AugurCore

/// The trained model behind a report's forecast, as the header describes it.
public struct ModelSummary: Sendable, Equatable {
    /// The model, as in the backtest rows.
    public var kind: ModelKind
    /// The recurrent cell, e.g. "lstm", "gru"; nil for a non-neural model.
    public var cell: String?
    /// "stateful" or "stateless"; nil when not applicable.
    public var mode: String?
    /// Free text on the architecture, e.g. "2 × 64, lookback 60"; nil to leave it out.
    public var details: String?
    /// The span of data the model was trained on.
    public var trainedFrom: CivilDate?
    public var trainedTo: CivilDate?
    /// The best validation loss reached, and the same loss for the random walk (predict no change) on the same
    /// validation windows, so "did training beat doing nothing" reads off the header.
    public var bestValidationLoss: Double?
    public var randomWalkValidationLoss: Double?

    public init(kind: ModelKind, cell: String? = nil, mode: String? = nil, details: String? = nil,
                trainedFrom: CivilDate? = nil, trainedTo: CivilDate? = nil,
                bestValidationLoss: Double? = nil, randomWalkValidationLoss: Double? = nil) {
        self.kind = kind
        self.cell = cell
        self.mode = mode
        self.details = details
        self.trainedFrom = trainedFrom
        self.trainedTo = trainedTo
        self.bestValidationLoss = bestValidationLoss
        self.randomWalkValidationLoss = randomWalkValidationLoss
    }
}
