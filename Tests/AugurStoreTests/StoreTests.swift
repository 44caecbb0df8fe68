import AugurCore
@testable import AugurStore
import AugurTestSupport
import Foundation
import GRDB
import Testing

/// The backends the store's tests run against: SQLite always, PostgreSQL when a throwaway server
/// could be started (TestPostgres; `postgreSQLTestsRan` shows as skipped, with the reason, when not).
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    static var testable: [Backend] { TestPostgres.available ? [.sqlite, .postgres] : [.sqlite] }
    var description: String { rawValue }
}

/// Every test gets a fresh database: an SQLite file in its own temporary folder, or a new database
/// on the test PostgreSQL server.
struct TemporaryDatabase {
    let dir = Fixtures.temporaryDirectory("augur-store")
    let db: AugurDatabase
    init(_ backend: Backend = .sqlite) throws {
        switch backend {
        case .sqlite: db = try AugurDatabase(path: dir.appendingPathComponent("sub/augur.sqlite").path)
        case .postgres: db = try AugurDatabase(location: try #require(TestPostgres.server).createDatabase("store"))
        }
    }
    func cleanUp() { Fixtures.cleanUp(dir) }
}

func bar(_ iso: String, _ close: Double, volume: Double? = nil) -> Bar {
    Bar(date: CivilDate(iso: iso)!, open: close, high: close + 1, low: close - 1, close: close, volume: volume)
}

func record(_ symbol: String, _ counts: UpsertCounts) -> ImportRecord {
    ImportRecord(symbol: symbol, file: "test.csv", sha256: "", format: "generic", rowsRead: 0, counts: counts,
                 rowsRejected: 0, rowsSkipped: 0, started: "", finished: "")
}

func write(_ db: AugurDatabase, _ symbol: String, _ bars: [Bar], kind: SeriesKind = .price) throws -> UpsertCounts {
    try db.importBars(symbol: symbol) { w in
        try w.write(bars)
        let counts = try w.counts()
        return (record(w.symbol, counts), kind, counts)
    }
}

@Suite struct StoreTests {
    @Test func schemaIsMigratedWithWALAndForeignKeys() throws {
        let t = try TemporaryDatabase(); defer { t.cleanUp() }
        let (tables, journal, fk) = try t.db.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
             try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(Set(["symbols", "bars", "imports"]).isSubset(of: Set(tables)))
        #expect(journal == "wal")
        #expect(fk == 1)
    }

    @Test(arguments: Backend.testable) func upsertCountsInsertsUpdatesAndUnchanged(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        // 130 rows: more than two multi-row statements (64 each) plus single-row leftovers.
        let start = CivilDate(iso: "2019-01-01")!
        let first = (0..<130).map { Bar(date: start.adding(days: $0), close: Double(100 + $0)) }
        #expect(try write(t.db, "AAA", first) == UpsertCounts(inserted: 130, updated: 0, unchanged: 0))
        #expect(try write(t.db, "AAA", first) == UpsertCounts(inserted: 0, updated: 0, unchanged: 130))
        var second = first
        second[5].close = 1
        second[100].volume = 7
        second.append(Bar(date: start.adding(days: 500), close: 9))
        #expect(try write(t.db, "AAA", second) == UpsertCounts(inserted: 1, updated: 2, unchanged: 128))
        let back = try t.db.bars(for: "AAA")
        #expect(back.count == 131)
        #expect(back[5].close == 1 && back[100].volume == 7 && back.last?.close == 9)
    }

    @Test(arguments: Backend.testable) func seriesComesBackInDateOrderWithinARange(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        _ = try write(t.db, "BBB", [bar("2019-01-03", 3), bar("2019-01-01", 1), bar("2019-01-02", 2), bar("2019-01-07", 7)])
        let all = try t.db.series(for: "BBB")
        #expect(all.dates.map(\.iso) == ["2019-01-01", "2019-01-02", "2019-01-03", "2019-01-07"])
        #expect(all.prices == [1, 2, 3, 7])
        let part = try t.db.bars(for: "BBB", from: CivilDate(iso: "2019-01-02"), to: CivilDate(iso: "2019-01-03"))
        #expect(part.map(\.close) == [2, 3])
    }

