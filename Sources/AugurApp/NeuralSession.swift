import AugurCore
import AugurForecast
import AugurNN
import AugurStore
import Foundation

/// A stored model made ready to forecast one symbol: the network (or a seed ensemble's networks), the
/// symbol's state in each and its calibration, brought up to the symbol's newest bar when bars arrived
/// after the state was saved.
struct NeuralSession {
    let stored: StoredModel
    /// The networks: one, or the members of a seed ensemble.
    let models: [NeuralModel]
    /// The first network's state; its date and last price are every member's.
    var state: StreamState
    /// The other members' recurrent states, in member order.
    var otherStates: [RecurrentState<Float>]
    let calibration: NeuralCalibration?
    /// Bars consumed to bring the state up to date (0 when it already was).
    var advancedBy = 0
    /// Set when the bars the state had seen were corrected since, and it was replayed from zero.
    var replayed = false
    /// With seasonal inputs: where the series stands in its season at the state's date.
    var cursor: SeasonalCursor?

    var model: NeuralModel { models[0] }

    /// Every member's state, first member first.
    var states: [StreamState] {
        [state] + otherStates.map { StreamState(symbol: state.symbol, asOf: state.asOf, lastPrice: state.lastPrice, state: $0) }
    }

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
        let models = try ModelCodec.neuralModels(stored)
        let states = try ModelCodec.streamStates(storedState, models: models)
        let calibration = ModelCodec.perSymbol(stored.calibration, states[0].symbol, as: NeuralCalibration.self)
        var session = NeuralSession(stored: stored, models: models, state: states[0], otherStates: states.dropFirst().map(\.state),
                                    calibration: calibration)
        if storedState.digest != HistoryDigest.of(context.bars, through: storedState.asOf) {
            try session.replay(bars: context.bars)
        } else if models[0].features == .seasonal {
            let seen = Array(context.bars.prefix { $0.date <= states[0].asOf })
            session.cursor = try models[0].rows(last: 0, of: seen, symbol: states[0].symbol).cursor
        }
        return session
    }

    /// Advances every member's state over feature rows (unscaled).
    private mutating func advanceAll(over rows: FeatureRows, scaler: Scaler) throws {
        try models[0].advance(&state.state, over: rows, scaler: scaler)
        for k in otherStates.indices { try models[k + 1].advance(&otherStates[k], over: rows, scaler: scaler) }
    }

    /// The state from zero over every bar: what training's final state is on the current bars.
    mutating func replay(bars: [Bar]) throws {
        guard let last = bars.last else { return }
        let scaler = try model.scaler(for: state.symbol)
        let features = try SeriesFeatures.build(symbol: state.symbol, bars: bars, kind: model.features, returnKind: scaler.changes,
                                                seasonal: scaler.seasonal)
        state.state = model.zeroState()
        for k in otherStates.indices { otherStates[k] = models[k + 1].zeroState() }
        try advanceAll(over: features.raw, scaler: scaler)
        cursor = features.cursor(afterRow: features.count - 1)
        state.asOf = last.date
        state.lastPrice = last.price
        advancedBy = bars.count - 1
        replayed = true
    }

    /// Advances the state over the bars after its as-of date: cost proportional to the new bars only.
    mutating func catchUp(bars: [Bar]) throws {
        guard let i = bars.firstIndex(where: { $0.date > state.asOf }) else { return }
        guard i > 0 else { return try replay(bars: bars) }   // the state's date is before every bar
        let newCount = bars.count - i   // the bar at the state's date is the base of the first new change
        let (rows, newCursor) = try model.rows(last: newCount, of: bars, symbol: state.symbol)
        try advanceAll(over: rows, scaler: try model.scaler(for: state.symbol))
        cursor = newCursor
        state.asOf = bars.last!.date
        state.lastPrice = bars.last!.price
        advancedBy += newCount
    }

    var forecaster: NeuralForecaster {
        NeuralForecaster(members: zip(models, states).map { NeuralForecaster.Member(model: $0, state: $1) },
                         calibration: calibration, cursor: cursor)
    }
}
