import AugurCore
import AugurForecast
import AugurStore
import Foundation

/// `auto` for a symbol, as `forecast`, `daily` and `report` use it by default: the stored selection is
/// reused (only the models it chose are refitted to the newest data) until the data has grown by
/// `reselectGrowth` since it was made, the longest horizon asked for exceeds what it validated, or the
/// user asks for a new one; a new selection is stored with its evidence.
enum AutoUseCase {
    /// Re-select once the history is this fraction longer than when the selection was made.
    static let reselectGrowth = 0.10

    struct Fitted {
        var forecaster: AutoForecaster
        var selection: AutoSelection
        /// The stored selection used; `reused` says whether it was made before this run.
        var stored: StoredSelection
        var reused: Bool
    }

    /// `neural`: train the default LSTM first when the symbol has no neural model. Every recurrent kind
    /// with a stored forecasting model for the symbol is a candidate: validated by training a fresh one
    /// (same configuration) on the data before the validation window, and, when chosen, forecast from
    /// the stored model with its state advanced to the newest bar.
    static func fit(context: SymbolContext, season: Int?, horizon: Int, reselect: Bool, neural: Bool = false,
                    database: AugurDatabase, onEpoch: ((EpochProgress) -> Void)? = nil) throws -> Fitted {
        let history = try context.history()
        guard let last = context.bars.last else { throw AppError.notFound("\(context.name) has no bars") }
        let validated = max(horizon, BacktestConfiguration.standard(for: history).horizons.max() ?? 1)
        var auto = AutoForecaster(season: season, horizon: validated)
        if neural, try database.latestModel(for: context.name, kind: .lstm) == nil {
            do {
                _ = try TrainUseCase.run(contexts: [context], configuration: TrainingConfiguration(), database: database,
                                         onEpoch: onEpoch)
            } catch TrainingError.seriesTooShort {
                // Too short for a neural model: the statistical candidates only.
            }
        }
        for kind in [ModelKind.lstm, .gru, .rnn] {
            guard let saved = try database.latestModel(for: context.name, kind: kind),
                  var session = try NeuralSession.load(context: context, modelID: saved.id, database: database) else { continue }
            try session.catchUp(bars: context.bars)
            auto.neuralCandidates.append(kind)
            auto.providedMembers[kind] = session.forecaster
            if auto.settings.recurrent == nil { auto.settings.recurrent = try ModelCodec.configuration(saved) }
        }
        if !reselect, let stored = try database.latestSelection(symbol: context.name),
           let selection = try? decoder.decode(AutoSelection.self, from: Data(stored.evidence.utf8)),
           stored.horizon >= horizon, stored.bars <= history.count,
           Double(history.count - stored.bars) < reselectGrowth * Double(stored.bars),
           season == nil || season == selection.season,
           auto.neuralCandidates.allSatisfy({ selection.candidateMASE[$0] != nil }) {
            try auto.refit(history, keeping: selection)
            return Fitted(forecaster: auto, selection: selection, stored: stored, reused: true)
        }
        try auto.fit(history)
        guard let selection = auto.selection else { throw AppError.internalFailure("auto made no selection for \(context.name)") }
        var stored = StoredSelection(symbol: context.name, asOf: last.date, bars: history.count, horizon: validated,
                                     summary: selection.description,
                                     evidence: String(decoding: try encoder.encode(selection), as: UTF8.self))
        stored.id = try database.saveSelection(stored)
        return Fitted(forecaster: auto, selection: selection, stored: stored, reused: false)
    }

    /// Non-finite numbers (none are expected) are written as strings rather than failing the store.
    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// Where the selection came from, for the output: `made now on 144 bars to 1960-12-01` or `stored
    /// 2026-12-06, made on 140 bars to 1960-08-01`.
    static func provenance(_ f: Fitted) -> String {
        let made = "\(f.stored.bars) bars to \(f.stored.asOf)"
        return f.reused ? "stored \(f.stored.created.prefix(10)), made on \(made)" : "made now on \(made)"
    }
}
