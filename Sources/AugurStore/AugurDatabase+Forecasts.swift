import AugurCore
import Foundation

/// A backtest run as stored: the header, every origin's forecasts and the model × horizon scores.
public struct StoredBacktest: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var model: ModelKind
        public var originDate: CivilDate?
        public var horizon: Int
        public var targetDate: CivilDate?
        public var point: Double
        public var lower80, upper80, lower95, upper95: Double?
        public var actual: Double?
        public init(model: ModelKind, originDate: CivilDate?, horizon: Int, targetDate: CivilDate?, point: Double,
                    lower80: Double?, upper80: Double?, lower95: Double?, upper95: Double?, actual: Double?) {
            self.model = model; self.originDate = originDate; self.horizon = horizon; self.targetDate = targetDate
            self.point = point; self.lower80 = lower80; self.upper80 = upper80; self.lower95 = lower95
            self.upper95 = upper95; self.actual = actual
        }
    }

    public var id: Int64?
    public var symbol: String
    public var models: [ModelKind]
    /// The protocol as JSON (window, test fraction, origin step, horizons, levels).
    public var configuration: String
    public var dataFirst: CivilDate
    public var dataLast: CivilDate
    public var origins: Int
    /// nil when MASE was undefined (a constant training part); the column stores 0 for it.
    public var maseScale: Double?
    public var seconds: Double
    public var created: String
    public var rows: [Row]
    public var scores: [BacktestScore]

    public init(id: Int64? = nil, symbol: String, models: [ModelKind], configuration: String, dataFirst: CivilDate,
                dataLast: CivilDate, origins: Int, maseScale: Double?, seconds: Double, created: String, rows: [Row],
                scores: [BacktestScore]) {
        self.id = id; self.symbol = symbol; self.models = models; self.configuration = configuration
        self.dataFirst = dataFirst; self.dataLast = dataLast; self.origins = origins; self.maseScale = maseScale
        self.seconds = seconds; self.created = created; self.rows = rows; self.scores = scores
    }
}

extension AugurDatabase {
    /// Stores a forecast run (replacing any steps for the same symbol, model, as-of date and horizon) in
    /// one transaction. Returns how many steps were new.
    @discardableResult
    public func saveForecast(_ run: ForecastRun) throws -> Int {
        try inTransaction { db in
            var inserted = 0
            let created = ISO8601DateFormatter().string(from: Date())
            for f in run.steps {
                let exists = try Bool.fetchOne(db, sql: """
                    SELECT 1 FROM forecasts WHERE symbol = ? AND model = ? AND as_of = ? AND horizon = ?
                    """, arguments: [run.symbol, run.model.rawValue, run.asOf.iso, f.horizon]) ?? false
                try db.execute(sql: """
                    INSERT INTO forecasts (symbol, model, model_id, as_of, target_date, horizon, point,
                                           lower80, upper80, lower95, upper95, created, fitted, digest)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (symbol, model, as_of, horizon) DO UPDATE SET model_id = excluded.model_id,
                        target_date = excluded.target_date, point = excluded.point, lower80 = excluded.lower80,
                        upper80 = excluded.upper80, lower95 = excluded.lower95, upper95 = excluded.upper95,
                        created = excluded.created, fitted = excluded.fitted, digest = excluded.digest
                    """, arguments: [run.symbol, run.model.rawValue, run.modelID, run.asOf.iso, f.date.iso, f.horizon,
                                     f.point, f.lower80, f.upper80, f.lower95, f.upper95, created, run.fitted, run.digest])
                if !exists { inserted += 1 }
            }
            return inserted
        }
    }

    /// The newest forecast run of `model` for `symbol` (every horizon of its latest as-of date).
    public func latestForecast(symbol: String, model: ModelKind) throws -> ForecastRun? {
        try read { db in
            let args: SQLArguments = [symbol, model.rawValue]
            guard let asOf = try String.fetchOne(db, sql: "SELECT MAX(as_of) FROM forecasts WHERE symbol = ? AND model = ?",
                                                 arguments: args) else { return nil }
            let rows = try SQLRow.fetchAll(db, sql: """
                SELECT * FROM forecasts WHERE symbol = ? AND model = ? AND as_of = ? ORDER BY horizon
                """, arguments: args + [asOf])
            guard let first = rows.first else { return nil }
            let steps = try rows.map {
                try ForecastStep(date: try Column.date($0, "target_date", table: "forecasts"), horizon: $0["horizon"],
                             point: $0["point"], lower80: $0["lower80"], upper80: $0["upper80"],
                             lower95: $0["lower95"], upper95: $0["upper95"])
            }
            return try ForecastRun(symbol: symbol, model: model, modelID: first["model_id"],
                               asOf: try Column.date(first, "as_of", table: "forecasts"), steps: steps,
                               fitted: first["fitted"], digest: first["digest"])
        }
    }

    /// Sets a model's calibration JSON.
    public func setCalibration(modelID: Int64, json: String) throws {
        try inTransaction { db in
            try db.execute(sql: "UPDATE models SET calibration = ? WHERE id = ?", arguments: [json, modelID])
        }
    }

