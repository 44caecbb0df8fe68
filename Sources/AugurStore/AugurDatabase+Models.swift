import AugurCore
import Foundation

/// What a stored model is for.
public enum ModelRole: String, Sendable, Codable, CaseIterable {
    /// Serves forecasts: the newest such model of a symbol is its default.
    case forecast
    /// Trained by `augur compare-modes` for its numbers and loss curve; never chosen to forecast.
    case comparison
}

/// A trained model as the store keeps it. The store knows nothing of networks: configuration and
/// scalers are JSON text, weights an opaque versioned blob.
public struct StoredModel: Sendable, Equatable {
    public var id: Int64?
    public var symbols: [String]
    /// Which model (column `cell`).
    public var kind: ModelKind
    /// Stateful or stateless; nil for the encoder-decoder (column `mode`, `encoder-decoder`).
    public var mode: TrainingMode?
    public var configuration: String
    public var features: String
    public var scalers: String
    public var weights: [UInt8]
    public var dataFirst: CivilDate
    public var dataLast: CivilDate
    public var created: String
    public var bestEpoch: Int
    public var bestValidationLoss: Double
    public var randomWalkLoss: Double
    public var trainSeconds: Double
    public var streams: Int
    public var notes: String
    /// Conformal calibration per symbol, as JSON.
    public var calibration: String = "{}"
    public var role: ModelRole = .forecast

    public init(id: Int64? = nil, symbols: [String], kind: ModelKind, mode: TrainingMode?, configuration: String, features: String,
                scalers: String, weights: [UInt8], dataFirst: CivilDate, dataLast: CivilDate, created: String,
                bestEpoch: Int, bestValidationLoss: Double, randomWalkLoss: Double, trainSeconds: Double,
                streams: Int, notes: String) {
        self.id = id; self.symbols = symbols; self.kind = kind; self.mode = mode; self.configuration = configuration
        self.features = features; self.scalers = scalers; self.weights = weights; self.dataFirst = dataFirst
        self.dataLast = dataLast; self.created = created; self.bestEpoch = bestEpoch
        self.bestValidationLoss = bestValidationLoss; self.randomWalkLoss = randomWalkLoss
        self.trainSeconds = trainSeconds; self.streams = streams; self.notes = notes
    }
}

public struct StoredEpoch: Sendable, Equatable, Codable {
    public var epoch: Int
    public var trainLoss: Double
    public var validationLoss: Double
    public var seconds: Double
    public init(epoch: Int, trainLoss: Double, validationLoss: Double, seconds: Double) {
        self.epoch = epoch; self.trainLoss = trainLoss; self.validationLoss = validationLoss; self.seconds = seconds
    }
}

/// One stream's recurrent state as of a date: h (and c for LSTM) of every layer, concatenated.
public struct StoredState: Sendable, Equatable {
    public var symbol: String
    public var asOf: CivilDate
    public var lastPrice: Double
    public var h: [Float]
    public var c: [Float]
    /// `HistoryDigest` of the bars up to `asOf` the state was advanced over (nil: not recorded).
    public var digest: String?
    public init(symbol: String, asOf: CivilDate, lastPrice: Double, h: [Float], c: [Float], digest: String? = nil) {
        self.symbol = symbol; self.asOf = asOf; self.lastPrice = lastPrice; self.h = h; self.c = c; self.digest = digest
    }
}

enum FloatBlob {
    static func encode(_ v: [Float]) -> Data {
        var d = Data(capacity: v.count * 4)
        for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { d.append(contentsOf: $0) } }
        return d
    }

    static func decode(_ d: Data) -> [Float]? {
        guard d.count % 4 == 0 else { return nil }
        let bytes = [UInt8](d)
        return stride(from: 0, to: bytes.count, by: 4).map { i in
            Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        }
    }
}

