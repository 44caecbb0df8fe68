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
    /// Set when the bars the state had seen were corrected since, and it was replayed from zero.
    var replayed = false
    /// With seasonal inputs: where the series stands in its season at the state's date.
    var cursor: SeasonalCursor?

    /// The newest forecasting model with a state for the symbol (or model `id`), or nil when there is
    /// none. When a bar at or before the state's date was corrected (or inserted) since the state was
    /// saved, the state is replayed from zero over the corrected history.
    static func load(context: SymbolContext, modelID: Int64? = nil, database: AugurDatabase) throws -> NeuralSession? {
        let symbol = context.name
        let stored: StoredModel
        if let modelID {
            guard let m = try database.model(id: modelID) else { throw AppError.notFound("no model \(modelID)") }
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
        var session = NeuralSession(stored: stored, model: model, state: state, calibration: calibration)
        if storedState.digest != HistoryDigest.of(context.bars, through: storedState.asOf) {
            try session.replay(bars: context.bars)
        } else if model.features == .seasonal {
            let seen = context.bars.prefix { $0.date <= state.asOf }
            let scaler = try model.scaler(for: state.symbol)
            let f = try SeriesFeatures.build(symbol: state.symbol, bars: Array(seen), kind: .seasonal,
                                             returnKind: scaler.changes, seasonal: scaler.seasonal)
            session.cursor = f.cursor(afterRow: f.count - 1)
        }
        return session
    }

    /// The state from zero over every bar: what training's final state is on the current bars.
    mutating func replay(bars: [Bar]) throws {
        guard let last = bars.last else { return }
        let scaler = try model.scaler(for: state.symbol)
        let features = try SeriesFeatures.build(symbol: state.symbol, bars: bars, kind: model.features, returnKind: scaler.changes,
                                                seasonal: scaler.seasonal)
        var fresh = model.zeroState()
        try model.advance(&fresh, over: features.raw[...], scaler: scaler)
        cursor = features.cursor(afterRow: features.count - 1)
        state.state = fresh
        state.asOf = last.date
        state.lastPrice = last.price
        advancedBy = bars.count - 1
        replayed = true
    }

    /// Advances the state over the bars after its as-of date: cost proportional to the new bars only.
    mutating func catchUp(bars: [Bar]) throws {
        guard let i = bars.firstIndex(where: { $0.date > state.asOf }) else { return }
        guard i > 0 else { return try replay(bars: bars) }   // the state's date is before every bar
        let new = Array(bars[(i - 1)...])   // the bar at the state's date is the base of the first new return
        let scaler = try model.scaler(for: state.symbol)
        if model.features == .seasonal {
            // Seasonal rows depend on the season before them: built over all bars, the new ones kept.
            let f = try SeriesFeatures.build(symbol: state.symbol, bars: bars, kind: .seasonal, returnKind: scaler.changes,
                                             seasonal: scaler.seasonal)
            try model.advance(&state.state, over: f.raw[(f.count - (new.count - 1))...], scaler: scaler)
            cursor = f.cursor(afterRow: f.count - 1)
        } else {
            let rows = (1..<new.count).map { SeriesFeatures.row(from: new[$0 - 1], to: new[$0], kind: model.features, returnKind: scaler.changes) }
            try model.advance(&state.state, over: rows[...], scaler: scaler)
        }
        state.asOf = new.last!.date
        state.lastPrice = new.last!.price
        advancedBy += new.count - 1
    }

    var forecaster: NeuralForecaster { NeuralForecaster(model: model, state: state, calibration: calibration, cursor: cursor) }
}
