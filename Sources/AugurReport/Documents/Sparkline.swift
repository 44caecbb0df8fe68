/// A one-line Unicode chart of a series (▁▂▃▄▅▆▇█), for terminals.
public enum Sparkline {
    private static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One block per value, scaled between the series' min and max; a flat series is a row of "▄".
    /// Non-finite values show as a space.
    public static func render(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return "" }
        var out = ""
        for v in values {
            guard v.isFinite else { out.append(" "); continue }
            if high == low { out.append(blocks[3]); continue }
            let index = Int(((v - low) / (high - low) * Double(blocks.count - 1)).rounded())
            out.append(blocks[min(blocks.count - 1, max(0, index))])
        }
        return out
    }
}
