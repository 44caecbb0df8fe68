import AugurCore
import Foundation

/// A model selection as stored: which data it was made on, its one-line summary and its evidence (JSON
/// the caller encodes and decodes; the store does not interpret it).
public struct StoredSelection: Sendable, Equatable {
    public var id: Int64?
    public var symbol: String
    /// The last bar of the data the selection saw, and how many bars that was.
    public var asOf: CivilDate
    public var bars: Int
    /// The longest horizon validated.
    public var horizon: Int
    public var summary: String
    public var evidence: String
    public var created: String

    public init(id: Int64? = nil, symbol: String, asOf: CivilDate, bars: Int, horizon: Int, summary: String,
                evidence: String, created: String = ISO8601DateFormatter().string(from: Date())) {
        self.id = id; self.symbol = symbol; self.asOf = asOf; self.bars = bars; self.horizon = horizon
        self.summary = summary; self.evidence = evidence; self.created = created
    }
}

extension AugurDatabase {
    /// Stores a selection (one transaction); returns its id. Earlier ones stay as history.
    @discardableResult
    public func saveSelection(_ s: StoredSelection) throws -> Int64 {
        try inTransaction { db in
            try db.insertReturningID(sql: """
                INSERT INTO selections (symbol, as_of, bars, horizon, summary, evidence, created)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [s.symbol, s.asOf.iso, s.bars, s.horizon, s.summary, s.evidence, s.created])
        }
    }

    /// The selection in force for `symbol`: the newest stored.
    public func latestSelection(symbol: String) throws -> StoredSelection? {
        try read { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM selections WHERE symbol = ? ORDER BY id DESC LIMIT 1",
                                             arguments: [symbol]) else { return nil }
            return try StoredSelection(id: row["id"], symbol: row["symbol"], asOf: try Column.date(row, "as_of", table: "selections"),
                                   bars: row["bars"], horizon: row["horizon"], summary: row["summary"],
                                   evidence: row["evidence"], created: row["created"])
        }
    }
}
