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
        try build(context: try SymbolContext.load(symbol, database: database), database: database, horizon: horizon,
                  calendar: calendar)
    }

    static func build(context: SymbolContext, database: AugurDatabase, horizon: Int = 20,
                      calendar: TradingCalendar) throws -> (SymbolReport, ran: [String]) {
        var ran: [String] = []
        let series = context.series, name = context.name
        guard let first = series.first, let last = series.last else { throw AppError.notFound("\(name) has no bars") }
        let frequency = context.frequency ?? .daily

        // The forecast from the newest model (trained with the defaults when there is none).
        let table = try ForecastUseCase.run(context: context, horizon: horizon, database: database, calendar: calendar)
        if table.trained != nil { ran.append("trained a model") }
        guard let stored = try database.model(id: table.modelID) else { throw AppError.internalFailure("model \(table.modelID) vanished") }

        // The newest backtest with the standard protocol, run when there is none.
        let protocolKey = BacktestUseCase.describe(BacktestUseCase.standardConfiguration(for: try context.history()))
        if try database.latestBacktestID(symbol: name, configuration: protocolKey) == nil {
            _ = try BacktestUseCase.run(context: context, database: database)
            ran.append("ran a backtest")
        }
        let backtest = try database.latestBacktest(symbol: name, configuration: protocolKey)

        let model = ModelSummary(kind: stored.kind, cell: stored.kind.cell?.rawValue ?? stored.kind.name,
                                 mode: TrainingMode.label(stored.mode),
                                 details: (try? ModelCodec.configuration(stored)).map { "\($0.layers) × \($0.hidden), window \($0.window)" },
                                 trainedFrom: stored.dataFirst, trainedTo: stored.dataLast,
                                 bestValidationLoss: stored.bestValidationLoss, randomWalkValidationLoss: stored.randomWalkLoss)
        let forecast = ForecastPath(origin: table.asOf, rows: table.rows)
        let order = backtest?.models ?? []
        func rank(_ m: ModelKind) -> Int { order.firstIndex(of: m) ?? Int.max }
        let rows = (backtest?.scores ?? []).sorted { (rank($0.model), $0.horizon) < (rank($1.model), $1.horizon) }
        let residuals = (backtest?.rows ?? []).filter { $0.model == stored.kind && $0.horizon == 1 }.compactMap { r -> DatedValue? in
            guard let actual = r.actual, let date = r.targetDate else { return nil }
            return DatedValue(date: date, value: actual - r.point)
        }
        let models = Set(rows.map(\.model))
        var comparisons: [ModelComparison] = []
        if models.contains(.seq2seq), models.contains(.lstm) {
            comparisons.append(ModelComparison(title: "Seq2Seq vs plain", models: [.lstm, .seq2seq, .naive]))
        }
        let report = SymbolReport(
            symbol: name, frequency: frequency, dataRange: DataRange(first: first, last: last, count: series.count),
            recent: series.bars.suffix(250).map { DatedValue(date: $0.date, value: $0.price) },
            model: model, forecast: forecast, backtest: rows, residuals: residuals,
            trainingHistories: try histories(symbol: name, newest: stored, database: database),
            comparisons: comparisons, verdict: Verdict.judge(stored.kind, against: .naive, in: rows))
        return (report, ran)
    }

    /// The newest model's loss curve, and beside it the newest model of the other mode with the same cell
    /// (as `augur compare-modes` leaves them).
    static func histories(symbol: String, newest: StoredModel, database: AugurDatabase) throws -> [TrainingHistory] {
        var picked = [newest]
        if let other = try database.newestModel(trainedOn: symbol, kind: newest.kind, modeOtherThan: newest.mode) {
            picked.append(other)
        }
        return try picked.sorted { TrainingMode.label($0.mode) < TrainingMode.label($1.mode) }.map { m in
            TrainingHistory(label: picked.count > 1 ? TrainingMode.label(m.mode) : "\(m.kind) \(TrainingMode.label(m.mode))",
                            epochs: try database.epochs(modelID: m.id ?? 0).map {
                                EpochLoss(epoch: $0.epoch, train: $0.trainLoss, validation: $0.validationLoss)
                            })
        }
    }

    /// Writes every symbol's folder under `out`, then the index pages. Returns what was written.
    public static func write(symbols: [String], out: String, formats: ReportFormats, database: AugurDatabase,
                             calendar: TradingCalendar = TradingCalendar()) throws -> [Written] {
        var written: [Written] = []
        var summary: [SummaryRow] = []
        for s in symbols {
            let (report, ran) = try build(context: try SymbolContext.load(s, database: database), database: database,
                                          calendar: calendar)
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
                throw AppError.invalid("cannot write \(url.path): \(error.localizedDescription)")
            }
        }
    }
}
