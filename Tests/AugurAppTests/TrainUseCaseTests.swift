import AugurCore
@testable import AugurApp
import AugurForecast
import AugurStore
import AugurTestSupport
import Foundation
import Testing

@Suite(.serialized) struct TrainUseCaseTests {
    func importedWorkspace(_ files: [String]) throws -> (Workspace, AugurDatabase) {
        let w = Workspace()
        let db = try w.open()
        for f in files { _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data(f)), database: db) }
        return (w, db)
    }

    func smallConfig() -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.hidden = 8; c.epochs = 3; c.streams = 8; c.window = 16
        return c
    }

    /// A model loaded from the store forecasts exactly what the in-memory model did.
    @Test func saveLoadForecastEqualsInMemory() throws {
        let (w, db) = try importedWorkspace(["vix_daily.csv"]); defer { w.cleanUp() }
        let result = try TrainUseCase.train(symbols: ["VIX_DAILY"], configuration: smallConfig(), database: db)
        let (stored, epochs, states) = ModelCodec.stored(result, contexts: [try SymbolContext.load("VIX_DAILY", database: db)])
        let id = try db.saveModel(stored, epochs: epochs, states: states)

        let loadedRow = try #require(try db.model(id: id))
        let loaded = try ModelCodec.neuralModel(loadedRow)
        let storedState = try #require(try db.state(modelID: id, symbol: "vix_daily"))
        let state = try ModelCodec.streamState(storedState, model: loaded)
        #expect(state == result.finalStates[0])
        let scaler = try loaded.scaler(for: "VIX_DAILY")
        let fromStore = try loaded.forecastReturns(from: state.state, horizon: 10, scalers: [scaler])
        let inMemory = try result.model.forecastReturns(from: result.finalStates[0].state, horizon: 10,
                                                        scalers: [result.model.scalers["VIX_DAILY"]!])
        #expect(fromStore == inMemory)
        #expect(loaded.weights == result.model.weights)
        #expect(try db.epochs(modelID: id).count == result.history.count)
        #expect(loadedRow.symbols == ["VIX_DAILY"] && loadedRow.dataLast.iso == "2019-01-03")
    }

    /// A stored seed ensemble with seasonal inputs forecasts what the same ensemble trained in memory
    /// forecasts; after a new bar, the state advanced one step forecasts what a replay from zero over
    /// every bar forecasts (the seasonal rows and every member's state carried across the store).
    @Test func aStoredSeasonalEnsembleForecastsAsInMemoryAndAdvancesLikeAReplay() throws {
        let (w, db) = try importedWorkspace(["airline_passengers_monthly.csv"]); defer { w.cleanUp() }
        var c = smallConfig()
        c.window = 12; c.streams = 2; c.epochs = 4
        let trained = try TrainUseCase.run(symbols: ["AIRLINE_PASSENGERS_MONTHLY"], configuration: c, database: db)
        #expect(trained.notes.contains { $0.hasPrefix("seed ensemble of 5 networks") })
        #expect(trained.notes.contains { $0.contains("seasonal inputs (monthOfYear, multiplicative)") })
        let stored = try #require(try db.model(id: trained.modelID))
        #expect(try ModelCodec.configuration(stored).ensemble == 5)
        let listed = try ModelQueries.info(stored, detailed: false, database: db)
        #expect(listed.ensemble == 5 && listed.features == "returns+season")
        let context = try SymbolContext.load("AIRLINE_PASSENGERS_MONTHLY", database: db)
        let session = try #require(try NeuralSession.load(context: context, database: db))
        #expect(session.models.count == 5 && session.otherStates.count == 4)
        let fromStore = try session.forecaster.predict(horizon: 12, levels: [80])

        var memory = NeuralForecaster(configuration: c)
        try memory.fit(try context.history())
        let inMemory = try memory.predict(horizon: 12, levels: [80])
        for k in 0..<12 { #expect(abs(fromStore.point[k] - inMemory.point[k]) <= 1e-9 * inMemory.point[k], "h\(k + 1)") }

        // One more month: advanced from the stored states, and replayed from zero.
        let dir = Fixtures.temporaryDirectory("augur-ensemble"); defer { Fixtures.cleanUp(dir) }
        let more = Fixtures.write("date,value\n1961-01-01,417\n", named: "more.csv", in: dir)
        _ = try ImportUseCase.run(ImportRequest(path: more, symbol: "AIRLINE_PASSENGERS_MONTHLY"), database: db)
        let grown = try SymbolContext.load("AIRLINE_PASSENGERS_MONTHLY", database: db)
        var advanced = try #require(try NeuralSession.load(context: grown, database: db))
        try advanced.catchUp(bars: grown.bars)
        #expect(advanced.advancedBy == 1 && !advanced.replayed)
        var replayed = try #require(try NeuralSession.load(context: grown, database: db))
        try replayed.replay(bars: grown.bars)
        let a = try advanced.forecaster.predict(horizon: 12, levels: [80]), b = try replayed.forecaster.predict(horizon: 12, levels: [80])
        for k in 0..<12 { #expect(abs(a.point[k] - b.point[k]) <= 1e-5 * b.point[k], "h\(k + 1)") }
        #expect(a.point[0] != fromStore.point[0])
    }

    /// Batch size does not matter at inference: 3 copies of the state in one batch give 3 equal forecasts.
    @Test func inferenceWorksAtAnyBatchSize() throws {
        let (w, db) = try importedWorkspace(["vix_daily.csv"]); defer { w.cleanUp() }
        let r = try TrainUseCase.train(symbols: ["VIX_DAILY"], configuration: smallConfig(), database: db)
        let single = r.finalStates[0].state
        var triple = r.model.zeroState(batch: 3)
        for i in 0..<3 { triple.setRow(i, from: single) }
        let s = r.model.scalers["VIX_DAILY"]!
        let one = try r.model.forecastReturns(from: single, horizon: 5, scalers: [s])[0]
        let three = try r.model.forecastReturns(from: triple, horizon: 5, scalers: [s, s, s])
        for row in three { for (a, b) in zip(row, one) { #expect(abs(a - b) <= 1e-6 * max(1, abs(b))) } }
    }

    @Test func aDivergingRunLeavesNoModelRow() throws {
        let (w, db) = try importedWorkspace(["vix_daily.csv"]); defer { w.cleanUp() }
        _ = try TrainUseCase.run(symbols: ["VIX_DAILY"], configuration: smallConfig(), database: db)
        let before = try db.models().count
        var bad = smallConfig()
        bad.learningRate = 0.999; bad.clipNorm = 1e30; bad.epochs = 30; bad.patience = 30; bad.hidden = 64
        // Synthetic prices alternating by e^±600 make the first losses overflow to infinity.
        var text = "Date,Close\n"
        var d = CivilDate(iso: "2000-01-03")!
        for i in 0..<300 { text += "\(d.iso),\(i % 2 == 0 ? "1e-250" : "1e250")\n"; d = d.adding(days: 1) }
        let path = Fixtures.write(text, named: "wild.csv", in: w.dir)
        _ = try ImportUseCase.run(ImportRequest(path: path, symbol: "WILD"), database: db)
        #expect {
            try TrainUseCase.run(symbols: ["WILD"], configuration: bad, database: db)
        } throws: { error in
            if case .nonFiniteLoss = error as? TrainingError { return true }
            return false
        }
        #expect(try db.models().count == before)
    }

    /// The acceptance check on the bundled S&P 500: the default stateful LSTM's one-step validation
    /// loss is no more than 2% above predicting a zero return (the random walk).
    @Test func sp500WithinTwoPercentOfTheRandomWalk() throws {
        let (w, db) = try importedWorkspace(["sp500_daily.csv"]); defer { w.cleanUp() }
        var c = TrainingConfiguration()
        c.epochs = 15
        let r = try TrainUseCase.run(symbols: ["SP500_DAILY"], configuration: c, database: db)
        #expect(r.bestValidationLoss <= 1.02 * r.randomWalkLoss,
                "LSTM \(r.bestValidationLoss) vs random walk \(r.randomWalkLoss)")
        let listed = try ModelQueries.list(database: db)
        #expect(listed.count == 1 && listed[0].mode == .stateful && listed[0].kind == .lstm)
    }
}
