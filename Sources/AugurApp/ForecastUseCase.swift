import AugurCore
import AugurForecast
import AugurStore
import Foundation

public struct ForecastTable: Sendable, Codable {
    public var symbol: String
    public var model: ModelKind
    public var modelID: Int64
    /// Stateful or stateless; nil for the encoder-decoder.
    public var mode: TrainingMode?
    public var asOf: CivilDate
    public var lastClose: Double
    public var rows: [ForecastStep]
    /// Bars the state was advanced over before forecasting (new since the model's state was saved).
    public var advancedBars: Int
    /// Set when a model had to be trained first.
    public var trained: TrainSummary?
}

public enum ForecastUseCase {
    /// Dated steps of `f`, the first after `last`.
    static func steps(_ f: Forecast, after last: CivilDate, frequency: Frequency?, calendar: TradingCalendar) -> [ForecastStep] {
        let dates = calendar.futureDates(after: last, count: f.horizon, frequency: frequency ?? .daily)
        let i80 = f.interval(level: 80), i95 = f.interval(level: 95)
        return (0..<f.horizon).map { k in
            ForecastStep(date: dates[k], horizon: k + 1, point: f.point[k], lower80: i80?.lower[k], upper80: i80?.upper[k],
                         lower95: i95?.lower[k], upper95: i95?.upper[k])
        }
    }

    /// Forecasts `horizon` periods from the symbol's newest model (or `modelID`), from its stored state
    /// brought up to the newest bar. With no model yet, one is trained with the defaults first.
    public static func run(symbol: String, modelID: Int64? = nil, horizon: Int, database: AugurDatabase,
                           calendar: TradingCalendar = TradingCalendar(),
                           onEpoch: ((EpochProgress) -> Void)? = nil) throws -> ForecastTable {
        try run(context: try SymbolContext.load(symbol, database: database), modelID: modelID, horizon: horizon,
                database: database, calendar: calendar, onEpoch: onEpoch)
    }

    static func run(context: SymbolContext, modelID: Int64? = nil, horizon: Int, database: AugurDatabase,
                    calendar: TradingCalendar, onEpoch: ((EpochProgress) -> Void)? = nil) throws -> ForecastTable {
        guard horizon >= 1, horizon <= 1000 else { throw AppError.invalid("the horizon must be between 1 and 1000, got \(horizon)") }
        guard let lastBar = context.bars.last else { throw AppError.notFound("\(context.name) has no bars") }
        if let modelID, let m = try database.model(id: modelID), m.kind == .seq2seq {
            let f = try Seq2SeqUseCase.forecaster(m, context: context)
            guard horizon <= f.configuration.horizon else {
                throw AppError.horizonBeyondTraining(modelID: modelID, trained: f.configuration.horizon, asked: horizon)
            }
            let forecast = try f.predict(horizon: horizon, levels: [80, 95])
            return ForecastTable(symbol: context.name, model: .seq2seq, modelID: modelID, mode: nil, asOf: lastBar.date,
                                 lastClose: lastBar.price,
                                 rows: steps(forecast, after: lastBar.date, frequency: context.frequency, calendar: calendar),
                                 advancedBars: 0, trained: nil)
        }
        var (s, trained) = try StoredModels.ensureSession(for: context, modelID: modelID, database: database, onEpoch: onEpoch)
        try s.catchUp(bars: context.bars)
        let forecast = try s.forecaster.predict(horizon: horizon, levels: [80, 95])
        return ForecastTable(symbol: s.state.symbol, model: s.stored.kind, modelID: s.stored.id ?? 0, mode: s.stored.mode,
                             asOf: s.state.asOf, lastClose: s.state.lastPrice,
                             rows: steps(forecast, after: s.state.asOf, frequency: context.frequency, calendar: calendar),
                             advancedBars: s.advancedBy, trained: trained)
    }
}
