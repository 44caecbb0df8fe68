import AugurCore

/// What a symbol's forecasts use unless a command says otherwise (`augur models pin`).
public enum ModelPin: Sendable, Equatable, Codable, CustomStringConvertible {
    /// One stored model (its state for the symbol, advanced over new bars).
    case model(Int64)
    /// A model kind: a statistical one fitted on the spot, a neural one's newest stored model.
    case method(ModelKind)

    public var description: String {
        switch self {
        case .model(let id): "model \(id)"
        case .method(let kind): kind.name
        }
    }
}

extension AugurDatabase {
    /// The pin of `symbol`, nil when it has none (auto) or there is no such symbol.
    public func pin(of symbol: String) throws -> ModelPin? {
        try read { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT pinned_model_id, pinned_method FROM symbols WHERE name = ?",
                                             arguments: [symbol]) else { return nil }
            if let id: Int64 = try row["pinned_model_id"] { return .model(id) }
            if let name: String = try row["pinned_method"] {
                guard let kind = ModelKind(rawValue: name) else { throw StoreError.corruptRow(table: "symbols", column: "pinned_method") }
                return .method(kind)
            }
            return nil
        }
    }

    /// Pins `symbol` to `pin` (nil: back to auto). A pinned model must exist and have a state for
    /// the symbol (`StoreError.unusablePin` otherwise); an unknown symbol throws `unknownSymbol`.
    public func setPin(_ pin: ModelPin?, for symbol: String) throws {
        try inTransaction { db in
            let id = try AugurDatabase.existingSymbolID(db, name: symbol)
            let name = try AugurDatabase.canonicalName(db, symbol)
            switch pin {
            case .model(let modelID):
                guard try Int64.fetchOne(db, sql: "SELECT id FROM models WHERE id = ?", arguments: [modelID]) != nil else {
                    throw StoreError.unusablePin(symbol: name, reason: "there is no model \(modelID) (see `augur models`)")
                }
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM model_states WHERE model_id = ? AND symbol = ?",
                                        arguments: [modelID, name]) == true else {
                    throw StoreError.unusablePin(symbol: name, reason: "model \(modelID) was not trained on \(name)")
                }
                try db.execute(sql: "UPDATE symbols SET pinned_model_id = ?, pinned_method = NULL WHERE id = ?",
                               arguments: [modelID, id])
            case .method(let kind):
                try db.execute(sql: "UPDATE symbols SET pinned_model_id = NULL, pinned_method = ? WHERE id = ?",
                               arguments: [kind.rawValue, id])
            case nil:
                try db.execute(sql: "UPDATE symbols SET pinned_model_id = NULL, pinned_method = NULL WHERE id = ?",
                               arguments: [id])
            }
        }
    }

    /// Deletes a model with its epochs and states; forecasts made with it keep their numbers (their
    /// model id becomes empty) and a symbol pinned to it goes back to auto. False when there is no
    /// such model.
    @discardableResult
    public func deleteModel(id: Int64) throws -> Bool {
        try inTransaction { db in
            try db.execute(sql: "DELETE FROM models WHERE id = ?", arguments: [id]) > 0
        }
    }
}
