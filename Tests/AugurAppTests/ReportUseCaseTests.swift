import AugurCore
@testable import AugurApp
import AugurReport
import AugurStore
import AugurTestSupport
import Foundation
import Testing

@Suite(.serialized) struct ReportUseCaseTests {
    /// An exploratory backtest with other horizons, run after the report's own, does not replace it:
    /// the report keeps the newest backtest with the standard protocol.
    @Test func reportKeepsTheStandardProtocolBacktest() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("airline_passengers_monthly.csv"), symbol: "AIR"), database: db)
        let (first, ran) = try ReportUseCase.build(symbol: "AIR", database: db)
        #expect(ran == ["ran a backtest"])
        _ = try BacktestUseCase.run(symbol: "AIR", models: [.naive, .snaive], horizons: [1, 2], database: db)
        let (again, ranAgain) = try ReportUseCase.build(symbol: "AIR", database: db)
        #expect(ranAgain.isEmpty)
        #expect(Set(again.backtest.map(\.horizon)) == [1, 6, 12])
        #expect(again.backtest == first.backtest)
        // auto's forecast, judged against seasonal naive (a monthly seasonal series) with the
        // Diebold–Mariano p-value at each horizon.
        #expect(again.verdict == first.verdict && again.verdict?.model == .auto && again.verdict?.baseline == .snaive)
        #expect(first.verdict?.judgements.allSatisfy { $0.pValue != nil } == true)
        #expect(first.verdict.map { $0.significantlyBetterCount >= 2 } == true, "\(String(describing: first.verdict))")
    }

    /// Right after import, `augur report` trains, backtests and writes every file; a hostile symbol
    /// name becomes a safe folder and shows literally (escaped) in the page.
    @Test func reportAfterImportWithAHostileSymbolName() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        let symbol = "<b>&\"x'/.."
        _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("airline_passengers_monthly.csv"), symbol: symbol), database: db)
        let out = w.dir.appendingPathComponent("Reports").path
        let written = try ReportUseCase.write(symbols: [symbol], out: out, formats: .all, database: db).written
        #expect(written.count == 1 && written[0].ran == ["ran a backtest"])
        let folder = ReportPaths.folderName(for: symbol)
        #expect(!folder.contains("/") && !folder.contains(".."))
        // auto trains nothing, so there is no loss chart.
        #expect(!FileManager.default.fileExists(atPath: "\(out)/\(folder)/loss.svg"))
        for name in ["report.txt", "report.md", "forecast.svg", "errors.svg", "index.html"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(folder)/\(name)"), "\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: "\(out)/index.html") && FileManager.default.fileExists(atPath: "\(out)/summary.md"))
        let html = try String(contentsOfFile: "\(out)/\(folder)/index.html", encoding: .utf8)
        #expect(html.contains("&lt;b&gt;&amp;") && !html.contains("<b>&"))
        // Same data, same bytes: a second run rewrites identical files.
        let before = try String(contentsOfFile: "\(out)/\(folder)/forecast.svg", encoding: .utf8)
        let again = try ReportUseCase.write(symbols: [symbol], out: out, formats: .all, database: db).written
        #expect(again[0].ran.isEmpty)
        #expect(try String(contentsOfFile: "\(out)/\(folder)/forecast.svg", encoding: .utf8) == before)
        // The LSTM's report: trained first (its backtest row is already in the standard backtest), with its loss chart.
        let lstm = try ReportUseCase.write(symbols: [symbol], out: out, formats: .all, database: db, method: .lstm).written
        #expect(lstm[0].ran == ["trained a model"])
        #expect(FileManager.default.fileExists(atPath: "\(out)/\(folder)/loss.svg"))
    }
}
