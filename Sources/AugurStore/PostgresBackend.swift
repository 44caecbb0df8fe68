// The PostgreSQL side of SQLSession, through postgres-nio. The store's API is synchronous (the CLI and
// the daily job call it from plain threads), so each statement runs on NIO's event loop and the
// calling thread waits for its future; COPY, which postgres-nio offers only as async, waits the same
// way on a task. Connections are kept in a small pool: one per thread that is inside a transaction or
// holds a symbol's advisory lock, reused afterwards.
import AugurCore
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

final class PostgresBackend: @unchecked Sendable {
    let url: PostgresURL
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var nextID = 1
    private var closed = false

    init(url: PostgresURL) throws {
        self.url = url
        // The store never prints: postgres-nio's log lines are dropped (its errors reach the caller).
        logger = Logger(label: "augur.store", factory: { _ in SwiftLogNoOpLogHandler() })
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch url.tls {
            case .disable: tls = .disable
            case .prefer, .require:
                // As libpq's prefer and require: encrypted, the server's certificate not verified.
                var c = TLSConfiguration.makeClientConfiguration()
                c.certificateVerification = .none
                let context = try NIOSSLContext(configuration: c)
                tls = url.tls == .prefer ? .prefer(context) : .require(context)
            case .verifyFull:
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw StoreError.cannotOpen(path: url.description, reason: "cannot set up TLS: \(error)")
        }
        configuration = .init(host: url.host, port: url.port, username: url.user, password: url.password,
                              database: url.database, tls: tls)
    }

    deinit {
        for c in idle { try? c.close().wait() }
    }

    /// A connection from the pool, or a new one.
    func checkOut() throws -> PostgresConnection {
        let reused: PostgresConnection? = lock.withLock {
            while let c = idle.popLast() {
                if !c.isClosed { return c }
            }
            return nil
        }
        if let reused { return reused }
        let id = lock.withLock { defer { nextID += 1 }; return nextID }
        do {
            return try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(),
                                                  configuration: configuration, id: id, logger: logger).wait()
        } catch {
            throw StoreError.cannotOpen(path: url.description, reason: PostgresBackend.message(error))
        }
    }

    /// Returns a connection to the pool (a broken one is closed instead).
    func checkIn(_ c: PostgresConnection, broken: Bool = false) {
        if broken || c.isClosed {
            try? c.close().wait()
            return
        }
        lock.withLock { idle.append(c) }
    }

    /// Runs `body` on one connection, in a transaction when `transaction` (committed when it returns,
    /// rolled back when it throws).
    func withSession<T>(transaction: Bool, operation: String, _ body: (PostgresSession) throws -> T) throws -> T {
        let c = try checkOut()
        let session = PostgresSession(connection: c, logger: logger)
        do {
            if transaction { try session.execute(sql: "BEGIN") }
            let result = try body(session)
            if transaction { try session.execute(sql: "COMMIT") }
            checkIn(c)
            return result
        } catch {
            checkIn(c, broken: c.isClosed || (transaction && (try? session.execute(sql: "ROLLBACK")) == nil))
            // The database's and the connection's errors become StoreErrors; the caller's own pass through.
            guard error is PSQLError || error is PostgresDecodingError || error is ChannelError || error is IOError else { throw error }
            throw StoreError.postgres(operation: operation, message: PostgresBackend.message(error))
        }
    }

    /// The server's message for a failed statement (with its detail), else the error's description.
    static func message(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let server = e.serverInfo, let m = server[.message] {
                return m + (server[.detail].map { " (\($0))" } ?? "") + (server[.sqlState].map { " [SQLSTATE \($0)]" } ?? "")
            }
            if e.code == .sslUnsupported {
                return "the server does not offer TLS, which sslmode=require and verify-full ask for (sslmode=disable on a trusted network)"
            }
            if e.code == .connectionError, let underlying = e.underlying {
                let text = "\(underlying)"
                if text.contains("Connection refused") { return "connection refused: is PostgreSQL running there and accepting TCP connections?" }
                return "cannot connect: \(text)"
            }
            if let underlying = e.underlying { return "\(e.code): \(underlying)" }
            return "\(e.code)"
        }
        return "\(error)"
    }

    // MARK: - Symbol locks

    /// Takes the advisory lock of `key` on a connection of its own and keeps that connection until
    /// `advisoryUnlock`: the server drops the lock if this process dies. With `wait` false, nil when
    /// another session holds it.
    func advisoryLock(_ key: Int32, wait: Bool) throws -> PostgresConnection? {
        let c = try checkOut()
        do {
            let session = PostgresSession(connection: c, logger: logger)
            if wait {
                // No backstop here: another worker may rightly hold the symbol for as long as its training takes.
                _ = try session.send(PostgresQuery(unsafeSQL: "SELECT pg_advisory_lock(\(AdvisoryLock.namespace), $1::int4)",
                                                   binds: PostgresSession.bindings([Int64(key)])), timeout: nil)
                return c
            }
            if try Bool.fetchOne(session, sql: "SELECT pg_try_advisory_lock(\(AdvisoryLock.namespace), ?::int4)",
                                 arguments: [Int64(key)]) == true {
                return c
            }
            checkIn(c)
            return nil
        } catch {
            checkIn(c, broken: true)
            throw StoreError.postgres(operation: "locking a symbol", message: PostgresBackend.message(error))
        }
    }

    func advisoryUnlock(_ key: Int32, on c: PostgresConnection) {
        // (A closed connection has no lock left to release: the server dropped it with the session.)
        guard !c.isClosed else { return checkIn(c, broken: true) }
        let ok = (try? PostgresSession(connection: c, logger: logger)
            .fetchAll(sql: "SELECT pg_advisory_unlock(\(AdvisoryLock.namespace), ?::int4)", arguments: [Int64(key)])) != nil
        checkIn(c, broken: !ok)
    }
}

