// The store's operations are written once, against SQLSession: a connection inside a transaction (or a
// read) of either backend, SQLite through GRDB or PostgreSQL through postgres-nio. Statements use `?`
// placeholders and the SQL both dialects share (ON CONFLICT upserts, RETURNING, IS DISTINCT FROM);
// where the dialects part (JSON arrays, row order, bulk writes) the session's `dialect` chooses.
import AugurCore
import Foundation

/// Which SQL the session speaks.
enum SQLDialect: Sendable {
    case sqlite, postgres
}

/// One value bound to a statement or read from a row.
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A Swift value that binds to a statement parameter.
protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable { var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLBindable { var sqlValue: SQLValue { .real(self) } }
extension Bool: SQLBindable { var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Data: SQLBindable { var sqlValue: SQLValue { .blob([UInt8](self)) } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// A statement's parameters, in placeholder order.
struct SQLArguments: ExpressibleByArrayLiteral {
    var values: [SQLValue]

    init(_ values: [SQLValue] = []) { self.values = values }

    init(arrayLiteral elements: (any SQLBindable)?...) {
        values = elements.map { $0?.sqlValue ?? .null }
    }

    static func + (a: SQLArguments, b: SQLArguments) -> SQLArguments { SQLArguments(a.values + b.values) }
    static func += (a: inout SQLArguments, b: SQLArguments) { a.values += b.values }
}

/// A Swift value a column decodes to; a value of the wrong type is a damaged row.
protocol SQLDecodable {
    /// nil when `value` is not of this type (NULL is not, except for optionals).
    static func decode(_ value: SQLValue) -> Self?
}

extension String: SQLDecodable {
    static func decode(_ value: SQLValue) -> String? { if case .text(let s) = value { return s }; return nil }
}

extension Int64: SQLDecodable {
    static func decode(_ value: SQLValue) -> Int64? {
        switch value {
        case .integer(let i): return i
        case .real(let d) where d == d.rounded() && abs(d) < 9e18: return Int64(d)
        default: return nil
        }
    }
}

extension Int: SQLDecodable {
    static func decode(_ value: SQLValue) -> Int? { Int64.decode(value).map { Int($0) } }
}

extension Double: SQLDecodable {
    static func decode(_ value: SQLValue) -> Double? {
        switch value {
        case .real(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }
}

extension Bool: SQLDecodable {
    static func decode(_ value: SQLValue) -> Bool? { Int64.decode(value).map { $0 != 0 } }
}

extension Data: SQLDecodable {
    static func decode(_ value: SQLValue) -> Data? {
        switch value {
        case .blob(let b): return Data(b)
        case .text(let s): return Data(s.utf8)     // SQLite hands back a blob written as text as text
        default: return nil
        }
    }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    static func decode(_ value: SQLValue) -> Wrapped?? {
        if case .null = value { return .some(nil) }
        return Wrapped.decode(value).map { .some($0) }
    }
}

/// One result row: its columns by name or position.
struct SQLRow {
    let columns: [String]
    let values: [SQLValue]

    func value(_ name: String) throws -> SQLValue {
        guard let i = columns.firstIndex(of: name) else { throw StoreError.corruptRow(table: "(query)", column: name) }
        return values[i]
    }

    /// The column `name` as `T`; `StoreError.corruptRow` when it is missing or of another type.
    subscript<T: SQLDecodable>(_ name: String) -> T {
        get throws {
            guard let v = T.decode(try value(name)) else { throw StoreError.corruptRow(table: "(query)", column: name) }
            return v
        }
    }

    subscript<T: SQLDecodable>(_ index: Int) -> T {
        get throws {
            guard index < values.count, let v = T.decode(values[index]) else {
                throw StoreError.corruptRow(table: "(query)", column: index < columns.count ? columns[index] : "#\(index)")
            }
            return v
        }
    }

    static func fetchAll(_ db: any SQLSession, sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
        try db.fetchAll(sql: sql, arguments: arguments)
    }

    static func fetchOne(_ db: any SQLSession, sql: String, arguments: SQLArguments = []) throws -> SQLRow? {
        try db.fetchAll(sql: sql, arguments: arguments).first
    }
}

extension SQLDecodable {
    /// The first column of the first row; nil when there is no row or the value is NULL.
    static func fetchOne(_ db: any SQLSession, sql: String, arguments: SQLArguments = []) throws -> Self? {
        guard let row = try db.fetchAll(sql: sql, arguments: arguments).first, let v = row.values.first else { return nil }
        if case .null = v { return nil }
        guard let decoded = decode(v) else { throw StoreError.corruptRow(table: "(query)", column: row.columns.first ?? "#0") }
        return decoded
    }

    /// The first column of every row.
    static func fetchAll(_ db: any SQLSession, sql: String, arguments: SQLArguments = []) throws -> [Self] {
        try db.fetchAll(sql: sql, arguments: arguments).map { row in
            guard let v = row.values.first, let decoded = decode(v) else {
                throw StoreError.corruptRow(table: "(query)", column: row.columns.first ?? "#0")
            }
            return decoded
        }
    }
}

/// A connection inside one transaction or read of a backend.
protocol SQLSession: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs one statement; returns the rows it changed.
    @discardableResult func execute(sql: String, arguments: SQLArguments) throws -> Int
    func fetchAll(sql: String, arguments: SQLArguments) throws -> [SQLRow]
    /// Runs an INSERT into a table with an `id` key and returns the new row's id.
    func insertReturningID(sql: String, arguments: SQLArguments) throws -> Int64
    /// Inserts many rows of `columns` into `table` (the backend's fastest way).
    func insertMany(table: String, columns: [String], rows: [[SQLValue]]) throws
    /// The writer of one import's bars for a symbol that holds `rowsBefore` bars.
    func makeBarSink(symbolID: Int64, rowsBefore: Int) throws -> any BarSink
    /// A symbol's bars in date order, optionally within [from, to].
    func bars(symbolID: Int64, from: CivilDate?, to: CivilDate?) throws -> [Bar]
}

extension SQLSession {
    @discardableResult func execute(sql: String) throws -> Int { try execute(sql: sql, arguments: []) }
}

/// Where one import's bars go: an upsert whose change count tells changed rows from unchanged ones
/// (BarWriter counts inserts from the rows before and after).
protocol BarSink: AnyObject {
    func write(_ bars: [Bar]) throws
    /// Writes whatever is buffered (before the import's transaction commits, or rows are counted).
    func finish() throws
    /// Rows written so far, and those of them the upsert inserted or changed.
    var written: Int { get }
    var changed: Int { get }
}

/// Which backend a database location names: a `postgresql://` or `postgres://` URL, or a file path.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    public init(_ text: String) throws {
        let lower = text.lowercased()
        if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            self = .postgres(try PostgresURL(text))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The location with any password hidden, for messages.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return url.description
        }
    }
}

/// A parsed `postgresql://user[:password]@host[:port]/database[?sslmode=…]` URL (libpq's form; the
/// password may also come from PGPASSWORD, the user from PGUSER).
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func bad(_ why: String) -> StoreError { .cannotOpen(path: PostgresURL.redacted(text), reason: why) }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "postgresql" || scheme == "postgres" else {
            throw bad("not a URL of the form postgresql://user@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else { throw bad("the URL names no host") }
        self.host = host
        port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw bad("port \(port) is out of range") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else { throw bad("the URL names no database (…/DBNAME)") }
        database = path.removingPercentEncoding ?? path
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }) ?? environment["PGUSER"], !user.isEmpty else {
            throw bad("the URL names no user (postgresql://USER@host/…), and PGUSER is not set")
        }
        self.user = user
        password = components.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        tls = .prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: item.value ?? "") else {
                    throw bad("sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            default:
                throw bad("unknown URL parameter \"\(item.name)\" (only sslmode is read)")
            }
        }
    }

    public var description: String {
        "postgresql://\(user)@\(host):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// `text` with the password, if any, replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard var c = URLComponents(string: text), c.password != nil else { return text }
        c.password = "***"
        return c.string ?? "postgresql://…"
    }
}
