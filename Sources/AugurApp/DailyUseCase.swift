import AugurCore
import AugurForecast
import AugurStore
import Foundation

/// One symbol's line of `augur daily`.
public struct DailyLine: Sendable, Codable {
    public enum Status: String, Sendable, Codable { case forecast, upToDate = "up-to-date", skipped, failed }
    public var symbol: String
    public var status: Status
    public var message: String?
    public var asOf: CivilDate?
    public var lastClose: Double?
    public var nextDate: CivilDate?
    public var nextForecast: Double?
    public var lower80: Double?
    public var upper80: Double?
    /// Relative change of the next forecast from the last close.
    public var change: Double?
    public var modelID: Int64?
    public var advancedBars: Int
    public var retrained: Bool
}

/// `augur daily`: for every symbol with bars newer than its last forecast, advance the stored state over
/// the new bars only, forecast the next days, store the forecasts and the advanced state.
public enum DailyUseCase {
    public struct Options: Sendable {
        public var horizon = 5
        /// Retrain a model whose training data ends more than this many days before the newest bar.
        public var retrainAfterDays: Int?
        /// Skip symbols without a model instead of training one.
        public var noTrain = false
        public var configuration = TrainingConfiguration()
        public init() {}
    }

    public static func run(options: Options, database: AugurDatabase, calendar: TradingCalendar = TradingCalendar(),
                           onEpoch: ((EpochProgress) -> Void)? = nil) throws -> [DailyLine] {
        try database.symbols().filter { $0.rows > 0 }.map { summary in
            do {
                return try runSymbol(summary.symbol, options: options, database: database, calendar: calendar, onEpoch: onEpoch)
            } catch {
                return DailyLine(symbol: summary.symbol, status: .failed, message: "\(error)", advancedBars: 0, retrained: false)
            }
        }
    }

    static func runSymbol(_ symbol: String, options: Options, database: AugurDatabase, calendar: TradingCalendar,
                          onEpoch: ((EpochProgress) -> Void)?) throws -> DailyLine {
        let bars = try database.bars(for: symbol)
        guard let lastBar = bars.last else {
            return DailyLine(symbol: symbol, status: .skipped, message: "no bars", advancedBars: 0, retrained: false)
        }
        var session = try NeuralSession.load(symbol: symbol, database: database)
        var retrained = false
        let stale = session.map { s in options.retrainAfterDays.map { lastBar.date.days(since: s.stored.dataLast) > $0 } ?? false } ?? false
        if session == nil || stale {
            if session == nil, options.noTrain {
                return DailyLine(symbol: symbol, status: .skipped, message: "no model (train one with `augur train \(symbol)`)",
                                 advancedBars: 0, retrained: false)
            }
            var cfg = options.configuration
            if let s = session { cfg = try ModelCodec.configuration(s.stored) }
            _ = try TrainUseCase.run(symbols: [symbol], configuration: cfg, database: database, onEpoch: onEpoch)
            session = try NeuralSession.load(symbol: symbol, database: database)
            retrained = true
        }
        guard var s = session, let modelID = s.stored.id else { throw AppError.internalFailure("no model for \(symbol)") }
        let model = s.stored.cell
        if let previous = try database.latestForecast(symbol: s.state.symbol, model: model).first,
           previous.asOf >= lastBar.date, !retrained {
            return line(symbol: s.state.symbol, status: .upToDate, rows: try database.latestForecast(symbol: s.state.symbol, model: model),
                        lastClose: lastBar.price, modelID: modelID, advanced: 0, retrained: false)
        }
        try s.catchUp(bars: bars)
        if s.advancedBy > 0 { try database.saveState(modelID: modelID, ModelCodec.storedState(s.state)) }
        let forecast = try s.forecaster.predict(horizon: options.horizon, levels: [80, 95])
        let rows = ForecastUseCase.rows(forecast, after: s.state.asOf, frequency: Frequency.detect(bars.map(\.date)), calendar: calendar)
        let stored = rows.map {
            StoredForecast(symbol: s.state.symbol, model: model, modelID: modelID, asOf: s.state.asOf, targetDate: $0.date,
                           horizon: $0.horizon, point: $0.forecast, lower80: $0.lower80, upper80: $0.upper80,
                           lower95: $0.lower95, upper95: $0.upper95)
        }
        try database.saveForecasts(stored)
        return line(symbol: s.state.symbol, status: .forecast, rows: stored, lastClose: s.state.lastPrice, modelID: modelID,
                    advanced: s.advancedBy, retrained: retrained)
    }

    static func line(symbol: String, status: DailyLine.Status, rows: [StoredForecast], lastClose: Double, modelID: Int64,
                     advanced: Int, retrained: Bool) -> DailyLine {
        let next = rows.first { $0.horizon == 1 }
        return DailyLine(symbol: symbol, status: status, message: nil, asOf: next?.asOf, lastClose: lastClose,
                         nextDate: next?.targetDate, nextForecast: next?.point, lower80: next?.lower80, upper80: next?.upper80,
                         change: next.map { $0.point / lastClose - 1 }, modelID: modelID, advancedBars: advanced,
                         retrained: retrained)
    }
}