/// The two-key form of PostgreSQL's advisory locks: Augur's namespace, then the symbol's hash.
enum AdvisoryLock {
    /// "Augr" as a 32-bit integer: keeps Augur's locks apart from another program's on the same server.
    static let namespace: Int32 = 0x4175_6772

    /// The lock key of a symbol: FNV-1a of its upper-cased name, folded to 32 bits.
    static func key(_ symbol: String) -> Int32 {
        var h: UInt32 = 2_166_136_261
        for b in symbol.uppercased().utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return Int32(bitPattern: h)
    }
}

final class PostgresSession: SQLSession {
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// `?` placeholders as PostgreSQL's `$1, $2, …` (outside quoted text).
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.count + 16)
        var n = 0
        var quote: Character?
        for ch in sql {
            if let q = quote {
                if ch == q { quote = nil }
                out.append(ch)
            } else if ch == "'" || ch == "\"" {
                quote = ch
                out.append(ch)
            } else if ch == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(ch)
            }
        }
        return out
    }

    static func bindings(_ a: SQLArguments) -> PostgresBindings {
        var b = PostgresBindings(capacity: a.values.count)
        for v in a.values {
            switch v {
            case .null: b.appendNull()
            case .integer(let i): b.append(i)
            case .real(let d): b.append(d)
            case .text(let s): b.append(s)
            case .blob(let bytes): b.append(ByteBuffer(bytes: bytes))
            }
        }
        return b
    }

    private func run(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
        let query = PostgresQuery(unsafeSQL: PostgresSession.numbered(sql), binds: PostgresSession.bindings(arguments))
        return try send(query)
    }

    /// Sends one statement and waits for its result. A connection the server has closed (a restart, a
    /// killed backend) is refused before anything is sent: postgres-nio's future never completes for a
    /// statement written to a closed channel. `timeout` is a backstop against any other such wait
    /// (nil: none, for a lock that may rightly wait for another worker); when it expires the
    /// connection is closed, so the server rolls back whatever it had open.
    func send(_ query: PostgresQuery, timeout: TimeAmount? = PostgresSession.statementTimeout) throws -> PostgresQueryResult {
        guard !connection.isClosed else { throw StoreError.postgres(operation: "sending a statement", message: PostgresSession.closedMessage) }
        let future = connection.query(query, logger: logger)
        guard let timeout else { return try future.wait() }
        let promise = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        future.cascade(to: promise)
        let connection = self.connection
        let backstop = connection.eventLoop.scheduleTask(in: timeout) {
            promise.fail(StoreError.postgres(operation: "waiting for the server",
                                             message: "no answer in \(timeout.nanoseconds / 1_000_000_000) s; the connection was closed"))
            connection.close().whenComplete { _ in }
        }
        promise.futureResult.whenComplete { _ in backstop.cancel() }
        return try promise.futureResult.wait()
    }

    /// The longest one statement may take before its connection is given up (a backstop, far above any
    /// statement Augur sends: a 50,000-row merge takes well under a second).
    static let statementTimeout: TimeAmount = .seconds(600)
    static let closedMessage = "the server closed the connection (restarted, or the session was ended); run the command again"

    @discardableResult func execute(sql: String, arguments: SQLArguments) throws -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    func fetchAll(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        let result = try run(sql, arguments)
        guard let first = result.rows.first else { return [] }
        let columns = first.map(\.columnName)
        return try result.rows.map { row in SQLRow(columns: columns, values: try row.map(PostgresSession.value)) }
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8, .numeric: return .real(try cell.decode(Double.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob([UInt8](buffer: try cell.decode(ByteBuffer.self)))
        case .text, .varchar, .bpchar, .name: return .text(try cell.decode(String.self))
        default:
            // Other types are read as their text (in binary format, a text-like type's bytes are its UTF-8).
            return .text(String(buffer: cell.bytes!))
        }
    }

    func insertReturningID(sql: String, arguments: SQLArguments) throws -> Int64 {
        guard let id = try Int64.fetchOne(self, sql: sql + " RETURNING id", arguments: arguments) else {
            throw StoreError.postgres(operation: "inserting", message: "the INSERT returned no id")
        }
        return id
    }

    /// Multi-row INSERTs of up to `rowsPerStatement` rows (and under PostgreSQL's 65,535 parameters).
    func insertMany(table: String, columns: [String], rows: [[SQLValue]]) throws {
        let perStatement = max(1, min(500, 60_000 / max(1, columns.count)))
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            var n = 0
            sql += chunk.map { row in
                "(" + row.map { _ in n += 1; return "$\(n)" }.joined(separator: ", ") + ")"
            }.joined(separator: ", ")
            let query = PostgresQuery(unsafeSQL: sql, binds: PostgresSession.bindings(SQLArguments(chunk.flatMap { $0 })))
            _ = try send(query)
            start += chunk.count
        }
    }

    func makeBarSink(symbolID: Int64, rowsBefore: Int) throws -> any BarSink {
        try PostgresBarSink(session: self, symbolID: symbolID, rowsBefore: rowsBefore)
    }

    func bars(symbolID: Int64, from: CivilDate?, to: CivilDate?) throws -> [Bar] {
        var sql = "SELECT date, open, high, low, close, adj_close, volume FROM bars WHERE symbol_id = $1"
        var binds = PostgresBindings()
        binds.append(symbolID)
        if let from { binds.append(from.iso); sql += " AND date >= $\(binds.count)" }
        if let to { binds.append(to.iso); sql += " AND date <= $\(binds.count)" }
        sql += " ORDER BY date"
        let result = try send(PostgresQuery(unsafeSQL: sql, binds: binds))
        return try result.rows.map { row in
            let r = row.makeRandomAccess()
            guard let text = try? r[0].decode(String.self), let date = CivilDate(iso: text) else {
                throw StoreError.corruptRow(table: "bars", column: "date")
            }
            func d(_ i: Int) throws -> Double? {
                do { return try r[i].decode(Double?.self) } catch {
                    throw StoreError.corruptRow(table: "bars", column: r[i].columnName)
                }
            }
            guard let close = try d(4) else { throw StoreError.corruptRow(table: "bars", column: "close") }
            return Bar(date: date, open: try d(1), high: try d(2), low: try d(3), close: close, adjClose: try d(5), volume: try d(6))
        }
    }

    /// Runs `body` (async, on a task) and waits for it: postgres-nio's COPY has no future-based form.
    /// The task runs on a queue of its own, not on Swift's cooperative pool: a caller that is itself a
    /// task (a test, a server) would otherwise hold a pool thread while the task waits for one.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let run: @Sendable () async -> Void = {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        if #available(macOS 15, *) {
            Task(executorPreference: QueueTaskExecutor.shared, operation: run)
        } else {
            Task(operation: run)
        }
        done.wait()
        return try box.result!.get()
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// A task executor on a serial dispatch queue (dispatch adds threads when others block; Swift's
/// cooperative pool does not).
@available(macOS 15, *)
final class QueueTaskExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = QueueTaskExecutor()
    private let queue = DispatchQueue(label: "augur.store.postgres-copy")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// One import's bars into PostgreSQL: rows are buffered as COPY text and sent with `COPY … FROM STDIN`
