import AugurCore

/// The market-CSV layouts Augur knows.
public enum CSVFormat: String, Sendable, CaseIterable, Codable {
    /// `Date,Open,High,Low,Close,Adj Close,Volume`; `null` marks a missing value.
    case yahoo
    /// `Date,Open,High,Low,Close,Volume`.
    case stooq
    /// Any subset of the names above, in any order and case (or named with --date-column/--value-column).
    case generic
    /// `;` separator, decimal comma, `DD.MM.YYYY` dates, German or English names (`Datum;Schluss`).
    case european
    /// Stooq's bulk download: `<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>`,
    /// `YYYYMMDD` dates, several tickers in one file (each imported as its own symbol).
    case stooqBulk = "stooq-bulk"
}

/// The meaning of each column: field index per field, or nil where the file lacks it.
public struct ColumnMap: Sendable, Equatable {
    public var date: Int
    public var open: Int?
    public var high: Int?
    public var low: Int?
    public var close: Int
    public var adjClose: Int?
    public var volume: Int?
    /// The ticker column of a file holding several symbols (Stooq's bulk format), nil otherwise.
    public var ticker: Int? = nil
    /// Header names by index, for messages.
    public var names: [String]

    /// The value columns present, with their field index, in a fixed order.
    var valueColumns: [(field: BarField, index: Int)] {
        var out: [(BarField, Int)] = []
        if let open { out.append((.open, open)) }
        if let high { out.append((.high, high)) }
        if let low { out.append((.low, low)) }
        out.append((.close, close))
        if let adjClose { out.append((.adjClose, adjClose)) }
        if let volume { out.append((.volume, volume)) }
        return out
    }
}

enum BarField: Int, CaseIterable {
    case open, high, low, close, adjClose, volume
}

/// Recognises column names. Case, surrounding spaces and quotes, `_`/`-`/`.` and spaces inside are ignored.
enum HeaderNames {
    static func normalise(_ s: String) -> String {
        String(s.lowercased().filter { !" _-.\"'<>".contains($0) })
    }

    static let date: Set<String> = ["date", "datum", "time", "timestamp", "day", "datetime", "period", "month"]
    static let open: Set<String> = ["open", "eröffnung", "eroeffnung", "erster", "ouverture"]
    static let high: Set<String> = ["high", "hoch", "max", "haut"]
    static let low: Set<String> = ["low", "tief", "min", "bas"]
    static let close: Set<String> = ["close", "schluss", "schlusskurs", "last", "price", "value", "zuletzt",
                                     "cloture", "clôture", "level", "vix"]
    static let adjClose: Set<String> = ["adjclose", "adjustedclose", "adjclosing"]
    /// Names of a close column that say the numbers are prices (`value` does not).
    static let priceNames: Set<String> = close.subtracting(["value"]).union(adjClose)
    static let volume: Set<String> = ["volume", "vol", "volumen"]
    /// The column naming each row's symbol in a file of several (`<TICKER>` in Stooq's bulk files).
    static let ticker: Set<String> = ["ticker", "symbol"]

    /// Maps header fields to columns. `dateColumn`/`valueColumn` name the date and close columns explicitly.
    static func map(_ header: [String], dateColumn: String?, valueColumn: String?) -> (ColumnMap?, missing: String) {
        let norm = header.map(normalise)
        func find(_ names: Set<String>, _ explicit: String?) -> Int? {
            if let explicit { return norm.firstIndex(of: normalise(explicit)) }
            return norm.firstIndex { names.contains($0) }
        }
        guard let d = find(date, dateColumn) else { return (nil, dateColumn.map { "\"\($0)\"" } ?? "date") }
        // A two-column file (`date,temperature`) has its value in the other column, whatever its name.
        let other = 1 - d
        let lone = valueColumn == nil && norm.count == 2
            && ![open, high, low, volume].contains(where: { $0.contains(norm[other]) }) ? other : nil
        guard let c = find(close, valueColumn) ?? lone else { return (nil, valueColumn.map { "\"\($0)\"" } ?? "close") }
        return (ColumnMap(date: d, open: find(open, nil), high: find(high, nil), low: find(low, nil), close: c,
                          adjClose: find(adjClose, nil), volume: find(volume, nil), ticker: find(ticker, nil),
                          names: header), "")
    }

    /// `price` when the file has OHLC or adjusted-close columns or its close column is named like a
    /// price (`Close`, `Schluss`, `Price`, `VIX`…); `value` for a `date,value` file or a value column
    /// named anything else (`--value-column temperature`).
    static func kind(of columns: ColumnMap) -> SeriesKind {
        if columns.open != nil || columns.high != nil || columns.low != nil || columns.adjClose != nil { return .price }
        let name = columns.names.indices.contains(columns.close) ? normalise(columns.names[columns.close]) : ""
        return priceNames.contains(name) ? .price : .value
    }

    static func detectFormat(_ header: [String], delimiter: UInt8) -> CSVFormat {
        let norm = header.map(normalise)
        if norm == ["date", "open", "high", "low", "close", "adjclose", "volume"] { return .yahoo }
        if norm == ["date", "open", "high", "low", "close", "volume"] { return .stooq }
        if norm == ["ticker", "per", "date", "time", "open", "high", "low", "close", "vol", "openint"] { return .stooqBulk }
        if delimiter == UInt8(ascii: ";") { return .european }
        return .generic
    }
}
