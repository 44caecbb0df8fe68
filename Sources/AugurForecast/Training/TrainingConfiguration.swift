import AugurCore
import AugurNN

/// How a recurrent network forecasts several steps.
public enum ForecastHead: String, Sendable, Codable, CaseIterable {
    /// One step at a time, each prediction fed back as the next input.
    case recursive
    /// Every step to the horizon at once, from one state.
    case direct
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
    public var learningRate = TrainingConfiguration.defaultLearningRate
    /// Set when the rate was asked for (`--lr`): the short-series rate is then not applied.
    public var learningRateFixed: Bool?
    public static let defaultLearningRate = 1e-3
    /// The rate a series of at most `smallSeriesObservations` trains with when the rate is the default:
    /// a hundred months give a few Adam steps per epoch, and at 1e-3 airline's validation loss was still
    /// falling at the 100th epoch (MAE relative to naive 0.328 / 0.175 / 0.277 at 1e-3, 0.315 / 0.159 /
    /// 0.265 at 3e-3; the three synthetic monthly series as good or better at two horizons of three).
    public static let smallSeriesLearningRate = 3e-3
    public var seed: UInt64 = 1
    /// The newest fraction of each series held out for validation.
    public var validationFraction = 0.15
    public var features: FeatureKind = .returns
    /// Seasonal inputs (`SeasonalInputs.swift`): nil or `auto` when a series is seasonal, `on`, `off`.
    /// They replace `features` for the model (volume is then not used).
    public var seasonal: SeasonalSetting?
    /// Seed ensemble size K: K networks with seeds seed … seed + K − 1, forecasting their median. nil:
    /// `smallSeriesEnsemble` for a series of at most `smallSeriesObservations` (where five small networks
    /// train in well under a second and one alone is at the mercy of its seed), 1 otherwise. A stored
    /// model's configuration always holds the K it was trained with.
    public var ensemble: Int?

    /// How the network forecasts more than one step: nil or `recursive`, one step at a time with each
    /// prediction fed back; `direct`, all `directHorizon` steps at once from one state (as NeuralForecast
    /// and ES-RNN do; steps beyond it continue recursively).
    public var head: ForecastHead?
    /// The direct head's horizon H (nil: 20).
    public var directHorizon: Int?

    /// Outputs of the network: 1, or H for the direct head.
    public var outputSteps: Int { head == .direct ? max(1, directHorizon ?? 20) : 1 }

    /// Series up to this many observations get a seed ensemble by default.
    public static let smallSeriesObservations = 600
    public static let smallSeriesEnsemble = 5

    /// K as set (1 when not set): what a stored configuration says.
    public var ensembleSize: Int { max(1, ensemble ?? 1) }

    /// K for a series of `observations`: as set, or the default for its length.
    public func ensembleSize(observations: Int) -> Int {
        max(1, ensemble ?? (observations <= Self.smallSeriesObservations ? Self.smallSeriesEnsemble : 1))
    }

    /// The configuration of member k of a seed ensemble of this configuration: its seed moved on by k.
    public func member(_ k: Int) -> TrainingConfiguration {
        var m = self
        m.seed = seed &+ UInt64(k)
        return m
    }
    /// Huber δ in z-score units; nil means mean squared error.
    public var huberDelta: Double?
    public var clipNorm = 1.0
    public var dropout = 0.0
    public var weightDecay = 0.0
    /// Threads for the numerical kernels (1 gives bit-for-bit reproducible runs).
    public var threads = 1

    public init() {}

    /// The generator of the epochs' shuffles, derived from `seed` (the weights' initialisation uses `seed` itself).
    func shuffleGenerator() -> SeededGenerator { SeededGenerator(seed: seed &+ 0x5EED) }

    public var loss: Loss { huberDelta.map { .huber(delta: $0) } ?? .meanSquaredError }