/// into a temporary table, then merged into `bars` by one upsert that skips unchanged rows (so its row
/// count is the changed rows, as SQLite's change count is). The last row of a date wins, as in SQLite.
final class PostgresBarSink: BarSink {
    /// Rows buffered before a COPY and merge.
    static let rowsPerCopy = 50_000
    private let session: PostgresSession
    private let symbolID: Int64
    private var direct: Bool
    private let symbolText: String
    private var buffer = ByteBuffer()
    private var buffered = 0
    private(set) var changed = 0
    private(set) var written = 0

    init(session: PostgresSession, symbolID: Int64, rowsBefore: Int) throws {
        self.session = session
        self.symbolID = symbolID
        // A symbol with no bars yet takes the rows straight into `bars`, so every row is an insert (a
        // file holds no date twice: the reader refuses it; rows that do repeat a date fall back to the
        // staging table, see `flush`). A stored symbol's rows go through the staging table and the merge.
        direct = rowsBefore == 0
        symbolText = "\(symbolID)\t"
        if !direct { try stage() }
    }

    /// The staging table (one per connection, emptied at commit).
    private func stage() throws {
        try session.execute(sql: """
            CREATE TEMPORARY TABLE IF NOT EXISTS bars_in (
                seq BIGINT GENERATED ALWAYS AS IDENTITY, symbol_id BIGINT NOT NULL, date TEXT NOT NULL,
                open DOUBLE PRECISION, high DOUBLE PRECISION, low DOUBLE PRECISION, close DOUBLE PRECISION NOT NULL,
                adj_close DOUBLE PRECISION, volume DOUBLE PRECISION
            ) ON COMMIT DELETE ROWS
            """)
        try session.execute(sql: "DELETE FROM bars_in")
    }

