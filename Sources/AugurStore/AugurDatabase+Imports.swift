import AugurCore

/// One row of the `imports` table: what happened to one file.
public struct ImportRecord: Sendable, Equatable, Codable {
    public var symbol: String
    public var file: String
    public var sha256: String
    public var format: String
    public var rowsRead: Int
    public var counts: UpsertCounts
    public var rowsRejected: Int
    public var rowsSkipped: Int
    public var started: String
    public var finished: String

    public init(symbol: String, file: String, sha256: String, format: String, rowsRead: Int, counts: UpsertCounts,
                rowsRejected: Int, rowsSkipped: Int, started: String, finished: String) {
        self.symbol = symbol
        self.file = file
        self.sha256 = sha256
        self.format = format
        self.rowsRead = rowsRead
        self.counts = counts
        self.rowsRejected = rowsRejected
        self.rowsSkipped = rowsSkipped
        self.started = started
        self.finished = finished
    }
}

extension AugurDatabase {
    /// Records an import inside the caller's transaction (so it lands with the bars, or not at all).
    static func recordImport(_ db: any SQLSession, _ r: ImportRecord) throws {
        let id = try symbolID(db, name: r.symbol, create: true)
        try db.execute(sql: """
            INSERT INTO imports (symbol_id, file, sha256, format, rows_read, rows_inserted, rows_updated,
                                 rows_unchanged, rows_rejected, rows_skipped, started, finished)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, r.file, r.sha256, r.format, r.rowsRead, r.counts.inserted, r.counts.updated,
                             r.counts.unchanged, r.rowsRejected, r.rowsSkipped, r.started, r.finished])
    }

    /// Imports, newest first.
    public func imports(symbol: String? = nil) throws -> [ImportRecord] {
        try read { db in
            var sql = """
                SELECT s.name, i.* FROM imports i LEFT JOIN symbols s ON s.id = i.symbol_id
                """
            var args: SQLArguments = []
            if let symbol { sql += " WHERE s.name = ?"; args = [symbol] }
            sql += " ORDER BY i.id DESC"
            return try SQLRow.fetchAll(db, sql: sql, arguments: args).map { row in
                try ImportRecord(symbol: row["name"] ?? "", file: row["file"], sha256: row["sha256"], format: row["format"],
                             rowsRead: row["rows_read"],
                             counts: UpsertCounts(inserted: row["rows_inserted"], updated: row["rows_updated"],
                                                  unchanged: row["rows_unchanged"]),
                             rowsRejected: row["rows_rejected"], rowsSkipped: row["rows_skipped"],
                             started: row["started"], finished: row["finished"])
            }
        }
    }
}
