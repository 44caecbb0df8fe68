import AugurCore
import AugurForecast
import AugurNN
import AugurStore
import Foundation

/// What `augur train` reports.
public struct TrainSummary: Sendable, Codable {
    public var modelID: Int64
    public var symbols: [String]
    /// The model trained (`cell` in JSON).
    public var kind: ModelKind
    /// Stateful or stateless; nil (absent in JSON) for the encoder-decoder.
    public var mode: TrainingMode?
    public var epochs: Int
    public var bestEpoch: Int
    public var bestValidationLoss: Double
    /// The validation loss of always predicting a zero return (the random walk).
    public var randomWalkLoss: Double
    /// Best validation loss relative to the random walk's (1.00 = as good as the random walk); nil
    /// when undefined (a constant series: the random walk's loss is 0).
    public var relativeToRandomWalk: Double?
    public var seconds: Double
    /// Training batches only, per epoch (validation excluded).
    public var secondsPerEpoch: Double
    public var stepsPerEpoch: Int
    public var streams: Int
    public var stoppedEarly: Bool
    public var peakMemoryMB: Double
    public var notes: [String]
    public var history: [EpochRecord]

    private enum CodingKeys: String, CodingKey {
        case modelID, symbols, kind = "cell", mode, epochs, bestEpoch, bestValidationLoss, randomWalkLoss
        case relativeToRandomWalk, seconds, secondsPerEpoch, stepsPerEpoch, streams, stoppedEarly, peakMemoryMB, notes, history
    }

    /// As synthesised, except that an undefined ratio is written as null rather than left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(modelID, forKey: .modelID); try c.encode(symbols, forKey: .symbols); try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(mode, forKey: .mode); try c.encode(epochs, forKey: .epochs)
        try c.encode(bestEpoch, forKey: .bestEpoch); try c.encode(bestValidationLoss, forKey: .bestValidationLoss)
        try c.encode(randomWalkLoss, forKey: .randomWalkLoss); try c.encode(relativeToRandomWalk, forKey: .relativeToRandomWalk)
        try c.encode(seconds, forKey: .seconds); try c.encode(secondsPerEpoch, forKey: .secondsPerEpoch)
        try c.encode(stepsPerEpoch, forKey: .stepsPerEpoch); try c.encode(streams, forKey: .streams)
        try c.encode(stoppedEarly, forKey: .stoppedEarly); try c.encode(peakMemoryMB, forKey: .peakMemoryMB)
        try c.encode(notes, forKey: .notes); try c.encode(history, forKey: .history)
    }
}

public enum TrainUseCase {
    /// Trains one model on `symbols` (several symbols: one global model, one stream each) and stores
    /// it with its epochs and each symbol's state as of its last bar, in one transaction.
    /// `role: .comparison` keeps the model for its numbers (compare-modes) without making it the
    /// symbol's default for forecasts.
    public static func run(symbols: [String], configuration: TrainingConfiguration, database: AugurDatabase,
                           role: ModelRole = .forecast, onEpoch: ((EpochProgress) -> Void)? = nil) throws -> TrainSummary {
        try run(contexts: try contexts(symbols, database: database), configuration: configuration, database: database,
                role: role, onEpoch: onEpoch)
    }

    static func run(contexts: [SymbolContext], configuration: TrainingConfiguration, database: AugurDatabase,
                    role: ModelRole = .forecast, onEpoch: ((EpochProgress) -> Void)? = nil) throws -> TrainSummary {
        // A seed ensemble: K members trained alike but for their seeds, stored as one model (the
        // configuration stored says K).
        var trainer = NeuralTrainer(configuration: configuration)
        trainer.onEpoch = onEpoch
        let members = try trainer.trainMembers(contexts.map { (symbol: $0.name, bars: $0.bars) },
                                               returnKinds: contexts.map(\.returnKind))
        var result = members[0]
        if members.count > 1 {
            let seeds = members.map(\.model.configuration.seed)
            result.notes.append("seed ensemble of \(members.count) networks (seeds \(seeds.first!)–\(seeds.last!)) forecasting their median; "
                                + "the training figures are the first network's")
        }
        var (model, epochs, states) = ModelCodec.stored([result] + members.dropFirst(), contexts: contexts)
        model.role = role
        model.calibration = ModelCodec.encode(try calibrate(members, contexts: contexts))
        let id = try database.saveModel(model, epochs: epochs, states: states)
        return summarise(result, id: id)
    }

    /// Trains without saving (compare-modes, tests).
    public static func train(symbols: [String], configuration: TrainingConfiguration, database: AugurDatabase,
                             onEpoch: ((EpochProgress) -> Void)? = nil) throws -> TrainingResult {
        try train(contexts: try contexts(symbols, database: database), configuration: configuration, onEpoch: onEpoch)
    }

    static func contexts(_ symbols: [String], database: AugurDatabase) throws -> [SymbolContext] {
        guard !symbols.isEmpty else { throw AppError.invalid("name at least one symbol to train on") }
        return try symbols.map { try SymbolContext.load($0, database: database) }
    }

