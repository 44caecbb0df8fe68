import AugurCore

/// A linear map from data values to SVG coordinates.
struct LinearScale {
    var domain: (low: Double, high: Double)
    var range: (low: Double, high: Double)

    func callAsFunction(_ v: Double) -> Double {
        let span = domain.high - domain.low
        guard span != 0 else { return (range.low + range.high) / 2 }
        return range.low + (v - domain.low) / span * (range.high - range.low)
    }
}

/// The rectangle data is drawn in, and the axis, grid and legend drawing every chart shares.
struct PlotArea {
    var left: Double
    var top: Double
    var width: Double
    var height: Double

    var right: Double { left + width }
    var bottom: Double { top + height }

    /// Rough width of `text` at `fontSize` in DejaVu Sans, to keep labels apart without measuring fonts.
    static func textWidth(_ text: String, fontSize: Double = 11) -> Double { Double(text.count) * fontSize * 0.6 }

    /// Horizontal gridlines and labels for the value axis on the left.
    func drawValueAxis(_ svg: inout SVGWriter, ticks: ValueTicks, scale: LinearScale, title: String? = nil) {
        svg.open("g", [("class", "axis axis-y"), ("font-size", "11"), ("fill", Palette.axis)])
        for (value, label) in zip(ticks.values, ticks.labels) {
            let y = scale(value)
            svg.element("line", [("x1", c(left)), ("x2", c(right)), ("y1", c(y)), ("y2", c(y)),
                                 ("stroke", Palette.grid), ("stroke-width", "1")])
            svg.element("text", [("x", c(left - 6)), ("y", c(y + 4)), ("text-anchor", "end")], text: label)
        }
        if let title {
            // Right of the axis line, above the plot: clear of the right-aligned tick labels.
            svg.element("text", [("x", c(left + 6)), ("y", c(top - 10)), ("text-anchor", "start"), ("fill", Palette.muted)],
                        text: title)
        }
        svg.close()
    }

    /// The frame's bottom line with ticks and labels at `positions`; labels that would overlap the one
    /// before (or run off the plot) are dropped.
    func drawBottomAxis(_ svg: inout SVGWriter, ticks: [(x: Double, label: String)], className: String) {
        svg.open("g", [("class", "axis " + className), ("font-size", "11"), ("fill", Palette.axis)])
        svg.element("line", [("x1", c(left)), ("x2", c(right)), ("y1", c(bottom)), ("y2", c(bottom)),
                             ("stroke", Palette.axis), ("stroke-width", "1")])
        var lastEnd = -Double.infinity
        for tick in ticks where tick.x >= left - 0.5 && tick.x <= right + 0.5 {
            let half = PlotArea.textWidth(tick.label) / 2
            svg.element("line", [("x1", c(tick.x)), ("x2", c(tick.x)), ("y1", c(bottom)), ("y2", c(bottom + 5)),
                                 ("stroke", Palette.axis), ("stroke-width", "1")])
            guard tick.x - half > lastEnd + 4 else { continue }
            svg.element("text", [("x", c(tick.x)), ("y", c(bottom + 18)), ("text-anchor", "middle")], text: tick.label)
            lastEnd = tick.x + half
        }
        svg.close()
    }

    /// Date ticks for `low…high`, as many as fit one label per ~80 px (labels are at most ~70 px wide).
    func dateTicks(_ low: CivilDate, _ high: CivilDate, scale: LinearScale) -> [(x: Double, label: String)] {
        let ticks = Ticks.dates(from: low, to: high, maxCount: max(2, Int(width / 80)))
        return zip(ticks.dates, ticks.labels).map { (scale(Double($0.daysSinceEpoch)), $1) }
    }
}

/// A legend entry: a line, a dashed line, a filled box or a dot in a colour.
struct LegendItem {
    enum Mark { case line, dashed, box(opacity: Double), dot }
    var label: String
    var color: String
    var mark: Mark
}

/// Draws legend entries left to right from (x, y), wrapping before `maxX`.
func drawLegend(_ svg: inout SVGWriter, _ items: [LegendItem], x: Double, y: Double, maxX: Double) {
    svg.open("g", [("class", "legend"), ("font-size", "11"), ("fill", Palette.axis)])
    var cx = x, cy = y
    for item in items {
        let width = 26 + PlotArea.textWidth(item.label) + 16
        if cx + width > maxX && cx > x { cx = x; cy += 16 }
        switch item.mark {
        case .line, .dashed:
            var attrs = [("x1", c(cx)), ("x2", c(cx + 20)), ("y1", c(cy - 4)), ("y2", c(cy - 4)),
                         ("stroke", item.color), ("stroke-width", "2")]
            if case .dashed = item.mark { attrs.append(("stroke-dasharray", "4 3")) }
            svg.element("line", attrs)
        case .box(let opacity):
            svg.element("rect", [("x", c(cx)), ("y", c(cy - 9)), ("width", "20"), ("height", "10"),
                                 ("fill", item.color), ("fill-opacity", c(opacity))])
        case .dot:
            svg.element("circle", [("cx", c(cx + 10)), ("cy", c(cy - 4)), ("r", "3.5"), ("fill", item.color)])
        }
        svg.element("text", [("x", c(cx + 26)), ("y", c(cy))], text: item.label)
        cx += width
    }
    svg.close()
}

/// The chart's heading, top left.
func drawTitle(_ svg: inout SVGWriter, _ title: String, x: Double = 16, y: Double = 24) {
    svg.element("text", [("class", "chart-title"), ("x", c(x)), ("y", c(y)), ("font-size", "15"),
                         ("font-weight", "bold"), ("fill", Palette.black)], text: title)
}
