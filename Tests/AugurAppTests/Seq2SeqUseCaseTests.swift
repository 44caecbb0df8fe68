import AugurCore
@testable import AugurApp
import AugurForecast
import AugurStore
import AugurTestSupport
import Foundation
import Testing

@Suite(.serialized) struct Seq2SeqUseCaseTests {
    /// A stored seq2seq model forecasts what the freshly trained one does, and lists as cell seq2seq.
    @Test func trainSaveForecastRoundTrip() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("vix_daily.csv"), symbol: "VIX"), database: db)
        var cfg = Seq2SeqConfiguration()
        cfg.training.hidden = 8; cfg.training.epochs = 2; cfg.encoderWindow = 16; cfg.horizon = 5
        let summary = try Seq2SeqUseCase.train(symbol: "VIX", configuration: cfg, database: db)
        #expect(summary.kind == .seq2seq && summary.mode == nil && summary.epochs == 2)
        let stored = try #require(try db.model(id: summary.modelID))
        #expect(try stored.kind == .seq2seq && db.epochs(modelID: summary.modelID).count == 2)

        var reference = Seq2SeqForecaster(configuration: cfg)
        try reference.fit(try TimeSeriesHistory(series: try db.series(for: "VIX")))
        let expected = try reference.predict(horizon: 5, levels: [80, 95])
        let table = try ForecastUseCase.run(symbol: "VIX", modelID: summary.modelID, horizon: 5, database: db)
        #expect(table.model == .seq2seq && table.rows.count == 5)
        for (row, p) in zip(table.rows, expected.point) { #expect(abs(row.point - p) <= 1e-9 * p) }
        #expect(table.rows[0].lower80 == expected.interval(level: 80)?.lower[0])
        // The default forecast still comes from a state-carrying model (none here: it trains one).
        #expect(try NeuralSession.load(context: try SymbolContext.load("VIX", database: db), database: db) == nil)
    }
}
