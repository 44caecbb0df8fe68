import ArgumentParser
import AugurApp
import AugurCore
import AugurForecast
import AugurIngest
import Foundation

extension CSVFormat: ExpressibleByArgument {}
extension SeriesKind: ExpressibleByArgument {}
extension ExchangeCalendar: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.description) }
}
extension IntervalPolicy: ExpressibleByArgument {}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import market CSV files into the database.",
        discussion: """
            Formats are detected from the header: Yahoo (Date,Open,High,Low,Close,Adj Close,Volume), \
            Stooq (Date,Open,High,Low,Close,Volume), generic (any of those names, any order and case), \
            European (';' separator, decimal comma, DD.MM.YYYY, e.g. Datum;Schluss).

            Each file is one transaction: a file with an invalid row is refused whole and the \
            database is left as it was (exit status 1), unless --skip-invalid is given. Importing \
            the same file again changes nothing; a newer file for the same symbol adds new dates \
            and updates changed values.

            A series is a price (positive; OHLC rules; modelled on log returns) or a value (any \
            finite number, such as a spread, a rate or a temperature; no OHLC rules; modelled on \
            levels and differences, with additive intervals). A date,value file, or one whose value \
            column is not named like a price, imports as a value unless --kind says otherwise; the \
            kind is stored with the symbol and shown by `augur list`.

            Examples:
              augur import data/sp500_daily.csv
              augur import prices.csv --symbol DAX --format european
              augur import export.csv --date-column Day --value-column Last --date-format %m/%d/%Y
              augur import spread.csv --kind value
            """)

    @Argument(help: ArgumentHelp("CSV files to import.", valueName: "file"))
    var files: [String]

    @OptionGroup var database: DatabaseOption

    @Option(help: "The symbol to store the bars under (default: the file name, upper-cased). One file only.")
    var symbol: String?

    @Option(help: "The file's format: yahoo, stooq, stooq-bulk, generic, european (default: detected from the header).")
    var format: CSVFormat?

    @Option(help: ArgumentHelp("The field separator, e.g. ';' or 'tab' (default: detected).", valueName: "char"))
    var delimiter: String?

    @Flag(help: "Numbers use a decimal comma (default: detected).")
    var decimalComma = false

    @Option(help: "The date layout, e.g. %d.%m.%Y, %m/%d/%Y, %Y%m%d (default: detected).")
    var dateFormat: String?

    @Option(help: "The name of the date column, when the header's name is not recognised.")
    var dateColumn: String?

    @Option(help: "The name of the value (close) column, when the header's name is not recognised.")
    var valueColumn: String?

    @Option(help: ArgumentHelp("price (positive, OHLC rules) or value (any finite number) (default: detected from the value column's name; a stored symbol keeps its kind).", valueName: "kind"))
    var kind: SeriesKind?

    @Option(help: ArgumentHelp("The exchange whose holidays the forecast dates skip: \(ExchangeCalendar.allCases.map(\.description).joined(separator: ", ")) (stored with the symbol; without one, forecasts skip weekends only).", valueName: "exchange"))
    var calendar: ExchangeCalendar?

    @Flag(help: "Import the valid rows and write the rejected ones, with reasons, to <name>.rejects.csv in the current folder (prices.csv: prices.rejects.csv).")
    var skipInvalid = false

    @Option(help: ArgumentHelp("Where --skip-invalid writes rejected rows (one file only).", valueName: "path"))
    var rejects: String?

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        if symbol != nil, files.count > 1 { throw ValidationError("--symbol names one file's symbol; import one file at a time") }
        if rejects != nil, files.count > 1 { throw ValidationError("--rejects takes one file; import one file at a time") }
        if let delimiter, parsedDelimiter(delimiter) == nil {
            throw ValidationError("--delimiter must be one character or 'tab', not '\(delimiter)'")
        }
        if let dateFormat, DateLayout(pattern: dateFormat) == nil {
            throw ValidationError("--date-format '\(dateFormat)' is not one of %Y-%m-%d, %Y%m%d, %d.%m.%Y, %m/%d/%Y (any single separator)")
        }
    }

    private func parsedDelimiter(_ s: String) -> UInt8? {
        if s.lowercased() == "tab" || s == "\\t" { return 0x09 }
        guard s.utf8.count == 1, let b = s.utf8.first, b != 0x22, b != 0x0A, b != 0x0D else { return nil }
        return b
    }

    struct Failure: Encodable { var file: String; var error: String }
    struct Outcome: Encodable { var results: [ImportResult]; var failures: [Failure] }

    func run() throws {
        try reportingErrors {
            let db = try database.open()
            let options = ImportOptions(format: format, delimiter: delimiter.flatMap(parsedDelimiter),
                                        decimalComma: decimalComma ? true : nil,
                                        dateLayout: dateFormat.flatMap(DateLayout.init(pattern:)),
                                        dateColumn: dateColumn, valueColumn: valueColumn, kind: kind)
            var outcome = Outcome(results: [], failures: [])
            var worst: ExitCode = .success
            for file in files {
                let request = ImportRequest(path: file, symbol: symbol, options: options,
                                            skipInvalid: skipInvalid, rejectsPath: rejects, calendar: calendar)
                func failed(_ error: Error, ticker: String?) {
                    let code = exitStatus(for: error)
                    if code.rawValue > worst.rawValue { worst = code }
                    let message = (ticker.map { "\($0): " } ?? "") + errorMessage(for: error)
                    outcome.failures.append(Failure(file: file, error: message))
                    if !json { Console.error("augur: \(message)") }
                }
                do {
                    _ = try ImportUseCase.runFile(request, database: db, progress: progressPrinter(for: file)) { one in
                        switch one.result {
                        case .success(let result):
                            outcome.results.append(result)
                            if !json { print(Import.line(result)) }
                        case .failure(let error):
                            failed(error, ticker: one.ticker)
                        }
                    }
                } catch {
                    failed(error, ticker: nil)
                }
            }
            if json { try Console.json(outcome) }
            if worst != .success { throw worst }
        }
    }

    /// A live progress line on a terminal for files over about 10 MB.
    private func progressPrinter(for file: String) -> (@Sendable (Int, Int) -> Void)? {
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        guard !json, Console.stderrIsTerminal, size > 10_000_000 else { return nil }
        let name = file
        return { read, total in
            let pct = total > 0 ? min(100, read * 100 / total) : 0
            let line = "\r  \(name): \(pct)% (\(read / 1_000_000) of \(total / 1_000_000) MB)"
            FileHandle.standardError.write(Data((read >= total ? line + "\r\u{1B}[K" : line).utf8))
        }
    }

    static func line(_ r: ImportResult) -> String {
        var parts = ["\(r.symbol): \(r.file) (\(r.format), \(r.kind.rawValue)s), \(r.rowsRead) rows:"]
        if r.inserted == 0, r.updated == 0 {
            parts.append("unchanged")
        } else {
            parts.append("\(r.inserted) inserted, \(r.updated) updated, \(r.unchanged) unchanged")
        }
        if r.skipped > 0 { parts.append("(\(r.skipped) empty rows passed over)") }
        if r.rejected > 0 { parts.append("\(r.rejected) rejected, written to \(r.rejectsFile ?? "?")") }
        if let f = r.first, let l = r.last { parts.append("[\(f) … \(l)]") }
        if let c = r.calendar { parts.append("\(c) calendar") }
        parts.append(String(format: "in %.2f s", r.seconds))
        return parts.joined(separator: " ")
    }
}
