import ArgumentParser
import AugurApp
import AugurCore
import AugurForecast
import AugurIngest
import AugurStore
import Foundation

/// `--db PATH|URL`, shared by every command that touches the database.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database: an SQLite file, or postgresql://user@host:port/dbname for a PostgreSQL server (default: $AUGUR_DB, else data/augur.sqlite).",
                                            valueName: "path|url"))
    var db: String?

    var path: String { DatabaseLocation.resolve(db, environment: ProcessInfo.processInfo.environment) }

    func open() throws -> AugurDatabase { try AugurDatabase(location: path) }
}

/// Text as a terminal may show it: control characters (C0 but newline and tab, DEL, C1) become
/// visible `\u{1B}`-style escapes, so a symbol or file name cannot move the cursor, recolour the
/// screen or retitle the window.
func terminalSafe(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: isControl) else { return s }
    var out = ""
    for u in s.unicodeScalars {
        if isControl(u) { out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}" } else { out.unicodeScalars.append(u) }
    }
    return out
}

private func isControl(_ u: Unicode.Scalar) -> Bool {
    (u.value < 0x20 && u != "\n" && u != "\t") || (0x7F...0x9F).contains(u.value)
}

/// Every line of text output goes through here (it shadows the standard `print` in this module).
func print(_ s: String) { Swift.print(terminalSafe(s)) }

/// Standard error, unbuffered, for messages and progress.
enum Console {
    static func error(_ s: String) {
        FileHandle.standardError.write(Data((terminalSafe(s) + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }

    /// Replaces the live status line on a terminal's standard error with `text`; nil clears it.
    static func status(_ text: String?) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + (text.map(terminalSafe) ?? "")).utf8))
    }

    /// Prints a value as one JSON document on standard output, keys sorted so output is stable.
    static func json<T: Encodable>(_ value: T) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A NaN or infinity that escaped every check becomes null, never an encoding failure.
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: nonFinite, negativeInfinity: nonFinite,
                                                                nan: nonFinite)
        let text = String(decoding: try e.encode(value), as: UTF8.self)
            .replacingOccurrences(of: "\"" + nonFinite + "\"", with: "null")
        Swift.print(text)   // JSON escapes control characters itself
    }

    private static let nonFinite = "augur:non-finite:a3f9"
}

/// The exit status of an error: 1 for anything the user can fix (bad input, an unknown symbol or
/// name, a series too short), 2 for internal failures. Each error type says which it is
/// (`ClassifiedError`); an error that does not counts as internal.
func exitStatus(for error: Error) -> ExitCode {
    Blame.of(error) == .user ? ExitCode(1) : ExitCode(2)
}

/// An error's message as the command line shows it: the library's message, with the flag that
/// fixes it where there is one (library messages never name flags).
func errorMessage(for error: Error) -> String {
    switch error {
    case IngestError.invalidRows(_, _, let first):
        // The library's message, with the flag on its first line.
        var lines = "\(error)".components(separatedBy: "\n")
        lines[0] += " (use --skip-invalid to import the valid rows)"
        if first.contains(where: { $0.reason.hasPrefix("unparsable date") }) {
            lines.append("  (--date-format names the date layout, e.g. --date-format %d/%m/%Y)")
        }
        return lines.joined(separator: "\n")
    case IngestError.ambiguousDates:
        return "\(error); name the layout with --date-format, e.g. --date-format %d/%m/%Y"
    case IngestError.unknownFormat:
        return "\(error); give --format, or --date-column and --value-column"
    case AppError.horizonBeyondTraining(_, let trained, let asked):
        return "\(error); ask for --horizon \(trained) or fewer, or train one with --model seq2seq --horizon \(asked)"
    case StoreError.unknownSymbol:
        return "\(error) (see `augur list`)"
    case let e as TrainingError:
        return trainingMessage(e)
    case ForecastError.training(let model, let e):
        return "\(model): " + trainingMessage(e)
    default:
        return "\(error)"
    }
}

private func trainingMessage(_ e: TrainingError) -> String {
    switch e {
    case .invalidSetting(let setting, let rule, let value): return "\(TrainingOptions.flag(for: setting)) \(rule), got \(value)"
    case .nonFiniteLoss: return "\(e) (try a smaller --lr or --clip)"
    default: return "\(e)"
    }
}

