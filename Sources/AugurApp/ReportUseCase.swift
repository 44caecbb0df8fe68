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
    /// `method`: the model whose forecast the report shows (default: the symbol's pin, else auto).
    public static func build(symbol: String, database: AugurDatabase, horizon: Int = 20, method: ModelKind? = nil,
                             calendar: TradingCalendar = TradingCalendar()) throws -> (SymbolReport, ran: [String]) {
        try build(context: try SymbolContext.load(symbol, database: database), database: database, horizon: horizon,
                  method: method, calendar: calendar)
    }

    static func build(context: SymbolContext, database: AugurDatabase, horizon: Int = 20, method: ModelKind? = nil,
                      calendar listed: TradingCalendar) throws -> (SymbolReport, ran: [String]) {
        let calendar = context.tradingCalendar(listed: listed)
        var ran: [String] = []
        let series = context.series, name = context.name
        guard let first = series.first, let last = series.last else { throw AppError.notFound("\(name) has no bars") }
        let frequency = context.frequency ?? .daily

        // The forecast of `method`: auto's by default (its stored selection, made when there is none); a
        // neural kind's newest model (trained with the defaults when there is none; from a baseline when
        // the series is too short for one).
        let (pinnedMethod, pinnedModel, pinned) = context.resolved(method: method, modelID: nil)
        let table = try pinnedModel.map {
            try ForecastUseCase.run(context: context, modelID: $0, horizon: horizon, database: database, calendar: calendar)
        } ?? ForecastUseCase.run(context: context, method: pinnedMethod ?? .auto, horizon: horizon, database: database,
                                 calendar: calendar)
        if table.trained != nil { ran.append("trained a model") }
        ran += table.notes
        let stored = try table.modelID.map { try database.model(id: $0) } ?? nil

        // The newest backtest with the standard protocol that ran the model whose forecast is shown (an
        // exploratory `backtest --models autoets` does not replace it), run when there is none (and left
        // out, with the reason, when the series is too short for one).
        let standard = BacktestUseCase.standardConfiguration(for: try context.history())
        let protocolKey = BacktestUseCase.describe(standard)
        if try database.latestBacktestID(symbol: name, configuration: protocolKey, including: table.model) == nil {
            do {
                var models = ModelKind.backtestDefaults
                if !models.contains(table.model) { models.append(table.model) }
                _ = try BacktestUseCase.run(context: context, models: models, database: database)
                ran.append("ran a backtest")
            } catch where Blame.of(error) == .user {
                ran.append("no backtest: \(error)")
            }
        }
        let backtest = try database.latestBacktest(symbol: name, configuration: protocolKey, including: table.model)

        let model = ModelSummary(kind: table.model, cell: stored.map { $0.kind.cell?.rawValue ?? $0.kind.name },
                                 mode: stored.map { TrainingMode.label($0.mode) },
                                 details: stored.flatMap { try? ModelCodec.configuration($0) }.map { "\($0.layers) × \($0.hidden), window \($0.window)" },
                                 trainedFrom: stored?.dataFirst, trainedTo: stored?.dataLast,
                                 bestValidationLoss: stored?.bestValidationLoss, randomWalkValidationLoss: stored?.randomWalkLoss)
        let forecast = ForecastPath(origin: table.asOf, rows: table.rows)
        let order = backtest?.models ?? []
        func rank(_ m: ModelKind) -> Int { order.firstIndex(of: m) ?? Int.max }
        let rows = (backtest?.scores ?? []).sorted { (rank($0.model), $0.horizon) < (rank($1.model), $1.horizon) }
        let residuals = (backtest?.rows ?? []).filter { $0.model == table.model && $0.horizon == 1 }.compactMap { r -> DatedValue? in
            guard let actual = r.actual, let date = r.targetDate else { return nil }
            return DatedValue(date: date, value: actual - r.point)
        }
        let models = Set(rows.map(\.model))
        // The right baseline: seasonal naive for a seasonal series, naive otherwise.
        let baseline = Seasonality.baseline(try context.history())
        var comparisons: [ModelComparison] = []
        if models.contains(.seq2seq), models.contains(.lstm) {
            comparisons.append(ModelComparison(title: "Seq2Seq vs plain", models: [.lstm, .seq2seq, .naive]))
        }
        // AutoETS and AutoARIMA on the whole history, named with the forms they choose (a series they
        // cannot fit is left out).
        var fitted: [FittedModel] = []
        if table.model == .auto, let choice = table.fitted { fitted.append(FittedModel(kind: .auto, form: choice, next: table.rows.first)) }
        for kind in [ModelKind.autoets, .autoarima] {
            guard let t = try? ForecastUseCase.statistical(kind, context: context, horizon: 1, calendar: calendar),
                  let form = t.fitted else { continue }
            fitted.append(FittedModel(kind: kind, form: form, next: t.rows.first))
        }
        var report = SymbolReport(
            symbol: name, frequency: frequency, dataRange: DataRange(first: first, last: last, count: series.count),
            recent: series.bars.suffix(250).map { DatedValue(date: $0.date, value: $0.price) },
            model: model, forecast: forecast, backtest: rows, residuals: residuals,
            trainingHistories: try stored.map { try histories(symbol: name, newest: $0, database: database) } ?? [],
            comparisons: comparisons,
            verdict: table.model == baseline ? nil : Verdict.judge(table.model, against: baseline, in: rows,
                                                                   errors: errorsByOrigin(backtest?.rows ?? []),
                                                                   originStep: standard.originStep),
            baselineModel: baseline,
            backtestSource: backtest.map { b in
                "no. \(b.id ?? 0), \(b.created.prefix(10)), \(b.origins) origins, standard protocol (h "
                    + standard.horizons.map(String.init).joined(separator: ", ") + ")"
            })
        report.fittedModels = fitted
        report.kind = series.kind
        report.intervalMethod = table.intervals
        report.pinned = pinned ? context.pin?.description : nil
        report.calendar = context.datesSkip(calendar)
        report.coverage = BacktestUseCase.coverageTrack(backtest?.rows ?? [], model: table.model, horizon: 1, method: nil)
        return (report, ran)
    }

    /// A stored backtest's errors by model and horizon, in origin order (what `Verdict.judge` tests).
    static func errorsByOrigin(_ rows: [StoredBacktest.Row]) -> [ModelKind: [Int: [Double?]]] {
        // Rows are stored in origin order for each model (the backtest's order), so grouping keeps it.
        var out: [ModelKind: [Int: [Double?]]] = [:]
        for r in rows {
            let error: Double? = r.actual.map { $0 - r.point }
            out[r.model, default: [:]][r.horizon, default: []].append(error)
        }
        return out
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

    /// A symbol whose report could not be written, and why.
    public struct Failure: Sendable {
        public var symbol: String
        public var error: any Error
    }

    /// Writes every symbol's folder under `out` that it can, then the index pages over those: one
    /// symbol that fails (too short, unknown) does not stop the others; its failure is returned.
    /// `index: false` (a shard's run) writes the symbols' folders only: the index pages list every
    /// symbol, which one shard does not have.
    public static func write(symbols: [String], out: String, formats: ReportFormats, database: AugurDatabase,
                             method: ModelKind? = nil, calendar: TradingCalendar = TradingCalendar(),
                             index writeIndex: Bool = true) throws -> (written: [Written], failed: [Failure]) {
        try checkFolder(out)
        var written: [Written] = [], failed: [Failure] = []
        var summary: [SummaryRow] = []
        for s in symbols {
            do {
                let (report, ran) = try build(context: try SymbolContext.load(s, database: database), database: database,
                                              method: method, calendar: calendar)
                let files = ReportWriter.files(for: report, formats: formats)
                try save(files, under: out, replacingFolder: true)
                written.append(Written(symbol: report.symbol, files: files.map(\.relativePath), ran: ran))
                summary.append(SummaryRow(report))
            } catch where Blame.of(error) == .user {
                failed.append(Failure(symbol: s, error: error))
            }
        }
        let index = writeIndex ? ReportWriter.indexFiles(summary, formats: formats) : []
        try save(index, under: out, replacingFolder: false)
        if let i = written.indices.first { written[i].files += index.map(\.relativePath) }
        return (written, failed)
    }

    /// `out` must be a folder, or not exist yet.
    static func checkFolder(_ out: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw AppError.invalid("\(out) is a file, not a folder for reports")
        }
    }

    /// The files a report writes, by their names' endings: a file with one of these in a symbol's
    /// folder that this run did not write is a leftover of an earlier run (`comparison-1.svg`) and goes.
    static let reportSuffixes = [".txt", ".md", ".svg", ".html"]
    /// Each file is written to `.NAME.augur-tmp` beside it and renamed over it, so a killed run leaves
    /// either the old file or the new one, and at worst a temporary the next run removes.
    static let temporarySuffix = ".augur-tmp"

    static func save(_ files: [ReportFile], under out: String, replacingFolder: Bool) throws {
        let root = URL(fileURLWithPath: out)
        var folders: [URL: Set<String>] = [:]
        for f in files {
            let url = root.appendingPathComponent(f.relativePath)
            folders[url.deletingLastPathComponent(), default: []].insert(url.lastPathComponent)
        }
        let fm = FileManager.default
        for (folder, names) in folders {
            do { try fm.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                throw AppError.invalid("cannot create the folder \(folder.path): \(error.localizedDescription)")
            }
            // Temporaries of a killed run, and (in a symbol's own folder) files no longer written.
            for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] {
                let stale = name.hasPrefix(".") && name.hasSuffix(temporarySuffix)
                    || replacingFolder && !names.contains(name) && reportSuffixes.contains { name.hasSuffix($0) }
                if stale { try? fm.removeItem(at: folder.appendingPathComponent(name)) }
            }
        }
        for f in files {
            let url = root.appendingPathComponent(f.relativePath)
            let temporary = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + temporarySuffix)
            do {
                try Data(f.contents.utf8).write(to: temporary)
                if rename(temporary.path, url.path) != 0 { throw CocoaError(.fileWriteUnknown) }
            } catch {
                try? fm.removeItem(at: temporary)
                throw AppError.invalid("cannot write \(url.path): \(error.localizedDescription)")
            }
        }
    }
}
