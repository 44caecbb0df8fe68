import AugurCore

/// `forecast.svg`: the latest observations, the forecast path from the origin with its 80% and 95% bands,
/// the origin marked, date and price axes, a legend and a title.
public enum ForecastChart {
    /// How many of the latest observations the chart shows.
    public static let historyLength = 120
    static let width = 800.0, height = 420.0

    /// The chart as a standalone SVG document. `idPrefix` keeps element ids unique when several charts
    /// share a page.
    public static func svg(_ report: SymbolReport, idPrefix: String = "forecast") -> String {
        let history = Array(report.recent.suffix(historyLength))
        let rows = report.forecast?.rows ?? []
        let symbol = report.symbol
        let noun = report.observationNoun
        let title = rows.isEmpty ? "\(symbol): last \(history.count) \(noun)"
                                 : "\(symbol): last \(history.count) \(noun) and \(rows.count)-step forecast"
        var svg = SVGWriter(width: width, height: height, title: title,
                            description: description(report, history: history), idPrefix: idPrefix)
        drawTitle(&svg, title)

        let plot = PlotArea(left: 72, top: 72, width: width - 72 - 24, height: height - 72 - 40)
        // The forecast line and bands start at the last close, so the fan grows out of the series.
        let anchor: DatedValue? = report.forecast.flatMap { f in history.last { $0.date <= f.origin } }
        var values = history.map(\.value)
        for row in rows {
            values += [row.point, row.lower80, row.upper80, row.lower95, row.upper95].compactMap { $0 }
        }
        values = values.filter(\.isFinite)
        let dates = history.map(\.date) + rows.map(\.date) + (report.forecast.map { [$0.origin] } ?? [])
        guard let firstDate = dates.min(), let lastDate = dates.max(), let low = values.min(), let high = values.max() else {
            svg.element("text", [("x", "400"), ("y", "210"), ("text-anchor", "middle")], text: "No data to plot")
            return svg.finish()
        }
        let ticks = Ticks.values(covering: low, high, targetCount: 6)
        let x = LinearScale(domain: (Double(firstDate.daysSinceEpoch), Double(lastDate.daysSinceEpoch)),
                            range: (plot.left, plot.right))
        let y = LinearScale(domain: (ticks.lower, ticks.upper), range: (plot.bottom, plot.top))
        func point(_ d: CivilDate, _ v: Double) -> (x: Double, y: Double) { (x(Double(d.daysSinceEpoch)), y(v)) }

        // The value axis says what it measures: a price series' closes or a value series' values.
        plot.drawValueAxis(&svg, ticks: ticks, scale: y, title: report.kind == .value ? "value" : "close")
        plot.drawBottomAxis(&svg, ticks: plot.dateTicks(firstDate, lastDate, scale: x), className: "axis-x")

        var legend = [LegendItem(label: "Observed", color: Palette.black, mark: .line)]
        if !rows.isEmpty {
            let start = anchor.map { [(date: $0.date, low: $0.value, high: $0.value)] } ?? []
            for (level, opacity, lower, upper) in [("95", 0.15, \ForecastStep.lower95, \ForecastStep.upper95),
                                                   ("80", 0.30, \ForecastStep.lower80, \ForecastStep.upper80)] {
                let band = start + rows.compactMap { r in
                    r[keyPath: lower].flatMap { lo in r[keyPath: upper].map { (date: r.date, low: lo, high: $0) } }
                }
                guard band.count >= 2 else { continue }
                let outline = band.map { point($0.date, $0.high) } + band.reversed().map { point($0.date, $0.low) }
                svg.element("path", [("class", "band band-\(level)"), ("d", pathData(outline) + " Z"),
                                     ("fill", Palette.blue), ("fill-opacity", c(opacity)), ("stroke", "none")])
                legend.append(LegendItem(label: "\(level)% interval", color: Palette.blue, mark: .box(opacity: opacity)))
            }
        }
        svg.element("path", [("class", "series series-observed"), ("d", pathData(history.map { point($0.date, $0.value) })),
                             ("fill", "none"), ("stroke", Palette.black), ("stroke-width", "1.5"),
                             ("stroke-linejoin", "round")])
        if let forecast = report.forecast, !rows.isEmpty {
            let path = (anchor.map { [point($0.date, $0.value)] } ?? []) + rows.map { point($0.date, $0.point) }
            svg.element("path", [("class", "series series-forecast"), ("d", pathData(path)), ("fill", "none"),
                                 ("stroke", Palette.blue), ("stroke-width", "2"), ("stroke-linejoin", "round")])
            legend.insert(LegendItem(label: "Forecast", color: Palette.blue, mark: .line), at: 1)
            let ox = x(Double(forecast.origin.daysSinceEpoch))
            svg.element("line", [("class", "origin"), ("x1", c(ox)), ("x2", c(ox)), ("y1", c(plot.top)),
                                 ("y2", c(plot.bottom)), ("stroke", Palette.muted), ("stroke-width", "1"),
                                 ("stroke-dasharray", "4 3")])
            let label = "origin " + forecast.origin.iso
            let anchorSide = ox + 4 + PlotArea.textWidth(label) > plot.right ? ("end", ox - 4) : ("start", ox + 4)
            svg.element("text", [("class", "origin-label"), ("x", c(anchorSide.1)), ("y", c(plot.top + 12)),
                                 ("text-anchor", anchorSide.0), ("font-size", "11"), ("fill", Palette.muted)],
                        text: label)
            legend.append(LegendItem(label: "Forecast origin", color: Palette.muted, mark: .dashed))
        }
        drawLegend(&svg, legend, x: 16, y: 48, maxX: width - 16)
        return svg.finish()
    }

    private static func description(_ report: SymbolReport, history: [DatedValue]) -> String {
        var text = "Line chart of \(history.count) \(report.frequency.rawValue) \(report.observationNoun) of \(report.symbol)"
        if let first = history.first, let last = history.last {
            text += " from \(first.date.iso) to \(last.date.iso), last \(NumberFormat.price(last.value))"
        }
        if let forecast = report.forecast, let end = forecast.rows.last {
            text += "; forecast from \(forecast.origin.iso) to \(end.date.iso), ending at \(NumberFormat.price(end.point))"
            if let lo = end.lower95, let hi = end.upper95 {
                text += " (95% interval \(NumberFormat.price(lo)) to \(NumberFormat.price(hi)))"
            }
        }
        return text + "."
    }
}
