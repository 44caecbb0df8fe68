import AugurCore
import AugurForecast
import AugurStore
import Foundation

/// The calibration layer for forecasts made on the spot (a statistical model, `auto`): the symbol's
/// stored record for the method is advanced by this forecast, or made anew (the model forecast from
/// each of the newest 500 origins, the interval method chosen on them) when there is none, when
/// `auto` has made a new selection, when a longer horizon is asked for, or when the record's newest
/// forecast is too old to continue from.
enum CalibrationUseCase {
    /// The levels every forecast carries.
    static let levels: [Double] = [80, 95]

    /// Steps calibrated for a forecast of `asked` steps: at least the standard protocol's longest
    /// horizon, so forecasts of different lengths share one record.
    static func horizon(for history: TimeSeriesHistory, asked: Int) -> Int {
        max(asked, BacktestConfiguration.standard(for: history).horizons.max() ?? 1)
    }

    struct Result {
        /// The forecast with the calibrated intervals, `asked` steps.
        var forecast: Forecast
        /// What made the intervals, for the output (nil for the model's own).
        var summary: String?
    }

    /// - Parameters:
    ///   - final: the model's forecast from the whole history, `horizon(for:asked:)` steps.
    ///   - pathsAt: the same model's forecasts from prefixes, each fitted on its prefix alone.
    static func calibrated(context: SymbolContext, history: TimeSeriesHistory, method: ModelKind, selectionID: Int64?,
                           asked: Int, policy: IntervalPolicy, final: Forecast,
                           pathsAt: ([TimeSeriesHistory]) throws(ForecastError) -> [Forecast],
                           database: AugurDatabase) throws -> Result {
        guard policy != .model else { return Result(forecast: final.prefix(asked), summary: nil) }
        let key = policy == .calibrated ? method.name : "\(method.name):\(policy.rawValue)"
        let n = history.count
        if let stored = try database.calibration(symbol: context.name, method: key),
           stored.selectionID == selectionID,
           let record = try? AutoUseCase.decoder.decode(CalibrationRecord.self, from: Data(stored.record.utf8)),
           record.horizon >= final.horizon, let newest = record.paths.last?.origin, newest <= n,
           n - newest <= max(record.keep / 4, 1) {
            let (forecast, advanced) = try ForecastCalibration.advance(record, history: history, forecast: final)
            try save(advanced, key: key, context: context, selectionID: selectionID, bars: n, database: database)
            return Result(forecast: forecast.prefix(asked), summary: advanced.summary)
        }
        let (forecast, record) = try ForecastCalibration.calibrate(history: history, horizon: final.horizon, levels: levels,
                                                                   policy: policy, final: final, pathsAt: pathsAt)
        try save(record, key: key, context: context, selectionID: selectionID, bars: n, database: database)
        return Result(forecast: forecast.prefix(asked), summary: record.summary)
    }

    static func save(_ record: CalibrationRecord, key: String, context: SymbolContext, selectionID: Int64?, bars: Int,
                     database: AugurDatabase) throws {
        try database.saveCalibration(StoredCalibration(
            symbol: context.name, method: key, selectionID: selectionID, bars: bars, horizon: record.horizon,
            summary: record.summary, record: String(decoding: try AutoUseCase.encoder.encode(record), as: UTF8.self)))
    }

    /// Forecasts of a statistical model from each prefix, each fitted on its prefix alone.
    static func statisticalPaths(_ kind: ModelKind, settings: ModelSettings, horizon: Int)
        -> ([TimeSeriesHistory]) throws(ForecastError) -> [Forecast] {
        { (prefixes: [TimeSeriesHistory]) throws(ForecastError) -> [Forecast] in
            try forecastPaths(of: kind.makeForecaster(settings), from: prefixes, policy: .everyOrigin, horizon: horizon,
                          levels: levels)
        }
    }
}

extension Forecast {
    /// The first `h` steps.
    func prefix(_ h: Int) -> Forecast {
        guard h < horizon else { return self }
        return Forecast(model: model, point: Array(point.prefix(h)), intervals: intervals.map {
            PredictionInterval(level: $0.level, lower: Array($0.lower.prefix(h)), upper: Array($0.upper.prefix(h)))
        })
    }
}
