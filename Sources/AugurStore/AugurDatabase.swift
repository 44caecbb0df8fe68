// AugurStore: everything Augur keeps, in one SQLite file through GRDB (the default) or in a
// PostgreSQL database through postgres-nio (`--db postgresql://…`, for many workers on many machines).
// Schema by migrations, one transaction per imported file, and the same operations on both: they are
// written once against SQLSession, and the dialects part inside the store. SQLite runs in WAL so
// readers never block the writer, with a busy timeout so a second `augur` process waits its turn
// instead of failing. May import AugurCore only (and GRDB and postgres-nio, whose types never appear
// in this module's public API): the store owns its transactions.
import AugurCore
import Foundation
import GRDB

/// Errors from the store, with the SQLite message where there is one.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable, ClassifiedError {
    case cannotOpen(path: String, reason: String)
    /// No such symbol; `suggestion` is the stored name closest to it, when one is close.
    case unknownSymbol(String, suggestion: String?)
    case sqlite(operation: String, message: String)
    /// PostgreSQL refused or failed a statement (the server's message, with its SQLSTATE).
    case postgres(operation: String, message: String)
    /// A stored value that cannot be read back (a date, a name or JSON): the database is damaged
    /// or was written by something else.
    case corruptRow(table: String, column: String)
    /// The file is another program's SQLite database (tables, but not Augur's); it was left untouched.
    case foreignDatabase(path: String, tables: [String])
    /// SQLite reported the file damaged; `check` is what `PRAGMA quick_check` said.
    case damaged(path: String, check: [String])
    /// A file of one kind imported into a symbol stored as the other; nothing of it was stored.
    case kindMismatch(symbol: String, stored: SeriesKind, imported: SeriesKind)
    /// A pin that cannot be used: the model does not exist or was not trained on the symbol.
    case unusablePin(symbol: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "cannot open the database \(p): \(r)"
        case .unknownSymbol(let s, let suggestion):
            return "no symbol \"\(s)\" in the database" + (suggestion.map { "; did you mean \($0)?" } ?? "")
        case .sqlite(let op, let m): return "database error while \(op): \(m)"
        case .postgres(let op, let m): return "PostgreSQL error while \(op): \(m)"
        case .corruptRow(let t, let c): return "the database holds an unreadable value in \(t).\(c)"
        case .foreignDatabase(let p, let tables):
            return "\(p) is another program's SQLite database (tables: \(tables.prefix(5).joined(separator: ", "))"
                + (tables.count > 5 ? ", …" : "") + "), not Augur's; it was left as it was"
        case .damaged(let p, let check):
            return "the database \(p) is damaged (SQLite's quick_check: \(check.prefix(3).joined(separator: "; ")))"
                + "; restore it from a backup, or import the CSVs into a new database"
        case .unusablePin(let s, let reason):
            return "cannot pin \(s): \(reason)"
        case .kindMismatch(let s, let stored, let imported):
            return "\(s) is stored as a \(stored) series and this file was read as \(imported)s; nothing was imported "
                + "(give --kind \(stored) to read it as the stored series, or --symbol to store it under another name)"
        }
    }

    public var blame: Blame {
        switch self {
        case .cannotOpen, .unknownSymbol, .foreignDatabase, .kindMismatch, .unusablePin: return .user
        case .sqlite, .postgres, .corruptRow, .damaged: return .internal
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
    /// Where the database is: a file path, or the PostgreSQL URL as given (it may hold a password:
    /// print `location` instead).
    public let path: String
    /// The backend and where it is, with any password left out.
    public let location: StoreLocation
    let backend: Backend

    enum Backend: Sendable {
        case sqlite(DatabasePool)
        case postgres(PostgresBackend)
    }

    /// Opens the database `location` names: a `postgresql://user@host:port/database` URL opens (and
    /// migrates) that PostgreSQL database, anything else is an SQLite file path.
    public convenience init(location: String, busyTimeout: TimeInterval = 60) throws {
        switch try StoreLocation(location) {
        case .sqlite(let path): try self.init(path: path, busyTimeout: busyTimeout)
        case .postgres(let url): try self.init(postgres: url, text: location)
        }
    }

    /// Opens (and migrates) the PostgreSQL database at `url`.
    init(postgres url: PostgresURL, text: String) throws {
        path = text
        location = .postgres(url)
        let pg = try PostgresBackend(url: url)
        backend = .postgres(pg)
        try PostgresSchema.migrate(pg)
    }

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    /// `busyTimeout` is how long a write waits for another process's transaction.
    public init(path: String, busyTimeout: TimeInterval = 60) throws {
        self.path = path
        location = .sqlite(path: path)
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
            // Two processes opening a new file would race to create the schema (and to switch it to
            // WAL): a lock file beside the database makes the second wait for the first, and the
            // check for a foreign file runs under it too (a schema half-created by another augur
            // process is not foreign).
            let lock = try OpenLock(path: path + "-lock", timeout: busyTimeout)
            defer { lock.release() }
            try AugurDatabase.refuseForeign(path, busyTimeout: busyTimeout)
            let pool = try DatabasePool(path: path, configuration: config)
            try AugurDatabase.migrator.migrate(pool)
            backend = .sqlite(pool)
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: e.message ?? "\(e)")
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Runs `body` in one IMMEDIATE transaction: it commits only when `body` returns, and rolls
    /// back everything if it throws.
    @discardableResult func inTransaction<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let pool):
            return try wrap("writing") {
                try pool.writeWithoutTransaction { db in
                    var result: T?
                    try db.inTransaction(.immediate) {
                        result = try body(SQLiteSession(db))
                        return .commit
                    }
                    return result!
                }
            }
        case .postgres(let pg):
            return try pg.withSession(transaction: true, operation: "writing", body)
        }
    }

    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let pool): return try wrap("reading") { try pool.read { try body(SQLiteSession($0)) } }
        case .postgres(let pg): return try pg.withSession(transaction: false, operation: "reading", body)
        }
    }

    func wrap<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DatabaseError {
            if e.resultCode == .SQLITE_CORRUPT || e.resultCode == .SQLITE_NOTADB {
                throw StoreError.damaged(path: path, check: quickCheck())
            }
            throw StoreError.sqlite(operation: operation, message: e.message ?? "\(e)")
        }
    }

    /// What `PRAGMA quick_check` says of the file (its own failure, when it cannot run).
    func quickCheck() -> [String] {
        guard case .sqlite(let pool) = backend else { return [] }
        do { return try pool.read { try String.fetchAll($0, sql: "PRAGMA quick_check(5)") } } catch {
            return [(error as? DatabaseError)?.message ?? "\(error)"]
        }
    }

    /// A file that exists and is not empty must be an SQLite database that is empty or Augur's:
    /// another program's database (or not a database at all) is refused before anything writes to it.
    static func refuseForeign(_ path: String, busyTimeout: TimeInterval) throws {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 else { return }
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        let header = handle.readData(ofLength: 16)
        try? handle.close()
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw StoreError.cannotOpen(path: path, reason: "not an SQLite database (it was left as it was)")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        let tables: [String]
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            tables = try queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
            try queue.close()
        } catch let e as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: e.message ?? "\(e)")
        }
        let own = tables.contains("grdb_migrations") && tables.contains("symbols")   // (another GRDB app has the first only)
        if !tables.isEmpty, !own { throw StoreError.foreignDatabase(path: path, tables: tables) }
    }
}

