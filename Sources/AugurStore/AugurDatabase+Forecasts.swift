import AugurCore
import Foundation
import GRDB

/// One stored forecast step.
public struct StoredForecast: Sendable, Equatable, Codable {
    public var symbol: String
    public var model: String
    public var modelID: Int64?
    public var asOf: CivilDate
    public var targetDate: CivilDate
    public var horizon: Int
    public var point: Double
    public var lower80: Double?
    public var upper80: Double?
    public var lower95: Double?
    public var upper95: Double?

    public init(symbol: String, model: String, modelID: Int64?, asOf: CivilDate, targetDate: CivilDate, horizon: Int,
                point: Double, lower80: Double?, upper80: Double?, lower95: Double?, upper95: Double?) {
        self.symbol = symbol; self.model = model; self.modelID = modelID; self.asOf = asOf; self.targetDate = targetDate
        self.horizon = horizon; self.point = point; self.lower80 = lower80; self.upper80 = upper80
        self.lower95 = lower95; self.upper95 = upper95
    }
}

/// A backtest run as stored: the header, every origin's forecasts and the model × horizon scores.
public struct StoredBacktest: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var model: String
        public var originDate: CivilDate?
        public var horizon: Int
        public var targetDate: CivilDate?
        public var point: Double
        public var lower80, upper80, lower95, upper95: Double?
        public var actual: Double?
        public init(model: String, originDate: CivilDate?, horizon: Int, targetDate: CivilDate?, point: Double,
                    lower80: Double?, upper80: Double?, lower95: Double?, upper95: Double?, actual: Double?) {
            self.model = model; self.originDate = originDate; self.horizon = horizon; self.targetDate = targetDate
            self.point = point; self.lower80 = lower80; self.upper80 = upper80; self.lower95 = lower95
            self.upper95 = upper95; self.actual = actual
        }
    }

    public struct Score: Sendable, Equatable {
        public var model: String
        public var horizon: Int
        public var count: Int
        public var metrics: [String: Double]
        public init(model: String, horizon: Int, count: Int, metrics: [String: Double]) {
            self.model = model; self.horizon = horizon; self.count = count; self.metrics = metrics
        }
    }

    public var id: Int64?
    public var symbol: String
    public var models: [String]
    public var configuration: String
    public var dataFirst: CivilDate
    public var dataLast: CivilDate
    public var origins: Int
    public var maseScale: Double
    public var seconds: Double
    public var created: String
    public var rows: [Row]
    public var scores: [Score]

    public init(id: Int64? = nil, symbol: String, models: [String], configuration: String, dataFirst: CivilDate,
                dataLast: CivilDate, origins: Int, maseScale: Double, seconds: Double, created: String, rows: [Row],
                scores: [Score]) {
        self.id = id; self.symbol = symbol; self.models = models; self.configuration = configuration
        self.dataFirst = dataFirst; self.dataLast = dataLast; self.origins = origins; self.maseScale = maseScale
        self.seconds = seconds; self.created = created; self.rows = rows; self.scores = scores
    }
}

