import AugurCore
import AugurStore

/// `augur symbol SYMBOL`: what is stored with a symbol beside its bars, and changing it.
public enum SymbolSettingsUseCase {
    public struct Settings: Sendable, Codable, Equatable {
        public var symbol: String
        public var kind: SeriesKind
        /// The exchange whose holidays the forecast dates skip; nil: weekends only.
        public var calendar: ExchangeCalendar?
        /// "NYSE holidays and weekends" or "weekends only".
        public var skips: String
        /// What its forecasts use when a command names no model (nil: auto).
        public var pin: ModelPin? = nil
    }

    /// A change to make; nil leaves the setting as it is.
    public enum CalendarChange: Sendable, Equatable {
        case set(ExchangeCalendar)
        /// Back to weekends only.
        case remove
    }

    /// Applies `calendar` (when given) and returns the symbol's settings after it.
    public static func run(symbol: String, calendar: CalendarChange?, database: AugurDatabase) throws -> Settings {
        let name = try database.existingSymbol(symbol)
        switch calendar {
        case .set(let exchange): try database.setCalendar(exchange, for: name)
        case .remove: try database.setCalendar(nil, for: name)
        case nil: break
        }
        let stored = try database.calendar(of: name)
        return Settings(symbol: name, kind: try database.kind(of: name) ?? .price, calendar: stored,
                        skips: TradingCalendar(exchange: stored).summary, pin: try database.pin(of: name))
    }
}
