import AugurCore
import AugurIngest
import AugurStore
import Foundation

/// What `augur import` was asked to do with one file.
public struct ImportRequest: Sendable {
    public var path: String
    /// The symbol; nil means the file name's stem, upper-cased (`sp500_daily.csv` → `SP500_DAILY`).
    public var symbol: String?
    public var options: ImportOptions
    /// Import the valid rows and write the rejected ones to `rejectsPath`.
    public var skipInvalid: Bool
    /// Where rejects go under `skipInvalid`; nil means `<stem>.rejects.csv` in the current directory.
    public var rejectsPath: String?
    /// The exchange calendar to store with the symbol (nil: keep what is stored).
    public var calendar: ExchangeCalendar?

    public init(path: String, symbol: String? = nil, options: ImportOptions = ImportOptions(),
                skipInvalid: Bool = false, rejectsPath: String? = nil, calendar: ExchangeCalendar? = nil) {
        self.calendar = calendar
        self.path = path
        self.symbol = symbol
        self.options = options
        self.skipInvalid = skipInvalid
        self.rejectsPath = rejectsPath
    }

    public var resolvedSymbol: String {
        if let symbol, !symbol.isEmpty { return symbol }
        let name = (path as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        return (stem.isEmpty ? name : stem).uppercased()
    }

    public var resolvedRejectsPath: String {
        rejectsPath ?? (((path as NSString).lastPathComponent as NSString).deletingPathExtension + ".rejects.csv")
    }
}

/// What one file's import did.
public struct ImportResult: Sendable, Codable, Equatable {
    public var file: String
    public var symbol: String
    public var kind: SeriesKind
    public var format: String
    public var rowsRead: Int
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: Int
    public var skipped: Int
    public var first: CivilDate?
    public var last: CivilDate?
    public var sha256: String
    public var seconds: Double
    /// Set when rejects were written (under --skip-invalid).
    public var rejectsFile: String?
    /// The exchange calendar stored with the symbol after the import (nil: weekends only).
    public var calendar: ExchangeCalendar?

    /// `inserted`, `updated`, `unchanged` or a mix, for the one-line report.
    public var outcome: String {
        if inserted == 0, updated == 0 { return "unchanged" }
        return "imported"
    }
}

/// Parses on one thread and writes on another, in one transaction for the whole file.
public enum ImportUseCase {
    /// One symbol's outcome of a file: a one-symbol file has one, a bulk file (a ticker column,
    /// Stooq's `<TICKER>` format) one per ticker, each imported in its own transaction.
    public struct SymbolOutcome: Sendable {
        public var ticker: String?
        public var result: Result<ImportResult, Error>
    }