    public func calibration(modelID: Int64) throws -> String {
        try read { db in try String.fetchOne(db, sql: "SELECT calibration FROM models WHERE id = ?", arguments: [modelID]) ?? "{}" }
    }

    /// Stores a backtest with its rows and scores in one transaction; returns its id.
    public func saveBacktest(_ b: StoredBacktest) throws -> Int64 {
        try inTransaction { db in
            let models = String(decoding: try JSONEncoder().encode(b.models), as: UTF8.self)
            let id = try db.insertReturningID(sql: """
                INSERT INTO backtests (symbol, models, config, data_first, data_last, origins, mase_scale, seconds, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [b.symbol, models, b.configuration, b.dataFirst.iso, b.dataLast.iso, b.origins,
                                 b.maseScale ?? 0, b.seconds, b.created])
            try db.insertMany(table: "backtest_forecasts",
                              columns: ["backtest_id", "model", "origin_date", "horizon", "target_date", "point",
                                        "lower80", "upper80", "lower95", "upper95", "actual"],
                              rows: b.rows.map { r in
                                  ([id, r.model.rawValue, r.originDate?.iso, r.horizon, r.targetDate?.iso, r.point,
                                    r.lower80, r.upper80, r.lower95, r.upper95, r.actual] as SQLArguments).values
                              })
            for s in b.scores {
                let metrics = Dictionary(uniqueKeysWithValues: s.values.map { ($0.key.key, $0.value) })
                try db.execute(sql: "INSERT INTO backtest_scores VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, s.model.rawValue, s.horizon, s.count, try Column.encodeJSON(metrics)])
            }
            return id
        }
    }

    /// The id of the newest backtest of `symbol` whose protocol is `configuration` (any protocol when
    /// nil) and that ran `model` (any when nil), without loading it.
    public func latestBacktestID(symbol: String, configuration: String? = nil, including model: ModelKind? = nil) throws -> Int64? {
        try read { db in
            var sql = "SELECT id FROM backtests WHERE symbol = ?"
            var args: SQLArguments = [symbol]
            if let configuration { sql += " AND config = ?"; args += [configuration] }
            if let model { sql += " AND " + AugurDatabase.jsonArrayContains(db.dialect, "models"); args += [model.rawValue] }
            return try Int64.fetchOne(db, sql: sql + " ORDER BY id DESC LIMIT 1", arguments: args)
        }
    }

    /// The newest backtest of `symbol` (of protocol `configuration`, and that ran `model`, when given), with
    /// its rows and scores.
    public func latestBacktest(symbol: String, configuration: String? = nil, including model: ModelKind? = nil) throws -> StoredBacktest? {
        guard let id = try latestBacktestID(symbol: symbol, configuration: configuration, including: model) else { return nil }
        return try backtest(id: id)
    }

    /// Backtest `id` with its rows and scores.
    public func backtest(id: Int64) throws -> StoredBacktest? {
        try read { db in
            guard let h = try SQLRow.fetchOne(db, sql: "SELECT * FROM backtests WHERE id = ?", arguments: [id]) else { return nil }
            let table = "backtest_forecasts"
            let rows = try SQLRow.fetchAll(db, sql: "SELECT * FROM backtest_forecasts WHERE backtest_id = ? ORDER BY \(AugurDatabase.insertionOrder(db.dialect))",
                                        arguments: [id]).map {
                try StoredBacktest.Row(model: try Column.kind($0, "model", table: table),
                                   originDate: try Column.optionalDate($0, "origin_date", table: table),
                                   horizon: $0["horizon"], targetDate: try Column.optionalDate($0, "target_date", table: table),
                                   point: $0["point"], lower80: $0["lower80"], upper80: $0["upper80"],
                                   lower95: $0["lower95"], upper95: $0["upper95"], actual: $0["actual"])
            }
            let scores = try SQLRow.fetchAll(db, sql: "SELECT * FROM backtest_scores WHERE backtest_id = ? ORDER BY model, horizon",
                                          arguments: [id]).map { row -> BacktestScore in
                let raw = try Column.json([String: Double].self, row, "metrics", table: "backtest_scores")
                var values: [Metric: Double] = [:]
                for (key, v) in raw {
                    guard let m = Metric(rawValue: key) else { throw StoreError.corruptRow(table: "backtest_scores", column: "metrics") }
                    values[m] = v
                }
                return try BacktestScore(model: try Column.kind(row, "model", table: "backtest_scores"), horizon: row["horizon"],
                                     count: row["count"], values: values)
            }
            return try StoredBacktest(id: id, symbol: h["symbol"], models: try Column.json([ModelKind].self, h, "models", table: "backtests"),
                                  configuration: h["config"],
                                  dataFirst: try Column.date(h, "data_first", table: "backtests"),
                                  dataLast: try Column.date(h, "data_last", table: "backtests"),
                                  origins: h["origins"], maseScale: (try h["mase_scale"] as Double?).flatMap { $0 > 0 ? $0 : nil }, seconds: h["seconds"],
                                  created: h["created"], rows: rows, scores: scores)
        }
    }
}