    @Test(arguments: Backend.testable) func missingColumnsStayNull(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        _ = try write(t.db, "VIX", [Bar(date: CivilDate(iso: "2019-01-02")!, close: 23.22)])
        let nulls = try t.db.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bars WHERE open IS NULL AND high IS NULL AND low IS NULL AND adj_close IS NULL AND volume IS NULL")
        }
        #expect(nulls == 1)
    }

    @Test(arguments: Backend.testable) func symbolsMatchWithoutRegardToCase(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        _ = try write(t.db, "SP500", [bar("2019-01-02", 1)])
        #expect(try t.db.bars(for: "sp500").count == 1)
        #expect(try write(t.db, "sp500", [bar("2019-01-02", 1)]) == UpsertCounts(inserted: 0, updated: 0, unchanged: 1))
        let list = try t.db.symbols()
        #expect(list == [SymbolSummary(symbol: "SP500", first: CivilDate(iso: "2019-01-02"), last: CivilDate(iso: "2019-01-02"), rows: 1)])
    }

    @Test(arguments: Backend.testable) func unknownSymbolIsATypedError(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        #expect(throws: StoreError.self) { try t.db.bars(for: "NOPE") }
        _ = try write(t.db, "SP500_DAILY", [bar("2019-01-02", 1)])
        _ = try write(t.db, "VIX_DAILY", [bar("2019-01-02", 1)])
        #expect(throws: StoreError.unknownSymbol("sp500_dialy", suggestion: "SP500_DAILY")) { try t.db.bars(for: "sp500_dialy") }
        #expect(throws: StoreError.unknownSymbol("AAPL", suggestion: nil)) { try t.db.bars(for: "AAPL") }
    }

