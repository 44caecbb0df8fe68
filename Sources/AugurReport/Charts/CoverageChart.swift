import AugurCore

/// One model's backtest forecasts at one horizon, as the coverage chart reads them: for each origin
/// (oldest first) the target's date, the actual value and the interval per level.
public struct CoverageTrack: Sendable, Equatable {
    public var model: ModelKind
    public var horizon: Int
    /// How the intervals were made, e.g. "GARCH(1,1)-scaled conformal" (nil: not said).
    public var method: String?
    public var dates: [CivilDate]
    public var actual: [Double]
    /// Bounds per level, each array parallel to `dates`.
    public var bands: [PredictionInterval]

    public init(model: ModelKind, horizon: Int, method: String? = nil, dates: [CivilDate], actual: [Double],
                bands: [PredictionInterval]) {
        self.model = model
        self.horizon = horizon
        self.method = method
        self.dates = dates
        self.actual = actual
        self.bands = bands
    }

    /// The share of hits over the last `window` origins, in percent, from the `window`-th origin on
    /// (fewer origins than `window`: none).
    func rolling(_ band: PredictionInterval, window: Int) -> [(date: CivilDate, percent: Double)] {
        let hits = band.hits(actual)
        guard window >= 1, hits.count >= window else { return [] }
        var inside = hits.prefix(window).filter { $0 }.count
        var out = [(dates[window - 1], 100 * Double(inside) / Double(window))]
        for i in window..<hits.count {
            inside += (hits[i] ? 1 : 0) - (hits[i - window] ? 1 : 0)
            out.append((dates[i], 100 * Double(inside) / Double(window)))
        }
        return out
    }
}

/// `coverage.svg`: does the interval keep its promise as volatility changes? Top: the actual values
/// with the widest band of the backtest's forecasts for the same dates (narrow when calm, wide when
/// not). Bottom: the share of actuals inside each band over the last `window` origins, against the
/// nominal level (dashed).
public enum CoverageChart {
    static let width = 800.0, height = 520.0

    /// The rolling window: 50 origins, or half the origins when there are fewer than 100.
    public static func window(for count: Int) -> Int { max(1, min(50, count / 2)) }

    public static func svg(_ track: CoverageTrack, symbol: String, idPrefix: String = "coverage") -> String {
        let window = window(for: track.dates.count)
        let title = "\(symbol): \(track.model.name) intervals at h=\(track.horizon), rolling coverage"
        let bands = track.bands.sorted { $0.level < $1.level }
        let description = "Actual values with the \(bands.map { "\(Int($0.level))%" }.joined(separator: " and ")) "
            + "backtest intervals of \(track.model.name) \(track.horizon) step\(track.horizon == 1 ? "" : "s") ahead over "
            + "\(track.dates.count) origins, and the share of actuals inside each over the last \(window) origins."
        var svg = SVGWriter(width: width, height: height, title: title, description: description, idPrefix: idPrefix)
        drawTitle(&svg, title)
        guard let first = track.dates.first, let last = track.dates.last, track.dates.count >= 2 else {
            svg.element("text", [("x", "400"), ("y", "260"), ("text-anchor", "middle")], text: "Too few origins to plot")
            return svg.finish()
        }
        if let method = track.method {
            svg.element("text", [("x", "16"), ("y", "44"), ("font-size", "12"), ("fill", Palette.muted)],
                        text: "Intervals: \(method)")
        }
        let colors = [Palette.skyBlue, Palette.blue]
        let levelColor = { (i: Int) in colors[min(i, colors.count - 1)] }
        var legend = [LegendItem(label: "Actual", color: Palette.black, mark: .line)]
        for (i, b) in bands.enumerated().reversed() {
            legend.append(LegendItem(label: "\(Int(b.level))% interval", color: levelColor(i), mark: .box(opacity: 0.35)))
        }
        drawLegend(&svg, legend, x: 16, y: 66, maxX: width - 16)
        let x = LinearScale(domain: (Double(first.daysSinceEpoch), Double(last.daysSinceEpoch)), range: (72, width - 24))
        func xOf(_ d: CivilDate) -> Double { x(Double(d.daysSinceEpoch)) }

        // Top panel: the bands and the actual values.
        let top = PlotArea(left: 72, top: 88, width: width - 96, height: 190)
        let values = track.actual + bands.flatMap { $0.lower + $0.upper }
        let ticks = Ticks.values(covering: values.filter(\.isFinite).min() ?? 0, values.filter(\.isFinite).max() ?? 1,
                                 targetCount: 5)
        let y = LinearScale(domain: (ticks.lower, ticks.upper), range: (top.bottom, top.top))
        top.drawValueAxis(&svg, ticks: ticks, scale: y)
        top.drawBottomAxis(&svg, ticks: top.dateTicks(first, last, scale: x), className: "axis-x")
        for (i, b) in bands.enumerated().reversed() {
            let upper = zip(track.dates, b.upper).map { (x: xOf($0), y: y($1)) }
            let lower = zip(track.dates, b.lower).map { (x: xOf($0), y: y($1)) }.reversed()
            svg.element("path", [("class", "band band-\(Int(b.level))"), ("d", pathData(upper + lower) + " Z"),
                                 ("fill", levelColor(i)), ("fill-opacity", "0.35"), ("stroke", "none")])
        }
        svg.element("path", [("class", "series series-actual"),
                             ("d", pathData(zip(track.dates, track.actual).map { (x: xOf($0), y: y($1)) })),
                             ("fill", "none"), ("stroke", Palette.black), ("stroke-width", "1.2"), ("stroke-linejoin", "round")])

        // Bottom panel: rolling coverage against the nominal levels.
        let bottom = PlotArea(left: 72, top: 330, width: width - 96, height: 150)
        svg.element("text", [("class", "panel-title"), ("x", "16"), ("y", c(bottom.top - 16)), ("font-size", "13"),
                             ("font-weight", "bold"), ("fill", Palette.axis)],
                    text: "Share of actuals inside (%), last \(window) origins; dashed: nominal")
        let rolled = bands.map { track.rolling($0, window: window) }
        let lowest = rolled.flatMap { $0.map(\.percent) }.min() ?? 50
        let percentTicks = Ticks.values(covering: min(50, (lowest / 10).rounded(.down) * 10), 100, targetCount: 5)
        let py = LinearScale(domain: (percentTicks.lower, percentTicks.upper), range: (bottom.bottom, bottom.top))
        bottom.drawValueAxis(&svg, ticks: percentTicks, scale: py)
        bottom.drawBottomAxis(&svg, ticks: bottom.dateTicks(first, last, scale: x), className: "axis-x")
        for (i, b) in bands.enumerated() {
            svg.element("line", [("class", "nominal nominal-\(Int(b.level))"), ("x1", c(bottom.left)), ("x2", c(bottom.right)),
                                 ("y1", c(py(b.level))), ("y2", c(py(b.level))), ("stroke", levelColor(i)),
                                 ("stroke-width", "1"), ("stroke-dasharray", "5 4")])
            let points = rolled[i].map { (x: xOf($0.date), y: py($0.percent)) }
            guard points.count >= 2 else { continue }
            svg.element("path", [("class", "series series-coverage-\(Int(b.level))"), ("d", pathData(points)),
                                 ("fill", "none"), ("stroke", levelColor(i)), ("stroke-width", "2"), ("stroke-linejoin", "round")])
        }
        return svg.finish()
    }
}
