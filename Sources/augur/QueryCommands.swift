import ArgumentParser
import AugurApp
import AugurCore
import AugurIngest
import Foundation

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the symbols in the database with their kind (price or value), calendar, date range and row count.",
        discussion: "Example:\n  augur list\n  augur list --format csv\n  augur list --json")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: OutputOption
    @Flag(help: "Print only the symbol names, one per line (for scripts).") var names = false

    func run() throws {
        try reportingErrors {
            let format = try output.resolved()
            let symbols = try QueryUseCases.list(database: try database.open())
            if format == .json { return try Console.json(symbols) }
            if format == .csv { return print(String(CSVOutput.symbols(symbols).dropLast())) }
            if names { return symbols.forEach { print($0.symbol) } }
            if symbols.isEmpty { return print("no symbols yet: import a CSV with `augur import FILE`") }
            print(TextTable.render(["symbol", "kind", "calendar", "first", "last", "rows"],
                                   symbols.map { [$0.symbol, $0.kind.rawValue, $0.calendar?.description ?? "-",
                                                  $0.first?.iso ?? "-", $0.last?.iso ?? "-", String($0.rows)] },
                                   rightAligned: [5]))
        }
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a symbol's bars.",
        discussion: "Example:\n  augur show SP500_DAILY --last 5")

    @Argument(help: "The symbol.") var symbol: String
    @OptionGroup var database: DatabaseOption
    @Option(parsing: .unconditional, help: "Only the last N bars (default: 20; 0 for all).") var last: Int = 20

    func validate() throws {
        if last < 0 { throw ValidationError("--last must be 0 or more") }
    }

    func run() throws {
        try reportingErrors {
            let bars = try QueryUseCases.show(symbol: symbol, last: last == 0 ? nil : last, database: try database.open())
            func f(_ v: Double?) -> String { v.map(NumberFormatting.plain) ?? "-" }
            print(TextTable.render(["date", "open", "high", "low", "close", "adj close", "volume"],
                                   bars.map { [$0.date.iso, f($0.open), f($0.high), f($0.low), f($0.close),
                                               f($0.adjClose), f($0.volume)] },
                                   rightAligned: [1, 2, 3, 4, 5, 6]))
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a symbol's bars as CSV to standard output.",
        discussion: """
            The output imports back to the same rows.

            Example:
              augur export SP500_DAILY > sp500.csv
              augur export VIX_DAILY --format stooq
            """)

    @Argument(help: "The symbol.") var symbol: String
    @OptionGroup var database: DatabaseOption
    /// The formats export writes (import reads more).
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case yahoo, stooq
        var csv: CSVFormat { self == .yahoo ? .yahoo : .stooq }
    }

    @Option(help: "yahoo (missing values as null) or stooq (no Adj Close).") var format: Format = .yahoo

    func run() throws {
        try reportingErrors {
            var out = ""
            out.reserveCapacity(1 << 16)
            try QueryUseCases.export(symbol: symbol, format: format.csv, database: try database.open()) { line in
                out += line
                out += "\n"
                if out.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(out.utf8)); out.removeAll(keepingCapacity: true) }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }
}

struct SymbolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symbol",
        abstract: "Show or change what is stored with a symbol: its kind, exchange calendar and pinned model.",
        discussion: """
            The calendar names the exchange whose holidays forecast dates skip (NYSE, NASDAQ, LSE, \
            XETRA, EURONEXT, TSE); without one, daily forecasts skip weekends only. \
            `augur import --calendar` sets it too. The pin (what forecasts use when no model is named) \
            is set with `augur models pin`.

            Example:
              augur symbol SP500_DAILY --calendar NYSE
              augur symbol SP500_DAILY --calendar none
              augur symbol SP500_DAILY
            """)

    @Argument(help: "The symbol.") var symbol: String
    @OptionGroup var database: DatabaseOption
    @Option(help: ArgumentHelp("The exchange calendar: \(ExchangeCalendar.allCases.map(\.description).joined(separator: ", ")), or none (weekends only).", valueName: "exchange"))
    var calendar: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if let calendar, calendar.lowercased() != "none", ExchangeCalendar(name: calendar) == nil {
            throw ValidationError("--calendar must be one of \(ExchangeCalendar.allCases.map(\.description).joined(separator: ", ")) or none, not '\(calendar)'")
        }
    }

    func run() throws {
        try reportingErrors {
            let change: SymbolSettingsUseCase.CalendarChange? = calendar.map {
                $0.lowercased() == "none" ? .remove : .set(ExchangeCalendar(name: $0)!)
            }
            let s = try SymbolSettingsUseCase.run(symbol: symbol, calendar: change, database: try database.open())
            if json { return try Console.json(s) }
            print("\(s.symbol): \(s.kind.rawValue) series; calendar \(s.calendar?.description ?? "none"): forecast dates skip \(s.skips); "
                  + "forecasts use " + (s.pin.map { "\($0) (pinned)" } ?? "auto"))
        }
    }
}
