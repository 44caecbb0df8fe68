import AugurCore
import AugurStore

/// `augur models delete` and `augur models pin`: removing a stored model, and choosing what a
/// symbol's forecasts use when a command names no model.
public enum ModelManagementUseCase {
    /// What `delete` removed.
    public struct Deleted: Sendable, Codable, Equatable {
        public var id: Int64
        public var kind: ModelKind
        public var symbols: [String]
    }

    /// Deletes model `id` (its epochs and states; forecasts made with it keep their numbers, and a
    /// symbol pinned to it goes back to auto). Throws `AppError.notFound` for an unknown id.
    public static func delete(id: Int64, database: AugurDatabase) throws -> Deleted {
        guard let model = try database.model(id: id) else {
            throw AppError.notFound("there is no model \(id) (see `augur models`)")
        }
        try database.deleteModel(id: id)
        return Deleted(id: id, kind: model.kind, symbols: model.symbols)
    }

    /// What to pin: a model id, a model kind by name, or nothing (auto).
    public enum PinRequest: Sendable, Equatable {
        case model(Int64)
        case method(ModelKind)
        case clear
    }

    public struct Pinned: Sendable, Codable, Equatable {
        public var symbol: String
        /// nil: auto.
        public var pin: ModelPin?
    }

    /// Pins `symbol`: `forecast`, `daily` and `report` use the pin whenever they are not told a
    /// model (`--method`, `--model`). A model must have been trained on the symbol.
    public static func pin(symbol: String, _ request: PinRequest, database: AugurDatabase) throws -> Pinned {
        let name = try database.existingSymbol(symbol)
        let pin: ModelPin? = switch request {
        case .model(let id): .model(id)
        case .method(let kind): .method(kind)
        case .clear: nil
        }
        try database.setPin(pin, for: name)
        return Pinned(symbol: name, pin: try database.pin(of: name))
    }
}
