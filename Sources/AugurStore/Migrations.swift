import GRDB

extension AugurDatabase {
    /// The schema, one migration per step; later features add theirs at the end, never edit old ones.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: symbols, bars, imports") { db in
            try db.execute(sql: """
                CREATE TABLE symbols (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                );
                CREATE TABLE bars (
                    symbol_id INTEGER NOT NULL REFERENCES symbols(id) ON DELETE CASCADE,
                    date TEXT NOT NULL,
                    open REAL, high REAL, low REAL,
                    close REAL NOT NULL,
                    adj_close REAL, volume REAL,
                    PRIMARY KEY (symbol_id, date)
                ) WITHOUT ROWID;
                CREATE TABLE imports (
                    id INTEGER PRIMARY KEY,
                    symbol_id INTEGER REFERENCES symbols(id) ON DELETE SET NULL,
                    file TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    format TEXT NOT NULL,
                    rows_read INTEGER NOT NULL,
                    rows_inserted INTEGER NOT NULL,
                    rows_updated INTEGER NOT NULL,
                    rows_unchanged INTEGER NOT NULL,
                    rows_rejected INTEGER NOT NULL,
                    rows_skipped INTEGER NOT NULL,
                    started TEXT NOT NULL,
                    finished TEXT NOT NULL
                );
                CREATE INDEX imports_by_symbol ON imports(symbol_id);
                """)
        }
        return m
    }
}
