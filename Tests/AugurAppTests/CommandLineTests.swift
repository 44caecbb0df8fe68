import AugurTestSupport
import Foundation
import Testing

/// The `augur` executable end to end: exit statuses, output, and two processes at once.
@Suite(.serialized) struct CommandLineTests {
    @Test func importListShowExport() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        let imp = try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv"), Fixtures.data("airline_passengers_monthly.csv")],
                                        environment: env)
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("VIX_DAILY") && imp.stdout.contains("1259 inserted"))
        let again = try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv")], environment: env)
        #expect(again.status == 0 && again.stdout.contains("unchanged"))
        let list = try Fixtures.runAugur(["list", "--json"], environment: env)
        let decoded = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.count == 2)
        #expect(decoded?.first?["symbol"] as? String == "AIRLINE_PASSENGERS_MONTHLY")
        #expect(decoded?.first?["rows"] as? Int == 144)
        let show = try Fixtures.runAugur(["show", "vix_daily", "--last", "2"], environment: env)
        #expect(show.status == 0)
        #expect(show.stdout.split(separator: "\n").count == 3)
        #expect(show.stdout.contains("2019-01-03"))
        let export = try Fixtures.runAugur(["export", "AIRLINE_PASSENGERS_MONTHLY", "--format", "stooq"], environment: env)
        #expect(export.stdout.hasPrefix("Date,Open,High,Low,Close,Volume\n1949-01-01,,,,112,\n"))
    }

    @Test func badInputExitsOneAndSaysWhere() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        let bad = Fixtures.write("Date,Close\n2019-01-02,1\n2019-01-03,oops\n", named: "bad.csv", in: dir)
        let r = try Fixtures.runAugur(["import", bad], environment: env)
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.csv:3, column Close: not a number (got \"oops\")"))
        let list = try Fixtures.runAugur(["list", "--json"], environment: env)
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        let unknown = try Fixtures.runAugur(["show", "NOPE"], environment: env)
        #expect(unknown.status == 1 && unknown.stderr.contains("no symbol \"NOPE\""))
        let usage = try Fixtures.runAugur(["show", "X", "--last", "-1"], environment: env)
        #expect(usage.status != 0 && usage.status != 2)
        let missing = try Fixtures.runAugur(["import", dir.appendingPathComponent("nope.csv").path], environment: env)
        #expect(missing.status == 1 && missing.stderr.contains("nope.csv: cannot open"))
    }

    @Test func jsonImportReportsResultsAndFailures() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        let bad = Fixtures.write("Date,Close\n2019-01-02,0\n", named: "zero.csv", in: dir)
        let r = try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv"), bad, "--json"], environment: env)
        #expect(r.status == 1)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let results = obj?["results"] as? [[String: Any]]
        let failures = obj?["failures"] as? [[String: Any]]
        #expect(results?.first?["inserted"] as? Int == 1259)
        #expect((failures?.first?["error"] as? String)?.contains("non-positive price") == true)
    }

    /// Two processes import different files into one database at the same time: the busy timeout
    /// makes the second wait for the first's transaction, and both land.
    @Test func twoProcessesImportingAtOnceBothSucceed() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let db = dir.appendingPathComponent("db.sqlite").path
        _ = try Fixtures.runAugur(["list"], environment: ["AUGUR_DB": db])   // create and migrate once
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let file = i == 0 ? "sp500_daily.csv" : "sp500_daily_stooq.csv"
            let r = try? Fixtures.runAugur(["import", Fixtures.data(file), "--db", db])
            results.set(i, r)
        }
        for i in 0..<2 { #expect(results.get(i)?.status == 0, "\(results.get(i)?.stderr ?? "no result")") }
        let list = try Fixtures.runAugur(["list"], environment: ["AUGUR_DB": db])
        #expect(list.stdout.contains("SP500_DAILY ") && list.stdout.contains("SP500_DAILY_STOOQ"))
    }

    /// A generated 1,000,000-row file imports with peak memory under 64 MB (the process's VmHWM).
    @Test func aMillionRowsImportInBoundedMemory() throws {
        let r = try Fixtures.runAugur(["bench", "import", "--rows", "1000000", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(obj?["rows"] as? Int == 1_000_000)
        let peak = try #require(obj?["peak_rss_mb"] as? Double)
        #expect(peak > 0 && peak < 64, "peak \(peak) MB")
    }
}

final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: Fixtures.RunResult] = [:]
    func set(_ i: Int, _ r: Fixtures.RunResult?) { lock.lock(); values[i] = r; lock.unlock() }
    func get(_ i: Int) -> Fixtures.RunResult? { lock.lock(); defer { lock.unlock() }; return values[i] }
}
