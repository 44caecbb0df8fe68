@testable import AugurApp
import AugurCore
import AugurForecast
import AugurStore
import AugurTestSupport
import Foundation
import Testing

/// The calibration layer at forecast time: a record made from the model's forecasts at the newest
/// origins, stored, and advanced by every later forecast.
@Suite struct CalibrationUseCaseTests {
    @Test func theRecordIsStoredAndAdvancedByEachForecast() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: try w.prefix(of: "vix_daily.csv", 1000), symbol: "VIX"), database: db)
        let first = try ForecastUseCase.run(symbol: "VIX", method: .theta, horizon: 5, database: db)
        #expect(first.intervals?.contains("conformal") == true, "\(first.intervals ?? "-")")
        let stored = try #require(try db.calibration(symbol: "VIX", method: "theta"))
        let record = try AutoUseCase.decoder.decode(CalibrationRecord.self, from: Data(stored.record.utf8))
        // 500 origins (half of 1,000), the newest path the forecast just made, 20 steps calibrated.
        #expect(stored.bars == 1000 && record.horizon == 20 && record.keep == 500 && record.paths.count == 500)
        #expect(record.paths.last?.origin == 1000 && record.paths.first?.origin == 501)
        // Every interval holds its point; no side narrows with the horizon; 95% holds 80%.
        for (a, b) in zip(first.rows, first.rows.dropFirst()) {
            #expect(b.point - b.lower80! >= a.point - a.lower80! - 1e-9 && b.upper95! - b.point >= a.upper95! - a.point - 1e-9)
        }
        for r in first.rows { #expect(r.lower95! <= r.lower80! && r.lower80! <= r.point && r.point <= r.upper80! && r.upper80! <= r.upper95!) }

        // The same data again: the same forecast, the record unchanged in length.
        let again = try ForecastUseCase.run(symbol: "VIX", method: .theta, horizon: 5, database: db)
        #expect(again.rows == first.rows)
        // One more bar: yesterday's path stays (now resolved at h = 1), today's is added, the oldest goes.
        _ = try ImportUseCase.run(ImportRequest(path: try w.prefix(of: "vix_daily.csv", 1001), symbol: "VIX"), database: db)
        _ = try ForecastUseCase.run(symbol: "VIX", method: .theta, horizon: 5, database: db)
        let advanced = try AutoUseCase.decoder.decode(CalibrationRecord.self,
                                                      from: Data(try #require(try db.calibration(symbol: "VIX", method: "theta")).record.utf8))
        #expect(advanced.paths.count == 500 && advanced.paths.last?.origin == 1001 && advanced.paths.first?.origin == 502)
        #expect(advanced.paths.contains { $0.origin == 1000 } && advanced.choice == record.choice)

        // --intervals model: theta's own intervals, as fitting it directly gives.
        let own = try ForecastUseCase.run(symbol: "VIX", method: .theta, horizon: 5, intervals: .model, database: db)
        var theta = ModelKind.theta.makeForecaster()
        let context = try SymbolContext.load("VIX", database: db)
        try theta.fit(try context.history())
        let direct = try theta.predict(horizon: 5, levels: [80, 95])
        #expect(own.intervals == nil && own.rows.map(\.upper95) == direct.interval(level: 95)!.upper.map { Optional($0) })
    }

    /// Tomorrow's interval learns from today's miss: with adaptive conformal (γ = 0.05), the forecast
    /// stored today and missed by tomorrow's value lowers the 80% miscoverage target by γ(1 − 0.2) = 0.04,
    /// where a hit would have raised it by γ · 0.2 = 0.01.
    @Test func aMissMovesTheAdaptiveTarget() throws {
        let values = (0..<400).map { 100 + sin(Double($0) / 7) }
        let dates = (0..<401).map { CivilDate(daysSinceEpoch: Int32(17000 + $0)) }
        let history = try TimeSeriesHistory(values: values, dates: Array(dates.prefix(400)))
        func naive(_ h: TimeSeriesHistory) throws(ForecastError) -> Forecast {
            var m = NaiveForecaster()
            try m.fit(h)
            return try m.predict(horizon: 20, levels: [80, 95])
        }
        var (_, record) = try ForecastCalibration.calibrate(history: history, horizon: 20, levels: [80, 95], policy: .split,
                                                            final: try naive(history)) { (prefixes: [TimeSeriesHistory]) throws(ForecastError) -> [Forecast] in
            var out: [Forecast] = []
            for p in prefixes { out.append(try naive(p)) }
            return out
        }
        record.choice = .conformal(IntervalMethod(volatility: .constant, adaptationRate: 0.05))
        func tomorrow(_ value: Double) throws -> CalibrationRecord {
            let h = try TimeSeriesHistory(values: values + [value], dates: dates)
            return try ForecastCalibration.advance(record, history: h, forecast: try naive(h)).record
        }
        let hit = try tomorrow(values[399]), miss = try tomorrow(values[399] + 50)
        let a = try #require(hit.alpha), b = try #require(miss.alpha)
        try #require(a.count == 20 && b.count == 20)
        #expect(abs((a[0][0] - b[0][0]) - 0.05) < 1e-12, "\(a[0][0]) vs \(b[0][0])")
        // The same value resolves the h-step forecast made h days ago, at every horizon: none of the
        // targets can end higher after the miss than after the hit.
        for h in 0..<20 { #expect(b[h][0] <= a[h][0]) }
    }
}
