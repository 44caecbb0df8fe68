import AugurCore
import AugurForecast
import AugurNN
import AugurStore
import Foundation

/// What `augur train` reports.
public struct TrainSummary: Sendable, Codable {
    public var modelID: Int64
    public var symbols: [String]
    public var cell: String
    public var mode: String
    public var epochs: Int
    public var bestEpoch: Int
    public var bestValidationLoss: Double
    /// The validation loss of always predicting a zero return (the random walk).
    public var randomWalkLoss: Double
    /// Best validation loss relative to the random walk's (1.00 = as good as the random walk).
    public var relativeToRandomWalk: Double
    public var seconds: Double
    /// Training batches only, per epoch (validation excluded).
    public var secondsPerEpoch: Double
    public var stepsPerEpoch: Int
    public var streams: Int
    public var stoppedEarly: Bool
    public var peakMemoryMB: Double
    public var notes: [String]
    public var history: [EpochRecord]
}

public enum TrainUseCase {
    /// Trains one model on `symbols` (several symbols: one global model, one stream each) and stores
    /// it with its epochs and each symbol's state as of its last bar, in one transaction.
    public static func run(symbols: [String], configuration: TrainingConfiguration, database: AugurDatabase,
                           onEpoch: ((EpochProgress) -> Void)? = nil) throws -> TrainSummary {
        let result = try train(symbols: symbols, configuration: configuration, database: database, onEpoch: onEpoch)
        var (model, epochs, states) = ModelCodec.stored(result)
        model.calibration = ModelCodec.encode(try calibrate(result, database: database))
        let id = try database.saveModel(model, epochs: epochs, states: states)
        return summarise(result, id: id)
    }

    /// Trains without saving (compare-modes, tests).
    public static func train(symbols: [String], configuration: TrainingConfiguration, database: AugurDatabase,
                             onEpoch: ((EpochProgress) -> Void)? = nil) throws -> TrainingResult {
        guard !symbols.isEmpty else { throw AppError.usage("name at least one symbol to train on") }
        var inputs: [(symbol: String, bars: [Bar])] = []
        for s in symbols {
            let bars = try database.bars(for: s)
            let name = try database.read { try AugurDatabase.canonicalName($0, s) }
            inputs.append((name, bars))
        }
        var trainer = NeuralTrainer(configuration: configuration)
        trainer.onEpoch = onEpoch
        return try trainer.train(inputs)
    }

    /// Conformal calibration per symbol: the trained model's log-price errors at horizons 1…20 over the
    /// newest 250 steps of each history (a quarter of it for short series).
    static func calibrate(_ r: TrainingResult, database: AugurDatabase, horizon: Int = 20) throws -> [String: NeuralCalibration] {
        var out: [String: NeuralCalibration] = [:]
        for s in r.finalStates {
            let f = try SeriesFeatures.build(symbol: s.symbol, bars: try database.bars(for: s.symbol), kind: r.model.features)
            out[s.symbol] = try NeuralCalibration.compute(model: r.model, features: f, scaler: try r.model.scaler(for: s.symbol),
                                                          origins: min(250, max(1, f.count / 4)), horizon: horizon)
        }
        return out
    }

    public static func summarise(_ r: TrainingResult, id: Int64) -> TrainSummary {
        let cfg = r.model.configuration
        return TrainSummary(
            modelID: id, symbols: r.finalStates.map(\.symbol), cell: cfg.cell.rawValue, mode: cfg.mode.rawValue,
            epochs: r.history.count, bestEpoch: r.bestEpoch, bestValidationLoss: r.bestValidationLoss,
            randomWalkLoss: r.randomWalkValidationLoss,
            relativeToRandomWalk: r.bestValidationLoss / r.randomWalkValidationLoss, seconds: r.seconds,
            secondsPerEpoch: r.history.map(\.trainSeconds).reduce(0, +) / Double(max(r.history.count, 1)),
            stepsPerEpoch: r.stepsPerEpoch, streams: r.streams, stoppedEarly: r.stoppedEarly,
            peakMemoryMB: ProcessMemory.peakRSSMegabytes() ?? 0, notes: r.notes, history: r.history)
    }
}

/// `augur models` and `augur model show`.
public struct ModelInfo: Sendable, Codable {
    public var id: Int64
    public var symbols: [String]
    public var cell: String
    public var mode: String
    public var features: String
    public var dataFirst: CivilDate
    public var dataLast: CivilDate
    public var created: String
    public var bestEpoch: Int
    public var bestValidationLoss: Double
    public var randomWalkLoss: Double
    public var trainSeconds: Double
    public var streams: Int
    public var notes: String
    public var configuration: TrainingConfiguration?
    public var epochs: [StoredEpoch]?
}

public enum ModelQueries {
    static func info(_ m: StoredModel, detailed: Bool, database: AugurDatabase) throws -> ModelInfo {
        ModelInfo(id: m.id ?? 0, symbols: m.symbols, cell: m.cell, mode: m.mode, features: m.features,
                  dataFirst: m.dataFirst, dataLast: m.dataLast, created: m.created, bestEpoch: m.bestEpoch,
                  bestValidationLoss: m.bestValidationLoss, randomWalkLoss: m.randomWalkLoss,
                  trainSeconds: m.trainSeconds, streams: m.streams, notes: m.notes,
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
