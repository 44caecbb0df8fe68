import AugurCore
import AugurForecast
import AugurStore
import Foundation

/// A stored model made ready to forecast one symbol: the network, the symbol's state and its
/// calibration, brought up to the symbol's newest bar when bars arrived after the state was saved.
struct NeuralSession {
    let stored: StoredModel
    let model: NeuralModel
    var state: StreamState
    let calibration: NeuralCalibration?
    /// Bars consumed to bring the state up to date (0 when it already was).
    var advancedBy = 0

    /// The newest model with a state for `symbol` (or model `id`), or nil when there is none.
    static func load(symbol: String, modelID: Int64? = nil, database: AugurDatabase) throws -> NeuralSession? {
        let stored: StoredModel
        if let modelID {
            guard let m = try database.model(id: modelID) else { throw AppError.notFound("no model \(modelID) (see `augur models`)") }
            stored = m
        } else {
            guard let m = try database.latestModel(for: symbol) else { return nil }
            stored = m
        }
        guard let id = stored.id, let storedState = try database.state(modelID: id, symbol: symbol) else {
            throw AppError.notFound("model \(stored.id ?? 0) has no state for \(symbol); it was trained on \(stored.symbols.joined(separator: ", "))")
        }
        let model = try ModelCodec.neuralModel(stored)
        let state = try ModelCodec.streamState(storedState, model: model)
        let calibration = ModelCodec.perSymbol(stored.calibration, state.symbol, as: NeuralCalibration.self)
        return NeuralSession(stored: stored, model: model, state: state, calibration: calibration)
    }

    /// Advances the state over the bars after its as-of date: cost proportional to the new bars only.
    mutating func catchUp(bars: [Bar]) throws {
        guard let i = bars.firstIndex(where: { $0.date > state.asOf }) else { return }
        guard i > 0 else { throw AppError.internalFailure("the stored state's date \(state.asOf) is before every bar") }
        let new = Array(bars[(i - 1)...])   // the bar at the state's date is the base of the first new return
        let rows = (1..<new.count).map { SeriesFeatures.row(from: new[$0 - 1], to: new[$0], kind: model.features) }
        try model.advance(&state.state, over: rows[...], scaler: try model.scaler(for: state.symbol))
        state.asOf = new.last!.date
        state.lastPrice = new.last!.price
        advancedBy = new.count - 1
    }

    var forecaster: NeuralForecaster { NeuralForecaster(model: model, state: state, calibration: calibration) }
}
