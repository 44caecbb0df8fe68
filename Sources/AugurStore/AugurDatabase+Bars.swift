import AugurCore
import Foundation
import GRDB
import GRDBSQLite

/// One symbol's row in `augur list`.
public struct SymbolSummary: Sendable, Equatable, Codable {
    public var symbol: String
    public var kind: SeriesKind
    /// The exchange whose holidays its forecast dates skip; nil: weekends only.
    public var calendar: ExchangeCalendar?
    public var first: CivilDate?
    public var last: CivilDate?
    public var rows: Int

    public init(symbol: String, kind: SeriesKind = .price, calendar: ExchangeCalendar? = nil, first: CivilDate?,
                last: CivilDate?, rows: Int) {
        self.symbol = symbol
        self.kind = kind
        self.calendar = calendar
        self.first = first
        self.last = last
        self.rows = rows
    }
}

/// How an import changed the bars table.
public struct UpsertCounts: Sendable, Equatable, Codable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// Writes bars for one symbol inside an open transaction through prepared statements on GRDB's
/// own connection (bind, step, reset), `rowsPerStatement` rows per multi-row INSERT so that
/// SQLite's per-statement cost (cursor open/close, halt, allocations) is paid once per chunk.
/// An upsert whose values are all unchanged writes nothing, so `sqlite3_changes` tells
/// changed rows from unchanged ones; rows counted before and after tell inserts from updates.
public final class BarWriter {
    static let rowsPerStatement = 64
    /// The symbol's name as first stored (names match without regard to case).
    public let symbol: String
    private let db: Database
    private let symbolID: Int64
    private var chunkStatement: OpaquePointer?
    private var singleStatement: OpaquePointer?
    private let rowsBefore: Int
    private var changed = 0
    private var written = 0
    /// ISO date text for the rows of one chunk, bound with SQLITE_STATIC: it must outlive the step.
    private let dateText: UnsafeMutableRawBufferPointer

    init(db: Database, symbolID: Int64, symbol: String) throws {
        self.db = db
        self.symbol = symbol
        self.symbolID = symbolID
        rowsBefore = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bars WHERE symbol_id = ?", arguments: [symbolID]) ?? 0
        dateText = .allocate(byteCount: 10 * BarWriter.rowsPerStatement, alignment: 8)
        chunkStatement = try prepare(rows: BarWriter.rowsPerStatement)
        singleStatement = try prepare(rows: 1)
    }

    deinit {
        sqlite3_finalize(chunkStatement)
        sqlite3_finalize(singleStatement)
        dateText.deallocate()
    }

    private func prepare(rows: Int) throws -> OpaquePointer? {
        let values = (0..<rows).map { r in
            "(?\(r * 8 + 1), ?\(r * 8 + 2), ?\(r * 8 + 3), ?\(r * 8 + 4), ?\(r * 8 + 5), ?\(r * 8 + 6), ?\(r * 8 + 7), ?\(r * 8 + 8))"
        }.joined(separator: ", ")
        let sql = """
            INSERT INTO bars (symbol_id, date, open, high, low, close, adj_close, volume)
            VALUES \(values)
            ON CONFLICT (symbol_id, date) DO UPDATE SET
                open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                adj_close = excluded.adj_close, volume = excluded.volume
            WHERE open IS NOT excluded.open OR high IS NOT excluded.high OR low IS NOT excluded.low
               OR close IS NOT excluded.close OR adj_close IS NOT excluded.adj_close
               OR volume IS NOT excluded.volume
            """
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(db.sqliteConnection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK else { throw StoreError.sqlite(operation: "preparing the bar insert", message: lastMessage) }
        for r in 0..<rows { sqlite3_bind_int64(statement, Int32(r * 8 + 1), symbolID) }
        return statement
    }

    private var lastMessage: String { String(cString: sqlite3_errmsg(db.sqliteConnection)) }

    public func write(_ bars: [Bar]) throws {
        let chunk = BarWriter.rowsPerStatement
        var i = 0
        try bars.withUnsafeBufferPointer { all in
            while i + chunk <= all.count {
                try step(chunkStatement, all[i..<(i + chunk)])
                i += chunk
            }
            while i < all.count {
                try step(singleStatement, all[i..<(i + 1)])
                i += 1
            }
        }
    }

    private func step(_ statement: OpaquePointer?, _ rows: Slice<UnsafeBufferPointer<Bar>>) throws {
        for (r, bar) in rows.enumerated() {
            let base = Int32(r * 8)
            let text = UnsafeMutableRawBufferPointer(rebasing: dateText[(r * 10)..<(r * 10 + 10)])
            bar.date.writeISO(into: text)
            sqlite3_bind_text(statement, base + 2, text.baseAddress!.assumingMemoryBound(to: CChar.self), 10, nil)
            bind(statement, base + 3, bar.open); bind(statement, base + 4, bar.high); bind(statement, base + 5, bar.low)
            sqlite3_bind_double(statement, base + 6, bar.close)
            bind(statement, base + 7, bar.adjClose); bind(statement, base + 8, bar.volume)
        }
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_DONE else {
            let message = lastMessage
            sqlite3_reset(statement)
            let first = rows.first.map { "\($0.date)" } ?? "?"
            throw StoreError.sqlite(operation: "writing bars from \(first)", message: message)
        }
        changed += Int(sqlite3_changes(db.sqliteConnection))
        sqlite3_reset(statement)
        written += rows.count
    }

    @inline(__always) private func bind(_ statement: OpaquePointer?, _ i: Int32, _ v: Double?) {
        if let v { sqlite3_bind_double(statement, i, v) } else { sqlite3_bind_null(statement, i) }
    }

    /// Inserted, updated and unchanged rows so far.
    public func counts() throws -> UpsertCounts {
        let after = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bars WHERE symbol_id = ?", arguments: [symbolID]) ?? 0
        let inserted = after - rowsBefore
        return UpsertCounts(inserted: inserted, updated: changed - inserted, unchanged: written - changed)
    }
}

extension CivilDate {
    /// Writes `YYYY-MM-DD` into the first 10 bytes of `buf`, with no allocation.
    func writeISO(into buf: UnsafeMutableRawBufferPointer) {
        let (y, m, d) = components
        buf[0] = UInt8(48 + y / 1000 % 10); buf[1] = UInt8(48 + y / 100 % 10)
        buf[2] = UInt8(48 + y / 10 % 10); buf[3] = UInt8(48 + y % 10); buf[4] = 0x2D
        buf[5] = UInt8(48 + m / 10); buf[6] = UInt8(48 + m % 10); buf[7] = 0x2D
        buf[8] = UInt8(48 + d / 10); buf[9] = UInt8(48 + d % 10)
    }
}

extension AugurDatabase {
    /// The id of `name`, creating the symbol if it is new (inside the caller's transaction).
    static func symbolID(_ db: Database, name: String, create: Bool) throws -> Int64? {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM symbols WHERE name = ?", arguments: [name]) { return id }
        guard create else { return nil }
        try db.execute(sql: "INSERT INTO symbols (name) VALUES (?)", arguments: [name])
        return db.lastInsertedRowID
    }

