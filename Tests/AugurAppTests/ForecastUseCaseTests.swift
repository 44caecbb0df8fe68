import AugurCore
@testable import AugurApp
import AugurForecast
import AugurStore
import AugurTestSupport
import Foundation
import Testing

@Suite(.serialized) struct ForecastUseCaseTests {
    func smallConfig() -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.hidden = 8; c.epochs = 3; c.streams = 8; c.window = 16
        return c
    }

    /// Writes the first `count` bars of the VIX file (header included) to a new CSV.
    func vixPrefix(_ count: Int, in w: Workspace) throws -> String { try w.prefix(of: "vix_daily.csv", count) }

    /// Importing one more day and running the daily job gives the same state and forecast as advancing
    /// the in-memory model over the whole history.
    @Test func dailyAfterOneMoreDayEqualsAFullReplay() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: try vixPrefix(1200, in: w), symbol: "VIX"), database: db)
        let trained = try TrainUseCase.train(symbols: ["VIX"], configuration: smallConfig(), database: db)
        var (stored, epochs, states) = ModelCodec.stored(trained, contexts: [try SymbolContext.load("VIX", database: db)])
        stored.calibration = ModelCodec.encode(try TrainUseCase.calibrate(trained, contexts: [try SymbolContext.load("VIX", database: db)]))
        let id = try db.saveModel(stored, epochs: epochs, states: states)

        _ = try ImportUseCase.run(ImportRequest(path: try vixPrefix(1201, in: w), symbol: "VIX"), database: db)
        var options = DailyUseCase.Options()
        options.method = .lstm
        options.noTrain = true
        let lines = try DailyUseCase.run(options: options, database: db)
        #expect(lines.count == 1 && lines[0].status == .forecast && lines[0].advancedBars == 1, "\(lines)")

        // Reference: the in-memory model stepped over every bar from a zero state.
        let bars = try db.bars(for: "VIX")
        let f = try SeriesFeatures.build(symbol: "VIX", bars: bars, kind: .returns)
        var replay = trained.model.zeroState()
        try trained.model.advance(&replay, over: f.raw[...], scaler: trained.model.scalers["VIX"]!)
        let saved = try ModelCodec.streamState(try #require(try db.state(modelID: id, symbol: "VIX")), model: trained.model)
        #expect(saved.asOf == bars.last!.date)
        for (a, b) in zip(saved.state.layers, replay.layers) {
            for (x, y) in zip(a.h + a.c, b.h + b.c) { #expect(abs(x - y) <= 1e-5, "\(x) vs \(y)") }
        }
        let returns = try trained.model.forecastReturns(from: replay, horizon: 5, scalers: [trained.model.scalers["VIX"]!])[0]
        let expected = NeuralModel.prices(from: bars.last!.close, returns: returns)
        let forecasts = try #require(try db.latestForecast(symbol: "VIX", model: .lstm)).steps
        #expect(forecasts.count == 5)
        for (s, e) in zip(forecasts, expected) { #expect(abs(s.point - e) <= 1e-4 * e) }
        // Second run on the same data: nothing new.
        let again = try DailyUseCase.run(options: options, database: db)
        #expect(again[0].status == .upToDate && again[0].nextForecast == lines[0].nextForecast)
    }

    @Test func dailyWithoutAModelSkipsUnderNoTrainAndTrainsOtherwise() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: try vixPrefix(400, in: w), symbol: "V"), database: db)
        var options = DailyUseCase.Options()
        options.method = .lstm
        options.noTrain = true
        #expect(try DailyUseCase.run(options: options, database: db)[0].status == .skipped)
        options.noTrain = false
        options.configuration = smallConfig()
        let trained = try DailyUseCase.run(options: options, database: db)[0]
        #expect(trained.status == .forecast && trained.retrained)
        #expect(trained.lower80! < trained.nextForecast! && trained.nextForecast! < trained.upper80!)
    }

    @Test func forecastTrainsWhenMissingAndSkipsWeekends() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: try vixPrefix(400, in: w), symbol: "V"), database: db)
        let t = try ForecastUseCase.run(symbol: "V", method: .lstm, horizon: 7, database: db)
        #expect(t.trained != nil && t.rows.count == 7)
        #expect(t.rows.allSatisfy { !$0.date.isWeekend })
        #expect(t.rows.allSatisfy { $0.lower95! <= $0.lower80! && $0.lower80! <= $0.point && $0.point <= $0.upper80! && $0.upper80! <= $0.upper95! })
    }

    /// Same model, data and seed: the same numbers; the result is stored.
    @Test func backtestIsDeterministicAndStored() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("airline_passengers_monthly.csv"), symbol: "AIR"), database: db)
        let a = try BacktestUseCase.run(symbol: "AIR", models: [.lstm, .naive, .snaive], database: db)
        let b = try BacktestUseCase.run(symbol: "AIR", models: [.lstm, .naive, .snaive], database: db)
        #expect(a.rows == b.rows)
        #expect(a.horizons == [1, 6, 12] && a.origins == 28)
        // The anchors for seasonal naive on this protocol (statsforecast): 1.404 / 1.654 / 1.705.
        let snaive = a.rows.filter { $0.model == .snaive }.map { (($0[.mase] ?? 0) * 1000).rounded() / 1000 }
        #expect(snaive == [1.404, 1.654, 1.705])
        let stored = try #require(try db.latestBacktest(symbol: "AIR"))
        // 3 models × 28 origins × 3 horizons, targets beyond the data included (not scored).
        #expect(stored.scores.count == 9 && stored.rows.count == 3 * 28 * 3)
        #expect(stored.rows.filter { $0.model == .lstm && $0.horizon == 1 }.count == 28)
        #expect(!a.verdicts.isEmpty)
    }
}

