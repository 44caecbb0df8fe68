@testable import AugurApp
import AugurCore
import AugurForecast
import AugurStore
import AugurTestSupport
import Foundation
import Testing

/// `auto` as the default forecast: the selection is stored with its evidence, reused until the data
/// has grown by 10%, re-made on request or for a longer horizon; the daily job reuses it.
@Suite struct AutoUseCaseTests {
    func airlinePrefix(_ count: Int, in w: Workspace) throws -> String { try w.prefix(of: "airline_passengers_monthly.csv", count) }

    @Test func theSelectionIsStoredReusedAndRemadeWhenDue() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: try airlinePrefix(130, in: w), symbol: "AIR"), database: db)
        let first = try ForecastUseCase.run(symbol: "AIR", horizon: 12, database: db)
        #expect(first.model == .auto && first.selectionSource == "made now on 130 bars to 1959-10-01", "\(first.selectionSource ?? "-")")
        let stored = try #require(try db.latestSelection(symbol: "AIR"))
        #expect(stored.bars == 130 && stored.horizon == 12 && stored.summary == first.fitted)
        // The evidence decodes to the selection that was shown.
        let evidence = try AutoUseCase.decoder.decode(AutoSelection.self, from: Data(stored.evidence.utf8))
        #expect(evidence.description == first.fitted && evidence.explanation == first.selection)
        #expect(evidence.baseline == .snaive && evidence.season == 12 && evidence.origins == 48)

        // Reused: same forecast, no new row.
        let again = try ForecastUseCase.run(symbol: "AIR", horizon: 12, database: db)
        #expect(again.selectionSource?.hasPrefix("stored ") == true && again.rows == first.rows)
        // 12 more bars (9%): still reused, its models refitted to the new data.
        _ = try ImportUseCase.run(ImportRequest(path: try airlinePrefix(142, in: w), symbol: "AIR"), database: db)
        let grown = try ForecastUseCase.run(symbol: "AIR", horizon: 12, database: db)
        #expect(grown.selectionSource?.hasSuffix("made on 130 bars to 1959-10-01") == true && grown.asOf == CivilDate(iso: "1960-10-01")!)
        #expect(try db.latestSelection(symbol: "AIR")?.id == stored.id)
        // 14 more (10.8%): made anew.
        _ = try ImportUseCase.run(ImportRequest(path: try airlinePrefix(144, in: w), symbol: "AIR"), database: db)
        let due = try ForecastUseCase.run(symbol: "AIR", horizon: 12, database: db)
        #expect(due.selectionSource == "made now on 144 bars to 1960-12-01")
        // A longer horizon than validated, and --reselect, make it anew too.
        #expect(try ForecastUseCase.run(symbol: "AIR", horizon: 18, database: db).selectionSource?.hasPrefix("made now") == true)
        #expect(try ForecastUseCase.run(symbol: "AIR", horizon: 12, database: db).selectionSource?.hasPrefix("stored") == true)
        #expect(try ForecastUseCase.run(symbol: "AIR", horizon: 12, reselect: true, database: db).selectionSource?.hasPrefix("made now") == true)
    }

    /// The daily job forecasts with auto by default, stores the forecast with the choice, and the next
    /// run on the same data has nothing new; `--method naive` forecasts every symbol with naive.
    @Test func theDailyJobUsesAutoByDefault() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("airline_passengers_monthly.csv"), symbol: "AIR"), database: db)
        let first = try DailyUseCase.run(options: DailyUseCase.Options(), database: db)
        #expect(first.count == 1 && first[0].status == .forecast && first[0].model == .auto && first[0].reselected == true)
        #expect(first[0].choice?.contains("autoarima") == true, "\(first[0].choice ?? "-")")
        let stored = try #require(try db.latestForecast(symbol: "AIR", model: .auto))
        #expect(stored.fitted == first[0].choice && stored.steps.count == 5 && stored.digest != nil)
        let second = try DailyUseCase.run(options: DailyUseCase.Options(), database: db)
        #expect(second[0].status == .upToDate)
        var naive = DailyUseCase.Options()
        naive.method = .naive
        let n = try DailyUseCase.run(options: naive, database: db)
        #expect(n[0].status == .forecast && n[0].model == .naive && n[0].nextForecast == 432)
    }

    /// A stored LSTM is a candidate: validated by a fresh one trained before the window (its
    /// validation MASE is in the evidence), and the selection is re-made when a neural model appears.
    @Test func aStoredNeuralModelIsACandidate() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("airline_passengers_monthly.csv"), symbol: "AIR"), database: db)
        let before = try ForecastUseCase.run(symbol: "AIR", horizon: 12, database: db)
        #expect(before.selectionSource?.hasPrefix("made now") == true)
        var config = TrainingConfiguration()
        config.hidden = 8; config.epochs = 3; config.streams = 8; config.window = 16
        _ = try TrainUseCase.run(contexts: [try SymbolContext.load("AIR", database: db)], configuration: config, database: db)
        let after = try ForecastUseCase.run(symbol: "AIR", horizon: 12, database: db)
        #expect(after.selectionSource?.hasPrefix("made now") == true, "a new candidate makes the selection anew")
        let stored = try #require(try db.latestSelection(symbol: "AIR"))
        let evidence = try AutoUseCase.decoder.decode(AutoSelection.self, from: Data(stored.evidence.utf8))
        let lstm = try #require(evidence.candidateMASE[.lstm])
        #expect(lstm.count == 12 && lstm.allSatisfy { $0.isFinite && $0 > 0 })
        // Reused on the next run, with the stored model as the member.
        #expect(try ForecastUseCase.run(symbol: "AIR", horizon: 12, database: db).selectionSource?.hasPrefix("stored") == true)
    }
}

