import AugurCore
import AugurNN

/// What kind of model a registry entry is.
public enum ModelFamily: Sendable, Equatable {
    /// Naive, drift, seasonal naive, mean: the references every model must beat.
    case baseline
    /// Exponential smoothing and theta: fitted by likelihood or least squares at every origin.
    case statistical
    /// A recurrent network forecasting one step, fed back recursively.
    case recurrent(CellKind)
    /// The encoder-decoder emitting the whole horizon.
    case encoderDecoder
}

/// What every model may be built with. Neural configurations left nil take the entry's defaults.
public struct ModelSettings: Sendable {
    /// The season for the seasonal models (nil: from the history's frequency).
    public var season: Int?
    /// Retrain a neural model every N backtest origins (nil: train once, then advance its state).
    public var refitEvery: Int?
    /// The configuration of the recurrent models; its cell is always the kind's own.
    public var recurrent: TrainingConfiguration?
    public var seq2seq: Seq2SeqConfiguration?
    /// Kernel threads for a neural model (1 is bit-for-bit reproducible).
    public var threads: Int

    public init(season: Int? = nil, refitEvery: Int? = nil, recurrent: TrainingConfiguration? = nil,
                seq2seq: Seq2SeqConfiguration? = nil, threads: Int = 1) {
        self.season = season
        self.refitEvery = refitEvery
        self.recurrent = recurrent
        self.seq2seq = seq2seq
        self.threads = threads
    }
}

/// One model's registry entry: what it is and how to build it.
public struct ModelEntry: Sendable {
    public var family: ModelFamily
    /// Whether `augur backtest` runs it when no `--models` are named.
    public var inDefaultBacktest: Bool
    let build: @Sendable (ModelSettings) -> any Forecaster
}

extension ModelKind {
    /// The registry: every model's entry. Adding a model is a file for its `Forecaster`, a case in
    /// `ModelKind` and its entry here.
    public var entry: ModelEntry {
        switch self {
        case .lstm: return .recurrent(.lstm)
        case .gru: return .recurrent(.gru)
        case .rnn: return .recurrent(.rnn, inDefaultBacktest: false)
        case .seq2seq:
            return ModelEntry(family: .encoderDecoder, inDefaultBacktest: true) { s in
                var c = s.seq2seq ?? Seq2SeqConfiguration()
                c.training.threads = s.threads
                return Seq2SeqForecaster(configuration: c, refitEvery: s.refitEvery)
            }
        case .naive: return .simple(.baseline) { _ in NaiveForecaster() }
        case .drift: return .simple(.baseline) { _ in DriftForecaster() }
        case .snaive: return .simple(.baseline) { s in SeasonalNaiveForecaster(season: s.season) }
        case .mean: return .simple(.baseline) { _ in MeanForecaster() }
        case .ses: return .simple(.statistical) { _ in SimpleExponentialSmoothing() }
        case .holt: return .simple(.statistical) { _ in HoltForecaster() }
        case .theta: return .simple(.statistical) { s in ThetaForecaster(season: s.season) }
        case .autoets:
            return ModelEntry(family: .statistical, inDefaultBacktest: false) { s in
                AutoETSForecaster(season: s.season)
            }
        case .autoarima:
            return ModelEntry(family: .statistical, inDefaultBacktest: false) { s in
                AutoARIMAForecaster(season: s.season)
            }
        case .auto:
            return ModelEntry(family: .statistical, inDefaultBacktest: true) { s in
                AutoForecaster(season: s.season)
            }
        }
    }

    /// A recurrent network or the encoder-decoder: trained once, state advanced, stored with weights.
    public var isNeural: Bool {
        switch entry.family {
        case .recurrent, .encoderDecoder: return true
        case .baseline, .statistical: return false
        }
    }

    /// The recurrent cell of a recurrent model, nil for every other.
    public var cell: CellKind? {
        if case .recurrent(let c) = entry.family { return c }
        return nil
    }

    /// The recurrent model of `cell`.
    public init(cell: CellKind) {
        self = ModelKind.allCases.first { $0.cell == cell }!
    }

    /// The models `augur backtest` runs by default, in table order.
    public static var backtestDefaults: [ModelKind] { allCases.filter { $0.entry.inDefaultBacktest } }

    /// A fresh, unfitted forecaster of this kind.
    public func makeForecaster(_ settings: ModelSettings = ModelSettings()) -> any Forecaster {
        entry.build(settings)
    }

    /// The kind's default training configuration (recurrent models only).
    public var defaultConfiguration: TrainingConfiguration? {
        guard let cell else { return nil }
        var c = TrainingConfiguration()
        c.cell = cell
        return c
    }
}

extension ModelEntry {
    static func simple(_ family: ModelFamily, _ build: @escaping @Sendable (ModelSettings) -> any Forecaster) -> ModelEntry {
        ModelEntry(family: family, inDefaultBacktest: true, build: build)
    }

    static func recurrent(_ cell: CellKind, inDefaultBacktest: Bool = true) -> ModelEntry {
        ModelEntry(family: .recurrent(cell), inDefaultBacktest: inDefaultBacktest) { s in
            var c = s.recurrent ?? TrainingConfiguration()
            c.cell = cell
            c.threads = s.threads
            return NeuralForecaster(configuration: c, refitEvery: s.refitEvery)
        }
    }
}
