import AugurApp
import AugurCore
import AugurIngest
@testable import AugurStore
import AugurTestSupport
import Foundation
import Testing

struct Workspace {
    let dir = Fixtures.temporaryDirectory("augur-app")
    var dbPath: String { dir.appendingPathComponent("augur.sqlite").path }
    func open() throws -> AugurDatabase { try AugurDatabase(path: dbPath) }
    func cleanUp() { Fixtures.cleanUp(dir) }

    /// Writes the header and first `count` bars of a bundled CSV to a new file here; returns its path.
    func prefix(of name: String, _ count: Int) throws -> String {
        let lines = try String(contentsOfFile: Fixtures.data(name), encoding: .utf8).split(separator: "\n")
        return Fixtures.write(lines.prefix(count + 1).joined(separator: "\n") + "\n", named: "\(count)-\(name)", in: dir)
    }

    /// Every stored row of every table that imports touch, as text: equal snapshots mean nothing changed.
    func snapshot(_ db: AugurDatabase) throws -> [String] {
        try db.read { conn in
            try ["symbols", "bars", "imports"].flatMap { table in
                try SQLRow.fetchAll(conn, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map { "\(table): \($0.values)" }
            }
        }
    }
}

@Suite struct ImportUseCaseTests {
    @Test func importsEveryBundledFormat() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        let expected = ["sp500_daily.csv": ("yahoo", 5031), "sp500_daily_stooq.csv": ("stooq", 5031),
                        "sp500_daily_eu.csv": ("european", 5031), "vix_daily.csv": ("generic", 1259),
                        "airline_passengers_monthly.csv": ("generic", 144)]
        for (file, (format, rows)) in expected {
            let r = try ImportUseCase.run(ImportRequest(path: Fixtures.data(file)), database: db)
            #expect(r.format == format && r.inserted == rows && r.rejected == 0, "\(file)")
        }
        let list = try db.symbols()
        #expect(list.map(\.symbol) == ["AIRLINE_PASSENGERS_MONTHLY", "SP500_DAILY", "SP500_DAILY_EU", "SP500_DAILY_STOOQ", "VIX_DAILY"])
        #expect(try db.imports().count == 5)
    }

    @Test func importingTheSameFileAgainChangesNothing() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        let request = ImportRequest(path: Fixtures.data("vix_daily.csv"), symbol: "VIX")
        _ = try ImportUseCase.run(request, database: db)
        let bars = try db.bars(for: "VIX")
        let again = try ImportUseCase.run(request, database: db)
        #expect(again.outcome == "unchanged")
        #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 1259)
        #expect(try db.bars(for: "VIX") == bars)
    }

    @Test func aNewerFileUpsertsAndCountsBoth() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        let path = Fixtures.write("Date,Close\n2019-01-02,10\n2019-01-03,11\n2019-01-04,12\n", named: "a.csv", in: w.dir)
        _ = try ImportUseCase.run(ImportRequest(path: path, symbol: "X"), database: db)
        // One changed value, one new date, rows in reverse date order.
        let newer = Fixtures.write("Date,Close\n2019-01-07,13\n2019-01-04,12.5\n2019-01-03,11\n", named: "b.csv", in: w.dir)
        let r = try ImportUseCase.run(ImportRequest(path: newer, symbol: "X"), database: db)
        #expect(r.inserted == 1 && r.updated == 1 && r.unchanged == 1)
        #expect(try db.bars(for: "X").map(\.close) == [10, 11, 12.5, 13])
    }

    /// A bad row at the very end of a large file: the file is refused and the database is
    /// exactly as it was, including a symbol that was already there.
    @Test func aBadLastRowLeavesTheDatabaseExactlyAsItWas() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("vix_daily.csv"), symbol: "BIG"), database: db)
        let before = try w.snapshot(db)
        let big = w.dir.appendingPathComponent("big.csv").path
        try ImportBenchmark.generate(rows: 50_000, path: big)
        let handle = try #require(FileHandle(forWritingAtPath: big))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("9999-12-31,1,2,0.5,1,1,-1\n".utf8))
        try handle.close()
        do {
            _ = try ImportUseCase.run(ImportRequest(path: big, symbol: "BIG"), database: db)
            Issue.record("the bad file was accepted")
        } catch let e as IngestError {
            guard case .invalidRows(_, let total, let first) = e else { Issue.record("\(e)"); return }
            #expect(total == 1 && first.first?.location.line == 50_002 && first.first?.location.column == "Volume")
        }
        #expect(try w.snapshot(db) == before)
    }

    @Test func skipInvalidImportsTheGoodRowsAndWritesTheRejects() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        let path = Fixtures.write("Date,Close\n2019-01-02,10\n2019-01-03,-1\n2019-01-04,x\n2019-01-07,12\n", named: "s.csv", in: w.dir)
        let rejects = w.dir.appendingPathComponent("s.rejects.csv").path
        let r = try ImportUseCase.run(ImportRequest(path: path, symbol: "S", skipInvalid: true, rejectsPath: rejects), database: db)
        #expect(r.inserted == 2 && r.rejected == 2 && r.rejectsFile == rejects)
        let text = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(text == """
            line,column,value,reason,row
            3,Close,-1,non-positive price,"2019-01-03,-1"
            4,Close,x,not a number,"2019-01-04,x"

            """)
    }

    @Test func rejectsFileIsNotLeftBehindWhenEverythingIsValid() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let rejects = w.dir.appendingPathComponent("none.rejects.csv").path
        _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("vix_daily.csv"), skipInvalid: true, rejectsPath: rejects),
                                  database: try w.open())
        #expect(!FileManager.default.fileExists(atPath: rejects))
    }

    @Test func symbolDefaultsToTheFileStem() {
        #expect(ImportRequest(path: "/x/y/sp500_daily.csv").resolvedSymbol == "SP500_DAILY")
        #expect(ImportRequest(path: "spx.csv", symbol: "SPX").resolvedSymbol == "SPX")
    }

    @Test func databaseLocationPrecedence() {
        #expect(DatabaseLocation.resolve("a.sqlite", environment: ["AUGUR_DB": "b.sqlite"]) == "a.sqlite")
        #expect(DatabaseLocation.resolve(nil, environment: ["AUGUR_DB": "b.sqlite"]) == "b.sqlite")
        #expect(DatabaseLocation.resolve(nil, environment: [:]) == "data/augur.sqlite")
    }

    @Test func exportRoundTripsThroughTheStore() throws {
        let w = Workspace(); defer { w.cleanUp() }
        let db = try w.open()
        _ = try ImportUseCase.run(ImportRequest(path: Fixtures.data("sp500_daily.csv"), symbol: "SPX"), database: db)
        var lines: [String] = []
        try QueryUseCases.export(symbol: "SPX", format: .yahoo, database: db) { lines.append($0) }
        let path = Fixtures.write(lines.joined(separator: "\n") + "\n", named: "spx.csv", in: w.dir)
        let r = try ImportUseCase.run(ImportRequest(path: path, symbol: "SPX2"), database: db)
        #expect(r.inserted == 5031)
        #expect(try db.bars(for: "SPX2") == db.bars(for: "SPX"))
    }
}
