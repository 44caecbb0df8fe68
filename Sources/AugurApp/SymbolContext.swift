import AugurCore
import AugurForecast
import AugurStore
import Foundation

/// One symbol as a command sees it, read from the store once: its stored name, its bars and the
/// exchange calendar stored with it.
struct SymbolContext {
    /// The name as first stored (the user may type it in any case).
    let name: String
    let series: Series
    /// The exchange whose holidays its forecast dates skip (`augur import --calendar`, `augur symbol`).
    var exchange: ExchangeCalendar? = nil
    /// What its forecasts use unless a command names a model (`augur models pin`).
    var pin: ModelPin? = nil

    var bars: [Bar] { series.bars }
    var frequency: Frequency? { Frequency.detect(series.dates) }
    /// A daily series kept on weekends too: its forecasts step by calendar days.
    var observedEveryDay: Bool { TimeSeriesHistory.observedAtWeekends(series.dates) }

    static func load(_ symbol: String, database: AugurDatabase) throws -> SymbolContext {
        let bars = try database.bars(for: symbol)
        let name = try database.canonicalName(symbol)
        return SymbolContext(name: name, series: Series(symbol: name, kind: try database.kind(of: name) ?? .price, bars: bars),
                             exchange: try database.calendar(of: name), pin: try database.pin(of: name))
    }

    /// The model a command uses when it names none: the pin's, else `auto`. A pinned model comes
    /// back as its id (with its kind), a pinned method as the method.
    func resolved(method: ModelKind?, modelID: Int64?) -> (method: ModelKind?, modelID: Int64?, pinned: Bool) {
        guard method == nil, modelID == nil, let pin else { return (method, modelID, false) }
        switch pin {
        case .model(let id): return (nil, id, true)
        case .method(let kind): return (kind, nil, true)
        }
    }

    /// The calendar of this symbol's forecast dates: its exchange's holidays with the listed ones
    /// (`--holidays FILE`) added.
    func tradingCalendar(listed: TradingCalendar) -> TradingCalendar {
        TradingCalendar(exchange: exchange ?? listed.exchange, holidays: listed.holidays)
    }

    /// What `calendar` makes this symbol's forecast dates skip, said only where they step by trading
    /// days, as `ForecastUseCase.steps` does for a daily series or one of no clear frequency (a monthly
    /// series or one kept on weekends has no trading days to skip).
    func datesSkip(_ calendar: TradingCalendar) -> String? {
        (frequency ?? .daily) == .daily && !observedEveryDay ? calendar.summary : nil
    }

    func history() throws -> TimeSeriesHistory { try TimeSeriesHistory(series: series) }

    /// How the neural models turn this series into returns: log returns of a price, differences of a value.
    var returnKind: ReturnKind { ReturnKind.of(series.prices, kind: series.kind) }
}

/// Models stored for a symbol, and the one place where a missing model is trained.
enum StoredModels {
    /// The newest recurrent model with a state for the symbol, or with `modelID` that one, made ready
    /// to forecast; when the symbol has none (and no id was asked for), one is trained first with
    /// `configuration` (the defaults unless given) and stored.
    static func ensureSession(for context: SymbolContext, modelID: Int64? = nil,
                              configuration: TrainingConfiguration = TrainingConfiguration(), database: AugurDatabase,
                              onEpoch: ((EpochProgress) -> Void)? = nil) throws -> (NeuralSession, trained: TrainSummary?) {
        if let session = try NeuralSession.load(context: context, modelID: modelID, database: database) {
            return (session, nil)
        }
        let trained = try TrainUseCase.run(contexts: [context], configuration: configuration, database: database,
                                           onEpoch: onEpoch)
        guard let session = try NeuralSession.load(context: context, modelID: trained.modelID, database: database) else {
            throw AppError.internalFailure("model \(trained.modelID) has no state for \(context.name) after training")
        }
        return (session, trained)
    }
}
