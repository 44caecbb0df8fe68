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
        let series = try database.series(for: symbol)
        let name = try database.read { try AugurDatabase.canonicalName($0, symbol) }
        var forecaster = Seq2SeqForecaster(configuration: configuration)
        try forecaster.fit(try TimeSeriesHistory(series: series))
        guard let r = forecaster.lastTraining, let model = forecaster.model, let scaler = forecaster.scaler else {
            throw AppError.internalFailure("seq2seq training returned no model")
        }
        let seconds = Date().timeIntervalSince(started)
        var stored = StoredModel(
            symbols: [name], cell: "seq2seq", mode: "encoder-decoder", configuration: ModelCodec.encode(configuration),
            features: FeatureKind.returns.rawValue, scalers: ModelCodec.encode([name: scaler]), weights: model.parameterBlob(),
            dataFirst: series.dates[1], dataLast: series.last!, created: Timestamp.iso(Date()), bestEpoch: r.bestEpoch,
            bestValidationLoss: r.bestValidationLoss, randomWalkLoss: r.randomWalkValidationLoss, trainSeconds: seconds,
            streams: configuration.training.streams, notes: "encoder window \(configuration.encoderWindow), horizon \(configuration.horizon)")
        stored.calibration = ModelCodec.encode([name: forecaster.calibration ?? NeuralCalibration(logResiduals: [])])
        let id = try database.saveModel(stored, epochs: r.history.map {
            StoredEpoch(epoch: $0.epoch, trainLoss: $0.trainLoss, validationLoss: $0.validationLoss, seconds: $0.seconds)
        }, states: [])
        return TrainSummary(
            modelID: id, symbols: [name], cell: "seq2seq", mode: "encoder-decoder", epochs: r.history.count,
            bestEpoch: r.bestEpoch, bestValidationLoss: r.bestValidationLoss, randomWalkLoss: r.randomWalkValidationLoss,
            relativeToRandomWalk: r.bestValidationLoss / r.randomWalkValidationLoss, seconds: seconds,
            secondsPerEpoch: r.history.map(\.trainSeconds).reduce(0, +) / Double(max(r.history.count, 1)),
            stepsPerEpoch: 0, streams: configuration.training.streams, stoppedEarly: r.stoppedEarly,
            peakMemoryMB: ProcessMemory.peakRSSMegabytes() ?? 0, notes: [stored.notes], history: r.history)
    }

    /// A forecaster from stored model `m`, positioned at the end of `symbol`'s bars.
    static func forecaster(_ m: StoredModel, symbol: String, database: AugurDatabase) throws -> Seq2SeqForecaster {
        guard let cfg = try? JSONDecoder().decode(Seq2SeqConfiguration.self, from: Data(m.configuration.utf8)),
              let scalers = try? JSONDecoder().decode([String: Scaler].self, from: Data(m.scalers.utf8)),
              let scaler = scalers.first(where: { $0.key.caseInsensitiveCompare(symbol) == .orderedSame })?.value else {
            throw AppError.internalFailure("model \(m.id ?? 0): unreadable seq2seq configuration or scaler for \(symbol)")
        }
        let model = try Seq2SeqModel<Float>(configuration: cfg.network, seed: cfg.training.seed)
        try model.loadParameters(from: m.weights)
        let calibration = (try? JSONDecoder().decode([String: NeuralCalibration].self, from: Data(m.calibration.utf8)))?
            .first { $0.key.caseInsensitiveCompare(symbol) == .orderedSame }?.value
        return try Seq2SeqForecaster(configuration: cfg, model: model, scaler: scaler, calibration: calibration,
                                     history: try TimeSeriesHistory(series: try database.series(for: symbol)))
    }
}
