/// The loss curve of one training run.
public struct TrainingHistory: Sendable, Equatable {
    /// What distinguishes the run, e.g. "stateful" or "stateless".
    public var label: String
    /// In epoch order.
    public var epochs: [EpochLoss]

    public init(label: String, epochs: [EpochLoss]) {
        self.label = label
        self.epochs = epochs
    }
}

/// One epoch's mean training loss and validation loss (nil when the run had no validation split).
public struct EpochLoss: Sendable, Equatable {
    public var epoch: Int
    public var train: Double
    public var validation: Double?

    public init(epoch: Int, train: Double, validation: Double? = nil) {
        self.epoch = epoch
        self.train = train
        self.validation = validation
    }
}