    /// The id of a stored symbol; throws `unknownSymbol`, with the closest stored name as a
    /// suggestion, when there is none.
    static func existingSymbolID(_ db: Database, name: String) throws -> Int64 {
        if let id = try symbolID(db, name: name, create: false) { return id }
        let names = try String.fetchAll(db, sql: "SELECT name FROM symbols")
        throw StoreError.unknownSymbol(name, suggestion: SymbolSuggestion.closest(to: name, among: names))
    }

    /// A stored calendar column: nil for weekends only; text that is no calendar is a damaged row.
    static func calendar(column text: String?) throws -> ExchangeCalendar? {
        guard let text else { return nil }
        guard let calendar = ExchangeCalendar(rawValue: text) else { throw StoreError.corruptRow(table: "symbols", column: "calendar") }
        return calendar
    }

    static func canonicalName(_ db: Database, _ name: String) throws -> String {
        try String.fetchOne(db, sql: "SELECT name FROM symbols WHERE name = ?", arguments: [name]) ?? name
    }

    /// The symbol's name as first stored (names match without regard to case); `name` itself when
    /// there is no such symbol yet.
    public func canonicalName(_ name: String) throws -> String {
        try read { db in try AugurDatabase.canonicalName(db, name) }
    }

    /// Imports one file's bars for `symbol` in one IMMEDIATE transaction: `body` writes the bars
    /// through the writer and returns the import's record, the kind its rows were validated as and
    /// its own result. The bars and the record land together when `body` returns, and nothing does
    /// when it throws. A new symbol takes that kind; a stored symbol of another kind refuses the
    /// import (`StoreError.kindMismatch`), so a price series never holds values it would refuse.
    /// `calendar`, when given, is stored with the symbol in the same transaction.
    public func importBars<T>(symbol: String, calendar: ExchangeCalendar? = nil,
                              _ body: (BarWriter) throws -> (record: ImportRecord, kind: SeriesKind, result: T)) throws -> T {
        try inTransaction { db in
            let existing = try AugurDatabase.symbolKind(db, name: symbol)
            let id = try AugurDatabase.symbolID(db, name: symbol, create: true)!
            let name = try AugurDatabase.canonicalName(db, symbol)
            let writer = try BarWriter(db: db, symbolID: id, symbol: name)
            let (record, kind, result) = try body(writer)
            if let existing, existing != kind { throw StoreError.kindMismatch(symbol: name, stored: existing, imported: kind) }
            if existing == nil { try db.execute(sql: "UPDATE symbols SET kind = ? WHERE id = ?", arguments: [kind.rawValue, id]) }
            if let calendar {
                try db.execute(sql: "UPDATE symbols SET calendar = ? WHERE id = ?", arguments: [calendar.rawValue, id])
            }
            try AugurDatabase.recordImport(db, record)
            return result
        }
    }

