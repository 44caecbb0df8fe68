import AugurNN

/// How batches relate across a training epoch.
public enum TrainingMode: String, Sendable, Codable, CaseIterable {
    /// Contiguous batches, state carried from batch to batch, reset each epoch (truncated BPTT).
    case stateful
    /// The same windows shuffled each epoch, zero state for every batch.
    case stateless
}

/// Everything that decides a trained model, stored with it as JSON.
public struct TrainingConfiguration: Sendable, Codable, Equatable {
    public var cell: CellKind = .lstm
    public var mode: TrainingMode = .stateful
    public var hidden = 32
    public var layers = 1
    /// L, steps per window (the truncation length of BPTT).
    public var window = 32
    /// B, parallel streams when one series is trained (several series: one stream each).
    public var streams = 32
    public var epochs = 100
    /// Epochs without a better validation loss before training stops.
    public var patience = 10
    public var learningRate = 1e-3
    public var seed: UInt64 = 1
    /// The newest fraction of each series held out for validation.
    public var validationFraction = 0.15
    public var features: FeatureKind = .returns
    /// Huber δ in z-score units; nil means mean squared error.
    public var huberDelta: Double?
    public var clipNorm = 1.0
    public var dropout = 0.0
    public var weightDecay = 0.0
    /// Threads for the numerical kernels (1 gives bit-for-bit reproducible runs).
    public var threads = 1

    public init() {}

    public var loss: Loss { huberDelta.map { .huber(delta: $0) } ?? .meanSquaredError }

    /// Checks ranges a user could get wrong.
    public func validate() throws(TrainingError) {
        func check(_ ok: Bool, _ what: String) throws(TrainingError) { if !ok { throw .invalidConfiguration(what) } }
        try check(hidden >= 1 && hidden <= 4096, "--hidden must be between 1 and 4096, got \(hidden)")
        try check(layers >= 1 && layers <= 8, "--layers must be between 1 and 8, got \(layers)")
        try check(window >= 2 && window <= 10_000, "--window must be between 2 and 10000, got \(window)")
        try check(streams >= 1 && streams <= 4096, "--streams must be between 1 and 4096, got \(streams)")
        try check(epochs >= 1, "--epochs must be at least 1, got \(epochs)")
        try check(patience >= 1, "--patience must be at least 1, got \(patience)")
        try check(learningRate > 0 && learningRate < 1, "--lr must be in (0, 1), got \(learningRate)")
        try check(validationFraction > 0 && validationFraction < 0.9,
                  "--val-fraction must be in (0, 0.9), got \(validationFraction)")
        try check(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got \(dropout)")
        try check(clipNorm > 0, "--clip must be positive, got \(clipNorm)")
        try check(threads >= 1 && threads <= 64, "--threads must be between 1 and 64, got \(threads)")
        if let d = huberDelta { try check(d > 0, "--huber must be positive, got \(d)") }
    }

    var network: SequenceModelConfiguration {
        SequenceModelConfiguration(cell: cell, inputSize: features.inputSize, hiddenSize: hidden, layers: layers,
                                   outputSize: 1, dropout: dropout)
    }
}

/// Why training could not produce a model.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(String)
    case seriesTooShort(symbol: String, needed: Int, got: Int)
    case badPrice(symbol: String, index: Int)
    /// The loss became NaN or infinite: nothing is saved.
    case nonFiniteLoss(epoch: Int, which: String)
    case network(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let s): return s
        case .seriesTooShort(let s, let n, let g):
            return "\(s): too short to train on: needs at least \(n) bars, has \(g)"
        case .badPrice(let s, let i): return "\(s): price at bar \(i + 1) is not a positive finite number"
        case .nonFiniteLoss(let e, let w):
            return "training diverged: the \(w) loss became NaN or infinite in epoch \(e); nothing was saved "
                + "(try a smaller --lr or --clip)"
        case .network(let s): return "network error: \(s)"
        }
    }
}
