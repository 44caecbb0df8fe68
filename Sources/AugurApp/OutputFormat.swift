import AugurCore
import AugurStore

/// How `forecast`, `backtest` and `list` print their results.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns for a person.
    case table
    /// One header and one line per row (RFC 4180 quoting), every number at full precision.
    case csv
    /// JSON: one object for one symbol, an array for several.
    case json
}

/// CSV text of the values the commands print, one file for any number of symbols.
public enum CSVOutput {
    /// A field, quoted when it holds a delimiter, a quote or a line break.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The shortest text that reads back as the same Double; empty for a missing value.
    static func number(_ v: Double?) -> String {
        guard let v else { return "" }
        return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }

    static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    /// `symbol,model,as_of,date,h,forecast,lower80,upper80,lower95,upper95`, one line per step.
    public static func forecasts(_ tables: [ForecastTable]) -> String {
        var lines = [line(["symbol", "model", "as_of", "date", "h", "forecast", "lower80", "upper80", "lower95", "upper95"])]
        for t in tables {
            for s in t.rows {
                lines.append(line([t.symbol, t.model.name, t.asOf.iso, s.date.iso, String(s.horizon), number(s.point),
                                   number(s.lower80), number(s.upper80), number(s.lower95), number(s.upper95)]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `symbol,model,h,n,` then one column per metric (empty where a metric is undefined).
    public static func backtests(_ reports: [BacktestReport]) -> String {
        var lines = [line(["symbol", "model", "h", "n"] + Metric.allCases.map(\.rawValue))]
        for r in reports {
            for s in r.rows.sorted(by: { ($0.horizon, $0.model.name) < ($1.horizon, $1.model.name) }) {
                lines.append(line([r.symbol, s.model.name, String(s.horizon), String(s.count)]
                                  + Metric.allCases.map { number(s[$0]) }))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `symbol,kind,calendar,first,last,rows`.
    public static func symbols(_ list: [SymbolSummary]) -> String {
        var lines = [line(["symbol", "kind", "calendar", "first", "last", "rows"])]
        for s in list {
            lines.append(line([s.symbol, s.kind.rawValue, s.calendar?.rawValue ?? "", s.first?.iso ?? "", s.last?.iso ?? "",
                               String(s.rows)]))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