extension AugurDatabase {
    /// Stores forecasts (replacing any for the same symbol, model, as-of date and horizon) in one transaction.
    /// Returns how many rows were new.
    @discardableResult
    public func saveForecasts(_ rows: [StoredForecast]) throws -> Int {
        try inTransaction { db in
            var inserted = 0
            for f in rows {
                let exists = try Bool.fetchOne(db, sql: """
                    SELECT 1 FROM forecasts WHERE symbol = ? AND model = ? AND as_of = ? AND horizon = ?
                    """, arguments: [f.symbol, f.model, f.asOf.iso, f.horizon]) ?? false
                try db.execute(sql: """
                    INSERT OR REPLACE INTO forecasts (symbol, model, model_id, as_of, target_date, horizon, point,
                                                      lower80, upper80, lower95, upper95, created)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [f.symbol, f.model, f.modelID, f.asOf.iso, f.targetDate.iso, f.horizon, f.point,
                                     f.lower80, f.upper80, f.lower95, f.upper95,
                                     ISO8601DateFormatter().string(from: Date())])
                if !exists { inserted += 1 }
            }
            return inserted
        }
    }

    /// The newest forecast run for `symbol` (all horizons of the latest as-of date), optionally of one model.
    public func latestForecast(symbol: String, model: String? = nil) throws -> [StoredForecast] {
        try read { db in
            var filter = "symbol = ?"
            var args: [any DatabaseValueConvertible] = [symbol]
            if let model { filter += " AND model = ?"; args.append(model) }
            guard let asOf = try String.fetchOne(db, sql: "SELECT MAX(as_of) FROM forecasts WHERE \(filter)",
                                                 arguments: StatementArguments(args)) else { return [] }
            return try Row.fetchAll(db, sql: "SELECT * FROM forecasts WHERE \(filter) AND as_of = ? ORDER BY model, horizon",
                                    arguments: StatementArguments(args + [asOf])).map {
                StoredForecast(symbol: $0["symbol"], model: $0["model"], modelID: $0["model_id"],
                               asOf: CivilDate(iso: $0["as_of"]) ?? CivilDate(daysSinceEpoch: 0),
                               targetDate: CivilDate(iso: $0["target_date"]) ?? CivilDate(daysSinceEpoch: 0),
                               horizon: $0["horizon"], point: $0["point"], lower80: $0["lower80"], upper80: $0["upper80"],
                               lower95: $0["lower95"], upper95: $0["upper95"])
            }
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
            try db.execute(sql: """
                INSERT INTO backtests (symbol, models, config, data_first, data_last, origins, mase_scale, seconds, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [b.symbol, models, b.configuration, b.dataFirst.iso, b.dataLast.iso, b.origins,
                                 b.maseScale, b.seconds, b.created])
            let id = db.lastInsertedRowID
            let insert = try db.makeStatement(sql: """
                INSERT INTO backtest_forecasts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in b.rows {
                try insert.execute(arguments: [id, r.model, r.originDate?.iso, r.horizon, r.targetDate?.iso, r.point,
                                               r.lower80, r.upper80, r.lower95, r.upper95, r.actual])
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for s in b.scores {
                try db.execute(sql: "INSERT INTO backtest_scores VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, s.model, s.horizon, s.count,
                                           String(decoding: try encoder.encode(s.metrics), as: UTF8.self)])
            }
            return id
        }
    }

    /// The newest backtest of `symbol`, with its rows and scores.
    public func latestBacktest(symbol: String) throws -> StoredBacktest? {
        try read { db in
            guard let h = try Row.fetchOne(db, sql: "SELECT * FROM backtests WHERE symbol = ? ORDER BY id DESC LIMIT 1",
                                           arguments: [symbol]) else { return nil }
            let id: Int64 = h["id"]
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM backtest_forecasts WHERE backtest_id = ? ORDER BY rowid",
                                        arguments: [id]).map {
                StoredBacktest.Row(model: $0["model"], originDate: ($0["origin_date"] as String?).flatMap(CivilDate.init(iso:)),
                                   horizon: $0["horizon"], targetDate: ($0["target_date"] as String?).flatMap(CivilDate.init(iso:)),
                                   point: $0["point"], lower80: $0["lower80"], upper80: $0["upper80"],
                                   lower95: $0["lower95"], upper95: $0["upper95"], actual: $0["actual"])
            }
            let scores = try Row.fetchAll(db, sql: "SELECT * FROM backtest_scores WHERE backtest_id = ? ORDER BY model, horizon",
                                          arguments: [id]).map {
                StoredBacktest.Score(model: $0["model"], horizon: $0["horizon"], count: $0["count"],
                                     metrics: (try? JSONDecoder().decode([String: Double].self,
                                                                         from: Data(($0["metrics"] as String).utf8))) ?? [:])
            }
            let models = (try? JSONDecoder().decode([String].self, from: Data((h["models"] as String).utf8))) ?? []
            return StoredBacktest(id: id, symbol: h["symbol"], models: models, configuration: h["config"],
                                  dataFirst: CivilDate(iso: h["data_first"]) ?? CivilDate(daysSinceEpoch: 0),
                                  dataLast: CivilDate(iso: h["data_last"]) ?? CivilDate(daysSinceEpoch: 0),
                                  origins: h["origins"], maseScale: h["mase_scale"], seconds: h["seconds"],
                                  created: h["created"], rows: rows, scores: scores)
        }
    }
}