/// Typed reads of stored columns: a value that does not decode is `StoreError.corruptRow`, never a
/// silent default.
enum Column {
    static func date(_ row: SQLRow, _ column: String, table: String) throws -> CivilDate {
        guard let text: String = try row[column], let d = CivilDate(iso: text) else {
            throw StoreError.corruptRow(table: table, column: column)
        }
        return d
    }

    static func optionalDate(_ row: SQLRow, _ column: String, table: String) throws -> CivilDate? {
        guard let text: String = try row[column] else { return nil }
        guard let d = CivilDate(iso: text) else { throw StoreError.corruptRow(table: table, column: column) }
        return d
    }

    static func json<T: Decodable>(_ type: T.Type, _ row: SQLRow, _ column: String, table: String) throws -> T {
        guard let text: String = try row[column],
              let v = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
            throw StoreError.corruptRow(table: table, column: column)
        }
        return v
    }

    static func kind(_ row: SQLRow, _ column: String, table: String) throws -> ModelKind {
        guard let text: String = try row[column], let k = ModelKind(rawValue: text) else {
            throw StoreError.corruptRow(table: table, column: column)
        }
        return k
    }

    static func mode(_ row: SQLRow, _ column: String, table: String) throws -> TrainingMode? {
        guard let text: String = try row[column] else { throw StoreError.corruptRow(table: table, column: column) }
        do { return try TrainingMode.parse(label: text) } catch { throw StoreError.corruptRow(table: table, column: column) }
    }

    static func encodeJSON<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }
}

/// An exclusive advisory lock on a file beside the database, held while it is opened and migrated.
final class OpenLock {
    private let fd: Int32

    init(path: String, timeout: TimeInterval) throws {
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            // A read-only folder: no lock is possible, and no other process can create the schema there either.
            return
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(fd)
                throw StoreError.cannotOpen(path: path, reason: "another augur process holds the database's lock")
            }
            usleep(5_000)
        }
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }
}