    /// Imports every symbol of a file: a bulk file's tickers each become a symbol (named by the
    /// ticker, upper-cased; their rejects go to `<stem>.<TICKER>.rejects.csv`), one after the other,
    /// and a ticker that fails leaves the others imported. `onOutcome` sees each as it lands.
    public static func runFile(_ request: ImportRequest, database: AugurDatabase,
                               progress: (@Sendable (Int, Int) -> Void)? = nil,
                               onOutcome: ((SymbolOutcome) -> Void)? = nil) throws -> [SymbolOutcome] {
        guard request.options.ticker == nil,
              let tickers = try? BarReader(path: request.path, options: request.options).tickers(), !tickers.isEmpty else {
            let outcome = SymbolOutcome(ticker: nil, result: Result { try run(request, database: database, progress: progress) })
            onOutcome?(outcome)
            return [outcome]
        }
        if let symbol = request.symbol, tickers.count > 1 {
            throw AppError.invalid("\(request.path) holds \(tickers.count) tickers (\(tickers.prefix(3).joined(separator: ", "))"
                                   + "\(tickers.count > 3 ? ", …" : "")); each is stored under its own name, so --symbol \(symbol) "
                                   + "cannot name them")
        }
        let stem = ((request.path as NSString).lastPathComponent as NSString).deletingPathExtension
        var outcomes: [SymbolOutcome] = []
        for ticker in tickers {
            var one = request
            one.options.ticker = ticker
            one.symbol = request.symbol ?? ticker.uppercased()
            one.rejectsPath = request.rejectsPath ?? "\(stem).\(ticker.uppercased()).rejects.csv"
            let outcome = SymbolOutcome(ticker: ticker, result: Result { try run(one, database: database, progress: progress) })
            onOutcome?(outcome)
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// Imports one file. Throws `IngestError.invalidRows` (nothing stored) when a row is invalid and
    /// `skipInvalid` is off; any other error also leaves the database as it was.
    public static func run(_ request: ImportRequest, database: AugurDatabase,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ImportResult {
        let started = Date()
        let requestedSymbol = request.resolvedSymbol
        let channel = BatchChannel<[Bar]>(capacity: 4)
        let outcome = ReaderOutcome()
        var rejectsWriter: RejectsWriter?
        if request.skipInvalid { rejectsWriter = try RejectsWriter(path: request.resolvedRejectsPath) }
        let rejects = rejectsWriter.map { UncheckedBox($0) }
        let path = request.path, skipInvalid = request.skipInvalid
        var options = request.options
        // A stored symbol's rows are read under its kind unless the user says otherwise (a kind that
        // differs from the stored one is then refused in the transaction, before anything lands).
        if options.kind == nil { options.kind = try database.kind(of: requestedSymbol) }

        let readOptions = options
        let thread = Thread {
            let reader = BarReader(path: path, options: readOptions)
            var sawReject = false
            do {
                let summary = try reader.read(onBatch: { batch in
                    // Once a row is bad and the file will be refused, stop handing bars to the writer.
                    if sawReject, !skipInvalid { return }
                    if !channel.put(batch) { throw CancellationError() }
                }, onReject: { rejection, raw in
                    sawReject = true
                    try rejects?.value.write(rejection, raw: raw)
                }, progress: progress)
                outcome.set(.success(summary))
            } catch {
                outcome.set(.failure(error))
            }
            channel.close()
        }
        thread.stackSize = 1 << 20
        thread.start()

        let record: ImportResult
        do {
            record = try database.importBars(symbol: requestedSymbol, calendar: request.calendar) { writer in
                let symbol = writer.symbol
                while let batch = channel.take() { try writer.write(batch) }
                let summary = try outcome.wait().get()
                if summary.rejected > 0, !skipInvalid {
                    throw IngestError.invalidRows(path: path, total: summary.rejected, first: summary.firstRejections)
                }
                if summary.rowsValid == 0, summary.rejected == 0, summary.rowsSkipped == 0 {
                    throw IngestError.emptyFile(path: path)
                }
                let counts = try writer.counts()
                let finished = Date()
                let stored = ImportRecord(
                    symbol: symbol, file: path, sha256: summary.sha256, format: summary.format.rawValue,
                    rowsRead: summary.rowsRead, counts: counts, rowsRejected: summary.rejected,
                    rowsSkipped: summary.rowsSkipped, started: Timestamp.iso(started), finished: Timestamp.iso(finished))
                return (stored, summary.kind, ImportResult(
                    file: path, symbol: symbol, kind: summary.kind, format: summary.format.rawValue, rowsRead: summary.rowsRead,
                    inserted: counts.inserted, updated: counts.updated, unchanged: counts.unchanged,
                    rejected: summary.rejected, skipped: summary.rowsSkipped, first: summary.firstDate,
                    last: summary.lastDate, sha256: summary.sha256, seconds: finished.timeIntervalSince(started),
                    rejectsFile: skipInvalid && summary.rejected > 0 ? request.resolvedRejectsPath : nil))
            }
        } catch {
            channel.cancel()
            _ = outcome.wait()
            try? rejectsWriter?.close()
            throw error
        }
        try rejectsWriter?.close()
        if let w = rejectsWriter, record.rejected == 0 { w.remove() }
        var result = record
        result.calendar = try database.calendar(of: record.symbol)
        return result
    }
}

/// The reader thread's final word, waited for by the writer.
final class ReaderOutcome: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<ReadSummary, Error>?

    func set(_ r: Result<ReadSummary, Error>) {
        condition.lock(); result = r; condition.broadcast(); condition.unlock()
    }

    func wait() -> Result<ReadSummary, Error> {
        condition.lock(); defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}

/// Hands a value that is only ever used by one thread at a time across a thread boundary.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

enum Timestamp {
    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }
}
