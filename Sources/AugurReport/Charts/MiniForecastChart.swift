import AugurCore

/// The index's small chart of one symbol: its latest observations and the forecast path with the 80%
/// band, no axes or text (the card around it names the symbol; its page has the full chart).
public enum MiniForecastChart {
    /// How many of the latest observations it shows.
    public static let historyLength = 60
    static let width = 320.0, height = 110.0

    public static func svg(recent: [DatedValue], forecast: [ForecastStep], symbol: String) -> String {
        let history = Array(recent.suffix(historyLength))
        var values = history.map(\.value)
        for s in forecast { values += [s.point, s.lower80, s.upper80].compactMap { $0 } }
        values = values.filter(\.isFinite)
        guard let low = values.min(), let high = values.max(), history.count > 1 else { return "" }
        let pad = 6.0
        let total = history.count + forecast.count
        let xScale = LinearScale(domain: (0, Double(max(1, total - 1))), range: (pad, width - pad))
        let y = LinearScale(domain: (low, high), range: (height - pad, pad))
        func x(_ i: Int) -> Double { xScale(Double(i)) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" role=\"img\" "
            + "aria-label=\"\(Escaping.xml(symbol)): the last \(history.count) values and a \(forecast.count)-step forecast\">\n"
        let last = history.count - 1
        if !forecast.isEmpty {
            let band = forecast.enumerated().compactMap { i, s in s.lower80.flatMap { lo in s.upper80.map { (last + 1 + i, lo, $0) } } }
            if band.count == forecast.count {
                let start = (last, history[last].value, history[last].value)
                let outline = ([start] + band).map { (x($0.0), y($0.2)) } + ([start] + band).reversed().map { (x($0.0), y($0.1)) }
                out += "<polygon fill=\"\(Palette.blue)\" fill-opacity=\"0.25\" stroke=\"none\" points=\"\(pointList(outline))\"/>\n"
            }
            let path = [(x(last), y(history[last].value))] + forecast.enumerated().map { (x(last + 1 + $0.offset), y($0.element.point)) }
            out += "<polyline fill=\"none\" stroke=\"\(Palette.blue)\" stroke-width=\"2\" points=\"\(pointList(path))\"/>\n"
        }
        let observed = history.enumerated().map { (x($0.offset), y($0.element.value)) }
        out += "<polyline fill=\"none\" stroke=\"\(Palette.black)\" stroke-width=\"1.5\" stroke-linejoin=\"round\" points=\"\(pointList(observed))\"/>\n"
        return out + "</svg>\n"
    }
}
