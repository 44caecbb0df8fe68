import AugurCore
import AugurForecast
import AugurReport
import AugurStore
import Foundation

/// `augur report`: gathers a symbol's numbers from the store into `SymbolReport` values and writes
/// what AugurReport renders. Whatever is missing (a model, a backtest) is run first, so a report works
/// right after `augur import`.
public enum ReportUseCase {
    public struct Written: Sendable {
        public var symbol: String
        public var files: [String]
        public var ran: [String]
    }

    /// Builds one symbol's report values; `ran` lists what had to be computed first.
    public static func build(symbol: String, database: AugurDatabase, horizon: Int = 20,
                             calendar: TradingCalendar = TradingCalendar()) throws -> (SymbolReport, ran: [String]) {
        var ran: [String] = []
        let series = try database.series(for: symbol)
        guard let first = series.first, let last = series.last else { throw AppError.notFound("\(symbol) has no bars") }
        let name = try database.read { try AugurDatabase.canonicalName($0, symbol) }
        let frequency = Frequency.detect(series.dates) ?? .daily

        // The forecast from the newest model (trained with the defaults when there is none).
        if try database.latestModel(for: name) == nil {
            _ = try TrainUseCase.run(symbols: [name], configuration: TrainingConfiguration(), database: database)
            ran.append("trained a model")
        }
        let table = try ForecastUseCase.run(symbol: name, horizon: horizon, database: database, calendar: calendar)
        guard let stored = try database.model(id: table.modelID) else { throw AppError.internalFailure("model \(table.modelID) vanished") }

        if try database.latestBacktest(symbol: name) == nil {
            _ = try BacktestUseCase.run(symbol: name, database: database)
            ran.append("ran a backtest")
        }
        let backtest = try database.latestBacktest(symbol: name)

        let model = ModelSummary(name: stored.cell, cell: stored.cell, mode: stored.mode,
                                 details: (try? ModelCodec.configuration(stored)).map { "\($0.layers) × \($0.hidden), window \($0.window)" },
                                 trainedFrom: stored.dataFirst, trainedTo: stored.dataLast,
                                 bestValidationLoss: stored.bestValidationLoss, randomWalkValidationLoss: stored.randomWalkLoss)
        let forecast = ForecastPath(origin: table.asOf, rows: table.rows.map {
            AugurReport.ForecastRow(target: $0.date, point: $0.forecast, lower80: $0.lower80, upper80: $0.upper80,
                        lower95: $0.lower95, upper95: $0.upper95)
        })
        let rows = (backtest?.scores ?? []).sorted { order($0.model, backtest?.models) < order($1.model, backtest?.models)
            || (order($0.model, backtest?.models) == order($1.model, backtest?.models) && $0.horizon < $1.horizon) }.map { s in
            let m = s.metrics
            return BacktestRow(model: s.model, horizon: s.horizon, count: s.count, mae: m["mae"], rmse: m["rmse"],
                               mape: m["mape"], smape: m["smape"], mase: m["mase"], relativeMAE: m["rel_mae"],
                               directionalAccuracy: m["direction"], coverage80: m["coverage80"],
                               coverage95: m["coverage95"], pinball: m["pinball"])
        }
        let residuals = (backtest?.rows ?? []).filter { $0.model == stored.cell && $0.horizon == 1 }.compactMap { r -> DatedValue? in
            guard let actual = r.actual, let date = r.targetDate else { return nil }
            return DatedValue(date: date, value: actual - r.point)
        }
        let models = Set(rows.map(\.model))
        var comparisons: [ModelComparison] = []
        if models.contains("seq2seq"), models.contains("lstm") {
            comparisons.append(ModelComparison(title: "Seq2Seq vs plain", models: ["lstm", "seq2seq", "naive"]))
        }
        let report = SymbolReport(
            symbol: name, frequency: frequency, dataRange: DataRange(first: first, last: last, count: series.count),
            recent: series.bars.suffix(250).map { DatedValue(date: $0.date, value: $0.price) },
            model: model, forecast: forecast, backtest: rows, residuals: residuals,
            trainingHistories: try histories(symbol: name, newest: stored, database: database),
            comparisons: comparisons)
        return (report, ran)
    }

    /// The newest model's loss curve, and beside it the newest model of the other mode with the same cell
    /// (as `augur compare-modes` leaves them).
    static func histories(symbol: String, newest: StoredModel, database: AugurDatabase) throws -> [TrainingHistory] {
        var picked = [newest]
        if let other = try database.newestModel(trainedOn: symbol, cell: newest.cell, modeOtherThan: newest.mode) {
            picked.append(other)
        }
        return try picked.sorted { $0.mode < $1.mode }.map { m in
            TrainingHistory(label: picked.count > 1 ? m.mode : "\(m.cell) \(m.mode)",
                            epochs: try database.epochs(modelID: m.id ?? 0).map {
                                EpochLoss(epoch: $0.epoch, train: $0.trainLoss, validation: $0.validationLoss)
                            })
        }
    }

    private static func order(_ model: String, _ models: [String]?) -> Int { models?.firstIndex(of: model) ?? Int.max }

    /// Writes every symbol's folder under `out`, then the index pages. Returns what was written.
    public static func write(symbols: [String], out: String, formats: ReportFormats, database: AugurDatabase,
                             calendar: TradingCalendar = TradingCalendar()) throws -> [Written] {
        var written: [Written] = []
        var summary: [SummaryRow] = []
        for s in symbols {
            let (report, ran) = try build(symbol: s, database: database, calendar: calendar)
            let files = ReportWriter.files(for: report, formats: formats)
            try save(files, under: out)
            written.append(Written(symbol: report.symbol, files: files.map(\.relativePath), ran: ran))
            summary.append(SummaryRow(report))
        }
        // The index lists every symbol with a report folder, not only those just written.
        let index = ReportWriter.indexFiles(summary, formats: formats)
        try save(index, under: out)
        if let i = written.indices.first { written[i].files += index.map(\.relativePath) }
        return written
    }

    static func save(_ files: [ReportFile], under out: String) throws {
        for f in files {
            let url = URL(fileURLWithPath: out).appendingPathComponent(f.relativePath)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(f.contents.utf8).write(to: url, options: .atomic)
            } catch {
                throw AppError.usage("cannot write \(url.path): \(error.localizedDescription)")
            }
        }
    }
}
