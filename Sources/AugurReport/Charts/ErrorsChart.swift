/// `errors.svg`: three small multiples of the backtest: MASE by horizon for every model; the neural model's
/// one-step residuals over time; and their histogram. Panels without data are left out.
public enum ErrorsChart {
    static let width = 800.0

    public static func svg(_ report: SymbolReport, idPrefix: String = "errors") -> String {
        let models = report.backtestModels
        let colors = Palette.modelColors(models, baseline: report.baselineModel)
        // Relative to the right baseline when it was backtested: differences of 1–5% are what
        // matters between models on market series, and they vanish on an absolute MASE axis.
        let absolute = MASEPanel(report: report, models: models)
        let mase = absolute.relative(to: report.baselineModel) ?? absolute
        let residuals = report.residuals.filter { $0.value.isFinite }
        let modelName = report.primaryModel?.name ?? "model"
        let residualColor = report.primaryModel.flatMap { colors[$0] } ?? Palette.vermillion

        let maseHeight = mase.isEmpty ? 0.0 : 254, residualHeight = residuals.isEmpty ? 0.0 : 216
        let height = 40 + maseHeight + 2 * residualHeight + (maseHeight + residualHeight == 0 ? 40 : 10)
        let title = "\(report.symbol): backtest errors"
        var svg = SVGWriter(width: width, height: height, title: title,
                            description: description(report, models: models.map(\.name), residuals: residuals, model: modelName),
                            idPrefix: idPrefix)
        drawTitle(&svg, title)
        var top = 40.0
        if !mase.isEmpty {
            subtitle(&svg, mase.relativeTo.map { "MASE by horizon relative to \($0.name) (below 0: better than \($0.name))" }
                     ?? "MASE by horizon (dashed line: 1, the in-sample naive error)", y: top + 16)
            drawLegend(&svg, mase.legend(colors), x: 16, y: top + 36, maxX: width - 16)
            mase.draw(&svg, in: PlotArea(left: 72, top: top + 64, width: width - 96, height: 156), colors: colors)
            top += maseHeight
        }
        if !residuals.isEmpty {
            subtitle(&svg, "\(modelName): one-step residuals (actual − forecast)", y: top + 16)
            drawResiduals(&svg, residuals, in: PlotArea(left: 72, top: top + 40, width: width - 96, height: 142),
                          color: residualColor)
            top += residualHeight
            subtitle(&svg, "\(modelName): distribution of one-step residuals (\(residuals.count))", y: top + 16)
            drawHistogram(&svg, residuals.map(\.value), in: PlotArea(left: 72, top: top + 40, width: width - 96, height: 142),
                          color: residualColor)
        }
        if mase.isEmpty && residuals.isEmpty {
            svg.element("text", [("x", "400"), ("y", "60"), ("text-anchor", "middle")], text: "No backtest to plot")
        }
        return svg.finish()
    }

    private static func subtitle(_ svg: inout SVGWriter, _ text: String, y: Double) {
        svg.element("text", [("class", "panel-title"), ("x", "16"), ("y", c(y)), ("font-size", "13"),
                             ("font-weight", "bold"), ("fill", Palette.axis)], text: text)
    }

    private static func drawResiduals(_ svg: inout SVGWriter, _ residuals: [DatedValue], in plot: PlotArea, color: String) {
        let values = residuals.map(\.value)
        let ticks = Ticks.values(covering: min(0, values.min() ?? 0), max(0, values.max() ?? 0), targetCount: 5)
        let first = residuals.map(\.date).min()!, last = residuals.map(\.date).max()!
        let x = LinearScale(domain: (Double(first.daysSinceEpoch), Double(last.daysSinceEpoch)), range: (plot.left, plot.right))
        let y = LinearScale(domain: (ticks.lower, ticks.upper), range: (plot.bottom, plot.top))
        plot.drawValueAxis(&svg, ticks: ticks, scale: y)
        plot.drawBottomAxis(&svg, ticks: plot.dateTicks(first, last, scale: x), className: "axis-x")
        svg.element("line", [("class", "reference"), ("x1", c(plot.left)), ("x2", c(plot.right)), ("y1", c(y(0))),
                             ("y2", c(y(0))), ("stroke", Palette.axis), ("stroke-width", "1")])
        let points = residuals.map { (x: x(Double($0.date.daysSinceEpoch)), y: y($0.value)) }
        svg.element("path", [("class", "series series-residuals"), ("d", pathData(points)), ("fill", "none"),
                             ("stroke", color), ("stroke-width", "1"), ("stroke-linejoin", "round")])
    }

    private static func drawHistogram(_ svg: inout SVGWriter, _ values: [Double], in plot: PlotArea, color: String) {
        guard let low = values.min(), let high = values.max() else { return }
        // About √n bins on nice edges, so the bins line up with the axis ticks.
        var target = 5
        while target * target < values.count && target < 30 { target += 1 }
        let edges = Ticks.values(covering: low, high, targetCount: target + 1)
        let binCount = max(1, edges.values.count - 1)
        var counts = [Int](repeating: 0, count: binCount)
        for v in values {
            counts[min(binCount - 1, max(0, Int((v - edges.lower) / edges.step)))] += 1
        }
        let countTicks = integerTicks(0, Double(counts.max() ?? 1))
        let x = LinearScale(domain: (edges.lower, edges.upper), range: (plot.left, plot.right))
        let y = LinearScale(domain: (countTicks.lower, countTicks.upper), range: (plot.bottom, plot.top))
        plot.drawValueAxis(&svg, ticks: countTicks, scale: y, title: "Count")
        let axisTicks = Ticks.values(covering: edges.lower, edges.upper, targetCount: 7)
        plot.drawBottomAxis(&svg, ticks: zip(axisTicks.values, axisTicks.labels).map { (x($0), $1) }, className: "axis-x")
        svg.open("g", [("class", "series series-histogram"), ("fill", color), ("fill-opacity", "0.8")])
        for (i, count) in counts.enumerated() where count > 0 {
            let left = x(edges.lower + Double(i) * edges.step), right = x(edges.lower + Double(i + 1) * edges.step)
            svg.element("rect", [("x", c(left + 0.5)), ("y", c(y(Double(count)))), ("width", c(max(1, right - left - 1))),
                                 ("height", c(plot.bottom - y(Double(count))))])
        }
        svg.close()
    }

    private static func description(_ report: SymbolReport, models: [String], residuals: [DatedValue], model: String) -> String {
        var parts: [String] = []
        if !models.isEmpty {
            parts.append("Bar chart of backtest MASE by horizon for " + models.joined(separator: ", "))
        }
        if !residuals.isEmpty {
            parts.append("line chart and histogram of \(residuals.count) one-step residuals of \(model)")
        }
        return parts.isEmpty ? "No backtest data for \(report.symbol)." : parts.joined(separator: "; ") + "."
    }
}

/// Value ticks restricted to whole numbers (counts, epochs).
func integerTicks(_ low: Double, _ high: Double, targetCount: Int = 5) -> ValueTicks {
    let ticks = Ticks.values(covering: low, high, targetCount: targetCount)
    guard ticks.step < 1 else { return ticks }
    let first = Int(low.rounded(.down)), last = max(first + 1, Int(high.rounded(.up)))
    let values = (first...last).map(Double.init)
    return ValueTicks(lower: values[0], upper: values[values.count - 1], step: 1, values: values,
                      labels: values.map { String(Int($0)) })
}
