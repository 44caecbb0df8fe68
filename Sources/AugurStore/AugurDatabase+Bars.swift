import AugurCore
import Foundation

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

/// Writes one import's bars for one symbol inside the import's transaction, through the backend's
/// fastest path (SQLite: prepared multi-row upserts; PostgreSQL: COPY into a staging table and one
/// merge), and counts what the upsert did.
public final class BarWriter {
    /// The symbol's name as first stored (names match without regard to case).
    public let symbol: String
    let sink: any BarSink
    private let session: any SQLSession
    private let symbolID: Int64
    private let rowsBefore: Int

    init(session: any SQLSession, symbolID: Int64, symbol: String) throws {
        self.session = session
        self.symbolID = symbolID
        self.symbol = symbol
        rowsBefore = try BarWriter.rows(session, symbolID)
        sink = try session.makeBarSink(symbolID: symbolID, rowsBefore: rowsBefore)
    }

    private static func rows(_ session: any SQLSession, _ symbolID: Int64) throws -> Int {
        try Int.fetchOne(session, sql: "SELECT COUNT(*) FROM bars WHERE symbol_id = ?", arguments: [symbolID]) ?? 0
    }

    public func write(_ bars: [Bar]) throws { try sink.write(bars) }

    /// Inserted, updated and unchanged rows so far: rows counted before and after tell inserts from
    /// updates, the upsert's change count changed rows from unchanged ones.
    public func counts() throws -> UpsertCounts {
        try sink.finish()
        let inserted = try BarWriter.rows(session, symbolID) - rowsBefore
        return UpsertCounts(inserted: inserted, updated: sink.changed - inserted, unchanged: sink.written - sink.changed)
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
    static func symbolID(_ db: any SQLSession, name: String, create: Bool) throws -> Int64? {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM symbols WHERE name = ?", arguments: [name]) { return id }
        guard create else { return nil }
        // Two workers may create the same new symbol at once: the second one's insert does nothing.
        try db.execute(sql: "INSERT INTO symbols (name) VALUES (?) ON CONFLICT (name) DO NOTHING", arguments: [name])
        return try Int64.fetchOne(db, sql: "SELECT id FROM symbols WHERE name = ?", arguments: [name])
    }

    /// The id of a stored symbol; throws `unknownSymbol`, with the closest stored name as a
    /// suggestion, when there is none.
    static func existingSymbolID(_ db: any SQLSession, name: String) throws -> Int64 {
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

    static func canonicalName(_ db: any SQLSession, _ name: String) throws -> String {
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
            let writer = try BarWriter(session: db, symbolID: id, symbol: name)
            let (record, kind, result) = try body(writer)
            try writer.sink.finish()     // (a backend that buffers rows writes them now)
            if let existing, existing != kind { throw StoreError.kindMismatch(symbol: name, stored: existing, imported: kind) }
            if existing == nil { try db.execute(sql: "UPDATE symbols SET kind = ? WHERE id = ?", arguments: [kind.rawValue, id]) }
            if let calendar {
                try db.execute(sql: "UPDATE symbols SET calendar = ? WHERE id = ?", arguments: [calendar.rawValue, id])
            }
            try AugurDatabase.recordImport(db, record)
            return result
        }
    }

    static func symbolKind(_ db: any SQLSession, name: String) throws -> SeriesKind? {
        guard let text = try String.fetchOne(db, sql: "SELECT kind FROM symbols WHERE name = ?", arguments: [name]) else { return nil }
        guard let kind = SeriesKind(rawValue: text) else { throw StoreError.corruptRow(table: "symbols", column: "kind") }
        return kind
    }

    /// The stored kind of `symbol`, nil when there is no such symbol.
    public func kind(of symbol: String) throws -> SeriesKind? {
        try read { db in try AugurDatabase.symbolKind(db, name: symbol) }
    }

    static func symbolCalendar(_ db: any SQLSession, name: String) throws -> ExchangeCalendar? {
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
            try SQLRow.fetchAll(db, sql: """
                SELECT s.name, s.kind, s.calendar, MIN(b.date) AS first, MAX(b.date) AS last, COUNT(b.date) AS rows
                FROM symbols s LEFT JOIN bars b ON b.symbol_id = s.id
                GROUP BY s.id ORDER BY s.name
                """).map { row in
                guard let kind = SeriesKind(rawValue: try row["kind"]) else { throw StoreError.corruptRow(table: "symbols", column: "kind") }
                return try SymbolSummary(symbol: row["name"], kind: kind,
                                     calendar: try AugurDatabase.calendar(column: row["calendar"]),
                                     first: try Column.optionalDate(row, "first", table: "bars"),
                                     last: try Column.optionalDate(row, "last", table: "bars"), rows: row["rows"])
            }
        }
    }

    /// The names of the symbols that have bars, by name: what a worker needs to pick its shard's
    /// symbols, without `symbols()`'s aggregate over every bar (one index probe per symbol instead).
    public func symbolNamesWithBars() throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT s.name FROM symbols s WHERE EXISTS (SELECT 1 FROM bars b WHERE b.symbol_id = s.id) ORDER BY s.name
                """)
        }
    }

    /// `symbol`'s bars in date order, optionally limited to [from, to] (inclusive).
    public func bars(for symbol: String, from: CivilDate? = nil, to: CivilDate? = nil) throws -> [Bar] {
        try read { db in
            let id = try AugurDatabase.existingSymbolID(db, name: symbol)
            return try db.bars(symbolID: id, from: from, to: to)
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
