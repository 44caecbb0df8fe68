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
        m.registerMigration("v2: models, training_epochs, model_states") { db in
            try db.execute(sql: """
                CREATE TABLE models (
                    id INTEGER PRIMARY KEY,
                    symbols TEXT NOT NULL,            -- JSON array of symbol names
                    cell TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    config TEXT NOT NULL,             -- JSON TrainingConfiguration
                    features TEXT NOT NULL,
                    scaler TEXT NOT NULL,             -- JSON {symbol: {means, deviations}}
                    weights BLOB NOT NULL,
                    data_first TEXT NOT NULL,
                    data_last TEXT NOT NULL,
                    created TEXT NOT NULL,
                    best_epoch INTEGER NOT NULL,
                    best_validation_loss REAL NOT NULL,
                    random_walk_loss REAL NOT NULL,
                    train_seconds REAL NOT NULL,
                    streams INTEGER NOT NULL,
                    notes TEXT NOT NULL DEFAULT ''
                );
                CREATE TABLE training_epochs (
                    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    epoch INTEGER NOT NULL,
                    train_loss REAL NOT NULL,
                    validation_loss REAL NOT NULL,
                    seconds REAL NOT NULL,
                    PRIMARY KEY (model_id, epoch)
                ) WITHOUT ROWID;
                CREATE TABLE model_states (
                    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    symbol TEXT NOT NULL COLLATE NOCASE,
                    as_of TEXT NOT NULL,
                    last_price REAL NOT NULL,
                    h BLOB NOT NULL,                  -- float32 little-endian, layers × hidden
                    c BLOB NOT NULL,                  -- the same for LSTM cells; empty otherwise
                    PRIMARY KEY (model_id, symbol)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v3: calibration, forecasts, backtests") { db in
            try db.execute(sql: """
                ALTER TABLE models ADD COLUMN calibration TEXT NOT NULL DEFAULT '{}';
                CREATE TABLE forecasts (
                    symbol TEXT NOT NULL COLLATE NOCASE,
                    model TEXT NOT NULL,
                    model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
                    as_of TEXT NOT NULL,
                    target_date TEXT NOT NULL,
                    horizon INTEGER NOT NULL,
                    point REAL NOT NULL,
                    lower80 REAL, upper80 REAL, lower95 REAL, upper95 REAL,
                    created TEXT NOT NULL,
                    PRIMARY KEY (symbol, model, as_of, horizon)
                ) WITHOUT ROWID;
                CREATE TABLE backtests (
                    id INTEGER PRIMARY KEY,
                    symbol TEXT NOT NULL COLLATE NOCASE,
                    models TEXT NOT NULL,
                    config TEXT NOT NULL,
                    data_first TEXT NOT NULL,
                    data_last TEXT NOT NULL,
                    origins INTEGER NOT NULL,
                    mase_scale REAL NOT NULL,
                    seconds REAL NOT NULL,
                    created TEXT NOT NULL
                );
                CREATE INDEX backtests_by_symbol ON backtests(symbol);
                CREATE TABLE backtest_forecasts (
                    backtest_id INTEGER NOT NULL REFERENCES backtests(id) ON DELETE CASCADE,
                    model TEXT NOT NULL,
                    origin_date TEXT,
                    horizon INTEGER NOT NULL,
                    target_date TEXT,
                    point REAL NOT NULL,
                    lower80 REAL, upper80 REAL, lower95 REAL, upper95 REAL,
                    actual REAL
                );
                CREATE INDEX backtest_forecasts_by_run ON backtest_forecasts(backtest_id, model, horizon);
                CREATE TABLE backtest_scores (
                    backtest_id INTEGER NOT NULL REFERENCES backtests(id) ON DELETE CASCADE,
                    model TEXT NOT NULL,
                    horizon INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    metrics TEXT NOT NULL,            -- JSON {metric: value}
                    PRIMARY KEY (backtest_id, model, horizon)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v4: model states by symbol") { db in
            // The newest model of a symbol is found through its states (latestModel): without this
            // index every lookup scanned all states, and a report or daily job over N symbols cost N².
            try db.execute(sql: "CREATE INDEX model_states_by_symbol ON model_states(symbol)")
        }
        m.registerMigration("v5: state digests, model roles") { db in
            // The digest of the bars a state was advanced over: a corrected bar at or before the
            // state's date changes it, and the state is then replayed (NULL: a state from before v5).
            try db.execute(sql: "ALTER TABLE model_states ADD COLUMN digest TEXT")
            // 'forecast' models serve forecasts; 'comparison' ones (compare-modes) are kept for their
            // numbers and loss curves and never chosen to forecast.
            try db.execute(sql: "ALTER TABLE models ADD COLUMN role TEXT NOT NULL DEFAULT 'forecast'")
        }
        m.registerMigration("v6: fitted forms of forecasts") { db in
            // The form and parameters AutoETS or AutoARIMA chose for the forecast (NULL for the others).
            try db.execute(sql: "ALTER TABLE forecasts ADD COLUMN fitted TEXT")
        }
        m.registerMigration("v7: model selections, digests of forecasts fitted on the spot") { db in
            // What `auto` chose for a symbol, on which data, and the evidence (candidates' validation
            // errors, the skill test) as JSON; the newest row is the one in force.
            try db.execute(sql: """
                CREATE TABLE selections (
                    id INTEGER PRIMARY KEY,
                    symbol TEXT NOT NULL COLLATE NOCASE,
                    as_of TEXT NOT NULL,
                    bars INTEGER NOT NULL,
                    horizon INTEGER NOT NULL,
                    summary TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    created TEXT NOT NULL
                );
                CREATE INDEX selections_by_symbol ON selections(symbol, id);
                ALTER TABLE forecasts ADD COLUMN digest TEXT;
                """)
        }
        m.registerMigration("v8: interval calibrations") { db in
            // The calibration layer's state for a symbol and a method: the interval method chosen and the
            // forecast paths whose errors calibrate the next interval (JSON), advanced by every forecast.
            // `selection_id` ties auto's record to the selection it calibrates.
            try db.execute(sql: """
                CREATE TABLE calibrations (
                    symbol TEXT NOT NULL COLLATE NOCASE,
                    method TEXT NOT NULL,
                    selection_id INTEGER,
                    bars INTEGER NOT NULL,
                    horizon INTEGER NOT NULL,
                    summary TEXT NOT NULL,
                    record TEXT NOT NULL,
                    updated TEXT NOT NULL,
                    PRIMARY KEY (symbol, method)
                );
                """)
        }
        m.registerMigration("v9: series kinds") { db in
            // Prices (positive, log returns) or values (any finite number, additive models). Symbols
            // stored before kinds existed were imported under the price rules, so they are prices.
            try db.execute(sql: "ALTER TABLE symbols ADD COLUMN kind TEXT NOT NULL DEFAULT 'price'")
        }
        m.registerMigration("v10: exchange calendars") { db in
            // The exchange whose holidays forecast dates skip (ExchangeCalendar's raw value);
            // NULL: weekends only, as every symbol before calendars existed.
            try db.execute(sql: "ALTER TABLE symbols ADD COLUMN calendar TEXT")
        }
        m.registerMigration("v11: pinned models") { db in
            // What the symbol's forecasts, daily job and reports use unless told otherwise: a stored
            // model (cleared when that model is deleted) or a model kind; both NULL: auto.
            try db.execute(sql: """
                ALTER TABLE symbols ADD COLUMN pinned_model_id INTEGER REFERENCES models(id) ON DELETE SET NULL;
                ALTER TABLE symbols ADD COLUMN pinned_method TEXT;
                """)
        }
        return m
    }
}
