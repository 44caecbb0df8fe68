import AugurCore

/// Quoting for CSV output: a field with a comma, quote or line break is wrapped in quotes.
public enum CSVText {
    public static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}

/// Writes bars back out as a market CSV that `BarReader` reads to the same rows.
public enum CSVExporter {
    /// The header line for `format` (yahoo or stooq; others export as yahoo).
    public static func header(_ format: CSVFormat) -> String {
        format == .stooq ? "Date,Open,High,Low,Close,Volume" : "Date,Open,High,Low,Close,Adj Close,Volume"
    }

    /// One line (without newline). Yahoo writes `null` where a value is missing; Stooq leaves it empty.
    public static func line(_ bar: Bar, format: CSVFormat) -> String {
        let missing = format == .stooq ? "" : "null"
        func f(_ v: Double?) -> String { v.map(NumberFormatting.plain) ?? missing }
        if format == .stooq {
            return [bar.date.iso, f(bar.open), f(bar.high), f(bar.low), f(bar.close), f(bar.volume)].joined(separator: ",")
        }
        return [bar.date.iso, f(bar.open), f(bar.high), f(bar.low), f(bar.close), f(bar.adjClose), f(bar.volume)]
            .joined(separator: ",")
    }
}
