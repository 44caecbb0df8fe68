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

    /// The same series as a small inline SVG line (for HTML, where a row of block characters reads
    /// as a solid band): 800 × 80, scaled between min and max, the last value marked.
    public static func svg(_ values: [Double]) -> String {
        let finite = values.enumerated().filter { $0.element.isFinite }
        guard let low = finite.map(\.element).min(), let high = finite.map(\.element).max(), finite.count > 1 else { return "" }
        let width = 800.0, height = 80.0, pad = 6.0
        let x = LinearScale(domain: (0, Double(max(1, values.count - 1))), range: (pad, width - pad))
        let y = LinearScale(domain: (low, high), range: (height - pad, pad))
        let points = pointList(finite.map { (x(Double($0.offset)), y($0.element)) })
        let last = finite[finite.count - 1]
        return "<svg class=\"sparkline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 80\" role=\"img\" "
            + "aria-label=\"the last \(values.count) values\">\n"
            + "<polyline fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"\(points)\"/>\n"
            + "<circle cx=\"\(c(x(Double(last.offset))))\" cy=\"\(c(y(last.element)))\" r=\"4\" fill=\"#0072B2\"/>\n</svg>\n"
    }
}