    static func symbolKind(_ db: Database, name: String) throws -> SeriesKind? {
        guard let text = try String.fetchOne(db, sql: "SELECT kind FROM symbols WHERE name = ?", arguments: [name]) else { return nil }
        guard let kind = SeriesKind(rawValue: text) else { throw StoreError.corruptRow(table: "symbols", column: "kind") }
        return kind
    }

    /// The stored kind of `symbol`, nil when there is no such symbol.
    public func kind(of symbol: String) throws -> SeriesKind? {
        try read { db in try AugurDatabase.symbolKind(db, name: symbol) }
    }

    static func symbolCalendar(_ db: Database, name: String) throws -> ExchangeCalendar? {
        try calendar(column: try String?.fetchOne(db, sql: "SELECT calendar FROM symbols WHERE name = ?", arguments: [name]) ?? nil)
    }

    /// The stored name of `symbol` (any case); throws `unknownSymbol`, with the closest stored
    /// name as a suggestion, when there is none.
    public func existingSymbol(_ symbol: String) throws -> String {
        try read { db in
            _ = try AugurDatabase.existingSymbolID(db, name: symbol)
            return try AugurDatabase.canonicalName(db, symbol)
        }
    }

    /// The exchange calendar stored with `symbol` (nil: weekends only, or no such symbol).
    public func calendar(of symbol: String) throws -> ExchangeCalendar? {
        try read { db in try AugurDatabase.symbolCalendar(db, name: symbol) }
    }

    /// Stores `calendar` with `symbol` (nil: weekends only). Throws `unknownSymbol` for a name
    /// that is not stored.
    public func setCalendar(_ calendar: ExchangeCalendar?, for symbol: String) throws {
        try inTransaction { db in
            let id = try AugurDatabase.existingSymbolID(db, name: symbol)
            try db.execute(sql: "UPDATE symbols SET calendar = ? WHERE id = ?", arguments: [calendar?.rawValue, id])
        }
    }

    /// Every symbol with its kind, calendar, first and last date and row count, by name.
    public func symbols() throws -> [SymbolSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.name, s.kind, s.calendar, MIN(b.date) AS first, MAX(b.date) AS last, COUNT(b.date) AS rows
                FROM symbols s LEFT JOIN bars b ON b.symbol_id = s.id
                GROUP BY s.id ORDER BY s.name
                """).map { row in
                guard let kind = SeriesKind(rawValue: row["kind"]) else { throw StoreError.corruptRow(table: "symbols", column: "kind") }
                return SymbolSummary(symbol: row["name"], kind: kind,
                                     calendar: try AugurDatabase.calendar(column: row["calendar"]),
                                     first: try Column.optionalDate(row, "first", table: "bars"),
                                     last: try Column.optionalDate(row, "last", table: "bars"), rows: row["rows"])
            }
        }
    }

    /// `symbol`'s bars in date order, optionally limited to [from, to] (inclusive).
    public func bars(for symbol: String, from: CivilDate? = nil, to: CivilDate? = nil) throws -> [Bar] {
        try read { db in
            let id = try AugurDatabase.existingSymbolID(db, name: symbol)
            var sql = "SELECT date, open, high, low, close, adj_close, volume FROM bars WHERE symbol_id = ?"
            var args: [any DatabaseValueConvertible] = [id]
            if let from { sql += " AND date >= ?"; args.append(from.iso) }
            if let to { sql += " AND date <= ?"; args.append(to.iso) }
            sql += " ORDER BY date"
            var out: [Bar] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
            while let row = try cursor.next() {
                guard let text: String = row[0], let date = CivilDate(iso: text) else {
                    throw StoreError.corruptRow(table: "bars", column: "date")
                }
                out.append(Bar(date: date, open: row[1], high: row[2], low: row[3], close: row[4],
                               adjClose: row[5], volume: row[6]))
            }
            return out
        }
    }

    /// `symbol`'s bars as a `Series`, ready for the forecaster.
    public func series(for symbol: String, from: CivilDate? = nil, to: CivilDate? = nil) throws -> Series {
        let bars = try bars(for: symbol, from: from, to: to)
        return Series(symbol: symbol, kind: try kind(of: symbol) ?? .price, bars: bars)
    }
}

/// The stored name a misspelt symbol most likely meant: the closest by edit distance (ignoring case),
/// when it is within a third of the name's length (at least 1, at most 3 edits); nil otherwise.
enum SymbolSuggestion {
    static func closest(to name: String, among names: [String]) -> String? {
        let target = Array(name.uppercased().unicodeScalars)
        let limit = min(3, max(1, target.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in names {
            let d = distance(target, Array(candidate.uppercased().unicodeScalars))
            if d <= limit, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// Levenshtein distance (insertions, deletions, substitutions), one row at a time.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