extension AugurDatabase {
    /// Saves a model, its epochs and its states in one transaction; returns the new id.
    public func saveModel(_ m: StoredModel, epochs: [StoredEpoch], states: [StoredState]) throws -> Int64 {
        try inTransaction { db in
            let symbols = String(decoding: try JSONEncoder().encode(m.symbols), as: UTF8.self)
            let mode = TrainingMode.label(m.mode)
            let id = try db.insertReturningID(sql: """
                INSERT INTO models (symbols, cell, mode, config, features, scaler, weights, data_first, data_last, created,
                                    best_epoch, best_validation_loss, random_walk_loss, train_seconds, streams, notes, calibration,
                                    role)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [symbols, m.kind.rawValue, mode, m.configuration, m.features, m.scalers, Data(m.weights),
                                 m.dataFirst.iso, m.dataLast.iso, m.created, m.bestEpoch, m.bestValidationLoss,
                                 m.randomWalkLoss, m.trainSeconds, m.streams, m.notes, m.calibration, m.role.rawValue])
            for e in epochs {
                try db.execute(sql: "INSERT INTO training_epochs VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, e.epoch, e.trainLoss, e.validationLoss, e.seconds])
            }
            for s in states { try AugurDatabase.writeState(db, modelID: id, s) }
            return id
        }
    }

    static func writeState(_ db: any SQLSession, modelID: Int64, _ s: StoredState) throws {
        try db.execute(sql: """
            INSERT INTO model_states (model_id, symbol, as_of, last_price, h, c, digest) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (model_id, symbol) DO UPDATE SET as_of = excluded.as_of, last_price = excluded.last_price,
                h = excluded.h, c = excluded.c, digest = excluded.digest
            """, arguments: [modelID, s.symbol, s.asOf.iso, s.lastPrice, FloatBlob.encode(s.h), FloatBlob.encode(s.c), s.digest])
    }

    /// Replaces a model's state for one symbol (the daily job advancing it).
    public func saveState(modelID: Int64, _ s: StoredState) throws {
        try inTransaction { db in try AugurDatabase.writeState(db, modelID: modelID, s) }
    }

    private static func model(from row: SQLRow) throws -> StoredModel {
        let weights: Data = try row["weights"]
        var m = try StoredModel(id: row["id"], symbols: try Column.json([String].self, row, "symbols", table: "models"),
                            kind: try Column.kind(row, "cell", table: "models"),
                            mode: try Column.mode(row, "mode", table: "models"), configuration: row["config"],
                            features: row["features"], scalers: row["scaler"], weights: [UInt8](weights),
                            dataFirst: try Column.date(row, "data_first", table: "models"),
                            dataLast: try Column.date(row, "data_last", table: "models"),
                            created: row["created"], bestEpoch: row["best_epoch"],
                            bestValidationLoss: row["best_validation_loss"], randomWalkLoss: row["random_walk_loss"],
                            trainSeconds: row["train_seconds"], streams: row["streams"], notes: row["notes"])
        m.calibration = try row["calibration"] ?? "{}"
        guard let role = ModelRole(rawValue: try row["role"] ?? "") else { throw StoreError.corruptRow(table: "models", column: "role") }
        m.role = role
        return m
    }

    /// Every model, newest first.
    public func models() throws -> [StoredModel] {
        try read { db in try SQLRow.fetchAll(db, sql: "SELECT * FROM models ORDER BY id DESC").map(AugurDatabase.model(from:)) }
    }

    public func model(id: Int64) throws -> StoredModel? {
        try read { db in try SQLRow.fetchOne(db, sql: "SELECT * FROM models WHERE id = ?", arguments: [id]).map(AugurDatabase.model(from:)) }
    }

    /// The newest forecasting model (not a comparison one) with a state for `symbol`, optionally of one kind.
    public func latestModel(for symbol: String, kind: ModelKind? = nil) throws -> StoredModel? {
        try read { db in
            var sql = "SELECT m.* FROM models m JOIN model_states s ON s.model_id = m.id WHERE s.symbol = ? AND m.role = 'forecast'"
            var args: SQLArguments = [symbol]
            if let kind { sql += " AND m.cell = ?"; args += [kind.rawValue] }
            sql += " ORDER BY m.id DESC LIMIT 1"
            return try SQLRow.fetchOne(db, sql: sql, arguments: args).map(AugurDatabase.model(from:))
        }
    }

    /// The newest model of `cell` trained on `symbol` (named among its symbols, with a state or not)
    /// in a mode other than `mode`: the other half of an `augur compare-modes` pair.
    public func newestModel(trainedOn symbol: String, kind: ModelKind, modeOtherThan mode: TrainingMode?) throws -> StoredModel? {
        try newestModel(trainedOn: symbol, kind: kind, excludingModeLabel: TrainingMode.label(mode))
    }

    /// The newest model of `kind` trained on `symbol`, with a state or not (the encoder-decoder has none).
    public func newestModel(trainedOn symbol: String, kind: ModelKind) throws -> StoredModel? {
        try newestModel(trainedOn: symbol, kind: kind, excludingModeLabel: nil)
    }

    private func newestModel(trainedOn symbol: String, kind: ModelKind, excludingModeLabel label: String?) throws -> StoredModel? {
        try read { db in
            try SQLRow.fetchOne(db, sql: """
                SELECT * FROM models m WHERE m.cell = ? AND m.mode IS DISTINCT FROM ?
                    AND \(AugurDatabase.jsonArrayContains(db.dialect, "m.symbols", ignoringCase: true))
                ORDER BY m.id DESC LIMIT 1
                """, arguments: [kind.rawValue, label, symbol]).map(AugurDatabase.model(from:))
        }
    }

    /// Deletes the comparison models of `kind` trained on `symbol` alone (a new comparison replaces
    /// them), with their epochs and states. Returns how many went.
    @discardableResult
    public func deleteComparisonModels(symbol: String, kind: ModelKind) throws -> Int {
        try inTransaction { db in
            try db.execute(sql: """
                DELETE FROM models WHERE role = 'comparison' AND cell = ?
                    AND \(AugurDatabase.jsonArrayIsOnly(db.dialect, "symbols"))
                """, arguments: [kind.rawValue, symbol])
        }
    }

    public func epochs(modelID: Int64) throws -> [StoredEpoch] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM training_epochs WHERE model_id = ? ORDER BY epoch", arguments: [modelID]).map {
                try StoredEpoch(epoch: $0["epoch"], trainLoss: $0["train_loss"], validationLoss: $0["validation_loss"], seconds: $0["seconds"])
            }
        }
    }

    public func state(modelID: Int64, symbol: String) throws -> StoredState? {
        try read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM model_states WHERE model_id = ? AND symbol = ?", arguments: [modelID, symbol]).map {
                guard let h = FloatBlob.decode(try $0["h"]) else { throw StoreError.corruptRow(table: "model_states", column: "h") }
                guard let c = FloatBlob.decode(try $0["c"]) else { throw StoreError.corruptRow(table: "model_states", column: "c") }
                return try StoredState(symbol: $0["symbol"], asOf: try Column.date($0, "as_of", table: "model_states"),
                                   lastPrice: $0["last_price"], h: h, c: c, digest: $0["digest"])
            }
        }
    }
}
