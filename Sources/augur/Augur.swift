// The `augur` command line: parses arguments, calls AugurApp, prints. No logic lives here that
// tests cannot reach through AugurApp. Strings become typed values here (model names, modes) and
// errors become messages with the flag that fixes them; may import every module.
import ArgumentParser
import AugurApp
import AugurNN
import Foundation

@main
struct Augur: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augur",
        abstract: "Forecast price-like time series: import market CSVs, train, forecast, backtest, report.",
        discussion: """
            The database defaults to data/augur.sqlite; --db PATH or the AUGUR_DB environment variable \
            override it, and a postgresql://user@host:port/dbname URL there selects a PostgreSQL server \
            (for many workers: see --shard and deploy/). Exit status: 0 success; 1 bad input (a file, a symbol, data a model cannot use); \
            2 internal error (a bug, a damaged database); 64 usage (an unknown option, a bad value).

            Example:
              augur import data/sp500_daily.csv
              augur list
            """,
        version: "0.1.0",
        subcommands: [Import.self, List.self, Show.self, SymbolCommand.self, Export.self, Train.self, Models.self, Model.self,
                      CompareModes.self, ForecastCommand.self, BacktestCommand.self, Daily.self, ReportCommand.self,
                      Bench.self])

    /// A bad AUGUR_KERNEL is refused before anything runs (usage error, exit 64), rather than
    /// silently running another kernel than the one asked for.
    static func main() {
        do {
            _ = try Kernel.resolve(ProcessInfo.processInfo.environment["AUGUR_KERNEL"])
        } catch {
            FileHandle.standardError.write(Data("augur: \(error)\n".utf8))
            Foundation.exit(64)
        }
        main(nil)
    }
}
