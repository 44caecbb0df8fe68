import ArgumentParser
import AugurApp
import AugurIngest
import AugurStore
import Foundation

/// `--db PATH`, shared by every command that touches the database.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file (default: $AUGUR_DB, else data/augur.sqlite).",
                                            valueName: "path"))
    var db: String?

    var path: String { DatabaseLocation.resolve(db, environment: ProcessInfo.processInfo.environment) }

    func open() throws -> AugurDatabase { try AugurDatabase(path: path) }
}

/// Standard error, unbuffered, for messages and progress.
enum Console {
    static func error(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }

    /// Prints a value as one JSON document on standard output, keys sorted so output is stable.
    static func json<T: Encodable>(_ value: T) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try e.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }
}

/// Maps an error to its message and exit status: 1 for anything the user can fix (bad input,
/// unknown symbol, bad option), 2 for internal failures.
func exitStatus(for error: Error) -> ExitCode {
    switch error {
    case is IngestError: return ExitCode(1)
    case let e as StoreError:
        if case .sqlite = e { return ExitCode(2) }
        return ExitCode(1)
    case let e as AppError:
        if case .internalFailure = e { return ExitCode(2) }
        return ExitCode(1)
    default: return ExitCode(2)
    }
}

/// Runs a command body, printing any error as `augur: message` and exiting with its status.
func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let e as ExitCode { throw e } catch let e as ValidationError { throw e } catch {
        Console.error("augur: \(error)")
        throw exitStatus(for: error)
    }
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
