@testable import AugurApp
import AugurCore
import AugurTestSupport
import Foundation
import Testing

/// Sharded workers on one PostgreSQL database, through the command line as a scheduler would start
/// them: concurrent shards forecast every symbol exactly once, a killed worker's shard re-runs to
/// completion with nothing doubled, and the same data gives the same forecasts as SQLite.
@Suite(.enabled(if: TestPostgres.available, Comment(rawValue: "PostgreSQL tests skipped: " + (TestPostgres.unavailableReason ?? ""))))
struct PostgresWorkerTests {
    /// `count` seeded random-walk series of 400 business days, as generic date,close CSVs.
    static func series(_ count: Int, in dir: URL) -> [String] {
        (0..<count).map { k in
            var rng = SplitMix64(seed: UInt64(k + 1))   // (seeded: the same series every run)
            var date = CivilDate(iso: "2021-01-04")!
            var price = 50.0 + Double(k)
            var text = "date,close\n"
            var written = 0
            while written < 400 {
                if !date.isWeekend {
                    price *= 1 + 0.012 * (rng.nextUnit() - 0.5)
                    text += "\(date.iso),\(String(format: "%.4f", price))\n"
                    written += 1
                }
                date = date.adding(days: 1)
            }
            return Fixtures.write(text, named: "SYM\(k).csv", in: dir)
        }
    }

    @Test func concurrentShardsAndAKilledWorkerForecastEverySymbolOnce() throws {
        let dir = Fixtures.temporaryDirectory("augur-pg-workers"); defer { Fixtures.cleanUp(dir) }
        let url = try #require(TestPostgres.server).createDatabase("workers")
        let env = ["AUGUR_DB": url]
        let files = PostgresWorkerTests.series(8, in: dir)
        let imported = try Fixtures.runAugur(["import"] + files, environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")

        // A worker killed after its first symbol: what it finished stays, the rest is left.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Fixtures.augurExecutable)
        p.arguments = ["daily", "--method", "theta", "--shard", "0/2"]
        var environment = ProcessInfo.processInfo.environment
        environment["AUGUR_DB"] = url
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        _ = out.fileHandleForReading.availableData          // the first line: one symbol done
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()

        // Both shards at once (shard 0 re-run beside shard 1), then shard 0 again: nothing left to do.
        let results = LockedList()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            do {
                let r = try Fixtures.runAugur(["daily", "--method", "theta", "--shard", "\(k)/2", "--json"], environment: env)
                results.append("\(k) \(r.status) \(r.stdout.filter { $0 == "{" }.count)")
            } catch { results.append("\(k) error \(error)") }
        }
        #expect(results.items.allSatisfy { $0.split(separator: " ")[1] == "0" }, "\(results.items)")
        let again = try Fixtures.runAugur(["daily", "--method", "theta", "--shard", "0/2"], environment: env)
        #expect(again.status == 0 && !again.stdout.isEmpty)
        #expect(again.stdout.split(separator: "\n").allSatisfy { $0.contains("up to date") }, "\(again.stdout)")

        // Every symbol forecast exactly once: one run of five horizons each.
        let stored = try Fixtures.runAugur(["forecast", "--all", "--method", "theta", "--format", "csv"], environment: env)
        #expect(stored.status == 0, "\(stored.stderr)")
        var perSymbol: [String: Int] = [:]
        for line in stored.stdout.split(separator: "\n").dropFirst() { perSymbol[String(line.split(separator: ",")[0]), default: 0] += 1 }
        #expect(perSymbol.count == 8 && perSymbol.values.allSatisfy { $0 == 5 }, "\(perSymbol)")
    }

    /// The same files and commands on SQLite and on PostgreSQL print the same forecasts.
    @Test func postgreSQLAndSQLiteGiveTheSameForecasts() throws {
        let dir = Fixtures.temporaryDirectory("augur-pg-same"); defer { Fixtures.cleanUp(dir) }
        let files = PostgresWorkerTests.series(3, in: dir)
        var outputs: [String] = []
        for db in [dir.appendingPathComponent("same.sqlite").path, try #require(TestPostgres.server).createDatabase("same")] {
            let env = ["AUGUR_DB": db]
            #expect(try Fixtures.runAugur(["import"] + files, environment: env).status == 0)
            #expect(try Fixtures.runAugur(["daily"], environment: env).status == 0)
            let f = try Fixtures.runAugur(["forecast", "--all", "--format", "csv"], environment: env)
            #expect(f.status == 0, "\(f.stderr)")
            outputs.append(f.stdout)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].split(separator: "\n").count == 1 + 3 * 5)
    }
}