/// The daily job's progress: each symbol announced in order with its index, training reported by
/// epoch, each line handed over as soon as its symbol is done, and an ETA once one has finished.
@Test func theDailyJobReportsProgressPerSymbol() throws {
    let w = Workspace(); defer { w.cleanUp() }
    let db = try w.open()
    _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("airline_passengers_monthly.csv"), symbol: "AIR"), database: db)
    _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("vix_daily.csv"), symbol: "VIX"), database: db)
    var options = DailyUseCase.Options()
    options.method = .lstm
    options.configuration.epochs = 2
    options.configuration.ensemble = 1
    var events: [DailyUseCase.Progress] = []
    var handed: [String] = []
    let lines = try DailyUseCase.run(options: options, database: db, onProgress: { events.append($0) },
                                     onLine: { l in
                                         handed.append(l.symbol)
                                         // A line arrives before the next symbol starts.
                                         #expect(events.last?.symbol == l.symbol)
                                     })
    #expect(lines.map(\.symbol) == ["AIR", "VIX"] && handed == ["AIR", "VIX"])
    #expect(events.first == DailyUseCase.Progress(index: 0, count: 2, symbol: "AIR", stage: .forecasting,
                                                  elapsed: events.first?.elapsed ?? 0, finished: 0))
    #expect(events.first?.eta == nil)
    let training = events.filter { if case .training = $0.stage { return true } else { return false } }
    #expect(training.map(\.stage) == [.training(epoch: 1, of: 2), .training(epoch: 2, of: 2),
                                      .training(epoch: 1, of: 2), .training(epoch: 2, of: 2)])
    let vixStart = try #require(events.first { $0.symbol == "VIX" })
    #expect(vixStart.index == 1 && vixStart.finished == 1 && vixStart.eta != nil)
}

/// `daily --retrain-after` retrains a stale model, but not a pinned one: the pin is the user's choice,
/// so the daily job advances the pinned model over the new bars instead.
@Test func theDailyJobKeepsAPinnedModelThatIsDueForRetraining() throws {
    let w = Workspace(); defer { w.cleanUp() }
    let db = try w.open()
    _ = try ImportUseCase.run(ImportRequest(path: try w.prefix(of: "airline_passengers_monthly.csv", 130), symbol: "AIR"),
                              database: db)
    var configuration = TrainingConfiguration()
    configuration.epochs = 2
    configuration.ensemble = 1
    let trained = try TrainUseCase.run(symbols: ["AIR"], configuration: configuration, database: db)
    _ = try ModelManagementUseCase.pin(symbol: "AIR", .model(trained.modelID), database: db)
    _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("airline_passengers_monthly.csv"), symbol: "AIR"), database: db)
    var options = DailyUseCase.Options()
    options.retrainAfterDays = 0
    options.configuration = configuration
    let line = try #require(try DailyUseCase.run(options: options, database: db).first)
    #expect(line.status == .forecast && line.modelID == trained.modelID && !line.retrained && line.advancedBars == 14,
            "\(line)")
    // Unpinned, the same job retrains.
    _ = try ModelManagementUseCase.pin(symbol: "AIR", .clear, database: db)
    options.method = .lstm
    let retrained = try #require(try DailyUseCase.run(options: options, database: db).first)
    #expect(retrained.retrained && retrained.modelID != trained.modelID, "\(retrained)")
}