    @Test(arguments: Backend.testable) func aSymbolKeepsTheKindItWasFirstImportedAs(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        _ = try write(t.db, "SPREAD", [bar("2019-01-02", -0.5), bar("2019-01-03", 0)], kind: .value)
        _ = try write(t.db, "SPX", [bar("2019-01-02", 2500)])
        #expect(try t.db.kind(of: "spread") == .value)
        #expect(try t.db.kind(of: "SPX") == .price)
        #expect(try t.db.kind(of: "NONE") == nil)
        #expect(try t.db.symbols().map(\.kind) == [.value, .price])
        #expect(try t.db.symbolNamesWithBars() == ["SPREAD", "SPX"])
        let series = try t.db.series(for: "SPREAD")
        #expect(series.kind == .value && series.prices == [-0.5, 0])
        // A file read as the other kind is refused whole: the stored bars and kind stay as they were.
        #expect(throws: StoreError.kindMismatch(symbol: "SPREAD", stored: .value, imported: .price)) {
            try write(t.db, "SPREAD", [bar("2019-01-04", 1)], kind: .price)
        }
        #expect(try t.db.bars(for: "SPREAD").count == 2)
        #expect(try t.db.kind(of: "SPREAD") == .value)
        #expect(try t.db.imports(symbol: "SPREAD").count == 1)
    }

    @Test(arguments: Backend.testable) func aThrowingTransactionLeavesNothingBehind(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try t.db.importBars(symbol: "CCC") { w -> (record: ImportRecord, kind: SeriesKind, result: Int) in
                try w.write([bar("2019-01-02", 1)])
                throw Boom()
            }
        }
        #expect(try t.db.symbols().isEmpty)
        #expect(try t.db.imports().isEmpty)
    }

    @Test(arguments: Backend.testable) func statesAreLookedUpBySymbolThroughAnIndex(_ backend: Backend) throws {
        // latestModel(for:) runs once per symbol in reports and the daily job: a scan of all states
        // there made those jobs quadratic in the number of symbols.
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        let details = try t.db.read { db in
            switch db.dialect {
            case .sqlite:
                return try SQLRow.fetchAll(db, sql: """
                    EXPLAIN QUERY PLAN SELECT m.* FROM models m JOIN model_states s ON s.model_id = m.id
                    WHERE s.symbol = ? ORDER BY m.id DESC LIMIT 1
                    """, arguments: ["AAA"]).map { try $0["detail"] as String }
            case .postgres:
                // (An empty table is scanned whatever its indexes: the index itself is checked.)
                return try String.fetchAll(db, sql: "SELECT indexname::text FROM pg_indexes WHERE tablename = 'model_states'")
            }
        }
        #expect(details.contains { $0.contains("model_states_by_symbol") }, "\(details)")
    }

    @Test(arguments: Backend.testable) func reopeningKeepsDataAndSchemaVersion(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        _ = try write(t.db, "DDD", [bar("2019-01-02", 1)])
        let again = try AugurDatabase(location: t.db.path)
        #expect(try again.bars(for: "DDD").count == 1)
    }

    @Test(arguments: Backend.testable) func newestModelOfTheOtherModeIsFoundBySymbol(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        func save(_ symbols: [String], _ kind: ModelKind, _ mode: TrainingMode?) throws -> Int64 {
            try t.db.saveModel(StoredModel(symbols: symbols, kind: kind, mode: mode, configuration: "{}", features: "returns",
                                           scalers: "{}", weights: [], dataFirst: CivilDate(iso: "2020-01-01")!,
                                           dataLast: CivilDate(iso: "2020-12-31")!, created: "2020-12-31T00:00:00Z",
                                           bestEpoch: 1, bestValidationLoss: 1, randomWalkLoss: 1, trainSeconds: 0,
                                           streams: 1, notes: ""), epochs: [], states: [])
        }
        let oldStateless = try save(["AAA"], .lstm, .stateless)
        let stateful = try save(["AAA", "BBB"], .lstm, .stateful)
        let newStateless = try save(["AAA"], .lstm, .stateless)
        _ = try save(["AAA"], .gru, .stateful)                 // another cell
        _ = try save(["BBB"], .lstm, .stateless)               // another symbol, newest of all
        let seq2seq = try save(["AAA"], .seq2seq, nil)
        #expect(try t.db.newestModel(trainedOn: "aaa", kind: .lstm, modeOtherThan: .stateful)?.id == newStateless)
        #expect(try t.db.newestModel(trainedOn: "AAA", kind: .lstm, modeOtherThan: .stateless)?.id == stateful)
        #expect(try t.db.newestModel(trainedOn: "AAA", kind: .gru, modeOtherThan: .stateful) == nil)
        #expect(try t.db.newestModel(trainedOn: "CCC", kind: .lstm, modeOtherThan: .stateful) == nil)
        #expect(oldStateless < newStateless)
        // Kind and mode come back typed; the encoder-decoder has no mode.
        let back = try #require(try t.db.model(id: seq2seq))
        #expect(back.kind == .seq2seq && back.mode == nil)
        #expect(try t.db.model(id: stateful)?.mode == .stateful)
    }

    /// A stored date, kind or JSON that does not decode is a typed error naming the table and column,
    /// never a silent 1970-01-01 or an empty list.
    @Test(arguments: Backend.testable) func unreadableStoredValuesAreCorruptRows(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        _ = try write(t.db, "EEE", [bar("2019-01-02", 1)])
        _ = try t.db.saveModel(StoredModel(symbols: ["EEE"], kind: .lstm, mode: .stateful, configuration: "{}",
                                           features: "returns", scalers: "{}", weights: [],
                                           dataFirst: CivilDate(iso: "2020-01-01")!, dataLast: CivilDate(iso: "2020-12-31")!,
                                           created: "", bestEpoch: 1, bestValidationLoss: 1, randomWalkLoss: 1,
                                           trainSeconds: 0, streams: 1, notes: ""), epochs: [], states: [])
        func damage(_ sql: String) throws { try t.db.inTransaction { try $0.execute(sql: sql) } }
        try damage("UPDATE models SET data_last = 'not a date'")
        #expect(throws: StoreError.corruptRow(table: "models", column: "data_last")) { try t.db.models() }
        try damage("UPDATE models SET data_last = '2020-12-31', cell = 'lstn'")
        #expect(throws: StoreError.corruptRow(table: "models", column: "cell")) { try t.db.models() }
        try damage("UPDATE models SET cell = 'lstm', symbols = '[broken'")
        #expect(throws: StoreError.corruptRow(table: "models", column: "symbols")) { try t.db.models() }
        try damage("UPDATE bars SET date = '2019-13-45'")
        #expect(throws: StoreError.corruptRow(table: "bars", column: "date")) { try t.db.bars(for: "EEE") }
        #expect(Blame.of(StoreError.corruptRow(table: "bars", column: "date")) == .internal)
        #expect(Blame.of(StoreError.unknownSymbol("X", suggestion: nil)) == .user)
    }
}