    /// Checks ranges a user could get wrong.
    public func validate() throws(TrainingError) {
        func check(_ ok: Bool, _ setting: TrainingSetting, _ rule: String, _ value: any Numeric) throws(TrainingError) {
            if !ok { throw .invalidSetting(setting, rule: rule, value: "\(value)") }
        }
        try check(hidden >= 1 && hidden <= 4096, .hidden, "must be between 1 and 4096", hidden)
        try check(layers >= 1 && layers <= 8, .layers, "must be between 1 and 8", layers)
        try check(window >= 2 && window <= 10_000, .window, "must be between 2 and 10000", window)
        try check(streams >= 1 && streams <= 4096, .streams, "must be between 1 and 4096", streams)
        try check(epochs >= 1, .epochs, "must be at least 1", epochs)
        try check(patience >= 1, .patience, "must be at least 1", patience)
        try check(learningRate > 0 && learningRate < 1, .learningRate, "must be in (0, 1)", learningRate)
        try check(validationFraction > 0 && validationFraction < 0.9, .validationFraction, "must be in (0, 0.9)",
                  validationFraction)
        try check(dropout >= 0 && dropout < 1, .dropout, "must be in [0, 1)", dropout)
        try check(clipNorm > 0, .clipNorm, "must be positive", clipNorm)
        try check(threads >= 1 && threads <= 64, .threads, "must be between 1 and 64", threads)
        if let d = huberDelta { try check(d > 0, .huberDelta, "must be positive", d) }
        if let k = ensemble { try check(k >= 1 && k <= 32, .ensemble, "must be between 1 and 32", k) }
        if let h = directHorizon { try check(h >= 1 && h <= 500, .horizon, "must be between 1 and 500", h) }
    }

    var network: SequenceModelConfiguration {
        SequenceModelConfiguration(cell: cell, inputSize: features.inputSize, hiddenSize: hidden, layers: layers,
                                   outputSize: outputSteps, dropout: dropout)
    }
}

/// A setting of `TrainingConfiguration` (or `Seq2SeqConfiguration`) that a user can get wrong; the
/// CLI maps each to its flag.
public enum TrainingSetting: String, Sendable, CaseIterable {
    case hidden, layers, window, streams, epochs, patience, learningRate, validationFraction, dropout, clipNorm
    case threads, huberDelta, encoderWindow, horizon, scheduledSampling, calibrationOrigins, ensemble
}

/// Why training could not produce a model.
public enum TrainingError: Error, CustomStringConvertible, Equatable, ClassifiedError {
    /// A setting out of its range: the user's to fix.
    case invalidSetting(TrainingSetting, rule: String, value: String)
    /// Several symbols or none: what the trainer was given cannot be trained on.
    case invalidInput(String)
    case seriesTooShort(symbol: String, needed: Int, got: Int)
    case badPrice(symbol: String, index: Int)
    /// The loss became NaN or infinite: nothing is saved.
    case nonFiniteLoss(epoch: Int, which: String)
    /// The network refused its inputs or parameters (a shape or blob mismatch: Augur's bug or a damaged model).
    case network(NNError)
    /// An error of an unexpected type from below (kept as its message).
    case unexpected(String)

    /// Keeps a `TrainingError` as it is and wraps the network's errors.
    public init(_ error: any Error) {
        switch error {
        case let e as TrainingError: self = e
        case let e as NNError: self = .network(e)
        default: self = .unexpected(String(describing: error))
        }
    }

    public var description: String {
        switch self {
        case .invalidSetting(let s, let rule, let value): return "\(s.rawValue) \(rule), got \(value)"
        case .invalidInput(let s): return s
        case .seriesTooShort(let s, let n, let g):
            return "\(s): too short to train on: needs at least \(n) bars, has \(g)"
        case .badPrice(let s, let i): return "\(s): price at bar \(i + 1) is not a positive finite number"
        case .nonFiniteLoss(let e, let w):
            return "training diverged: the \(w) loss became NaN or infinite in epoch \(e); nothing was saved"
        case .network(let e): return "network error: \(e)"
        case .unexpected(let s): return "unexpected error: \(s)"
        }
    }

    public var blame: Blame {
        switch self {
        case .invalidSetting, .invalidInput, .seriesTooShort, .badPrice, .nonFiniteLoss: return .user
        case .network, .unexpected: return .internal
        }
    }
}
