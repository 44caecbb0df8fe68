// AugurStore: everything Augur keeps, in one SQLite file through GRDB. Schema by migrations,
// WAL so readers never block the writer, a busy timeout so a second `augur` process waits its
// turn instead of failing, and one transaction per imported file. May import AugurCore only (and
// GRDB, whose types never appear in this module's public API): the store owns its transactions.
import AugurCore
import Foundation
import GRDB

/// Errors from the store, with the SQLite message where there is one.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable, ClassifiedError {
    case cannotOpen(path: String, reason: String)
    case unknownSymbol(String)
    case sqlite(operation: String, message: String)
    /// A stored value that cannot be read back (a date, a name or JSON): the database is damaged
    /// or was written by something else.
    case corruptRow(table: String, column: String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "cannot open the database \(p): \(r)"
        case .unknownSymbol(let s): return "no symbol \"\(s)\" in the database"
        case .sqlite(let op, let m): return "database error while \(op): \(m)"
        case .corruptRow(let t, let c): return "the database holds an unreadable value in \(t).\(c)"
        }
    }

    public var blame: Blame {
        switch self {
        case .cannotOpen, .unknownSymbol: return .user
        case .sqlite, .corruptRow: return .internal
        }
    }
}

/// The Augur database: open it, and every table's reads and writes hang off it.
///
/// ```swift
/// let db = try AugurDatabase(path: "data/augur.sqlite")
/// let series = try db.series(for: "SP500")
/// ```
public final class AugurDatabase: Sendable {
    public let path: String
    let writer: DatabasePool

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    /// `busyTimeout` is how long a write waits for another process's transaction.
    public init(path: String, busyTimeout: TimeInterval = 60) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.label = "augur"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw StoreError.cannotOpen(path: path, reason: "\(error.localizedDescription)")
            }
        }
        do {
            writer = try DatabasePool(path: path, configuration: config)
            try AugurDatabase.migrator.migrate(writer)
        } catch let e as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: e.message ?? "\(e)")
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Runs `body` in one IMMEDIATE transaction: it commits only when `body` returns, and rolls
    /// back everything if it throws.
    func inTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try wrap("writing") {
            try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try wrap("reading") { try writer.read(body) }
    }

    func wrap<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DatabaseError {
            throw StoreError.sqlite(operation: operation, message: e.message ?? "\(e)")
        }
    }
}

/// Typed reads of stored columns: a value that does not decode is `StoreError.corruptRow`, never a
/// silent default.
enum Column {
    static func date(_ row: Row, _ column: String, table: String) throws -> CivilDate {
        guard let text: String = row[column], let d = CivilDate(iso: text) else {
            throw StoreError.corruptRow(table: table, column: column)
        }
        return d
    }

    static func optionalDate(_ row: Row, _ column: String, table: String) throws -> CivilDate? {
        guard let text: String = row[column] else { return nil }
        guard let d = CivilDate(iso: text) else { throw StoreError.corruptRow(table: table, column: column) }
        return d
    }

    static func json<T: Decodable>(_ type: T.Type, _ row: Row, _ column: String, table: String) throws -> T {
        guard let text: String = row[column],
              let v = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
            throw StoreError.corruptRow(table: table, column: column)
        }
        return v
    }

    static func kind(_ row: Row, _ column: String, table: String) throws -> ModelKind {
        guard let text: String = row[column], let k = ModelKind(rawValue: text) else {
            throw StoreError.corruptRow(table: table, column: column)
        }
        return k
    }

    static func mode(_ row: Row, _ column: String, table: String) throws -> TrainingMode? {
        guard let text: String = row[column] else { throw StoreError.corruptRow(table: table, column: column) }
        do { return try TrainingMode.parse(label: text) } catch { throw StoreError.corruptRow(table: table, column: column) }
    }

    static func encodeJSON<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }
}