/// Runs a command body, printing any error as `augur: message` and exiting with its status.
func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let e as ExitCode { throw e } catch let e as ValidationError { throw e } catch {
        Console.error("augur: \(errorMessage(for: error))")
        throw exitStatus(for: error)
    }
}

/// A number with `digits` decimals, or "–" when there is none or it is not finite: no table ever
/// shows nan or inf.
func fixed(_ v: Double?, _ digits: Int) -> String {
    guard let v, v.isFinite else { return "–" }
    return String(format: "%.\(digits)f", v)
}

/// Left/right-aligned plain-text columns.
enum TextTable {
    static func render(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                return rightAligned.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// `--format table|csv|json`, with `--json` kept as its shorthand.
struct OutputOption: ParsableArguments {
    @Option(help: ArgumentHelp("table (default), csv or json.", valueName: "format")) var format: OutputFormat?
    @Flag(help: "Print JSON (the same as --format json).") var json = false

    func resolved() throws -> OutputFormat {
        if json, let format, format != .json { throw ValidationError("--json and --format \(format.rawValue) disagree") }
        return json ? .json : (format ?? .table)
    }
}

/// The symbols a command runs on: named ones, or every stored one with `--all`.
struct SymbolSelection: ParsableArguments {
    @Argument(help: "The symbols (any case).") var symbols: [String] = []
    @Flag(help: "Every symbol in the database.") var all = false
    @OptionGroup var sharding: ShardOption

    func check() throws {
        if all && !symbols.isEmpty { throw ValidationError("name symbols or give --all, not both") }
        if !all && symbols.isEmpty { throw ValidationError("name a symbol (or several), or give --all") }
        _ = try sharding.resolved()
    }

    /// One named symbol: its errors keep their exit status and message unchanged.
    var isSingle: Bool { !all && symbols.count == 1 && sharding.shard == nil }

    /// Runs `body` for each selected symbol in turn (see `eachSymbol`).
    func each<T>(database: AugurDatabase, _ body: (String) throws -> T,
                 printing: (T, Int) throws -> Void = { _, _ in }) throws -> SymbolOutcomes<T> {
        let shard = try sharding.resolved()
        let names = (all ? try database.symbolNamesWithBars() : symbols).filter { shard?.owns($0) ?? true }
        return try eachSymbol(names, single: isSingle, database: database, body, printing: printing)
    }
}

/// Runs `body` for each of `names` in turn, under the symbol's lock (another worker on the same
/// database, an overlapping shard or a re-run, waits its turn). With `single`, an error ends the
/// command as it would for one symbol; otherwise a failing symbol is reported ("augur: SYMBOL: why")
/// and the others go on, and `finish()` on the result exits with the worst status. `printing` sees
/// each result as it lands (for tables printed one after the other).
func eachSymbol<T>(_ names: [String], single: Bool, database: AugurDatabase, _ body: (String) throws -> T,
                   printing: (T, Int) throws -> Void = { _, _ in }) throws -> SymbolOutcomes<T> {
    var outcomes = SymbolOutcomes<T>()
    for name in names {
        do {
            let value = try database.withSymbolLock(name) { try body(name) }
            try printing(value, outcomes.values.count)
            outcomes.values.append(value)
        } catch let error as ExitCode {
            throw error
        } catch {
            if single { throw error }
            let code = exitStatus(for: error)
            if code.rawValue > outcomes.worst.rawValue { outcomes.worst = code }
            Console.error("augur: \(terminalSafe(name)): \(errorMessage(for: error))")
        }
    }
    return outcomes
}

struct SymbolOutcomes<T> {
    var values: [T] = []
    var worst: ExitCode = .success
    func finish() throws { if worst != .success { throw worst } }
}

/// `--shard K/N|auto`: this worker's part of the symbols (see `Shard`).
struct ShardOption: ParsableArguments {
    @Option(help: ArgumentHelp("Only this worker's symbols: K/N (0 ≤ K < N; a symbol belongs to shard hash(name) mod N), or auto from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX with AUGUR_SHARD_COUNT) or a Slurm job array.", valueName: "K/N|auto"))
    var shard: String?

    func resolved() throws -> Shard? {
        guard let shard else { return nil }
        do { return try Shard.parse(shard, environment: ProcessInfo.processInfo.environment) } catch {
            throw ValidationError("\(error)")
        }
    }
}