    static func train(contexts: [SymbolContext], configuration: TrainingConfiguration,
                      onEpoch: ((EpochProgress) -> Void)?) throws -> TrainingResult {
        var trainer = NeuralTrainer(configuration: configuration)
        trainer.onEpoch = onEpoch
        return try trainer.train(contexts.map { (symbol: $0.name, bars: $0.bars) }, returnKinds: contexts.map(\.returnKind))
    }

    /// Conformal calibration per symbol under the standard `CalibrationPolicy`.
    static func calibrate(_ r: TrainingResult, contexts: [SymbolContext]) throws -> [String: NeuralCalibration] {
        try calibrate([r], contexts: contexts)
    }

    /// The calibration of an ensemble's median forecast (of the one model's, for one member).
    static func calibrate(_ members: [TrainingResult], contexts: [SymbolContext]) throws -> [String: NeuralCalibration] {
        var out: [String: NeuralCalibration] = [:]
        let r = members[0]
        for s in r.finalStates {
            guard let context = contexts.first(where: { $0.name == s.symbol }) else { continue }
            let scaler = try r.model.scaler(for: s.symbol)
            let f = try SeriesFeatures.build(symbol: s.symbol, bars: context.bars, kind: r.model.features,
                                             returnKind: context.returnKind, seasonal: scaler.seasonal)
            out[s.symbol] = try NeuralCalibration.compute(models: members.map(\.model), features: f, scaler: scaler)
        }
        return out
    }

    public static func summarise(_ r: TrainingResult, id: Int64) -> TrainSummary {
        let cfg = r.model.configuration
        return TrainSummary(
            modelID: id, symbols: r.finalStates.map(\.symbol), kind: ModelKind(cell: cfg.cell), mode: cfg.mode,
            epochs: r.history.count, bestEpoch: r.bestEpoch, bestValidationLoss: r.bestValidationLoss,
            randomWalkLoss: r.randomWalkValidationLoss,
            relativeToRandomWalk: ratio(r.bestValidationLoss, r.randomWalkValidationLoss), seconds: r.seconds,
            secondsPerEpoch: r.history.map(\.trainSeconds).reduce(0, +) / Double(max(r.history.count, 1)),
            stepsPerEpoch: r.stepsPerEpoch, streams: r.streams, stoppedEarly: r.stoppedEarly,
            peakMemoryMB: ProcessMemory.peakRSSMegabytes() ?? 0, notes: r.notes, history: r.history)
    }
}

/// `augur models` and `augur model show`.
public struct ModelInfo: Sendable, Codable {
    public var id: Int64
    public var symbols: [String]
    /// `cell` in JSON.
    public var kind: ModelKind
    public var mode: TrainingMode?
    public var features: String
    /// Networks in the model: 1, or a seed ensemble's K.
    public var ensemble: Int
    public var dataFirst: CivilDate
    public var dataLast: CivilDate
    public var created: String
    public var bestEpoch: Int
    public var bestValidationLoss: Double
    public var randomWalkLoss: Double
    public var trainSeconds: Double
    public var streams: Int
    public var notes: String
    /// `forecast` (may serve forecasts) or `comparison` (kept by compare-modes, never the default).
    public var role: ModelRole
    public var configuration: TrainingConfiguration?
    public var epochs: [StoredEpoch]?

    private enum CodingKeys: String, CodingKey {
        case id, symbols, kind = "cell", mode, features, ensemble, dataFirst, dataLast, created, bestEpoch, bestValidationLoss
        case randomWalkLoss, trainSeconds, streams, notes, role, configuration, epochs
    }
}

public enum ModelQueries {
    static func info(_ m: StoredModel, detailed: Bool, database: AugurDatabase) throws -> ModelInfo {
        ModelInfo(id: m.id ?? 0, symbols: m.symbols, kind: m.kind, mode: m.mode, features: m.features,
                  ensemble: m.kind == .seq2seq ? 1 : try ModelCodec.configuration(m).ensembleSize,
                  dataFirst: m.dataFirst, dataLast: m.dataLast, created: m.created, bestEpoch: m.bestEpoch,
                  bestValidationLoss: m.bestValidationLoss, randomWalkLoss: m.randomWalkLoss,
                  trainSeconds: m.trainSeconds, streams: m.streams, notes: m.notes, role: m.role,
                  configuration: detailed ? try ModelCodec.configuration(m) : nil,
                  epochs: detailed ? try database.epochs(modelID: m.id ?? 0) : nil)
    }

    public static func list(database: AugurDatabase) throws -> [ModelInfo] {
        try database.models().map { try info($0, detailed: false, database: database) }
    }

    public static func show(id: Int64, database: AugurDatabase) throws -> ModelInfo {
        guard let m = try database.model(id: id) else { throw AppError.notFound("no model \(id) (see `augur models`)") }
        return try info(m, detailed: true, database: database)
    }
}

/// a / b when that is a finite number, else nil (0/0, x/0, overflow).
func ratio(_ a: Double, _ b: Double) -> Double? {
    let r = a / b
    return r.isFinite ? r : nil
}
