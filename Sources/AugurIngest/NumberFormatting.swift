/// Writes numbers back the way a market file would: the shortest text that reads back as the same
/// Double (`2510.03`, not `2510.0300000000002`), whole volumes without `.0`.
public enum NumberFormatting {
    public static func plain(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
