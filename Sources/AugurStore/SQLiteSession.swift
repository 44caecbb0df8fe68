// The SQLite side of SQLSession: GRDB's connection inside a transaction or a read.
import AugurCore
import Foundation
import GRDB
import GRDBSQLite

final class SQLiteSession: SQLSession {
    let db: Database
    var dialect: SQLDialect { .sqlite }

    init(_ db: Database) { self.db = db }

    private static func arguments(_ a: SQLArguments) -> StatementArguments {
        StatementArguments(a.values.map { v -> (any DatabaseValueConvertible)? in
            switch v {
            case .null: return nil
            case .integer(let i): return i
            case .real(let d): return d
            case .text(let s): return s
            case .blob(let b): return Data(b)
            }
        })
    }

    static func value(_ v: DatabaseValue) -> SQLValue {
        switch v.storage {
        case .null: return .null
        case .int64(let i): return .integer(i)
        case .double(let d): return .real(d)
        case .string(let s): return .text(s)
        case .blob(let d): return .blob([UInt8](d))
        }
    }

    @discardableResult func execute(sql: String, arguments: SQLArguments) throws -> Int {
        try db.execute(sql: sql, arguments: SQLiteSession.arguments(arguments))
        return db.changesCount
    }

    func fetchAll(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnNames
        let cursor = try GRDB.Row.fetchCursor(statement, arguments: SQLiteSession.arguments(arguments))
        var out: [SQLRow] = []
        while let row = try cursor.next() {
            out.append(SQLRow(columns: columns, values: row.databaseValues.map(SQLiteSession.value)))
        }
        return out
    }

    func insertReturningID(sql: String, arguments: SQLArguments) throws -> Int64 {
        try db.execute(sql: sql, arguments: SQLiteSession.arguments(arguments))
        return db.lastInsertedRowID
    }

    func insertMany(table: String, columns: [String], rows: [[SQLValue]]) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            """)
        for row in rows { try statement.execute(arguments: SQLiteSession.arguments(SQLArguments(row))) }
    }

    func makeBarSink(symbolID: Int64, rowsBefore: Int) throws -> any BarSink { try SQLiteBarSink(db: db, symbolID: symbolID) }

    func bars(symbolID: Int64, from: CivilDate?, to: CivilDate?) throws -> [Bar] {
        var sql = "SELECT date, open, high, low, close, adj_close, volume FROM bars WHERE symbol_id = ?"
        var args: [any DatabaseValueConvertible] = [symbolID]
        if let from { sql += " AND date >= ?"; args.append(from.iso) }
        if let to { sql += " AND date <= ?"; args.append(to.iso) }
        sql += " ORDER BY date"
        var out: [Bar] = []
        let cursor = try GRDB.Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
        while let row = try cursor.next() {
            guard let text: String = row[0], let date = CivilDate(iso: text) else {
                throw StoreError.corruptRow(table: "bars", column: "date")
            }
            guard let close: Double = row[4] else { throw StoreError.corruptRow(table: "bars", column: "close") }
            out.append(Bar(date: date, open: row[1], high: row[2], low: row[3], close: close,
                           adjClose: row[5], volume: row[6]))
        }
        return out
    }
}

/// Writes bars for one symbol inside an open transaction through prepared statements on GRDB's
/// own connection (bind, step, reset), `rowsPerStatement` rows per multi-row INSERT so that
/// SQLite's per-statement cost (cursor open/close, halt, allocations) is paid once per chunk.
/// An upsert whose values are all unchanged writes nothing, so `sqlite3_changes` tells
/// changed rows from unchanged ones.
final class SQLiteBarSink: BarSink {
    static let rowsPerStatement = 64
    private let db: Database
    private let symbolID: Int64
    private var chunkStatement: OpaquePointer?
    private var singleStatement: OpaquePointer?
    private(set) var changed = 0
    private(set) var written = 0
    /// ISO date text for the rows of one chunk, bound with SQLITE_STATIC: it must outlive the step.
    private let dateText: UnsafeMutableRawBufferPointer

    init(db: Database, symbolID: Int64) throws {
        self.db = db
        self.symbolID = symbolID
        dateText = .allocate(byteCount: 10 * SQLiteBarSink.rowsPerStatement, alignment: 8)
        chunkStatement = try prepare(rows: SQLiteBarSink.rowsPerStatement)
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
        let sql = "INSERT INTO bars (symbol_id, date, open, high, low, close, adj_close, volume) VALUES \(values) "
            + BarUpsert.conflictClause
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(db.sqliteConnection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK else { throw StoreError.sqlite(operation: "preparing the bar insert", message: lastMessage) }
        for r in 0..<rows { sqlite3_bind_int64(statement, Int32(r * 8 + 1), symbolID) }
        return statement
    }

    private var lastMessage: String { String(cString: sqlite3_errmsg(db.sqliteConnection)) }

    func write(_ bars: [Bar]) throws {
        let chunk = SQLiteBarSink.rowsPerStatement
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

    func finish() throws {}
}

/// The upsert both backends end their bar INSERT with: an unchanged row is not written, so the
/// statement's change count tells changed rows from unchanged ones.
enum BarUpsert {
    static let conflictClause = """
        ON CONFLICT (symbol_id, date) DO UPDATE SET
            open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
            adj_close = excluded.adj_close, volume = excluded.volume
        WHERE bars.open IS DISTINCT FROM excluded.open OR bars.high IS DISTINCT FROM excluded.high
           OR bars.low IS DISTINCT FROM excluded.low OR bars.close IS DISTINCT FROM excluded.close
           OR bars.adj_close IS DISTINCT FROM excluded.adj_close OR bars.volume IS DISTINCT FROM excluded.volume
        """
}
