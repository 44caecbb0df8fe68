import ArgumentParser
import AugurApp
import Foundation

struct BenchImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Time importing a generated Yahoo-format file into a fresh database.",
        discussion: """
            Prints rows/s and the process's peak memory. The whole import is timed: parsing, \
            validating, writing and committing.

            Example:
              augur bench import --rows 1000000 --json
            """)

    @Option(parsing: .unconditional, help: "Rows to generate.") var rows: Int = 1_000_000
    @Option(help: ArgumentHelp("Use this file (generated there first when missing) and keep it.", valueName: "path"))
    var file: String?
    @Flag(help: "Only parse and validate (no database): shows how fast the parsing side alone runs.")
    var parseOnly = false
    @Flag(help: "Print one JSON line.") var json = false
    @Option(help: ArgumentHelp("Import into this database (e.g. a postgresql:// URL) instead of a new SQLite file; a symbol of its own is created there.", valueName: "path|url"))
    var db: String?

    func validate() throws {
        if rows < 1 { throw ValidationError("--rows must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let r = try ImportBenchmark.run(rows: rows, file: file, parseOnly: parseOnly, database: db)
            if json { return try Console.json(r) }
            print(String(format: "import: %d rows (%.1f MB) in %.3f s: %.0f rows/s, peak memory %.1f MB",
                         r.rows, Double(r.bytes) / 1e6, r.seconds, r.rows_per_second, r.peak_rss_mb))
        }
    }
}
