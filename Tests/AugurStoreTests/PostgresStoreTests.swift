import AugurCore
@testable import AugurStore
import AugurTestSupport
import Foundation
import Testing

/// What only PostgreSQL has: its URL, its migrations under concurrent openers, COPY imports, another
/// program's tables, advisory locks held by another worker. (The store's other tests run on both
/// backends: see `Backend.testable`.) Skipped, with the reason, when no test server could start.
@Suite(.enabled(if: TestPostgres.available, Comment(rawValue: "PostgreSQL tests skipped: " + (TestPostgres.unavailableReason ?? ""))))
struct PostgresStoreTests {
    var server: TestPostgres { TestPostgres.server! }

    @Test func everyMigrationIsRecordedOnceAndMatchesSQLitesSteps() throws {
        let url = try server.createDatabase("migrations")
        let db = try AugurDatabase(location: url)
        let applied = try db.read { try String.fetchAll($0, sql: "SELECT identifier FROM augur_migrations ORDER BY identifier") }
        #expect(applied.sorted() == AugurDatabase.migrator.migrations.sorted())
        _ = try AugurDatabase(location: url)       // reopening applies nothing twice
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM augur_migrations") } == applied.count)
        guard case .postgres(let parsed) = db.location else { Issue.record("not a PostgreSQL location"); return }
        #expect(parsed.host == "127.0.0.1" && parsed.port == server.port && parsed.tls == .disable)
    }

    /// Eight workers opening a fresh database at once: one migrates, the others wait for it and find
    /// the schema there.
    @Test func concurrentOpenersOfAFreshDatabaseMigrateOnce() throws {
        let url = try server.createDatabase("race")
        let failures = LockedList()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            do {
                let db = try AugurDatabase(location: url)
                _ = try write(db, "S\(i)", [bar("2019-01-02", Double(i + 1))])
            } catch { failures.append("\(error)") }
        }
        #expect(failures.items.isEmpty, "\(failures.items)")
        #expect(try AugurDatabase(location: url).symbols().count == 8)
    }

    /// A long series goes through COPY in more than one batch; every value comes back bit for bit, and a
    /// date given twice in one import keeps its last row, as SQLite's upsert does.
    @Test func aLongImportGoesThroughCopyExactly() throws {
        let db = try AugurDatabase(location: try server.createDatabase("copy"))
        let start = CivilDate(iso: "1900-01-01")!
        let n = PostgresBarSink.rowsPerCopy + 1_234
        var bars: [Bar] = []
        for i in 0..<n {
            let x = Double(i)
            let open: Double? = i % 7 == 0 ? nil : 1 / (x + 3)
            let volume: Double? = i % 5 == 0 ? nil : 1e15 + x
            let close: Double = 100 + sin(x) * 1e-3
            bars.append(Bar(date: start.adding(days: i), open: open, high: x * 1.000_000_1, low: 0.1 + x * 1e-9, close: close,
                            adjClose: 1e-300 * (x + 1), volume: volume))
        }
        #expect(try write(db, "LONG", bars) == UpsertCounts(inserted: n, updated: 0, unchanged: 0))
        let back = try db.bars(for: "long")
        #expect(back == bars)
        bars[10].close = 42
        bars.append(Bar(date: start.adding(days: 3), close: 7))       // the same date again: this row wins
        let counts = try write(db, "LONG", bars)
        #expect(counts.inserted == 0 && counts.updated == 2)
        let again = try db.bars(for: "LONG")
        #expect(again[10].close == 42 && again[3].close == 7 && again.count == n)
        // A new symbol's rows go straight into the table; a date given twice there falls back to the merge.
        #expect(try write(db, "DUP", [bar("2019-01-02", 1), bar("2019-01-03", 2), bar("2019-01-02", 3)]).inserted == 2)
        #expect(try db.bars(for: "DUP").map(\.close) == [3, 2])
    }

    /// Tables of another program under Augur's names: refused, and left as they were.
    @Test func anotherProgramsTablesAreRefusedUntouched() throws {
        let url = try server.createDatabase("foreign")
        let name = String(url.split(separator: "/").last!.split(separator: "?").first!)
        try server.psql(name, "CREATE TABLE symbols (ticker TEXT); INSERT INTO symbols VALUES ('X')")
        do {
            _ = try AugurDatabase(location: url)
            Issue.record("opened another program's database")
        } catch let e as StoreError {
            guard case .foreignDatabase(_, let tables) = e else { Issue.record("\(e)"); return }
            #expect(tables == ["symbols"] && e.blame == .user)
        }
        try server.psql(name, "DO $$ BEGIN IF (SELECT COUNT(*) FROM symbols) <> 1 OR to_regclass('augur_migrations') IS NOT NULL "
                        + "THEN RAISE EXCEPTION 'changed'; END IF; END $$")
    }

    /// A symbol locked by one worker cannot be taken by another (its own connections) until released;
    /// locks of other symbols are free; a waiting worker gets the lock when the holder lets go.
    @Test func aSymbolLockExcludesAnotherWorker() throws {
        let url = try server.createDatabase("locks")
        let a = try AugurDatabase(location: url), b = try AugurDatabase(location: url)
        let held = try #require(try a.lockSymbol("AAA"))
        #expect(try b.lockSymbol("aaa", wait: false) == nil)
        let other = try #require(try b.lockSymbol("BBB", wait: false))
        other.release()
        let started = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { held.release() }
        let waited = try #require(try b.lockSymbol("AAA"))
        #expect(Date().timeIntervalSince(started) >= 0.25)
        waited.release()
        #expect(try a.lockSymbol("AAA", wait: false) != nil)
    }

    /// Bad URLs and an unreachable server are the user's errors that name the place, never its password.
    @Test func badURLsAndUnreachableServersSaySo() throws {
        for text in ["postgresql://127.0.0.1/db", "postgresql://u@/db", "postgresql://u@h:5432/", "postgresql://u@h/db?sslmode=maybe",
                     "postgresql://u@h/db?foo=1"] {
            #expect(throws: StoreError.self, "\(text)") { try AugurDatabase(location: text) }
        }
        let port = try TestPostgres.freePort()
        do {
            _ = try AugurDatabase(location: "postgresql://someone:s3cret@127.0.0.1:\(port)/nothing?sslmode=disable")
            Issue.record("connected to a closed port")
        } catch let e as StoreError {
            #expect(e.blame == .user)
            #expect("\(e)".contains("127.0.0.1:\(port)/nothing") && !"\(e)".contains("s3cret"), "\(e)")
        }
    }
}

/// SQLite's symbol locks: the same exclusion between two openers of one file, as between two processes.
@Suite struct SQLiteSymbolLockTests {
    @Test func aSymbolLockExcludesAnotherOpener() throws {
        let t = try TemporaryDatabase(); defer { t.cleanUp() }
        let other = try AugurDatabase(path: t.db.path)
        let held = try #require(try t.db.lockSymbol("AAA"))
        #expect(try other.lockSymbol("AAA", wait: false) == nil)
        #expect(try other.lockSymbol("BBB", wait: false) != nil)
        held.release()
        #expect(try other.lockSymbol("aaa", wait: false) != nil)
    }
}