@Suite struct HolidayFileTests {
    @Test func readsDatesAndSkipsThemInForecastDates() throws {
        let dir = Fixtures.temporaryDirectory("augur-hol"); defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write("# US\n2019-01-01  # New Year\n\n2019-01-21\n", named: "h.txt", in: dir)
        let cal = try HolidayFile.calendar(path: path)
        let dates = cal.futureDates(after: CivilDate(iso: "2018-12-31")!, count: 2, frequency: .daily).map(\.iso)
        #expect(dates == ["2019-01-02", "2019-01-03"])
        let bad = Fixtures.write("2019-01-01\n2019-02-30\n", named: "bad.txt", in: dir)
        #expect { try HolidayFile.calendar(path: bad) } throws: { "\($0)".contains("bad.txt:2") }
    }
}

/// Interval metrics of backtests against the statsforecast reference.
@Suite struct IntervalScoreTests {
    /// The 95% interval score of naive and AutoETS on VIX under the standard protocol equals what
    /// `../shared/bench/stats_reference.py` (statsforecast 2.1.1) prints for the same origins.
    @Test func intervalScoresMatchStatsforecast() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("vix_daily.csv"), symbol: "VIX"), database: db)
        let r = try BacktestUseCase.run(symbol: "VIX", models: [.naive, .autoets], intervals: .model, database: db)
        let reference: [ModelKind: [Int: Double]] = [
            .naive: [1: 8.031301539339363, 5: 15.092990870501371, 20: 30.186896568676644],
            .autoets: [1: 7.830792409897627, 5: 14.974446593604041, 20: 30.675389536281735]]
        for row in r.rows {
            let expected = try #require(reference[row.model]?[row.horizon])
            #expect(abs(try #require(row[.msis]) - expected) < 1e-9, "\(row.model) h=\(row.horizon): \(row[.msis] ?? .nan)")
        }
        // More origins on request: every step of the test part.
        #expect(try BacktestUseCase.run(symbol: "VIX", models: [.naive], originStep: 1, database: db).origins == 200)
    }
}

@Test func csvFieldsAreQuotedOnlyWhenTheyMustBe() {
    #expect(CSVOutput.field("SP500") == "SP500")
    #expect(CSVOutput.field("A,B") == "\"A,B\"")
    #expect(CSVOutput.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSVOutput.number(432) == "432")
    #expect(CSVOutput.number(0.1 + 0.2) == "0.30000000000000004")
    #expect(CSVOutput.number(nil) == "")
}