    func write(_ bars: [Bar]) throws {
        for bar in bars {
            buffer.writeString(symbolText)
            buffer.writeString(bar.date.iso)
            for v in [bar.open, bar.high, bar.low, Optional(bar.close), bar.adjClose, bar.volume] {
                buffer.writeInteger(UInt8(ascii: "\t"))
                if let v { buffer.writeString(v.description) } else { buffer.writeString("\\N") }
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
            buffered += 1
            if buffered >= PostgresBarSink.rowsPerCopy { try flush() }
        }
    }

    private func copy(into table: String) throws {
        let data = buffer
        let connection = session.connection, logger = session.logger
        try session.blocking {
            try await connection.copyFrom(table: table, columns: ["symbol_id", "date", "open", "high", "low", "close", "adj_close", "volume"],
                                          logger: logger) { writer in
                try await writer.write(data)
            }
        }
    }

    func flush() throws {
        guard buffered > 0 else { return }
        do {
            if direct {
                // Under a savepoint: rows repeating a date (a unique violation) are undone and staged instead.
                try session.execute(sql: "SAVEPOINT bars_copy")
                do {
                    try copy(into: "bars")
                    try session.execute(sql: "RELEASE SAVEPOINT bars_copy")
                    changed += buffered
                } catch let e as PSQLError where e.serverInfo?[.sqlState] == "23505" {
                    try session.execute(sql: "ROLLBACK TO SAVEPOINT bars_copy")
                    direct = false
                    try stage()
                }
            }
            if !direct {
                try copy(into: "bars_in")
                changed += try session.execute(sql: """
                    INSERT INTO bars (symbol_id, date, open, high, low, close, adj_close, volume)
                    SELECT DISTINCT ON (date) ?::bigint, date, open, high, low, close, adj_close, volume
                    FROM bars_in ORDER BY date, seq DESC
                    """ + " " + BarUpsert.conflictClause, arguments: [symbolID])
                try session.execute(sql: "DELETE FROM bars_in")
            }
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError.postgres(operation: "writing bars", message: PostgresBackend.message(error))
        }
        written += buffered
        buffered = 0
        buffer.clear()
    }

    func finish() throws { try flush() }
}
