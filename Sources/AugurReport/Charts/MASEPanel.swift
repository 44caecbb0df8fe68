import AugurCore
/// Grouped bars of MASE by horizon, one colour per model: the errors chart's first panel and the
/// chart of each ``ModelComparison``. Generic over model names, so a new model just appears.
struct MASEPanel {
    var models: [ModelKind]
    var horizons: [Int]
    var mase: [ModelKind: [Int: Double]]

    init(report: SymbolReport, models: [ModelKind]) {
        self.models = models
        var table: [ModelKind: [Int: Double]] = [:]
        var horizons = Set<Int>()
        for row in report.backtest where models.contains(row.model) {
            guard let m = row[.mase], m.isFinite else { continue }
            table[row.model, default: [:]][row.horizon] = m
            horizons.insert(row.horizon)
        }
        self.mase = table
        self.horizons = horizons.sorted()
    }

    var isEmpty: Bool { horizons.isEmpty }

    func legend(_ colors: [ModelKind: String]) -> [LegendItem] {
        models.map { LegendItem(label: $0.name, color: colors[$0] ?? Palette.black, mark: .box(opacity: 1)) }
    }

    /// Bars inside `plot`, a dashed reference line at MASE = 1, horizons on the x axis.
    func draw(_ svg: inout SVGWriter, in plot: PlotArea, colors: [ModelKind: String]) {
        // One far-off model (the historical mean on a trending price has MASE near 40) would flatten every
        // other bar: the axis stops at 2.5 × the median MASE and taller bars are cut, their value written on top.
        let values = mase.values.flatMap(\.values).sorted()
        let highest = values.last ?? 1
        let cap = values.isEmpty ? highest : max(1, 2.5 * values[values.count / 2])
        let ticks = Ticks.values(covering: 0, max(1, min(highest, cap)), targetCount: 5)
        let y = LinearScale(domain: (ticks.lower, ticks.upper), range: (plot.bottom, plot.top))
        plot.drawValueAxis(&svg, ticks: ticks, scale: y, title: "MASE")
        let group = plot.width / Double(max(1, horizons.count))
        let barWidth = group * 0.8 / Double(max(1, models.count))
        for (m, model) in models.enumerated() {
            svg.open("g", [("class", "series series-mase"), ("data-model", model.name),
                           ("fill", colors[model] ?? Palette.black)])
            for (h, horizon) in horizons.enumerated() {
                guard let value = mase[model]?[horizon] else { continue }
                let x = plot.left + Double(h) * group + group * 0.1 + Double(m) * barWidth
                let clipped = value > ticks.upper
                let top = clipped ? plot.top : y(max(value, ticks.lower))
                svg.open("rect", [("x", c(x + 0.5)), ("y", c(top)), ("width", c(max(1, barWidth - 1))),
                                  ("height", c(plot.bottom - top))] + (clipped ? [("class", "clipped")] : []))
                svg.element("title", [], text: "\(model), h=\(horizon): MASE \(NumberFormat.fixed(value, decimals: 3))")
                svg.close()
                if clipped {
                    svg.element("text", [("class", "clipped-value"), ("x", c(x + barWidth / 2)), ("y", c(top - 3)),
                                         ("font-size", "11"), ("text-anchor", "middle"), ("fill", Palette.axis)],
                                text: "↑" + NumberFormat.fixed(value, decimals: 1))
                }
            }
            svg.close()
        }
        let one = y(1)
        svg.element("line", [("class", "reference"), ("x1", c(plot.left)), ("x2", c(plot.right)), ("y1", c(one)),
                             ("y2", c(one)), ("stroke", Palette.axis), ("stroke-width", "1"),
                             ("stroke-dasharray", "5 3")])
        let ticksX = horizons.enumerated().map { (x: plot.left + (Double($0.offset) + 0.5) * group, label: "h=\($0.element)") }
        plot.drawBottomAxis(&svg, ticks: ticksX, className: "axis-x")
    }
}

/// The chart of one ``ModelComparison``: MASE by horizon for its models (e.g. plain LSTM, Seq2Seq, naive).
public enum ComparisonChart {
    /// The chart, or nil when fewer than two of the comparison's non-baseline models have backtest rows.
    public static func svg(_ report: SymbolReport, comparison: ModelComparison, idPrefix: String = "comparison") -> String? {
        let models = ReportSections.comparedModels(comparison, in: report)
        let panel = MASEPanel(report: report, models: models)
        guard ReportSections.isShown(models, in: report), !panel.isEmpty else { return nil }
        let width = 800.0, height = 340.0
        let title = "\(report.symbol): \(comparison.title)"
        var svg = SVGWriter(width: width, height: height, title: title,
                            description: "Bar chart of MASE by horizon for " + models.map(\.name).joined(separator: ", ")
                                + "; below 1 beats the in-sample naive forecast.",
                            idPrefix: idPrefix)
        drawTitle(&svg, title)
        let colors = Palette.modelColors(report.backtestModels, baseline: report.baselineModel)
        drawLegend(&svg, panel.legend(colors), x: 16, y: 48, maxX: width - 16)
        panel.draw(&svg, in: PlotArea(left: 72, top: 80, width: width - 96, height: height - 80 - 40), colors: colors)
        return svg.finish()
    }
}
