import AugurCore
import AugurForecast
import AugurNN
import AugurStore
import Foundation

/// `augur train --model seq2seq` and forecasting from a stored encoder-decoder. It is kept like the
/// recurrent models (cell `seq2seq` in `models`, weights, scaler, calibration, epochs) but carries
/// no state: its encoder reads the newest `encoderWindow` returns from the bars at forecast time.
public enum Seq2SeqUseCase {
    public static func train(symbol: String, configuration: Seq2SeqConfiguration, database: AugurDatabase) throws -> TrainSummary {
        let started = Date()
        let context = try SymbolContext.load(symbol, database: database)
        let series = context.series, name = context.name
        var forecaster = Seq2SeqForecaster(configuration: configuration)
        try forecaster.fit(try context.history())
        guard let r = forecaster.lastTraining, let model = forecaster.model, let scaler = forecaster.scaler else {
            throw AppError.internalFailure("seq2seq training returned no model")
        }
        let seconds = Date().timeIntervalSince(started)
        var stored = StoredModel(
            symbols: [name], kind: .seq2seq, mode: nil, configuration: ModelCodec.encode(configuration),
            features: FeatureKind.returns.rawValue, scalers: ModelCodec.encode([name: scaler]), weights: model.parameterBlob(),
            dataFirst: series.dates[1], dataLast: series.last!, created: Timestamp.iso(Date()), bestEpoch: r.bestEpoch,
            bestValidationLoss: r.bestValidationLoss, randomWalkLoss: r.randomWalkValidationLoss, trainSeconds: seconds,
            streams: configuration.training.streams, notes: "encoder window \(configuration.encoderWindow), horizon \(configuration.horizon)")
        stored.calibration = ModelCodec.encode([name: forecaster.calibration ?? NeuralCalibration(logResiduals: [])])
        let id = try database.saveModel(stored, epochs: r.history.map {
            StoredEpoch(epoch: $0.epoch, trainLoss: $0.trainLoss, validationLoss: $0.validationLoss, seconds: $0.seconds)
        }, states: [])
        return TrainSummary(
            modelID: id, symbols: [name], kind: .seq2seq, mode: nil, epochs: r.history.count,
            bestEpoch: r.bestEpoch, bestValidationLoss: r.bestValidationLoss, randomWalkLoss: r.randomWalkValidationLoss,
            relativeToRandomWalk: ratio(r.bestValidationLoss, r.randomWalkValidationLoss), seconds: seconds,
            secondsPerEpoch: r.history.map(\.trainSeconds).reduce(0, +) / Double(max(r.history.count, 1)),
            stepsPerEpoch: 0, streams: configuration.training.streams, stoppedEarly: r.stoppedEarly,
            peakMemoryMB: ProcessMemory.peakRSSMegabytes() ?? 0, notes: [stored.notes], history: r.history)
    }

    /// A forecaster from stored model `m`, positioned at the end of the symbol's bars.
    static func forecaster(_ m: StoredModel, context: SymbolContext) throws -> Seq2SeqForecaster {
        let cfg = try ModelCodec.seq2seqConfiguration(m)
        guard let scaler = ModelCodec.perSymbol(m.scalers, context.name, as: Scaler.self) else {
            throw AppError.invalid("model \(m.id ?? 0) was not trained on \(context.name); it was trained on "
                                 + m.symbols.joined(separator: ", "))
        }
        let model = try Seq2SeqModel<Float>(configuration: cfg.network, seed: cfg.training.seed)
        try model.loadParameters(from: m.weights)
        let calibration = ModelCodec.perSymbol(m.calibration, context.name, as: NeuralCalibration.self)
        return try Seq2SeqForecaster(configuration: cfg, model: model, scaler: scaler, calibration: calibration,
                                     history: try context.history())
    }
}
