import AugurCore
import AugurForecast
import AugurStore
import Foundation

/// One forecast step as `augur forecast` shows it.
public struct ForecastTableRow: Sendable, Codable, Equatable {
    public var date: CivilDate
    public var horizon: Int
    public var forecast: Double
    public var lower80: Double?
    public var upper80: Double?
    public var lower95: Double?
    public var upper95: Double?
}

public struct ForecastTable: Sendable, Codable {
    public var symbol: String
    public var model: String
    public var modelID: Int64
    public var asOf: CivilDate
    public var lastClose: Double
    public var rows: [ForecastTableRow]
    /// Bars the state was advanced over before forecasting (new since the model's state was saved).
    public var advancedBars: Int
    /// Set when a model had to be trained first.
    public var trained: TrainSummary?
}

public enum ForecastUseCase {
    static func rows(_ f: Forecast, after last: CivilDate, frequency: Frequency?, calendar: TradingCalendar) -> [ForecastTableRow] {
        let dates = calendar.futureDates(after: last, count: f.horizon, frequency: frequency ?? .daily)
        let i80 = f.interval(level: 80), i95 = f.interval(level: 95)
        return (0..<f.horizon).map { k in
            ForecastTableRow(date: dates[k], horizon: k + 1, forecast: f.point[k], lower80: i80?.lower[k], upper80: i80?.upper[k],
                        lower95: i95?.lower[k], upper95: i95?.upper[k])
        }
    }

    /// Forecasts `horizon` periods from the symbol's newest model (or `modelID`), from its stored state
    /// brought up to the newest bar. With no model yet, one is trained with the defaults first.
    public static func run(symbol: String, modelID: Int64? = nil, horizon: Int, database: AugurDatabase,
                           calendar: TradingCalendar = TradingCalendar(),
                           onEpoch: ((EpochProgress) -> Void)? = nil) throws -> ForecastTable {
        guard horizon >= 1, horizon <= 1000 else { throw AppError.usage("--horizon must be between 1 and 1000, got \(horizon)") }
        let bars = try database.bars(for: symbol)
        if let modelID, let m = try database.model(id: modelID), m.cell == "seq2seq" {
            let f = try Seq2SeqUseCase.forecaster(m, symbol: symbol, database: database)
            let forecast = try f.predict(horizon: horizon, levels: [80, 95])
            let name = try database.read { try AugurDatabase.canonicalName($0, symbol) }
            return ForecastTable(symbol: name, model: "seq2seq", modelID: modelID, asOf: bars.last!.date,
                                 lastClose: bars.last!.price,
                                 rows: rows(forecast, after: bars.last!.date, frequency: Frequency.detect(bars.map(\.date)),
                                            calendar: calendar),
                                 advancedBars: 0, trained: nil)
        }
        var trained: TrainSummary?
        var session = try NeuralSession.load(symbol: symbol, modelID: modelID, database: database)
        if session == nil {
            trained = try TrainUseCase.run(symbols: [symbol], configuration: TrainingConfiguration(), database: database, onEpoch: onEpoch)
            session = try NeuralSession.load(symbol: symbol, database: database)
        }
        guard var s = session else { throw AppError.internalFailure("no model for \(symbol) after training") }
        try s.catchUp(bars: bars)
        let forecast = try s.forecaster.predict(horizon: horizon, levels: [80, 95])
        let frequency = Frequency.detect(bars.map(\.date))
        return ForecastTable(symbol: s.state.symbol, model: s.stored.cell, modelID: s.stored.id ?? 0, asOf: s.state.asOf,
                             lastClose: s.state.lastPrice,
                             rows: rows(forecast, after: s.state.asOf, frequency: frequency, calendar: calendar),
                             advancedBars: s.advancedBy, trained: trained)
    }
}
