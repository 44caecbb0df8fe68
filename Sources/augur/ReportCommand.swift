import ArgumentParser
import AugurApp
import AugurCore
import AugurReport
import Foundation

extension ReportFormats: ExpressibleByArgument {
    public var defaultValueDescription: String {
        if self == .all { return "all" }
        return [(ReportFormats.text, "txt"), (.markdown, "md"), (.svg, "svg"), (.html, "html")]
            .filter { contains($0.0) }.map(\.1).joined(separator: ",")
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write forecast reports: text, Markdown, SVG charts and an HTML page per symbol.",
        discussion: """
            Writes <out>/<SYMBOL>/report.txt, report.md, forecast.svg, errors.svg, loss.svg and index.html, \
            and <out>/index.html and <out>/summary.md with one row per symbol. A report uses the symbol's \
            forecast from auto (its stored selection, made when there is none; --method NAME for another \
            model) and the newest standard-protocol backtest that includes that model, and runs what is missing \
            first (a selection, a training with the defaults for a neural --method, a backtest of the default \
            models and the forecasting one), so it works right after `augur import`. Open <out>/index.html in a \
            browser.

            Examples:
              augur report SP500_DAILY
              augur report SP500_DAILY VIX_DAILY --out /tmp/reports --format html,svg
              augur report SP500_DAILY --stdout
            """)

    @Argument(help: "Symbols to report on (default: every symbol).") var symbols: [String] = []
    @OptionGroup var database: DatabaseOption
    @Option(help: ArgumentHelp("The reports folder.", valueName: "dir")) var out: String = "Reports"
    @Option(help: "Comma-separated: all, txt, md, svg, html.") var format: ReportFormats = .all
    @Flag(help: "Print the text report of each symbol to standard output instead of writing files.") var stdout = false
    @Option(help: ArgumentHelp("The model whose forecast the reports show (default auto).", valueName: "name"))
    var method: String?
    @Option(help: ArgumentHelp("Market holidays to skip in forecast dates (a file of YYYY-MM-DD lines).", valueName: "file"))
    var holidays: String?

    @OptionGroup var sharding: ShardOption

    func validate() throws {
        _ = try sharding.resolved()
        if out.isEmpty { throw ValidationError("--out must name a folder") }
        if let method { do { _ = try ModelKind(name: method) } catch { throw ValidationError("--method: \(error)") } }
    }

    func run() throws {
        try reportingErrors {
            let db = try database.open()
            let shard = try sharding.resolved()
            let names = (symbols.isEmpty ? try QueryUseCases.list(database: db).filter { $0.rows > 0 }.map(\.symbol) : symbols)
                .filter { shard?.owns($0) ?? true }
            if names.isEmpty {
                if let shard { return print("shard \(shard) owns none of these symbols") }
                throw AppError.invalid("no symbols to report on: import a CSV first")
            }
            let calendar = try HolidayFile.calendar(path: holidays)
            let kind = try method.map { try ModelKind(name: $0) }
            if stdout {
                var failed = false
                for s in names {
                    do { print(TextReport.render(try ReportUseCase.build(symbol: s, database: db, method: kind, calendar: calendar).0)) } catch {
                        guard Blame.of(error) == .user else { throw error }
                        Console.error("augur: \(s): \(errorMessage(for: error))")
                        failed = true
                    }
                }
                if failed { throw ExitCode(1) }
                return
            }
            let t0 = Date()
            let (written, failed) = try ReportUseCase.write(symbols: names, out: out, formats: format, database: db, method: kind,
                                                            calendar: calendar, index: shard == nil)
            for w in written {
                let folder = w.files.first.map { ($0 as NSString).deletingLastPathComponent } ?? ""
                print("\(w.symbol): \(out)/\(folder)/ (\(w.files.filter { $0.hasPrefix(folder + "/") }.count) files)"
                      + (w.ran.isEmpty ? "" : "; first " + w.ran.joined(separator: " and ")))
            }
            if let shard {
                print(String(format: "%d report%@ of shard %@ in %.2f s (a shard writes its symbols' folders, not the index)",
                             written.count, written.count == 1 ? "" : "s", shard.description, Date().timeIntervalSince(t0)))
            } else {
                print(String(format: "%d report%@ in %.2f s; open %@/index.html", written.count, written.count == 1 ? "" : "s",
                             Date().timeIntervalSince(t0), out))
            }
            guard failed.isEmpty else {
                Console.error("augur: \(failed.count) of \(names.count) symbol\(names.count == 1 ? "" : "s") could not be reported:")
                for f in failed { Console.error("  \(f.symbol): \(errorMessage(for: f.error))") }
                throw ExitCode(1)
            }
        }
    }
}
