import AugurCore
import AugurIngest
import AugurStore
import Foundation

/// `augur bench import`: a generated Yahoo-format file of N rows imported into a fresh database.
public enum ImportBenchmark {
    public struct Result: Sendable, Codable {
        public var rows: Int
        public var bytes: Int
        public var seconds: Double
        public var rows_per_second: Double
        public var peak_rss_mb: Double
        public var file: String
    }

    /// Writes `rows` rows of a plausible daily OHLCV random walk (valid by every rule) to `path`,
    /// streaming, so the generator's memory stays flat. The same rows every time (fixed seed).
    public static func generate(rows: Int, path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let h = FileHandle(forWritingAtPath: path) else {
            throw IngestError.writeFailed(path: path, reason: "cannot create the file")
        }
        defer { try? h.close() }
        var rng = SplitMix64(seed: 42)
        var out = "Date,Open,High,Low,Close,Adj Close,Volume\n"
        var date = CivilDate(year: 1800, month: 1, day: 1)!
        var close = 100.0
        func r2(_ v: Double) -> Double { (v * 100).rounded() / 100 }
        for i in 0..<rows {
            let open = r2(close * (1 + 0.002 * (rng.nextUnit() - 0.5)))
            close = r2(max(1, close * (1 + 0.02 * (rng.nextUnit() - 0.5))))
            let high = r2(max(open, close) * (1 + 0.01 * rng.nextUnit()))
            let low = r2(min(open, close) * (1 - 0.01 * rng.nextUnit()))
            let volume = 1_000_000 + Int(rng.next() % 9_000_000)
            out += "\(date.iso),\(NumberFormatting.plain(open)),\(NumberFormatting.plain(high)),"
                + "\(NumberFormatting.plain(low)),\(NumberFormatting.plain(close)),\(NumberFormatting.plain(close)),\(volume)\n"
            date = date.adding(days: 1)
            if i % 20_000 == 19_999 || i == rows - 1 {
                try h.write(contentsOf: Data(out.utf8))
                out.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Imports `file` (generating it first when it does not exist) into a new database in a temporary
    /// folder and measures rows per second over the whole import (parse, validate, write, commit).
    /// `database`: import there instead (a PostgreSQL URL, say) — into a symbol of its own, which must
    /// not exist yet, so the import is all inserts as it is into a new file.
    public static func run(rows: Int, file: String?, parseOnly: Bool = false, database location: String? = nil) throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("augur-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = file ?? dir.appendingPathComponent("bench.csv").path
        if !FileManager.default.fileExists(atPath: path) { try generate(rows: rows, path: path) }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let rowsRead: Int
        if parseOnly {
            rowsRead = try BarReader(path: path).read(onBatch: { _ in }).rowsRead
        } else {
            let db = try AugurDatabase(location: location ?? dir.appendingPathComponent("bench.sqlite").path)
            // A database of the caller's gets a symbol of this run's own; the new file, the one symbol.
            let symbol = location == nil ? "BENCH" : "BENCH_\(getpid())_\(Int(Date().timeIntervalSince1970))"
            if location != nil, try db.kind(of: symbol) != nil { throw AppError.invalid("\(symbol) is already stored in \(db.location)") }
            rowsRead = try ImportUseCase.run(ImportRequest(path: path, symbol: symbol), database: db).rowsRead
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return Result(rows: rowsRead, bytes: bytes, seconds: seconds,
                      rows_per_second: Double(rowsRead) / seconds,
                      peak_rss_mb: ProcessMemory.peakRSSMegabytes() ?? 0, file: path)
    }
}

/// A small, fast, seedable generator (SplitMix64) for generated benchmark data.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
