import AugurCore
import Foundation

/// The calibration layer's state for one symbol and method, as stored: the record is JSON the caller
/// encodes and decodes (the store does not interpret it).
public struct StoredCalibration: Sendable, Equatable {
    public var symbol: String
    /// The method's name (`auto`, `theta`, …).
    public var method: String
    /// For auto: the selection the record calibrates.
    public var selectionID: Int64?
    /// Bars of the history when the record was last advanced.
    public var bars: Int
    public var horizon: Int
    public var summary: String
    public var record: String
    public var updated: String

    public init(symbol: String, method: String, selectionID: Int64?, bars: Int, horizon: Int, summary: String,
                record: String, updated: String = ISO8601DateFormatter().string(from: Date())) {
        self.symbol = symbol; self.method = method; self.selectionID = selectionID; self.bars = bars
        self.horizon = horizon; self.summary = summary; self.record = record; self.updated = updated
    }
}

extension AugurDatabase {
    /// Stores the calibration of `symbol` and `method`, replacing the previous one (one transaction).
    public func saveCalibration(_ c: StoredCalibration) throws {
        try inTransaction { db in
            try db.execute(sql: """
                INSERT INTO calibrations (symbol, method, selection_id, bars, horizon, summary, record, updated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (symbol, method) DO UPDATE SET selection_id = excluded.selection_id, bars = excluded.bars,
                    horizon = excluded.horizon, summary = excluded.summary, record = excluded.record,
                    updated = excluded.updated
                """, arguments: [c.symbol, c.method, c.selectionID, c.bars, c.horizon, c.summary, c.record, c.updated])
        }
    }

    /// The stored calibration of `symbol` and `method`, if any.
    public func calibration(symbol: String, method: String) throws -> StoredCalibration? {
        try read { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM calibrations WHERE symbol = ? AND method = ?",
                                             arguments: [symbol, method]) else { return nil }
            return try StoredCalibration(symbol: row["symbol"], method: row["method"], selectionID: row["selection_id"],
                                     bars: row["bars"], horizon: row["horizon"], summary: row["summary"],
                                     record: row["record"], updated: row["updated"])
        }
    }
}