/// Opening: another program's database is refused untouched, a damaged file is named as damaged,
/// two openers of a fresh file do not race on its schema.
@Suite struct OpeningTests {
    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func aForeignDatabaseIsRefusedAndLeftByteIdentical() throws {
        let dir = Fixtures.temporaryDirectory("augur-foreign"); defer { Fixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("other.db").path
        do {
            let q = try DatabaseQueue(path: path)
            try q.write { try $0.execute(sql: "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)") }
            try q.close()
        }
        let before = try #require(bytes(path))
        #expect(throws: StoreError.foreignDatabase(path: path, tables: ["invoices"])) { try AugurDatabase(path: path) }
        #expect(bytes(path) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(Blame.of(StoreError.foreignDatabase(path: path, tables: [])) == .user)

        let text = dir.appendingPathComponent("notes.sqlite").path
        _ = FileManager.default.createFile(atPath: text, contents: Data("not a database at all\n".utf8))
        #expect(throws: StoreError.self) { try AugurDatabase(path: text) }
        #expect(bytes(text) == Data("not a database at all\n".utf8))
    }

    @Test func aDamagedFileSaysSoWithQuickCheck() throws {
        let dir = Fixtures.temporaryDirectory("augur-damaged"); defer { Fixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("augur.sqlite").path
        do {
            let db = try AugurDatabase(path: path)
            let start = CivilDate(iso: "2000-01-03")!
            _ = try write(db, "BIG", (0..<20_000).map { Bar(date: start.adding(days: $0), close: Double(100 + $0 % 50)) })
        }   // the last connection closes: the WAL is checkpointed into the file
        var data = try #require(bytes(path))
        let from = data.count * 2 / 5, to = data.count * 3 / 5
        data.replaceSubrange(from..<to, with: Data(repeating: 0xA5, count: to - from))
        try data.write(to: URL(fileURLWithPath: path))
        let db = try AugurDatabase(path: path)
        do {
            _ = try db.bars(for: "BIG")
            Issue.record("reading a damaged table succeeded")
        } catch let e as StoreError {
            guard case .damaged(let p, let check) = e else { Issue.record("\(e)"); return }
            #expect(p == path && !check.isEmpty && check != ["ok"])
            #expect(e.blame == .internal && "\(e)".contains("is damaged"))
        }
    }

    /// Twenty rounds of two threads opening the same new file at once: both succeed, one schema.
    @Test func twoOpenersOfAFreshFileDoNotRace() throws {
        let dir = Fixtures.temporaryDirectory("augur-race"); defer { Fixtures.cleanUp(dir) }
        for round in 0..<20 {
            let path = dir.appendingPathComponent("fresh-\(round).sqlite").path
            let failures = LockedList()
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                do {
                    let db = try AugurDatabase(path: path)
                    _ = try write(db, "S\(i)", [bar("2019-01-02", 1)])
                } catch { failures.append("\(error)") }
            }
            #expect(failures.items.isEmpty, "round \(round): \(failures.items)")
            #expect(try AugurDatabase(path: path).symbols().count == 2)
        }
    }
}

@Suite struct SelectionStoreTests {
    /// A selection round-trips; the newest is the one in force; symbols match without regard to case.
    @Test(arguments: Backend.testable) func selectionsRoundTripAndTheNewestIsInForce(_ backend: Backend) throws {
        let t = try TemporaryDatabase(backend); defer { t.cleanUp() }
        #expect(try t.db.latestSelection(symbol: "AIR") == nil)
        let first = StoredSelection(symbol: "AIR", asOf: CivilDate(iso: "1960-01-01")!, bars: 133, horizon: 12,
                                    summary: "h 1–12: autoarima", evidence: "{\"a\":1}", created: "2026-01-01T00:00:00Z")
        let id1 = try t.db.saveSelection(first)
        var second = first
        second.asOf = CivilDate(iso: "1960-12-01")!; second.bars = 144; second.summary = "h 1–12: snaive (no skill shown)"
        let id2 = try t.db.saveSelection(second)
        #expect(id2 > id1)
        var expected = second
        expected.id = id2
        #expect(try t.db.latestSelection(symbol: "air") == expected)
    }
}
